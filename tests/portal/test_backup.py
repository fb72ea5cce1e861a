"""Backup and restore (portal/backups.py, ``make backup`` / ``make restore``).

The SQLite round trip runs everywhere; the PostgreSQL one (pg_dump → pg_restore of
a seeded database, row counts and a login) is a CI step: .ci/backup-roundtrip.
"""

import sqlite3
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command

from portal import backups

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def make_sqlite(path, rows=3):
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app TEXT)")
    conn.execute("INSERT INTO django_migrations (app) VALUES ('portal')")
    conn.execute("CREATE TABLE portal_user (id INTEGER PRIMARY KEY, username TEXT)")
    conn.executemany(
        "INSERT INTO portal_user (username) VALUES (?)",
        [(f"user{i}",) for i in range(rows)],
    )
    conn.commit()
    return conn


def sqlite_db(path):
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}


@pytest.fixture
def site(tmp_path):
    """A live SQLite database (an open connection) and an uploads directory."""
    conn = make_sqlite(tmp_path / "live.sqlite3")
    media = tmp_path / "media"
    (media / "opinions").mkdir(parents=True)
    (media / "opinions" / "a1b2.jpg").write_bytes(b"\xff\xd8photo")
    yield sqlite_db(tmp_path / "live.sqlite3"), media
    conn.close()


def test_sqlite_round_trip_restores_rows_and_uploads(site, tmp_path):
    db, media = site
    made = backups.backup(db, media_root=media, backup_dir=tmp_path / "b", now=NOW)

    assert made.database.name == "portal-20260102T030405Z.sqlite3"
    assert made.media.name == "portal-20260102T030405Z-media.tar.gz"
    assert not list((tmp_path / "b").glob("*.partial"))

    target = sqlite_db(tmp_path / "restored.sqlite3")
    restored_media = tmp_path / "restored-media"
    backups.restore(target, made, media_root=restored_media)

    assert backups.row_counts(target) == backups.row_counts(db)
    assert backups.row_counts(target)["portal_user"] == 3
    assert (restored_media / "opinions" / "a1b2.jpg").read_bytes() == b"\xff\xd8photo"


def test_sqlite_backup_is_a_consistent_snapshot_not_a_file_copy(site, tmp_path):
    db, media = site
    writer = sqlite3.connect(db["NAME"])
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO portal_user (username) VALUES ('uncommitted')")
    try:
        made = backups.backup(db, media_root=media, backup_dir=tmp_path, now=NOW)
    finally:
        writer.rollback()
        writer.close()

    assert backups.row_counts(sqlite_db(made.database))["portal_user"] == 3


def test_restore_refuses_a_database_with_data_unless_forced(site, tmp_path):
    db, media = site
    made = backups.backup(db, media_root=media, backup_dir=tmp_path, now=NOW)
    make_sqlite(tmp_path / "other.sqlite3", rows=7).close()
    target = sqlite_db(tmp_path / "other.sqlite3")

    with pytest.raises(backups.BackupError, match="--force"):
        backups.restore(target, made, media_root=tmp_path / "m2")
    assert backups.row_counts(target)["portal_user"] == 7

    backups.restore(target, made, media_root=tmp_path / "m2", force=True)
    assert backups.row_counts(target)["portal_user"] == 3


def test_restore_into_a_migrated_but_empty_database_needs_no_force(site, tmp_path):
    db, media = site
    made = backups.backup(db, media_root=media, backup_dir=tmp_path, now=NOW)
    make_sqlite(tmp_path / "fresh.sqlite3", rows=0).close()  # only django_migrations

    backups.restore(
        sqlite_db(tmp_path / "fresh.sqlite3"), made, media_root=tmp_path / "m"
    )

    assert backups.row_counts(sqlite_db(tmp_path / "fresh.sqlite3"))["portal_user"] == 3


def test_restore_refuses_uploads_directory_with_files_unless_forced(site, tmp_path):
    db, media = site
    made = backups.backup(db, media_root=media, backup_dir=tmp_path, now=NOW)
    with pytest.raises(backups.BackupError, match="MEDIA_ROOT"):
        backups.restore(sqlite_db(tmp_path / "new.sqlite3"), made, media_root=media)


def test_media_archive_with_a_path_outside_is_refused(tmp_path):
    import io
    import tarfile

    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("media/../../escape.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(tarfile.FilterError):
        backups.extract_media(archive, tmp_path / "media")
    assert not (tmp_path / "escape.txt").exists()


def test_commands_back_up_prune_and_restore_the_newest(
    site, tmp_path, monkeypatch, settings
):
    db, media = site
    settings.MEDIA_ROOT = media
    monkeypatch.setattr(
        "portal.management.commands.backup.database_settings", lambda: db
    )
    for day in (1, 2, 3):
        backups.backup(
            db,
            media_root=media,
            backup_dir=tmp_path / "b",
            now=datetime(2025, 12, day, tzinfo=UTC),
        )

    call_command("backup", dir=tmp_path / "b", keep=2)

    stamps = [s.stamp for s in backups.backup_sets(tmp_path / "b")]
    assert len(stamps) == 2
    assert stamps[0] == "20251203T000000Z"  # the two newest: day 3 and now

    target = sqlite_db(tmp_path / "target.sqlite3")
    monkeypatch.setattr(
        "portal.management.commands.restore.database_settings", lambda: target
    )
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    call_command("restore", dir=tmp_path / "b")
    assert backups.row_counts(target)["portal_user"] == 3

    with pytest.raises(CommandError, match="--force"):
        call_command("restore", dir=tmp_path / "b")
    call_command("restore", dir=tmp_path / "b", force=True)


def test_restore_command_without_backups_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(
        "portal.management.commands.restore.database_settings",
        lambda: sqlite_db(tmp_path / "x.sqlite3"),
    )
    with pytest.raises(CommandError, match="没有可恢复的备份"):
        call_command("restore", dir=tmp_path / "empty")


def _fake_tool(directory, name, version):
    directory.mkdir(parents=True, exist_ok=True)
    tool = directory / name
    tool.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    tool.chmod(0o755)
    return tool


def test_pg_tool_takes_the_server_major_version(tmp_path, monkeypatch):
    tool = _fake_tool(tmp_path / "bin", "pg_dump", "15.20 (Debian 15.20-0+deb12u1)")
    monkeypatch.setenv("PG_BIN", str(tmp_path / "bin"))
    assert backups.pg_tool("pg_dump", 15) == str(tool)


def test_pg_tool_refuses_a_client_older_than_the_server(tmp_path, monkeypatch):
    _fake_tool(tmp_path / "bin", "pg_dump", "9.6.24")
    monkeypatch.setenv("PG_BIN", str(tmp_path / "bin"))
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with pytest.raises(backups.BackupError, match="postgresql-client-99"):
        backups.pg_tool("pg_dump", 99)


def test_pg_password_goes_in_the_environment_not_the_command_line():
    environ = backups.pg_environ(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "portal",
            "HOST": "db",
            "PORT": 5432,
            "USER": "portal",
            "PASSWORD": "s3cret",
            "OPTIONS": {"pool": {"max_size": 8}, "sslmode": "require"},
        }
    )
    assert environ["PGPASSWORD"] == "s3cret"
    assert environ["PGDATABASE"] == "portal"
    assert environ["PGSSLMODE"] == "require"
    assert "pool" not in backups.pg_params({"NAME": "p", "OPTIONS": {"pool": {}}})

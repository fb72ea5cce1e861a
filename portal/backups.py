"""Backup and restore of the database and the uploaded files (issue 15).

A backup *set* is two files in the backup directory sharing one UTC timestamp
(docs/backup.md)::

    portal-20260102T030000Z.pgdump          pg_dump -Fc (PostgreSQL)
    portal-20260102T030000Z.sqlite3         SQLite online backup API (SQLite)
    portal-20260102T030000Z-media.tar.gz    MEDIA_ROOT (the uploaded files)

The functions take a Django ``DATABASES`` entry rather than reading the live
connection, so a test can point them at a scratch database. Both files are
written under a temporary name and renamed when complete: a half-written file
never looks like a backup.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess  # noqa: S404 - pg_dump / pg_restore, argument lists only
import tarfile
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PREFIX = "portal-"
STAMP_FORMAT = "%Y%m%dT%H%M%SZ"
PG_SUFFIX = ".pgdump"
SQLITE_SUFFIX = ".sqlite3"
MEDIA_SUFFIX = "-media.tar.gz"
SET_RE = re.compile(r"^portal-(\d{8}T\d{6}Z)(\.pgdump|\.sqlite3)$")
# Rows `migrate` writes by itself (Django's bookkeeping, the default rule sets of
# portal/migrations/0002): a database holding only these is empty, so a restore
# onto a freshly migrated database (`docker compose up` ran migrate) needs no force.
SEEDED_BY_MIGRATE = frozenset(
    {
        "django_migrations",
        "django_content_type",
        "auth_permission",
        "django_site",
        "portal_ruleset",
    }
)
# libpq parameters a DATABASES["OPTIONS"] may carry, and their environment names.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}

DatabaseSettings = Mapping[str, Any]


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why."""


@dataclass(frozen=True)
class BackupSet:
    """The files of one backup: the database dump and the media archive."""

    database: Path
    media: Path

    @property
    def stamp(self) -> str:
        match = SET_RE.match(self.database.name)
        return match.group(1) if match else ""


def engine_of(db: DatabaseSettings) -> str:
    """``"postgresql"`` or ``"sqlite"``; anything else cannot be backed up here."""
    engine = db["ENGINE"]
    if engine.endswith("postgresql"):
        return "postgresql"
    if engine.endswith("sqlite3"):
        return "sqlite"
    raise BackupError(f"不支持的数据库引擎 / unsupported database engine: {engine}")


def dump_suffix(db: DatabaseSettings) -> str:
    return PG_SUFFIX if engine_of(db) == "postgresql" else SQLITE_SUFFIX


# --- PostgreSQL -----------------------------------------------------------------


def pg_params(db: DatabaseSettings) -> dict[str, str]:
    """libpq connection parameters of a DATABASES entry (no pool options)."""
    params = {
        "dbname": str(db.get("NAME") or ""),
        "host": str(db.get("HOST") or ""),
        "port": str(db.get("PORT") or ""),
        "user": str(db.get("USER") or ""),
        "password": str(db.get("PASSWORD") or ""),
    }
    options = db.get("OPTIONS") or {}
    params.update({key: str(options[key]) for key in PG_OPTION_ENV if key in options})
    return {key: value for key, value in params.items() if value}


def pg_environ(db: DatabaseSettings) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: the password never on a command line."""
    names = {
        "dbname": "PGDATABASE",
        "host": "PGHOST",
        "port": "PGPORT",
        "user": "PGUSER",
        "password": "PGPASSWORD",
        **PG_OPTION_ENV,
    }
    environ = dict(os.environ)
    environ.update({names[key]: value for key, value in pg_params(db).items()})
    return environ


def _pg_connect(db: DatabaseSettings):
    import psycopg

    return psycopg.connect(**pg_params(db), autocommit=True)


def pg_server_major(db: DatabaseSettings) -> int:
    """The server's major version (150020 → 15)."""
    with _pg_connect(db) as conn:
        row = conn.execute("SHOW server_version_num").fetchone()
    return int(row[0]) // 10000


def _tool_major(path: str) -> int | None:
    try:
        out = subprocess.run(  # noqa: S603
            [path, "--version"], capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", out)
    return int(match.group(1)) if match else None


def pg_tool(name: str, server_major: int) -> str:
    """pg_dump/pg_restore of the server's major version.

    Debian keeps every installed version in /usr/lib/postgresql/<N>/bin; the one
    on PATH may be another. ``PG_BIN`` (a directory) wins when set. An older
    client cannot read a newer server, so a client older than the server is an
    error; a newer one is used only when the exact version is missing.
    """
    candidates = []
    if os.environ.get("PG_BIN"):
        candidates.append(str(Path(os.environ["PG_BIN"]) / name))
    candidates.append(f"/usr/lib/postgresql/{server_major}/bin/{name}")
    on_path = shutil.which(name)
    if on_path:
        candidates.append(on_path)
    found: list[str] = []
    newer: str | None = None
    for path in candidates:
        if not os.access(path, os.X_OK):
            continue
        major = _tool_major(path)
        found.append(f"{path} ({major})")
        if major == server_major:
            return path
        if major is not None and major > server_major and newer is None:
            newer = path
    if newer:
        return newer
    raise BackupError(
        f"找不到与服务器（PostgreSQL {server_major}）版本一致的 {name}；"
        f"请安装 postgresql-client-{server_major} 或设置 PG_BIN。"
        f" / no {name} for PostgreSQL {server_major} (found: {', '.join(found) or 'none'})"
    )


def _run(command: list[str], environ: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603
        command, env=environ, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(
            f"{Path(command[0]).name} 失败 / failed ({result.returncode}):\n"
            f"{result.stderr.strip()}"
        )


# --- SQLite -----------------------------------------------------------------------


def _sqlite_path(db: DatabaseSettings) -> Path:
    name = str(db.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        raise BackupError(f"只能备份 SQLite 数据库文件 / not an SQLite file: {name!r}")
    return Path(name)


def _sqlite_copy(source: Path, target: Path) -> None:
    """Page-by-page copy with the online backup API: consistent while in use."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()


# --- Row counts (what "empty" means, and what the round-trip test compares) --------


def row_counts(db: DatabaseSettings) -> dict[str, int]:
    """Rows in every table of the database (an empty dict if it has none)."""
    if engine_of(db) == "postgresql":
        from psycopg import sql

        with _pg_connect(db) as conn:
            tables = conn.execute(
                "SELECT n.nspname, c.relname FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind IN ('r', 'p')"
                " AND n.nspname NOT IN ('pg_catalog', 'information_schema')"
                " AND n.nspname NOT LIKE 'pg_toast%'"
                " ORDER BY 1, 2"
            ).fetchall()
            counts = {}
            for schema, table in tables:
                query = sql.SQL("SELECT count(*) FROM {}.{}").format(
                    sql.Identifier(schema), sql.Identifier(table)
                )
                key = table if schema == "public" else f"{schema}.{table}"
                counts[key] = conn.execute(query).fetchone()[0]
            return counts
    path = _sqlite_path(db)
    if not path.exists():
        return {}
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        return {
            table: conn.execute(
                'SELECT count(*) FROM "{}"'.format(table.replace('"', '""'))  # noqa: S608
            ).fetchone()[0]
            for table in tables
        }
    finally:
        conn.close()


def database_has_data(db: DatabaseSettings) -> bool:
    """True when any table beyond what ``migrate`` fills holds a row."""
    return any(
        count
        for table, count in row_counts(db).items()
        if table not in SEEDED_BY_MIGRATE
    )


# --- Media ------------------------------------------------------------------------


def _media_has_files(media_root: Path) -> bool:
    return media_root.is_dir() and any(p.is_file() for p in media_root.rglob("*"))


def archive_media(media_root: Path, target: Path) -> None:
    """MEDIA_ROOT as a gzip tar whose entries start with ``media/``."""
    with tarfile.open(target, "w:gz") as tar:
        if media_root.is_dir():
            tar.add(media_root, arcname="media")


def _media_members(tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    for member in tar.getmembers():
        if member.name == "media":
            continue
        if not member.name.startswith("media/"):
            raise BackupError(
                f"媒体归档中有意外的路径 / unexpected entry: {member.name}"
            )
        member.name = member.name.removeprefix("media/")
        yield member


def extract_media(archive: Path, media_root: Path) -> None:
    """Unpack into MEDIA_ROOT (which may be a mount point: unpacked in place).

    Files written after the backup stay; the archive's files overwrite their
    namesakes. The ``data`` filter refuses absolute paths, ``..`` and links
    leaving the directory.
    """
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, "r:gz") as tar:
        tar.extractall(media_root, members=_media_members(tar), filter="data")


# --- Backup sets -------------------------------------------------------------------


def backup_sets(backup_dir: Path, suffix: str | None = None) -> list[BackupSet]:
    """Every backup set in the directory, oldest first."""
    if not backup_dir.is_dir():
        return []
    sets = []
    for path in backup_dir.iterdir():
        match = SET_RE.match(path.name)
        if match and (suffix is None or match.group(2) == suffix):
            sets.append(
                BackupSet(path, backup_dir / f"{PREFIX}{match.group(1)}{MEDIA_SUFFIX}")
            )
    return sorted(sets, key=lambda s: s.stamp)


def set_for(database_file: Path) -> BackupSet:
    """The set a dump file belongs to (its media archive beside it)."""
    match = SET_RE.match(database_file.name)
    if not match:
        raise BackupError(
            f"不是本平台的备份文件名 / not a backup file name: {database_file.name}"
        )
    return BackupSet(
        database_file,
        database_file.with_name(f"{PREFIX}{match.group(1)}{MEDIA_SUFFIX}"),
    )


def prune(backup_dir: Path, keep: int) -> list[BackupSet]:
    """Delete all but the ``keep`` newest sets (``keep`` ≤ 0 keeps everything)."""
    if keep <= 0:
        return []
    removed = backup_sets(backup_dir)[:-keep]
    for old in removed:
        old.database.unlink(missing_ok=True)
        old.media.unlink(missing_ok=True)
    return removed


def backup(
    db: DatabaseSettings,
    *,
    media_root: Path,
    backup_dir: Path,
    now: datetime | None = None,
) -> BackupSet:
    """Write a new backup set of ``db`` and ``media_root`` into ``backup_dir``."""
    stamp = (now or datetime.now(UTC)).astimezone(UTC).strftime(STAMP_FORMAT)
    backup_dir.mkdir(parents=True, exist_ok=True)
    result = BackupSet(
        backup_dir / f"{PREFIX}{stamp}{dump_suffix(db)}",
        backup_dir / f"{PREFIX}{stamp}{MEDIA_SUFFIX}",
    )
    if result.database.exists():
        raise BackupError(f"备份已存在 / backup exists: {result.database}")
    partial_db = result.database.with_name(result.database.name + ".partial")
    partial_media = result.media.with_name(result.media.name + ".partial")
    try:
        if engine_of(db) == "postgresql":
            tool = pg_tool("pg_dump", pg_server_major(db))
            _run([tool, "-Fc", "--file", str(partial_db)], pg_environ(db))
        else:
            source = _sqlite_path(db)
            if not source.is_file():
                raise BackupError(f"数据库文件不存在 / no database file: {source}")
            _sqlite_copy(source, partial_db)
        archive_media(media_root, partial_media)
        partial_media.rename(result.media)
        partial_db.rename(result.database)
    finally:
        partial_db.unlink(missing_ok=True)
        partial_media.unlink(missing_ok=True)
    return result


def restore(
    db: DatabaseSettings,
    source: BackupSet,
    *,
    media_root: Path,
    force: bool = False,
) -> float:
    """Load a backup set into ``db`` and ``media_root``; returns the seconds taken.

    Refuses (before touching anything) a database that holds data, or a media
    directory with files, unless ``force``. Stop web, worker and beat first.
    """
    started = time.perf_counter()
    if not source.database.is_file():
        raise BackupError(f"找不到备份 / no such backup: {source.database}")
    if source.database.suffix != dump_suffix(db):
        raise BackupError(
            f"备份 {source.database.name} 与数据库引擎不符 / "
            f"does not match the {engine_of(db)} database"
        )
    if not force:
        if database_has_data(db):
            raise BackupError(
                "目标数据库已有数据，未覆盖；确认后使用 --force（make restore FORCE=1）。"
                " / The target database is not empty; use --force (FORCE=1)."
            )
        if source.media.exists() and _media_has_files(media_root):
            raise BackupError(
                f"上传文件目录 {media_root} 不是空的，未覆盖；确认后使用 --force。"
                " / MEDIA_ROOT is not empty; use --force (FORCE=1)."
            )
    if engine_of(db) == "postgresql":
        tool = pg_tool("pg_restore", pg_server_major(db))
        environ = pg_environ(db)
        _run(
            [
                tool,
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-acl",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                environ.get("PGDATABASE", ""),
                str(source.database),
            ],
            environ,
        )
    else:
        target = _sqlite_path(db)
        target.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_copy(source.database, target)
    if source.media.exists():
        extract_media(source.media, media_root)
    return time.perf_counter() - started

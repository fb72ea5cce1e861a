"""Deployment files describe the services the design asks for."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_has_every_service_and_one_beat():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) >= {"postgres", "redis", "web", "worker", "beat"}
    assert "gunicorn" in services["web"]["command"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "beat" in services["beat"]["command"]
    assert "worker" in services["worker"]["command"]
    for name in ("web", "worker", "beat"):
        env = services[name]["environment"]
        assert env["DJANGO_DEBUG"] == "0"
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["REDIS_URL"].startswith("redis://")


def test_dockerfile_serves_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "gunicorn" in dockerfile
    assert "fonts-noto-cjk" in dockerfile


def dockerignore_patterns() -> set[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return {
        line.strip().rstrip("/")
        for line in lines
        if line.strip() and not line.startswith("#")
    }


def test_dockerignore_keeps_secrets_personal_data_and_local_state_out():
    patterns = dockerignore_patterns()
    required = {
        ".env",  # secrets
        ".env.*",
        "db.sqlite3",  # the development database and its -wal/-shm/-journal
        "db.sqlite3-*",
        "media",  # uploads: citizens' photos, evidence
        "uploads",
        "var",  # celery broker files, sent SMS/e-mail, exports, var/backups
        "backups",
        "**/*.pgdump",
        "bench/results",
        ".git",
        ".venv",
        "**/__pycache__",
        "staticfiles",
    }
    assert required <= patterns, sorted(required - patterns)


def test_dockerignore_leaves_what_the_image_build_needs():
    patterns = dockerignore_patterns()
    needed = {"portal", "deputies", "stations", "proposals", "livelihood_votes"}
    needed |= {"templates", "static", "locale", "manage.py", "pyproject.toml"}
    needed |= {"README.md", "*.py", "**/*.py", "*", "**"}
    assert not needed & patterns
    assert not [p for p in patterns if p.startswith("!")]  # no re-includes

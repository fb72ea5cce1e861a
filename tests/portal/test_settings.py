"""Settings come from the environment; production refuses to start without a secret."""

import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "PORTAL_TESTING": "0",
}


def run_manage(*args, env_overrides, drop=()):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in drop and not k.startswith("DJANGO_")
    }
    env.pop("PORTAL_TESTING", None)
    env.update(env_overrides)
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    env = {**PRODUCTION_ENV}
    env.pop("DJANGO_SECRET_KEY")
    result = run_manage("check", env_overrides=env, drop=("DJANGO_SECRET_KEY",))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_production_with_secret_passes_the_deploy_check():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", env_overrides=PRODUCTION_ENV
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_seed_demo_refuses_in_production():
    result = run_manage("seed_demo", env_overrides=PRODUCTION_ENV)
    assert result.returncode != 0
    assert "演示模式" in result.stderr


def test_chinese_and_shanghai_defaults():
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert "en" in dict(settings.LANGUAGES)


def test_session_lifetimes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    # Idle timeout renewed once a minute at most (portal/middleware.py).
    assert not settings.SESSION_SAVE_EVERY_REQUEST
    assert settings.SESSION_TOUCH_INTERVAL == 60
    assert settings.SESSION_ABSOLUTE_TIMEOUT == 12 * 60 * 60
    assert settings.AXES_FAILURE_LIMIT == 5

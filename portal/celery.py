"""The Celery application. Tasks live in each app's tasks.py."""

import logging
import os
import socket
import threading
import time

from celery import Celery
from celery.signals import beat_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

logger = logging.getLogger("portal.celery")
app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_configure.connect
def _filesystem_broker_folders(sender, **kwargs) -> None:
    """The embedded broker (no REDIS_URL) needs its folders before anything is sent."""
    options = sender.conf.broker_transport_options or {}
    if str(sender.conf.broker_url).startswith("filesystem://"):
        for key in (
            "data_folder_in",
            "data_folder_out",
            "processed_folder",
            "control_folder",
        ):
            if options.get(key):
                os.makedirs(options[key], exist_ok=True)


@beat_init.connect
def _one_beat_only(sender=None, **kwargs) -> None:
    """Refuse to start a second beat: beats hold a Redis lock while they live.

    Exactly one scheduler must run (docker-compose has one ``beat`` service);
    without Redis the embedded beat runs inside the single local worker.
    """
    from django.conf import settings

    if not settings.REDIS_URL:
        return
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    key, token = "portal:celery-beat-lock", f"{socket.gethostname()}:{os.getpid()}"
    if not client.set(key, token, nx=True, ex=90):
        logger.error(
            "Another Celery beat holds %s (%s); this one exits.", key, client.get(key)
        )
        os._exit(1)

    def keep_alive() -> None:
        while True:
            time.sleep(30)
            client.set(key, token, ex=90)

    threading.Thread(target=keep_alive, daemon=True, name="beat-lock").start()

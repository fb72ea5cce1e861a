"""SMS through a pluggable backend (settings.SMS_BACKEND).

A real gateway implements ``BaseSmsBackend.send``. ``message_id`` is the
notification's unique key: gateways that accept a client message id drop a
repeated one, which keeps a retried delivery from reaching the phone twice.
"""

from __future__ import annotations

import hashlib
import logging
import time
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from .chinese import mask_mobile

logger = logging.getLogger("portal.sms")


class BaseSmsBackend:
    def send(
        self, *, phone: str, text: str, message_id: str
    ) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes messages to the log (the default), the number masked: logs are
    no place for citizens' mobiles (issue 15)."""

    def send(self, *, phone: str, text: str, message_id: str) -> None:
        logger.info("短信 → %s [%s]: %s", mask_mobile(phone), message_id, text)


class FileSmsBackend(BaseSmsBackend):
    """One file per message id in SMS_FILE_PATH: a resend overwrites, never duplicates."""

    def send(self, *, phone: str, text: str, message_id: str) -> None:
        # A slow gateway can be simulated (tests of a worker killed mid-send).
        time.sleep(getattr(settings, "SMS_FILE_DELAY", 0))
        folder = Path(settings.SMS_FILE_PATH)
        folder.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(message_id.encode()).hexdigest()[:32]
        (folder / f"{name}.txt").write_text(
            f"{phone}\n{message_id}\n{text}\n", encoding="utf-8"
        )


def get_backend() -> BaseSmsBackend:
    return import_string(settings.SMS_BACKEND)()

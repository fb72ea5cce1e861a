"""人大代表工作平台: project configuration and the core app."""

from .celery import app as celery_app

__all__ = ["celery_app"]

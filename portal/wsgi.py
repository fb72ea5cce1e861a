"""WSGI entry point (gunicorn portal.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
application = get_wsgi_application()

# Garbage collection tuned for a long-lived web worker (issue 14). A page
# allocates tens of thousands of objects, so CPython's default thresholds
# (700, 10, 10) ran a full collection every ten or so requests, and a full
# collection walked every object of the loaded application (~180,000: Django,
# DRF, the URLconf, the translation catalogues): ~10 ms a request on average,
# 100 ms on the unlucky one. Here: import every view once (the URLconf), then
# move what start-up built into the permanent generation (``gc.freeze``, made
# for exactly this: https://docs.python.org/3/library/gc.html#gc.freeze), and
# collect the young generation less often. Reference counting still frees
# almost everything at once; only cycles wait for a collection.
GC_THRESHOLDS = (50_000, 20, 100)


def tune_gc() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view module now
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


if os.environ.get("PORTAL_GC_TUNING", "1") != "0":
    tune_gc()

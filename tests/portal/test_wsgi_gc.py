"""The web worker's garbage collector is tuned at start-up (portal/wsgi.py, issue 14)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import gc, json, portal.wsgi as w;"
    "print(json.dumps([list(gc.get_threshold()), gc.get_freeze_count(),"
    " list(w.GC_THRESHOLDS)]))"
)


def _probe(**env) -> list:
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_loaded_application_is_frozen_out_of_collections():
    thresholds, frozen, wanted = _probe()
    assert thresholds == wanted
    # Django, DRF, every view module and the catalogues: far more than a bare
    # interpreter's few thousand objects.
    assert frozen > 50_000


def test_the_tuning_can_be_switched_off():
    thresholds, frozen, _wanted = _probe(PORTAL_GC_TUNING="0")
    assert thresholds[0] == 700 and frozen == 0

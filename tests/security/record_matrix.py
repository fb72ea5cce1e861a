"""Record what every persona gets today, as a draft for matrix.yaml.

Not part of the suite (the file name does not start with ``test_``); run it
explicitly when adding many rows at once, then REVIEW the draft against the
rules (out of scope 404, in scope but not allowed 403, anonymous → login):

    PORTAL_TESTING=1 .venv/bin/python -m pytest tests/security/record_matrix.py -q
    # writes tests/security/matrix.recorded.yaml (not committed)

A recorded value is what the code does, not what it should do: a bug recorded
here becomes a rule unless the reviewer moves it to ``known_bugs``.
"""

from __future__ import annotations

import time
from fnmatch import fnmatchcase
from pathlib import Path

import pytest

from . import matrix as m
from .conftest import PERSONAS
from .test_matrix import ADMIN_PERSONAS, dump_rows

pytestmark = pytest.mark.django_db

OUT = Path(__file__).with_name("matrix.recorded.yaml")

# Which world object fills a page's URL kwargs (first match wins).
PAGE_KWARGS = [
    ("deputies:attendance_confirm", {"pk": "attendance"}),
    ("deputies:group_remove_member", {"pk": "group", "mandate_pk": "mandate"}),
    ("deputies:group_*", {"pk": "group"}),
    ("deputies:evidence_download", {"pk": "activity", "evidence_pk": "evidence"}),
    ("deputies:activity_*", {"pk": "activity"}),
    ("deputies:evidence_upload", {"pk": "activity"}),
    ("deputies:roster_import_*", {"pk": "roster_import"}),
    ("deputies:export_job*", {"pk": "export_job"}),
    # issue 16: organs
    ("deputies:organ_plan_*", {"pk": "organ_plan"}),
    ("deputies:organ_contact_create", {"pk": "organ_plan"}),
    ("deputies:organ_contact_*", {"pk": "organ_contact"}),
    ("deputies:organ_meeting_*", {"pk": "standing_meeting"}),
    ("deputies:organ_invitation_*", {"pk": "invitation"}),
    ("deputies:organ_opinion_create", {"pk": "invitation_other"}),
    ("deputies:organ_opinion_*", {"pk": "meeting_opinion"}),
    # end issue 16: organs
    # issue 16: sessions
    ("deputies:session_*", {"pk": "deputy_session"}),
    ("deputies:leave_on_behalf", {"pk": "deputy_session"}),
    ("deputies:meeting_create", {"pk": "deputy_session"}),
    ("deputies:my_leave_new", {"pk": "deputy_session_upcoming"}),
    ("deputies:leave_decide", {"pk": "leave"}),
    ("deputies:my_leave_withdraw", {"pk": "leave"}),
    ("deputies:meeting_detail", {"pk": "meeting"}),
    ("deputies:speech_create", {"pk": "meeting"}),
    ("deputies:speech_outcome", {"pk": "speech"}),
    ("deputies:absence_flag*", {"pk": "absence_flag"}),
    ("deputies:course_*", {"pk": "course"}),
    ("deputies:*", {"pk": "mandate"}),
    ("stations:member_end", {"pk": "station", "membership_pk": "membership"}),
    ("stations:duty_day_create", {"pk": "station"}),
    ("stations:duty_day_recurring", {"pk": "station"}),  # issue 18
    ("stations:duty_day_delete", {"pk": "station", "duty_day_pk": "duty_day_past"}),
    ("stations:opinion_similar", {"pk": "station"}),
    ("stations:deputy", {"pk": "mandate"}),
    ("stations:duty_day_*", {"pk": "station", "duty_day_pk": "duty_day"}),
    ("stations:opinion_new", {"pk": "station"}),
    ("stations:opinion_sent", {"pk": "station"}),
    ("stations:opinion*", {"pk": "opinion"}),
    # issue 17: networks
    ("stations:code*", {"token": "code_token"}),
    ("stations:assessment_create", {"pk": "station"}),
    ("stations:assessment*", {"pk": "assessment"}),
    ("stations:mediation_create", {"pk": "station"}),
    ("stations:mediation*", {"pk": "mediation"}),
    ("stations:social_report*", {"pk": "social_report"}),
    # issue 17: networks (end)
    ("stations:*", {"pk": "station"}),
    ("proposals:from_opinion", {"opinion_pk": "opinion"}),
    ("proposals:edit", {"pk": "suggestion_draft"}),
    ("proposals:submit", {"pk": "suggestion_draft"}),
    ("proposals:cosign", {"pk": "suggestion_submitted"}),
    ("proposals:register", {"pk": "suggestion_submitted"}),
    ("proposals:return", {"pk": "suggestion_submitted"}),
    ("proposals:reject", {"pk": "suggestion_submitted"}),
    ("proposals:merge", {"pk": "suggestion_submitted"}),
    ("proposals:bill_*", {"pk": "suggestion_submitted"}),
    ("proposals:commitment_*", {"pk": "commitment"}),
    ("proposals:extension_decide", {"pk": "extension_request"}),
    ("proposals:return_decide", {"pk": "return_request"}),
    ("proposals:callback_record", {"pk": "evaluation"}),
    ("proposals:key_planned_cancel", {"pk": "planned_event"}),
    ("proposals:rehandle_after_callback", {"pk": "suggestion_closed"}),
    ("proposals:key_*", {"pk": "key_item"}),
    ("proposals:assignment*", {"pk": "assignment"}),
    ("proposals:urge", {"pk": "assignment"}),
    ("proposals:reassign", {"pk": "assignment"}),
    ("proposals:reply_file", {"pk": "reply_file"}),
    ("proposals:public_detail", {"pk": "suggestion_closed"}),
    ("proposals:*", {"pk": "suggestion"}),
    ("livelihood:idea_pool", {"pk": "programme", "opinion_pk": "opinion_new"}),
    ("livelihood:idea_screen", {"pk": "idea"}),
    ("livelihood:comment", {"pk": "candidate"}),
    ("livelihood:round_create", {"pk": "programme"}),
    ("livelihood:evaluation_create", {"pk": "programme"}),
    ("livelihood:round_document", {"pk": "vote_round", "kind": "=announcement"}),
    ("livelihood:round_*", {"pk": "vote_round"}),
    ("livelihood:paper_counts", {"pk": "vote_round"}),
    ("livelihood:vote", {"pk": "vote_round"}),
    ("livelihood:check_in", {"pk": "vote_round"}),
    ("livelihood:evaluat*", {"pk": "lv_evaluation"}),
    ("livelihood:public_project", {"pk": "project"}),
    ("livelihood:project*", {"pk": "project"}),
    ("livelihood:visit_new", {"pk": "project"}),
    ("livelihood:visit_plan", {"pk": "project"}),
    ("livelihood:planned_visit_cancel", {"pk": "planned_visit"}),
    ("livelihood:visit_answer", {"pk": "visit"}),
    ("livelihood:change_decide", {"pk": "change_request"}),
    ("livelihood:report_photo", {"pk": "report_photo"}),
    ("livelihood:*", {"pk": "programme"}),
    ("reports:download", {"pk": "report_job", "fmt": "=xlsx"}),
    ("reports:*", {"pk": "report_job"}),
]

API_KWARGS = [
    ("/api/v1/public/opinions/{tracking_code}/", {"tracking_code": "tracking_code"}),
    ("/api/v1/public/suggestions/*", {"id": "suggestion_closed"}),
    ("/api/v1/public/livelihood-results/*", {"id": "vote_round"}),
    ("/api/v1/deputies/*", {"id": "mandate"}),
    ("/api/v1/deputy-groups/*", {"id": "group"}),
    ("/api/v1/activities/*", {"id": "activity"}),
    # issue 16: sessions
    ("/api/v1/session-attendance/*", {"id": "session_attendance"}),
    ("/api/v1/leave-requests/*", {"id": "leave"}),
    ("/api/v1/speeches/*", {"id": "speech"}),
    ("/api/v1/training-enrolments/*", {"id": "enrolment"}),
    ("/api/v1/stations/*", {"id": "station"}),
    ("/api/v1/opinions/*", {"id": "opinion"}),
    # issue 17: networks
    ("/api/v1/station-assessments/*", {"id": "assessment"}),
    ("/api/v1/social-reports/*", {"id": "social_report"}),
    ("/api/v1/mediation-cases/*", {"id": "mediation"}),
    # issue 17: networks (end)
    ("/api/v1/suggestions/*", {"id": "suggestion"}),
    ("/api/v1/assignments/*", {"id": "assignment"}),
    ("/api/v1/extension-requests/*", {"id": "extension_request"}),
    ("/api/v1/return-requests/*", {"id": "return_request"}),
    ("/api/v1/livelihood/programs/*", {"id": "programme"}),
    ("/api/v1/livelihood/rounds/*", {"id": "vote_round"}),
    ("/api/v1/regions/*", {"id": "region"}),
    ("/api/v1/congresses/*", {"id": "congress"}),
    ("/api/v1/sessions/*", {"id": "session"}),
    ("/api/v1/handling-units/*", {"id": "unit_obj"}),
    ("/api/v1/notifications/*", {"id": "notification"}),
    # issue 16: organs
    ("/api/v1/organ-plans/*", {"id": "organ_plan"}),
    ("/api/v1/organ-contacts/*", {"id": "organ_contact"}),
    ("/api/v1/standing-meetings/*", {"id": "standing_meeting"}),
    ("/api/v1/meeting-invitations/*", {"id": "invitation"}),
    # end issue 16: organs
]


def _kwargs(table, name, route):
    for pattern, kwargs in table:
        if fnmatchcase(name, pattern):
            return {k: v for k, v in kwargs.items() if k in route}
    return {}


def test_record(matrix_world):
    objects = matrix_world.objects
    clients = m.clients(matrix_world.users)
    secrets = matrix_world.secrets
    existing = m.load() if m.MATRIX_FILE.exists() else {}
    pages, admin = m.discover_urls()
    out = {"pages": {}, "api": {}, "admin": {}}
    found = []

    timings = {}

    def get(persona, key, method, url):
        started = time.perf_counter()
        try:
            return _get(persona, key, method, url)
        finally:
            timings[key] = timings.get(key, 0) + time.perf_counter() - started

    def _get(persona, key, method, url):
        cell = m.request(clients[persona], m.Cell(key, method, persona, url), secrets)
        if cell.found:
            kinds = sorted({kind for kind, _ in cell.found})
            found.append(
                f"{cell.where}: {kinds} owners={len(m.owners(cell))}"
                f" audit={cell.audit_rows} no_store={cell.no_store}"
            )
        return cell.outcome

    for name, route in pages.items():
        row = (existing.get("pages") or {}).get(name) or {
            "kwargs": _kwargs(PAGE_KWARGS, name, route)
        }
        sample = row.get("GET") if row.get("sampled") else None
        # The methods the row has (a form page may have GET and POST), else GET,
        # or POST for a POST-only URL.
        methods = [k for k in ("GET", "POST") if k in row]
        row = {k: v for k, v in row.items() if k not in ("GET", "POST")}
        url = m.page_url(name, row, objects)
        if not methods:
            methods = ["GET"]
            probe = m.Cell(name, "GET", "admin", url)
            if m.request(clients["admin"], probe, secrets).outcome == 405:
                methods = ["POST"]
        for method in methods:
            personas = list(sample) if sample else PERSONAS
            row[method] = {p: get(p, name, method, url) for p in personas}
        out["pages"][name] = row
    for key in m.discover_operations():
        row = (existing.get("api") or {}).get(key) or {
            "kwargs": _kwargs(API_KWARGS, key.split(" ", 1)[1], key)
        }
        row = {k: v for k, v in row.items() if k != "expect"}
        method, url = m.api_url(key, row, objects)
        row["expect"] = {p: get(p, key, method, url) for p in PERSONAS}
        out["api"][key] = row
    for key, route in admin.items():
        url = m.admin_url(route)
        out["admin"][key] = {
            "GET": {p: get(p, key, "GET", url) for p in ADMIN_PERSONAS}
        }
    OUT.write_text(dump_rows(out), encoding="utf-8")
    slow = sorted(timings.items(), key=lambda kv: -kv[1])[:40]
    OUT.with_suffix(".timings.txt").write_text(
        "\n".join(f"{t:.2f} {k}" for k, t in slow)
        + f"\ntotal {sum(timings.values()):.1f}\n"
    )
    OUT.with_suffix(".found.txt").write_text("\n".join(found) + "\n", encoding="utf-8")

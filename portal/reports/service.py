"""Building supervision reports and generating their files (DESIGN.md §8, §11).

Who may do what (through ``portal.scoping``):
- congress staff, leaders and admins read reports for a congress whose region
  lies in a subtree they govern; any other congress is a 404;
- only congress staff of the region (and admins) generate files; leaders read
  the pages and download what was generated (403 for generating);
- everyone else (unit staff, deputies, station staff) gets a 403: units never
  see other units' figures.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import date

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from portal.models import Congress, GeneratedReport, User
from portal.policies import ReportPolicy
from portal.registry import ReportSection, report_sections
from portal.scoping import GOVERNING_ROLES, governed_q, scope_for
from portal.services import audit_record

from .model import Report, ReportScope
from .periods import Period, year_period

logger = logging.getLogger(__name__)

FORMATS = ("html", "xlsx", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

ProgressCallback = Callable[[int], None]
CARD_CACHE_SECONDS = 10 * 60


# --- who may report on what -----------------------------------------------------------


# Who may read and generate reports is decided in portal.policies.
can_read_reports = ReportPolicy.can_read
can_generate = ReportPolicy.can_generate


def readable_congresses(user) -> QuerySet:
    """Congresses the user may report on: their congress and every one below it."""
    if not can_read_reports(user):
        return Congress.objects.none()
    return Congress.objects.filter(governed_q(user, "region__path")).select_related(
        "region"
    )


def congress_for_report(user, congress_id) -> Congress:
    """The congress to report on; 403 for users who read no reports, 404 out of scope."""
    if not can_read_reports(user):
        raise PermissionDenied
    try:
        return readable_congresses(user).get(pk=int(congress_id))
    except (Congress.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc


def default_congress(user) -> Congress | None:
    """The highest congress the user governs (admins: the top of the tree)."""
    cached = getattr(user, "_report_congress", False)
    if cached is not False:
        return cached
    scope = scope_for(user)
    ids = [
        g["scope_id"]
        for g in scope.grants
        if g["role"] in GOVERNING_ROLES and g["scope_type"] == "congress"
    ]
    congress = None
    if ids:
        congress = (
            Congress.objects.filter(pk__in=ids)
            .select_related("region")
            .order_by("region__depth")
            .first()
        )
    elif scope.is_admin:
        congress = (
            Congress.objects.select_related("region")
            .order_by("region__depth", "pk")
            .first()
        )
    user._report_congress = congress
    return congress


def scope_description(congress: Congress) -> str:
    return _("%(congress)s及以下各级") % {"congress": congress.name}


def dashboard_scope(user, today: date | None = None) -> ReportScope | None:
    """This year's scope of the user's own congress (dashboard cards); None when
    the user reads no reports."""
    if not can_read_reports(user):
        return None
    congress = default_congress(user)
    if congress is None:
        return None
    today = today or timezone.localdate()
    return ReportScope(congress=congress, period=year_period(today.year), today=today)


def cached_card(name: str, scope: ReportScope, build: Callable[[], dict]) -> dict:
    """A dashboard card's figures, shared by everyone reading the same congress and
    kept for a few minutes: the dashboard is opened far more often than data changes."""
    key = f"reports:card:{name}:{scope.congress.pk}:{scope.period.start.year}:{get_language()}"
    return cache.get_or_set(key, build, CARD_CACHE_SECONDS)


def report_url(scope: ReportScope) -> str:
    params = {"congress": scope.congress.pk, **scope.period.as_params()}
    return f"{reverse('reports:view')}?{urlencode(params)}"


# --- building a report ----------------------------------------------------------------------


def available_sections() -> list[ReportSection]:
    return report_sections()


def _chosen(keys: Iterable[str] | None) -> list[ReportSection]:
    sections = available_sections()
    if not keys:
        return sections
    wanted = set(keys)
    return [s for s in sections if s.key in wanted]


def build_report(
    *,
    congress: Congress,
    period: Period,
    user: User | None,
    sections: Iterable[str] | None = None,
    today: date | None = None,
    progress: ProgressCallback | None = None,
) -> Report:
    """Compute every chosen section for ``congress`` and everything below it.

    Scope checks are the caller's (views use ``congress_for_report``); the CLI
    reports as the system. Each section runs a fixed number of queries.
    """
    today = today or timezone.localdate()
    scope = ReportScope(congress=congress, period=period, today=today)
    chosen = _chosen(sections)
    built = []
    for index, section in enumerate(chosen, start=1):
        started = time.monotonic()
        built.append(section.build(scope))
        logger.debug(
            "report section %s took %.2fs", section.key, time.monotonic() - started
        )
        if progress is not None:
            progress(index * 100 // max(len(chosen), 1))
    return Report(
        congress_id=congress.pk,
        congress_name=congress.name,
        scope_description=scope_description(congress),
        period=period,
        generated_at=timezone.localtime(),
        generated_by=user.get_full_name() if user is not None else _("系统定时任务"),
        sections=built,
    )


def render(report: Report, fmt: str) -> bytes:
    """The report as a file in ``fmt`` (html, xlsx or pdf)."""
    if fmt == "html":
        from .html import render_standalone

        return render_standalone(report).encode("utf-8")
    if fmt == "xlsx":
        from .excel import render_xlsx

        return render_xlsx(report)
    if fmt == "pdf":
        from .pdf import render_pdf

        return render_pdf(report)
    raise ValueError(fmt)


def file_name(job: GeneratedReport, fmt: str) -> str:
    """A readable download name, e.g. 湘源县人民代表大会2026年度监督报告.xlsx."""
    stem = _("%(congress)s%(period)s监督报告") % {
        "congress": job.congress.name,
        "period": job.period_label,
    }
    cleaned = "".join(ch for ch in stem if ch not in '\\/:*?"<>|')
    return f"{cleaned}.{fmt}"


# --- generated reports (background) ---------------------------------------------------------


def generated_reports_visible_to(user) -> QuerySet:
    """Generated reports of congresses the user reads reports for (404 otherwise)."""
    if not can_read_reports(user):
        return GeneratedReport.objects.none()
    return GeneratedReport.objects.filter(governed_q(user, "region_path"))


def generated_report_create(
    *,
    congress: Congress,
    period: Period,
    actor: User,
    sections: Iterable[str] | None = None,
) -> GeneratedReport:
    """Queue the generation of a report's files; the Celery task does the work."""
    if not can_generate(actor, congress):
        raise PermissionDenied
    keys = [s.key for s in _chosen(sections)]
    with transaction.atomic():
        job = GeneratedReport.objects.create(
            congress=congress,
            scope_description=scope_description(congress),
            region_path=congress.region.path,
            period_start=period.start,
            period_end=period.end,
            period_label=period.label,
            sections=keys,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="report.generate",
            target=job,
            to_state=job.status,
            data={"period": period.label, "sections": keys},
            region_path=job.region_path,
        )
        from portal.tasks import generate_report

        generate_report.delay_on_commit(job.pk)
    return job


def _set(job: GeneratedReport, **fields) -> None:
    GeneratedReport.objects.filter(pk=job.pk).update(**fields)
    for key, value in fields.items():
        setattr(job, key, value)


def _job_period(job: GeneratedReport) -> Period:
    from .periods import RANGE

    return Period(job.period_start, job.period_end, RANGE, job.period_label)


def generated_report_run(*, job: GeneratedReport) -> GeneratedReport:
    """Compute the report and write its three files, recording progress as it
    goes. Returns at once when the job is already done; a failure is recorded on
    the job (status ``failed`` with the reason), not raised."""
    job = GeneratedReport.objects.select_related("congress__region", "created_by").get(
        pk=job.pk
    )
    if job.status == GeneratedReport.Status.DONE:
        return job
    _set(job, status=GeneratedReport.Status.RUNNING, progress=1, error="")
    try:
        report = build_report(
            congress=job.congress,
            period=_job_period(job),
            user=job.created_by,
            sections=job.sections,
            progress=lambda percent: _set(job, progress=max(1, percent * 70 // 100)),
        )
        stem = uuid.uuid4().hex
        steps = {"html": 75, "xlsx": 85, "pdf": 99}
        for fmt in FORMATS:
            content = render(report, fmt)
            getattr(job, f"{fmt}_file").save(
                f"{stem}.{fmt}", ContentFile(content), save=False
            )
            _set(
                job,
                progress=steps[fmt],
                **{f"{fmt}_file": getattr(job, f"{fmt}_file").name},
            )
    except Exception as exc:  # any failure is recorded on the job, for the user to see
        logger.exception("report %s failed", job.pk)
        _set(
            job,
            status=GeneratedReport.Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        return job
    _set(
        job,
        status=GeneratedReport.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
    )
    return job


def generated_report_file(job: GeneratedReport, fmt: str):
    """The stored file of ``fmt``; 404 when there is none (not done, unknown format)."""
    if fmt not in FORMATS or job.status != GeneratedReport.Status.DONE:
        raise Http404
    field = getattr(job, f"{fmt}_file")
    if not field:
        raise Http404
    return field

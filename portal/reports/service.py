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
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from portal.models import Congress, DashboardSnapshot, GeneratedReport, User
from portal.policies import ReportPolicy
from portal.registry import ReportSection, card_figures, report_sections
from portal.scoping import GOVERNING_ROLES, governed_q, scope_for
from portal.services import audit_record

from .model import Report, ReportScope, report_from_data, report_to_data
from .periods import Period, year_period

logger = logging.getLogger(__name__)

FORMATS = ("html", "xlsx", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

ProgressCallback = Callable[[int], None]
# Dashboard figures are never older than this; the beat task recomputes those
# viewed within CARD_WATCHED_FOR every few minutes (CELERY_BEAT_SCHEDULE).
CARD_FRESH_FOR = timedelta(minutes=10)
CARD_WATCHED_FOR = timedelta(minutes=30)
# The report page shows a computation this young as it is; an older one is shown
# while a new one runs in the background.
REPORT_FRESH_FOR = timedelta(minutes=10)
# A failed computation is shown (not retried on every reload) this long.
REPORT_RETRY_AFTER = timedelta(minutes=2)
ACTIVE = (GeneratedReport.Status.QUEUED, GeneratedReport.Status.RUNNING)


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
    """The congress to report on (none named: the user's own, ``default_congress``);
    403 for users who read no reports, 404 out of scope."""
    if not can_read_reports(user):
        raise PermissionDenied
    if congress_id in (None, ""):
        own = default_congress(user)
        if own is None:
            raise Http404
        return own
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


def _language() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _card_key(name: str, congress_id: int, year: int, language: str) -> str:
    return f"reports:card:{name}:{congress_id}:{year}:{language}"


def cached_card(name: str, scope: ReportScope) -> dict:
    """A dashboard card's figures (``registry.card_figures``), shared by everyone
    reading the same congress, with ``computed_at``. They come from the cache or
    the card's snapshot, which the beat task keeps fresh while the card is viewed;
    only a missing or stale snapshot (no worker running) is computed here."""
    language = _language()
    year = scope.period.start.year
    key = _card_key(name, scope.congress.pk, year, language)
    now = timezone.now()
    entry = cache.get(key)
    if entry is None or entry["computed_at"] < now - CARD_FRESH_FOR:
        row = (
            DashboardSnapshot.objects.filter(
                card=name, congress=scope.congress, year=year, language=language
            )
            .only("data", "computed_at")
            .first()
        )
        if row is not None and row.computed_at >= now - CARD_FRESH_FOR:
            entry = {"data": row.data, "computed_at": row.computed_at}
            _cache_card(key, entry)
        else:
            entry = dashboard_snapshot_refresh(
                card=name, scope=scope, language=language
            )
    # Remember, at most once a minute, that someone reads this card.
    if cache.add(f"{key}:viewed", 1, 60):
        DashboardSnapshot.objects.filter(
            card=name, congress=scope.congress, year=year, language=language
        ).update(viewed_at=now)
    return {**entry["data"], "computed_at": entry["computed_at"]}


def _cache_card(key: str, entry: dict) -> None:
    left = entry["computed_at"] + CARD_FRESH_FOR - timezone.now()
    if left.total_seconds() > 1:
        cache.set(key, entry, int(left.total_seconds()))


def dashboard_snapshot_refresh(
    *, card: str, scope: ReportScope, language: str
) -> dict[str, Any]:
    """Compute one card's figures for ``scope`` in ``language`` and store them
    (snapshot row and cache). Returns ``{"data", "computed_at"}``."""
    build = card_figures()[card]
    with override(language), aggregate_queries():
        data = build(scope)
    now = timezone.now()
    DashboardSnapshot.objects.update_or_create(
        card=card,
        congress=scope.congress,
        year=scope.period.start.year,
        language=language,
        defaults={"data": data, "computed_at": now},
        create_defaults={"data": data, "computed_at": now, "viewed_at": now},
    )
    entry = {"data": data, "computed_at": now}
    key = _card_key(card, scope.congress.pk, scope.period.start.year, language)
    _cache_card(key, entry)
    cache.set(f"{key}:viewed", 1, 60)
    return entry


def dashboard_snapshots_refresh(*, now: datetime | None = None) -> int:
    """Recompute the cards viewed in the last ``CARD_WATCHED_FOR`` (this year's);
    forget the snapshots of past years. Returns how many were recomputed."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    DashboardSnapshot.objects.filter(year__lt=today.year).delete()
    builders = card_figures()
    rows = DashboardSnapshot.objects.filter(
        viewed_at__gte=now - CARD_WATCHED_FOR, year=today.year, card__in=builders
    ).select_related("congress__region")
    done = 0
    for row in rows:
        scope = ReportScope(
            congress=row.congress, period=year_period(row.year), today=today
        )
        dashboard_snapshot_refresh(card=row.card, scope=scope, language=row.language)
        done += 1
    return done


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


@contextmanager
def aggregate_queries() -> Iterator[None]:
    """Run a report's few large aggregate queries without PostgreSQL's JIT: for
    their dozens of FILTER and EXISTS expressions compiling took longer (≈0.6 s a
    query at province scale) than the query itself."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
    try:
        yield
    finally:
        if not connection.needs_rollback:
            with connection.cursor() as cursor:
                cursor.execute("RESET jit")


def report_scope_key(
    congress: Congress, period: Period, sections: Iterable[str], language: str
) -> str:
    """What makes two computations of a report the same."""
    return (
        f"{congress.pk}:{period.start.isoformat()}:{period.end.isoformat()}:"
        f"{','.join(sections)}:{language}"
    )


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
    with aggregate_queries():
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


def generated_files_visible_to(user) -> QuerySet:
    """Generated reports with files (not the report page's computations)."""
    return generated_reports_visible_to(user).filter(with_files=True)


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
        job = _new_job(congress=congress, period=period, keys=keys, actor=actor)
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


def _new_job(
    *,
    congress: Congress,
    period: Period,
    keys: list[str],
    actor: User | None,
    with_files: bool = True,
) -> GeneratedReport:
    language = _language()
    return GeneratedReport.objects.create(
        congress=congress,
        scope_description=scope_description(congress),
        region_path=congress.region.path,
        period_start=period.start,
        period_end=period.end,
        period_label=period.label,
        sections=keys,
        scope_key=report_scope_key(congress, period, keys, language),
        language=language,
        with_files=with_files,
        created_by=actor,
    )


@dataclass
class ReportSnapshot:
    """What the report page shows: the newest finished computation (``report``,
    None when there is none yet; read from its stored data only when asked
    for, since the page keeps its rendered document by ``source_id``) and the
    background one, if any (running or just failed)."""

    computed_at: datetime | None
    job: GeneratedReport | None
    # The stored computation shown (its rendered document is cached by it).
    source_id: int | None = None

    @cached_property
    def report(self) -> Report | None:
        if self.source_id is None:
            return None
        data = (
            GeneratedReport.objects.filter(pk=self.source_id)
            .values_list("data", flat=True)
            .first()
        )
        return report_from_data(data) if data is not None else None


def report_snapshot_request(
    *,
    congress: Congress,
    period: Period,
    actor: User,
    sections: Iterable[str] | None = None,
) -> ReportSnapshot:
    """The report page's content without computing it in the request: the newest
    finished computation of the same report; when there is none, or it is older
    than ``REPORT_FRESH_FOR``, one background computation is started (or the one
    already running is joined: one per report, by a database constraint)."""
    if not can_read_reports(actor):
        raise PermissionDenied
    keys = [s.key for s in _chosen(sections)]
    key = report_scope_key(congress, period, keys, _language())
    now = timezone.now()
    done = (
        GeneratedReport.objects.filter(
            scope_key=key, status=GeneratedReport.Status.DONE, data__isnull=False
        )
        .order_by("-finished_at")
        .only("id", "finished_at")
        .first()
    )
    snapshot = ReportSnapshot(
        computed_at=done.finished_at if done is not None else None,
        job=None,
        source_id=done.pk if done is not None else None,
    )
    if done is not None and done.finished_at >= now - REPORT_FRESH_FOR:
        return snapshot
    snapshot.job = _page_job(
        congress=congress, period=period, keys=keys, key=key, actor=actor, now=now
    )
    if done is not None and snapshot.job.status == GeneratedReport.Status.FAILED:
        snapshot.job = None  # the older figures stand; retried after a while
    return snapshot


def _page_job(
    *,
    congress: Congress,
    period: Period,
    keys: list[str],
    key: str,
    actor: User,
    now: datetime,
) -> GeneratedReport:
    """The running computation of ``key``, a recent failure, or a new one."""
    jobs = GeneratedReport.objects.filter(scope_key=key, with_files=False)
    active = jobs.filter(status__in=ACTIVE).first()
    lifetime = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    if active is not None and active.created_at >= now - lifetime:
        return active
    if active is not None:
        # Its worker died (the task's time limit is long past): start afresh.
        _set(
            active,
            status=GeneratedReport.Status.FAILED,
            error=_("报告生成超时。"),
            finished_at=now,
        )
    else:
        failed = (
            jobs.filter(
                status=GeneratedReport.Status.FAILED,
                finished_at__gte=now - REPORT_RETRY_AFTER,
            )
            .order_by("-finished_at")
            .first()
        )
        if failed is not None:
            return failed
    from portal.tasks import generate_report

    try:
        with transaction.atomic():
            job = _new_job(
                congress=congress,
                period=period,
                keys=keys,
                actor=actor,
                with_files=False,
            )
            generate_report.delay_on_commit(job.pk)
    except IntegrityError:  # someone else started it a moment ago
        return jobs.filter(status__in=ACTIVE).get()
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
    share = 70 if job.with_files else 99
    try:
        with override(job.language or settings.LANGUAGE_CODE):
            report = build_report(
                congress=job.congress,
                period=_job_period(job),
                user=job.created_by,
                sections=job.sections,
                progress=lambda percent: _set(
                    job, progress=max(1, percent * share // 100)
                ),
            )
            _set(job, data=report_to_data(report))
            if job.with_files:
                _write_files(job, report)
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


def _write_files(job: GeneratedReport, report: Report) -> None:
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


def generated_report_file(job: GeneratedReport, fmt: str):
    """The stored file of ``fmt``; 404 when there is none (not done, unknown format)."""
    if fmt not in FORMATS or job.status != GeneratedReport.Status.DONE:
        raise Http404
    field = getattr(job, f"{fmt}_file")
    if not field:
        raise Http404
    return field

"""The import job (``RosterImport``): create, validate, confirm, commit, fail.

Every write of an import goes through these functions, the services of the
roster; ``deputies.tasks`` runs the long ones in Celery.
"""

from __future__ import annotations

import logging
import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.chinese import mask_id_number, mask_mobile
from portal.models import User
from portal.names import pinyin_sort_key, stroke_sort_key
from portal.services import DomainError, audit_record

from ..choices import Occupation
from ..models import GroupMembership, Mandate, Person, RosterImport
from ..policies import RosterPolicy
from ..querysets import roster_region_path
from .columns import COLUMN_KEYS
from .lookups import Lookups, collect_errors, validate_rows
from .parsing import (
    MAX_UPLOAD_BYTES,
    ParsedRow,
    RosterFileError,
    count_rows,
    estimate_rows,
    parse_file,
)

logger = logging.getLogger(__name__)

# Files up to this many data rows are validated and committed in the request;
# larger ones in Celery with a progress bar (DESIGN.md §7).
SYNC_ROW_LIMIT = 500
PREVIEW_ROWS = 50


def _preview(rows: list[ParsedRow]) -> list[dict[str, Any]]:
    preview = []
    for row in rows[:PREVIEW_ROWS]:
        cells = dict(row.raw)
        # Show what will be stored where the import completes a cell (王  明 → 王明,
        # 苗 → 苗族, the birth date from the ID number).
        values = row.values
        cells["name"] = values.get("name") or cells["name"]
        cells["ethnicity"] = values.get("ethnicity") or cells["ethnicity"]
        if values.get("birth_date"):
            cells["birth_date"] = values["birth_date"].isoformat()
        # The preview is kept in the database: store no full personal numbers.
        cells["mobile"] = mask_mobile(cells["mobile"])
        cells["id_number"] = mask_id_number(cells["id_number"])
        preview.append(
            {
                "row": row.number,
                "cells": [cells[key] for key in COLUMN_KEYS],
                "has_errors": bool(row.errors),
            }
        )
    return preview


def _set(job: RosterImport, **fields: Any) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    RosterImport.objects.filter(pk=job.pk).update(**fields)


def _progress(job: RosterImport) -> Callable[[int], None]:
    def report(done: int) -> None:
        RosterImport.objects.filter(pk=job.pk).update(processed_rows=done)

    return report


def roster_import_create(*, upload: UploadedFile, actor: User) -> RosterImport:
    """Store an uploaded roster as an import job and validate it (at once when it
    has at most ``SYNC_ROW_LIMIT`` rows, else in Celery).

    Raises ``RosterFileError`` (nothing stored) when the file as a whole is unusable.
    """
    if not RosterPolicy.allows(actor, "import"):
        raise DomainError(_("您没有导入代表名册的权限。"))
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise RosterFileError(_("文件不能超过 10 MB。"))
    upload.seek(0)
    estimate = estimate_rows(upload)
    upload.seek(0)
    if estimate is None:
        estimate = count_rows(upload)
        upload.seek(0)
    rows = None
    if estimate <= SYNC_ROW_LIMIT:
        # Small: parsed now, so a file without data rows is refused on the form.
        rows = parse_file(upload)
        upload.seek(0)
    original_name = upload.name or "roster.xlsx"
    # Stored under a random name: file names often carry personal names.
    upload.name = f"{uuid.uuid4().hex}.xlsx"
    job = RosterImport.objects.create(
        file=upload,
        original_name=original_name[:200],
        total_rows=len(rows) if rows is not None else estimate,
        created_by=actor,
        region_path=roster_region_path(actor),
    )
    if rows is not None:
        return _store_validation(job, rows, actor)
    from ..tasks import validate_roster_import

    _set(job, status=RosterImport.Status.VALIDATING)
    validate_roster_import.delay_on_commit(job.pk)
    return job


def roster_import_validate(
    *, job: RosterImport, user: User | None = None
) -> RosterImport:
    """Parse and check every row; store all errors (with Excel row numbers) and a
    preview of the first rows. Status becomes ``valid`` or ``invalid``."""
    user = user or job.created_by
    _set(job, status=RosterImport.Status.VALIDATING, processed_rows=0)
    try:
        with job.file.open("rb") as handle:
            rows = parse_file(handle, on_progress=_progress(job))
    except RosterFileError as exc:
        _set(
            job,
            status=RosterImport.Status.INVALID,
            errors=[{"row": None, "message": exc.message}],
        )
        return job
    return _store_validation(job, rows, user)


def _store_validation(
    job: RosterImport, rows: list[ParsedRow], user: User
) -> RosterImport:
    validate_rows(rows, user)
    errors = collect_errors(rows)
    _set(
        job,
        status=RosterImport.Status.INVALID if errors else RosterImport.Status.VALID,
        total_rows=len(rows),
        processed_rows=len(rows),
        errors=errors,
        preview=_preview(rows),
    )
    return job


class _Rejected(Exception):
    def __init__(self, errors: list[dict[str, Any]]):
        super().__init__("roster rejected")
        self.errors = errors


def roster_import_confirm(*, job: RosterImport, actor: User) -> RosterImport:
    """Start importing a validated job: small files at once, large ones in Celery.

    Only one request wins the ``valid`` → ``importing`` step, so a double click
    imports once.
    """
    if not RosterPolicy.allows(actor, "import"):
        raise DomainError(_("您没有导入代表名册的权限。"))
    claimed = RosterImport.objects.filter(
        pk=job.pk, status=RosterImport.Status.VALID
    ).update(status=RosterImport.Status.IMPORTING, processed_rows=0)
    job.refresh_from_db()
    if not claimed:
        if job.status in (RosterImport.Status.IMPORTING, RosterImport.Status.DONE):
            return job
        raise DomainError(_("该名册尚未通过校验，不能导入。"), conflict=True)
    if job.total_rows <= SYNC_ROW_LIMIT:
        return roster_import_commit(job=job, actor=actor)
    from ..tasks import commit_roster_import

    commit_roster_import.delay_on_commit(job.pk, actor.pk)
    return job


def roster_import_commit(*, job: RosterImport, actor: User) -> RosterImport:
    """Import every row or none.

    The file is parsed outside the transaction (with progress); inside one
    transaction the job is locked, the rows are checked again against the
    database as it is now, and persons, mandates and group memberships are
    written in bulk, with one audit row per congress. On any failure nothing
    is written and the job is ``failed`` with the reason.
    """
    if job.status == RosterImport.Status.DONE:
        return job
    try:
        with job.file.open("rb") as handle:
            rows = parse_file(handle, on_progress=_progress(job))
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(pk=job.pk)
            if locked.status != RosterImport.Status.IMPORTING:
                return locked
            lookups = validate_rows(rows, actor)
            errors = collect_errors(rows)
            if errors:
                raise _Rejected(errors)
            count = _write(rows, lookups, actor=actor, job=locked)
            _set(
                locked,
                status=RosterImport.Status.DONE,
                processed_rows=len(rows),
                total_rows=len(rows),
                imported_count=count,
                errors=[],
                finished_at=timezone.now(),
            )
    except _Rejected as exc:
        _fail(
            job,
            [
                {"row": None, "message": _("导入前复核发现以下问题，未写入任何数据。")},
                *exc.errors,
            ],
        )
        return job
    except RosterFileError as exc:
        _fail(job, [{"row": None, "message": exc.message}])
        return job
    except Exception as exc:
        logger.exception("roster import %s failed", job.pk)
        _fail(
            job,
            [
                {
                    "row": None,
                    "message": _("导入时发生错误，未写入任何数据：%(error)s")
                    % {"error": exc},
                }
            ],
        )
        return job
    job.refresh_from_db()
    # The data is in the database now; keep no second copy of personal numbers.
    job.file.delete(save=False)
    RosterImport.objects.filter(pk=job.pk).update(file="")
    return job


def _fail(job: RosterImport, errors: list[dict[str, Any]]) -> None:
    # Conditional, so a late failure never overwrites a finished import.
    RosterImport.objects.filter(pk=job.pk).exclude(
        status=RosterImport.Status.DONE
    ).update(
        status=RosterImport.Status.FAILED, errors=errors, finished_at=timezone.now()
    )
    job.refresh_from_db()


def roster_import_fail(*, job: RosterImport, reason: str) -> RosterImport:
    """Give up on a job that can no longer run (e.g. its user was deactivated)."""
    _fail(job, [{"row": None, "message": reason}])
    return job


_PERSON_UPDATE_FIELDS = (
    "gender",
    "ethnicity",
    "birth_date",
    "party",
    "education",
    "employer",
    "post",
    "occupation",
    "is_frontline",
    "mobile",
)
_NEW_PERSON_DEFAULTS: dict[str, Any] = {
    "ethnicity": "汉族",
    "birth_date": None,
    "party": "",
    "education": "",
    "employer": "",
    "post": "",
    "occupation": Occupation.OTHER,
    "is_frontline": False,
    "mobile": "",
}


def _write(
    rows: list[ParsedRow], lookups: Lookups, *, actor: User, job: RosterImport
) -> int:
    now = timezone.now()
    created: list[Person] = []
    new_person_of_row: dict[int, Person] = {}
    new_by_id_number: dict[str, Person] = {}
    # Known persons (matched by ID number): the roster's non-blank cells bring
    # their data up to date; blank cells keep what is stored.
    updates: dict[tuple[str, ...], list[Person]] = defaultdict(list)
    for row in rows:
        values = row.values
        given = {k: values[k] for k in _PERSON_UPDATE_FIELDS if values[k] is not None}
        if row.person_id is not None:
            updates[tuple(given)].append(
                Person(pk=row.person_id, updated_at=now, **given)
            )
            continue
        id_number = values["id_number"] or ""
        person = new_by_id_number.get(id_number) if id_number else None
        if person is None:
            # The same new person may appear once per level (county and city).
            person = Person(
                name=values["name"],
                name_stroke_key=stroke_sort_key(values["name"]),
                name_pinyin=pinyin_sort_key(values["name"]),
                id_number=id_number,
                **{**_NEW_PERSON_DEFAULTS, **given},
            )
            created.append(person)
            if id_number:
                new_by_id_number[id_number] = person
        new_person_of_row[row.number] = person

    if connection.features.can_return_rows_from_bulk_insert:
        Person.objects.bulk_create(created, batch_size=1000)
    else:  # pragma: no cover - backends that return no ids from bulk inserts
        for person in created:
            person.save()
    for row in rows:
        if row.number in new_person_of_row:
            row.person_id = new_person_of_row[row.number].pk
    for fields, persons in updates.items():
        Person.objects.bulk_update(persons, [*fields, "updated_at"], batch_size=500)

    mandates = [
        Mandate(
            person_id=row.person_id,
            congress=row.congress,
            term=row.term,
            card_number=row.values["card_number"],
            constituency=row.constituency,
            electing_congress=row.electing_congress,
            elected_by_army=row.elected_by_army,
            delegation=row.delegation,
            status=Mandate.Status.ACTIVE,
        )
        for row in rows
    ]
    Mandate.objects.bulk_create(mandates, batch_size=1000)
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(group=group, mandate=mandate)
            for row, mandate in zip(rows, mandates, strict=True)
            for group in row.groups
        ],
        batch_size=1000,
    )

    per_congress: dict[int, list[ParsedRow]] = defaultdict(list)
    for row in rows:
        per_congress[row.congress.pk].append(row)
    for congress_rows in per_congress.values():
        congress = congress_rows[0].congress
        new = sum(1 for r in congress_rows if r.number in new_person_of_row)
        audit_record(
            actor=actor,
            action="roster.import",
            target=job,
            to_state=RosterImport.Status.DONE,
            data={
                "file": job.original_name,
                "congress": congress.name,
                "terms": sorted({r.term.number for r in congress_rows}),
                "mandates": len(congress_rows),
                "persons_created": new,
                "persons_reused": len(congress_rows) - new,
            },
            region_path=congress.region.path,
        )
    return len(mandates)

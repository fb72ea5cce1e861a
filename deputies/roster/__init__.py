"""Roster import and export (DESIGN.md §3 "Roster import").

Staff keep their deputies in an Excel roster with the columns of ``COLUMNS``
(``columns``). An upload becomes a ``RosterImport`` job (``jobs``):

1. ``roster_import_create`` checks the file (format, header, row count) and
   validates it at once when it is small, else in Celery.
2. ``roster_import_validate`` parses every row (``parsing``, no queries), then
   checks the rows against the database with a constant number of batched
   queries (``lookups.Lookups``), and stores all row-numbered errors and a
   preview.
3. ``roster_import_confirm`` starts the commit; ``roster_import_commit`` parses
   again, re-checks against the database inside one transaction and writes
   every row or none (bulk inserts).

``excel.write_mandates`` writes the same columns, so an edited export can be
imported again (e.g. into the next term); ``exports`` writes it in the request
up to ``exports.EXPORT_SYNC_ROW_LIMIT`` rows, else as a ``MandateExport`` job
in Celery. Who may import is
``deputies.policies.RosterPolicy``; which jobs a user sees is
``RosterImport.objects.visible_to``.
"""

from .columns import COLUMN_KEYS, COLUMNS, HEADERS, SHEET_TITLE, Column, code_lists
from .excel import EXPORT_CHUNK_ROWS, export_mandates, template_workbook, write_mandates
from .exports import (
    export_file_name,
    export_runs_in_background,
    export_status,
    mandate_export_create,
    mandate_export_file,
    mandate_export_get,
    mandate_export_run,
    recent_exports,
)
from .jobs import (
    PREVIEW_ROWS,
    SYNC_ROW_LIMIT,
    roster_import_commit,
    roster_import_confirm,
    roster_import_create,
    roster_import_fail,
    roster_import_validate,
)
from .lookups import Lookups, collect_errors, validate_rows
from .parsing import (
    MAX_ROWS,
    MAX_UPLOAD_BYTES,
    ParsedRow,
    RosterFileError,
    clean_row,
    count_rows,
    estimate_rows,
    parse_date,
    parse_file,
    parse_term_number,
    read_rows,
)

__all__ = [
    "COLUMNS",
    "COLUMN_KEYS",
    "EXPORT_CHUNK_ROWS",
    "HEADERS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "PREVIEW_ROWS",
    "SHEET_TITLE",
    "SYNC_ROW_LIMIT",
    "Column",
    "Lookups",
    "ParsedRow",
    "RosterFileError",
    "clean_row",
    "code_lists",
    "collect_errors",
    "count_rows",
    "estimate_rows",
    "export_file_name",
    "export_mandates",
    "export_runs_in_background",
    "export_status",
    "mandate_export_create",
    "mandate_export_file",
    "mandate_export_get",
    "mandate_export_run",
    "parse_date",
    "parse_file",
    "parse_term_number",
    "read_rows",
    "recent_exports",
    "roster_import_commit",
    "roster_import_confirm",
    "roster_import_create",
    "roster_import_fail",
    "roster_import_validate",
    "template_workbook",
    "validate_rows",
    "write_mandates",
]

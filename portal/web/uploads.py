"""The one check of uploaded files: allowed kinds (by extension *and* by the
file's leading bytes, since the extension alone is not trusted), a size limit,
Chinese messages. Each form passes the limits its app configures."""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.forms.utils import pretty_name
from django.forms.widgets import ClearableFileInput, FileInput
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


@dataclass(frozen=True)
class FileKind:
    label: str  # as the user knows it: "JPG"
    extensions: tuple[str, ...]  # the first is the one a renamed file gets
    signatures: tuple[bytes, ...]  # accepted leading bytes


_ZIP = b"PK\x03\x04"  # DOCX and XLSX are ZIP containers
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Office (DOC)

KINDS: dict[str, FileKind] = {
    "jpeg": FileKind("JPG", ("jpg", "jpeg"), (b"\xff\xd8\xff",)),
    "png": FileKind("PNG", ("png",), (b"\x89PNG\r\n\x1a\n",)),
    "pdf": FileKind("PDF", ("pdf",), (b"%PDF-",)),
    "doc": FileKind("DOC", ("doc",), (_OLE,)),
    "docx": FileKind("DOCX", ("docx",), (_ZIP,)),
    "xlsx": FileKind("XLSX", ("xlsx",), (_ZIP,)),
}
IMAGES = ("jpeg", "png")

_MB = 1024 * 1024
_KB = 1024


def validate_upload(
    file: UploadedFile,
    *,
    kinds: Sequence[str],
    max_bytes: int,
    rename: bool = True,
) -> UploadedFile:
    """``file`` if it is one of ``kinds`` (keys of ``KINDS``) and at most
    ``max_bytes``; else a ``ValidationError`` (codes ``type``, ``size``,
    ``content``). It gets a random name with its kind's extension (every
    upload: file names carry people's names and are guessable, issue 15);
    ``rename=False`` keeps the name for a caller that needs it."""
    allowed = [KINDS[kind] for kind in kinds]
    name = file.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = next((k for k in allowed if extension in k.extensions), None)
    if kind is None:
        raise ValidationError(
            _("只能上传 %(types)s 文件。"),
            code="type",
            params={"types": _type_list(allowed)},
        )
    if file.size is not None and file.size > max_bytes:
        raise ValidationError(
            _("文件不能超过 %(size)s。"),
            code="size",
            params={"size": _size_label(max_bytes)},
        )
    head = file.read(max(len(s) for s in kind.signatures))
    file.seek(0)
    if not any(head.startswith(signature) for signature in kind.signatures):
        raise ValidationError(
            _("文件内容与扩展名不符，请上传真实的 %(types)s 文件。"),
            code="content",
            params={"types": _type_list(allowed)},
        )
    if rename:
        file.name = f"{uuid.uuid4().hex}.{kind.extensions[0]}"
    return file


def _type_list(kinds: Sequence[FileKind]) -> str:
    labels = [k.label for k in kinds]
    if len(labels) == 1:
        return labels[0]
    return _("%(items)s 或 %(last)s") % {
        "items": pgettext("list separator", "、").join(labels[:-1]),
        "last": labels[-1],
    }


def _size_label(size: int) -> str:
    if size % _MB == 0:
        return f"{size // _MB} MB"
    if size % _KB == 0:
        return f"{size // _KB} KB"
    return f"{size} B"


# --- files kept when a form comes back with an error (issue 18) ---------------------
#
# A browser never re-sends a file: when a form with a file field came back with
# an error elsewhere, the photo or reply file was silently lost while the banner
# said everything was still there. Now a form built on ``KeepsUploads`` stages
# each valid upload (``STAGING_DIR`` in the default storage) and its widget
# (``KeptFileInput``) renders a hidden field with a signed token naming the
# staged file and the form field, and says which file is kept. The next submit
# without a new file takes the staged one, which goes through the field's
# checks again (``validate_upload`` reads its leading bytes). Staged files older
# than ``STAGING_MAX_AGE`` are deleted by ``purge_staged_uploads`` (the
# ``portal.tasks.purge_staged_uploads`` beat job); a token older than that is
# ignored, so a purged file is never looked for.

STAGING_DIR = "upload-staging"
STAGING_MAX_AGE = 24 * 60 * 60  # a day: long enough to fix a form, not a store
KEPT_SUFFIX = "__kept"
_SALT = "portal.web.uploads.kept"


def _stage(file: UploadedFile, html_name: str, label: str) -> str:
    """Save ``file`` to the staging area; the signed token naming it."""
    name = file.name or ""
    extension = name.rsplit(".", 1)[-1].lower()[:8] if "." in name else "bin"
    file.seek(0)
    path = default_storage.save(f"{STAGING_DIR}/{uuid.uuid4().hex}.{extension}", file)
    file.seek(0)
    return signing.dumps({"p": path, "f": html_name, "n": label[:100]}, salt=_SALT)


def _unstage(token: str, html_name: str) -> UploadedFile | None:
    """The staged file of a valid ``token`` for the field ``html_name``, or None
    (forged, expired, for another field, or purged)."""
    try:
        data = signing.loads(token, salt=_SALT, max_age=STAGING_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("f") != html_name:
        return None
    path = str(data.get("p", ""))
    if not path.startswith(f"{STAGING_DIR}/") or ".." in path:
        return None
    if not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as handle:
        upload = SimpleUploadedFile(path.rsplit("/", 1)[-1], handle.read())
    upload.kept_token = token  # type: ignore[attr-defined]
    upload.kept_label = str(data.get("n", ""))  # type: ignore[attr-defined]
    return upload


class KeptFileInput(ClearableFileInput):
    """A file input that also posts the token of a file kept from the last
    submit, and takes that file when no new one is chosen."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.kept: tuple[str, str] | None = None  # (token, the file's name)

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        if not self.kept:
            return html
        token, label = self.kept
        return html + format_html(
            '<input type="hidden" name="{}" value="{}">'
            '<p class="helptext upload-kept" role="status">{}</p>',
            name + KEPT_SUFFIX,
            token,
            _("已保留上次上传的文件“%(name)s”，无需重新选择；选择新文件将替换它。")
            % {"name": label},
        )

    def value_from_datadict(self, data, files, name):
        upload = super().value_from_datadict(data, files, name)
        if upload is False:  # "clear" ticked
            return upload
        if upload:
            if not hasattr(upload, "kept_label"):
                # The user's own name, before validate_upload gives a random one.
                upload.kept_label = upload.name or ""
            return upload
        token = data.get(name + KEPT_SUFFIX)
        return _unstage(token, name) if token else upload


class KeepsUploads:
    """A form mixin (before the form base): its file fields keep a valid upload
    when the form comes back with an error, for the next submit.

    ``kept_uploads`` lists ``(field label, file name)`` of the files kept (the
    error banner names them), ``lost_uploads`` the labels of file fields whose
    upload was refused (they must be chosen again)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_uploads: list[tuple[str, str]] = []
        self.lost_uploads: list[str] = []
        for field in self.fields.values():  # type: ignore[attr-defined]
            if type(field.widget) in (ClearableFileInput, FileInput):
                field.widget = KeptFileInput(attrs=field.widget.attrs)

    def full_clean(self) -> None:
        self._cleaning = True
        try:
            super().full_clean()  # type: ignore[misc]
        finally:
            self._cleaning = False
        self._keep_uploads()

    def add_error(self, field, error) -> None:
        """Also after ``is_valid()``: a service's refusal (``apply_service_error``)
        sends the form back too, so its valid files are kept then."""
        super().add_error(field, error)  # type: ignore[misc]
        if not getattr(self, "_cleaning", True):
            self._keep_uploads()

    def _keep_uploads(self) -> None:
        errors = self._errors  # type: ignore[attr-defined]
        if not self.is_bound or not errors:  # type: ignore[attr-defined]
            return
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if not isinstance(field.widget, KeptFileInput) or field.widget.kept:
                continue
            field_label = str(field.label or pretty_name(name))
            if name in errors:
                if field_label not in self.lost_uploads:
                    self.lost_uploads.append(field_label)
                continue
            upload = self.cleaned_data.get(name)  # type: ignore[attr-defined]
            if not upload or not hasattr(upload, "read"):
                continue
            label = getattr(upload, "kept_label", "") or upload.name or ""
            token = getattr(upload, "kept_token", None) or _stage(
                upload,
                self.add_prefix(name),  # type: ignore[attr-defined]
                label,
            )
            field.widget.kept = (token, label)
            self.kept_uploads.append((field_label, label))


def purge_staged_uploads(*, older_than: int = STAGING_MAX_AGE) -> int:
    """Delete staged files older than ``older_than`` seconds; how many went."""
    try:
        _dirs, names = default_storage.listdir(STAGING_DIR)
    except FileNotFoundError:
        return 0
    cutoff = time.time() - older_than
    removed = 0
    for name in names:
        path = f"{STAGING_DIR}/{name}"
        if default_storage.get_modified_time(path).timestamp() < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed

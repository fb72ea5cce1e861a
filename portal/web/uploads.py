"""The one check of uploaded files: allowed kinds (by extension *and* by the
file's leading bytes, since the extension alone is not trusted), a size limit,
Chinese messages. Each form passes the limits its app configures."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
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

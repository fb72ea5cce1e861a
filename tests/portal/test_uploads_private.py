"""Uploads are private and stored under random names (issue 15)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve

from portal.web import validate_upload

PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


def test_media_url_is_not_served_in_any_mode():
    with pytest.raises(Resolver404):
        resolve("/media/deputies/evidence/2026/x.pdf")


def test_every_upload_gets_a_random_name():
    upload = SimpleUploadedFile("张三的身份证.png", PNG, content_type="image/png")
    validate_upload(upload, kinds=("png",), max_bytes=1024)
    assert "张三" not in upload.name
    assert upload.name.endswith(".png") and len(upload.name) == 36

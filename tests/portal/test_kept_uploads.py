"""portal.web.uploads.KeepsUploads: a valid upload survives a form's error,
through a signed token for that field only; staged files are purged."""

import os
import time

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict

from portal.web import IMAGES, KeepsUploads, PortalForm, validate_upload
from portal.web.uploads import STAGING_DIR, purge_staged_uploads

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


class PhotoForm(KeepsUploads, PortalForm):
    title = forms.CharField(error_messages={"required": "请填写标题。"})
    photo = forms.FileField(required=False)
    other = forms.FileField(required=False)

    def clean_photo(self):
        upload = self.cleaned_data.get("photo")
        return (
            validate_upload(upload, kinds=IMAGES, max_bytes=10_000) if upload else None
        )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _files(**files):
    return MultiValueDict({k: [v] for k, v in files.items()})


def _token(form, name="photo"):
    return form.fields[name].widget.kept[0]


def test_a_valid_upload_is_kept_and_taken_back():
    photo = SimpleUploadedFile("我家.jpg", JPEG)
    form = PhotoForm({"title": ""}, _files(photo=photo))
    assert not form.is_valid()
    assert form.kept_uploads == [("Photo", "我家.jpg")]
    assert 'name="photo__kept"' in str(form["photo"])
    again = PhotoForm({"title": "标题", "photo__kept": _token(form)}, _files())
    assert again.is_valid()
    assert again.cleaned_data["photo"].read() == JPEG


def test_a_token_is_for_its_field_only():
    form = PhotoForm({"title": ""}, _files(photo=SimpleUploadedFile("a.jpg", JPEG)))
    form.is_valid()
    other = PhotoForm({"title": "x", "other__kept": _token(form)}, _files())
    assert other.is_valid() and other.cleaned_data["other"] is None


def test_a_new_file_replaces_the_kept_one():
    form = PhotoForm({"title": ""}, _files(photo=SimpleUploadedFile("a.jpg", JPEG)))
    form.is_valid()
    newer = JPEG + b"new"
    again = PhotoForm(
        {"title": "x", "photo__kept": _token(form)},
        _files(photo=SimpleUploadedFile("b.jpg", newer)),
    )
    assert again.is_valid() and again.cleaned_data["photo"].read() == newer


def test_an_error_added_after_validation_keeps_the_file_too():
    form = PhotoForm({"title": "x"}, _files(photo=SimpleUploadedFile("a.jpg", JPEG)))
    assert form.is_valid()
    form.add_error(None, "服务拒绝")
    assert form.kept_uploads and form.fields["photo"].widget.kept


def test_purge_removes_old_staged_files(settings):
    form = PhotoForm({"title": ""}, _files(photo=SimpleUploadedFile("a.jpg", JPEG)))
    form.is_valid()
    folder = os.path.join(settings.MEDIA_ROOT, STAGING_DIR)
    (name,) = os.listdir(folder)
    assert purge_staged_uploads() == 0
    old = time.time() - 2 * 24 * 3600
    os.utime(os.path.join(folder, name), (old, old))
    assert purge_staged_uploads() == 1 and not os.listdir(folder)
    # The token of a purged file attaches nothing.
    again = PhotoForm({"title": "x", "photo__kept": _token(form)}, _files())
    assert again.is_valid() and again.cleaned_data["photo"] is None


def test_the_purge_is_on_the_beat_schedule(settings):
    from portal.settings import CELERY_BEAT_SCHEDULE

    assert "portal.tasks.purge_staged_uploads" in {
        e["task"] for e in CELERY_BEAT_SCHEDULE.values()
    }

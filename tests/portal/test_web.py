"""portal.web: the one upload check, the one service-error adapter and the one
public submission form (bot challenge and per-address rate limit)."""

import time

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.services import DomainError
from portal.web import (
    IMAGES,
    PortalForm,
    PublicSubmissionForm,
    apply_service_error,
    validate_upload,
)

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%%EOF\n"


def _messages(excinfo) -> list[str]:
    return [str(m) for m in excinfo.value.messages]


# --- validate_upload ----------------------------------------------------------------------


def test_upload_of_an_allowed_kind_is_returned_and_rewound():
    photo = SimpleUploadedFile("门口.jpg", JPEG, content_type="image/jpeg")
    assert validate_upload(photo, kinds=IMAGES, max_bytes=1024) is photo
    assert photo.name != "门口.jpg" and photo.name.endswith(".jpg")  # random (issue 15)
    assert photo.read() == JPEG  # the check read the head and rewound


def test_upload_can_be_renamed_to_a_random_name_with_its_kinds_extension():
    photo = SimpleUploadedFile("张三家门口.JPEG", JPEG)
    validate_upload(photo, kinds=IMAGES, max_bytes=1024, rename=True)
    assert photo.name.endswith(".jpg") and "张三" not in photo.name


def test_upload_too_big_is_refused_with_the_limit():
    big = SimpleUploadedFile("a.pdf", PDF + b"0" * 2048)
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(big, kinds=("pdf",), max_bytes=2 * 1024)
    assert excinfo.value.code == "size"
    assert _messages(excinfo) == ["文件不能超过 2 KB。"]
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(
            SimpleUploadedFile("a.pdf", PDF + b"0" * (5 * 1024 * 1024)),
            kinds=("pdf",),
            max_bytes=5 * 1024 * 1024,
        )
    assert _messages(excinfo) == ["文件不能超过 5 MB。"]


def test_upload_disguised_by_its_extension_is_refused():
    exe_as_pdf = SimpleUploadedFile(
        "报告.pdf", b"MZ\x90\x00", content_type="application/pdf"
    )
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(exe_as_pdf, kinds=("pdf", "doc", "docx"), max_bytes=1024)
    assert excinfo.value.code == "content"
    assert _messages(excinfo) == [
        "文件内容与扩展名不符，请上传真实的 PDF、DOC 或 DOCX 文件。"
    ]
    jpeg_as_png = SimpleUploadedFile("a.png", JPEG, content_type="image/png")
    with pytest.raises(ValidationError, match="文件内容与扩展名不符"):
        validate_upload(jpeg_as_png, kinds=IMAGES, max_bytes=1024)


def test_upload_of_another_kind_is_refused_by_its_extension():
    gif = SimpleUploadedFile("a.gif", b"GIF89a" + b"\x00" * 10)
    with pytest.raises(ValidationError) as excinfo:
        validate_upload(gif, kinds=IMAGES, max_bytes=1024)
    assert excinfo.value.code == "type"
    assert _messages(excinfo) == ["只能上传 JPG 或 PNG 文件。"]
    with pytest.raises(ValidationError, match="只能上传 XLSX 文件。"):
        validate_upload(SimpleUploadedFile("名册", PNG), kinds=("xlsx",), max_bytes=1)


# --- apply_service_error -----------------------------------------------------------------


class _NameForm(PortalForm):
    name = forms.CharField()


class _DateForm(PortalForm):
    on = forms.DateField()


def _bound(form_class=_NameForm, **data):
    form = form_class(data or {"name": "x", "on": "2026-03-02"})
    assert form.is_valid()
    return form


def test_domain_error_with_a_field_lands_next_to_it():
    form = _bound()
    apply_service_error(form, DomainError("名称已被使用。", field="name"))
    assert form.errors == {"name": ["名称已被使用。"]}


def test_domain_error_without_a_known_field_is_a_non_field_error():
    form = _bound()
    apply_service_error(form, DomainError("须先确定主办单位。", field="units"))
    apply_service_error(form, DomainError("该事项已办结。"))
    assert form.non_field_errors() == ["须先确定主办单位。", "该事项已办结。"]
    assert "name" not in form.errors


def test_validation_error_dict_goes_field_by_field():
    form = _bound()
    apply_service_error(
        form,
        ValidationError({"name": ["太长了。"], "mobile": ["手机号码无效。"]}),
    )
    assert form.errors["name"] == ["太长了。"]
    assert form.non_field_errors() == ["手机号码无效。"]


def test_validation_error_without_fields_is_a_non_field_error():
    form = _bound()
    apply_service_error(form, ValidationError(["一。", "二。"]))
    assert form.non_field_errors() == ["一。", "二。"]


def test_errors_go_to_the_form_showing_the_field_when_a_page_has_several():
    first, second = _bound(), _bound(_DateForm)
    apply_service_error(
        first, ValidationError({"on": ["日期不对。"], "x": ["别的。"]}), second
    )
    assert second.errors == {"on": ["日期不对。"]}
    assert first.non_field_errors() == ["别的。"]


def test_portal_form_drops_the_colon_and_uses_the_date_picker():
    form = _DateForm()
    assert form.label_suffix == ""
    html = str(form["on"])
    assert 'type="date"' in html


# --- PublicSubmissionForm ---------------------------------------------------------------


class _Suggestion(PublicSubmissionForm):
    signing_salt = "tests.suggestion"
    rate_limit_scope = "tests_suggestion"

    text = forms.CharField()

    def __init__(self, *args, per_hour: int = 5, **kwargs):
        super().__init__(*args, scope_id=7, **kwargs)
        self.per_hour = per_hour

    def submissions_per_hour(self) -> int:
        return self.per_hour


def _post(address="10.0.0.1", per_hour=5, **data):
    values = {
        "text": "村口路灯坏了",
        "website": "",
        "token": _stamp(),
    }
    values.update(data)
    return _Suggestion(values, address=address, per_hour=per_hour)


def test_public_form_serves_a_stamp_and_a_honeypot():
    form = _Suggestion()
    assert form.initial["token"]
    html = form.as_div()
    assert 'name="website"' in html and 'name="token"' in html


def test_public_form_passes_with_a_stamp_old_enough():
    form = _post()
    assert form.is_valid(), form.errors
    assert not form.challenge_failed and not form.rate_limited


def _stamp(scope_id=7, age=10.0):
    return _Suggestion.form_token(scope_id, issued_at=time.time() - age)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (lambda: {"website": "http://spam.example"}, "提交未成功，请稍后重试。"),
        (lambda: {"token": "forged"}, "页面已过期，请核对内容后再次提交。"),
        (lambda: {"token": _stamp(scope_id=8)}, "页面已过期，请核对内容后再次提交。"),
        (lambda: {"token": _stamp(age=0)}, "提交太快了，请核对内容后再次提交。"),
    ],
    ids=["honeypot", "forged", "other_scope", "too_fast"],
)
def test_public_form_challenge_fails(data, message):
    form = _post(**data())
    assert not form.is_valid()
    assert form.challenge_failed
    assert form.non_field_errors() == [message]


def test_public_form_reissues_an_unusable_stamp_and_keeps_a_usable_one():
    forged = _post(token="forged")
    forged.is_valid()
    assert forged.data["token"] != "forged"
    fresh = _stamp(age=0)
    fast = _post(token=fresh)
    fast.is_valid()
    assert fast.data["token"] == fresh  # resent a moment later, it passes


def test_public_form_rate_limit_hit_per_address():
    assert _post(per_hour=2).is_valid()
    assert _post(per_hour=2).is_valid()
    third = _post(per_hour=2)
    assert not third.is_valid()
    assert third.rate_limited
    assert third.non_field_errors() == ["提交过于频繁，请一小时后再试。"]
    assert _post(address="10.0.0.2", per_hour=2).is_valid()  # another address


def test_public_form_counts_bots_but_not_honest_mistakes():
    for _ in range(3):
        assert not _post(per_hour=2, text="").is_valid()  # a typo: not counted
    assert _post(per_hour=2).is_valid()
    bot = _post(per_hour=2, website="http://spam.example")
    assert not bot.is_valid() and not bot.rate_limited  # counted: the second
    over = _post(per_hour=2, website="http://spam.example")
    assert not over.is_valid() and over.rate_limited


def test_bound_public_form_needs_the_address():
    with pytest.raises(TypeError):
        _Suggestion({"text": "x"})

"""The public opinion form keeps a valid photo when it comes back with an error
(issue 18: the photo was silently dropped while the banner said everything was
still there)."""

import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from stations.forms import OpinionForm
from stations.models import Opinion

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _data(station, **overrides):
    data = {
        "name": "张三",
        "phone": "13812345678",
        "category": "transport",
        "content": "村口道路坑洼，雨天积水严重，请尽快修复。",
        "website": "",
        "token": OpinionForm.form_token(station.pk, issued_at=time.time() - 10),
    }
    data.update(overrides)
    return data


def test_photo_is_kept_and_attached_on_the_next_submit(client, sw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("stations:opinion_new", args=[sw.station.pk])
    photo = SimpleUploadedFile("门口.jpg", JPEG, content_type="image/jpeg")
    first = client.post(url, _data(sw.station, content="太短", photo=photo))
    assert first.status_code == 400
    html = first.content.decode()
    assert "照片（可不传）“门口.jpg”已保留" in html
    assert "已填写的内容都还在" not in html  # the banner tells the truth
    assert html.count('role="alert"') == 1
    token = re.search(r'name="photo__kept" value="([^"]+)"', html).group(1)
    second = client.post(url, _data(sw.station, photo__kept=token))
    assert second.status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.photo and opinion.photo.read() == JPEG
    assert "门口" not in opinion.photo.name


def test_a_refused_photo_is_said_to_be_chosen_again(client, sw, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("stations:opinion_new", args=[sw.station.pk])
    bad = SimpleUploadedFile("a.png", JPEG)
    html = client.post(url, _data(sw.station, photo=bad)).content.decode()
    assert "照片（可不传）未能保留，请重新选择文件。" in html
    assert "photo__kept" not in html

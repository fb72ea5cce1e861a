"""Paper documents of a round: ballot, tally sheet, announcement, with Chinese text."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from livelihood_votes import services
from tests.livelihood_votes.conftest import cast_votes, open_round

pytestmark = pytest.mark.django_db


def _text(pdf: bytes, tmp_path) -> str:
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(  # noqa: S603
        [shutil.which("pdftotext") or "pdftotext", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


@pytest.mark.parametrize(
    ("kind", "title"),
    [("ballot", "民生实事项目票决选票"), ("tally", "民生实事项目票决计票单")],
)
def test_paper_ballot_and_tally_sheet(client, lw, personas, tmp_path, kind, title):
    vote_round = open_round(lw, mode="paper")
    client.force_login(personas.township_staff)
    response = client.get(
        reverse("livelihood:round_document", args=[vote_round.pk, kind])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content, tmp_path)
    assert title in text.replace(" ", "")
    assert "候选项目1" in text
    if kind == "ballot":
        assert "最多画7个" in text.replace(" ", "")


def test_announcement_after_close(client, lw, personas, tmp_path):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(40, [0, 1, 2, 3, 4, 5, 6])])
    client.force_login(personas.township_staff)
    url = reverse("livelihood:round_document", args=[vote_round.pk, "announcement"])
    assert client.get(url).status_code == 404  # not before the close
    services.round_close(vote_round=vote_round, actor=None)
    text = _text(client.get(url).content, tmp_path).replace(" ", "")
    assert "民生实事项目票决结果（第1轮）" in text
    assert "收回选票40张" in text
    assert "当选" in text and "候选项目1" in text


def test_documents_are_for_the_congress_staff_only(client, lw, personas):
    vote_round = open_round(lw, mode="paper")
    url = reverse("livelihood:round_document", args=[vote_round.pk, "ballot"])
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(lw.users[0])
    assert client.get(url).status_code == 403
    client.force_login(personas.township_staff)
    assert client.get(url.replace("ballot.pdf", "other.pdf")).status_code == 404

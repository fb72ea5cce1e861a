"""Public projections pass the one privacy scrub (portal/privacy.py): the public
programme page, the anonymous results API and idea tracking never show phone
numbers, ID numbers or e-mails typed into free text, and the page and the API
show the same scrubbed result. Staff pages keep the text as typed."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from livelihood_votes import selectors, services
from livelihood_votes.models import Project
from portal.privacy import MASK
from tests.livelihood_votes.conftest import cast_votes, open_round

pytestmark = pytest.mark.django_db

MOBILE = "13912345678"
ID_NUMBER = "430102198001011234"
EMAIL = "zhang.san@example.com"
PERSONAL = f"联系人电话{MOBILE}，身份证{ID_NUMBER}，邮箱{EMAIL}"


def _leaks(text: str) -> list[str]:
    return [secret for secret in (MOBILE, ID_NUMBER, EMAIL) if secret in text]


@pytest.fixture
def decided(lw):
    """The first candidate's title and description and a progress note carry
    personal data; the vote is decided."""
    first = lw.candidates[0]
    first.title = f"修建文化广场（{MOBILE}）"
    first.description = f"建设内容。{PERSONAL}"
    first.save(update_fields=["title", "description"])
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    project = Project.objects.get(candidate=first)
    services.project_submit_plan(
        project=project,
        plan="分两期实施",
        start_date=date(2026, 12, 1),
        planned_end=date(2027, 6, 30),
        actor=None,
    )
    services.progress_report(
        project=project,
        date=date(2026, 12, 20),
        progress=10,
        money_paid=Decimal("5.00"),
        note=f"已开工。{PERSONAL}",
        actor=None,
    )
    return vote_round


def test_public_programme_page_is_scrubbed(client, lw, decided):
    response = client.get(
        reverse("livelihood:public_programme", args=[lw.programme.pk])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert _leaks(html) == []
    assert "修建文化广场" in html and "建设内容。" in html and "已开工。" in html
    assert MASK in html


def test_public_project_page_is_scrubbed(client, lw, decided):
    project = Project.objects.get(candidate=lw.candidates[0])
    response = client.get(reverse("livelihood:public_project", args=[project.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert _leaks(html) == []
    assert "修建文化广场" in html and "建设内容。" in html and "已开工。" in html
    assert MASK in html


def test_public_results_api_and_page_show_the_same_scrubbed_result(client, lw, decided):
    response = client.get(f"/api/v1/public/livelihood-results/{decided.pk}/")
    assert response.status_code == 200 and _leaks(response.content.decode()) == []
    page = selectors.public_programme(lw.programme)
    assert page["results"][0] == response.json() | {"number": 1, "mode": "电子表决"}
    titles = [row["title"] for row in response.json()["candidates"]]
    assert f"修建文化广场（{MASK}）" in titles


def test_staff_see_the_text_as_typed(client, lw, decided, personas):
    client.force_login(personas.township_staff)
    project = Project.objects.get(candidate=lw.candidates[0])
    html = client.get(reverse("livelihood:project", args=[project.pk])).content.decode()
    assert MOBILE in html and EMAIL in html
    api = client.get(f"/api/v1/livelihood/rounds/{decided.pk}/results/")
    assert MOBILE in api.content.decode()


def test_idea_tracking_is_scrubbed_but_keeps_its_code(client, lw):
    idea = services.idea_submit(
        programme=lw.programme,
        title=f"路灯，联系{MOBILE}",
        description="村道晚上没有路灯。",
        phone=MOBILE,
        actor=None,
    )
    services.idea_screen(
        idea=idea,
        accept=False,
        reason=f"属负面清单事项，请联系{EMAIL}",
        actor=None,
    )
    tracked = selectors.idea_tracking(idea.tracking_code)
    assert tracked is not None and tracked["tracking_code"] == idea.tracking_code
    response = client.get(
        reverse("livelihood:idea_track") + f"?code={idea.tracking_code}"
    )
    html = response.content.decode()
    assert response.status_code == 200 and _leaks(html) == []
    assert idea.tracking_code in html and "属负面清单事项" in html
    assert "初筛未通过" in html

"""代表评 with the same sign-in (签到), quorum and paper reconciliation as the vote:
draft → open only with the quorum signed in, ratings only from signed-in
deputies (403), paper ballots returned ≤ signed in and each project's three
counts ≤ returned; the grading base locked at open; the staff sign-in page and
the deputy's check-in page shared with rounds."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from livelihood_votes import services
from livelihood_votes.models import (
    EvaluationAttendance,
    EvaluationParticipation,
    EvaluationRound,
    Project,
    SatisfactionBallot,
)
from portal.models import RuleSet
from portal.services import DomainError, Forbidden, TransitionError
from tests.livelihood_votes.conftest import cast_votes, open_evaluation, open_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def projects(lw):
    vote_round = open_round(lw)
    cast_votes(vote_round, lw, [(52, [0, 1, 2, 3, 4, 5, 6])])
    services.round_close(vote_round=vote_round, actor=None)
    return list(Project.objects.filter(programme=lw.programme).order_by("pk"))


@pytest.fixture
def draft(lw, projects):
    return services.evaluation_create(
        programme=lw.programme, mode="electronic", actor=None
    )


def _sign_in(evaluation, lw, count):
    return services.evaluation_attendance_record(
        evaluation=evaluation, mandates=lw.deputies[:count], actor=None
    )


def _all(projects, choice):
    return {p.pk: choice for p in projects}


# --- services ---------------------------------------------------------------------


def test_evaluation_starts_with_the_sign_in(lw, draft, projects):
    assert draft.status == EvaluationRound.Status.DRAFT
    assert len(draft.check_in_code) == 6 and draft.check_in_code.isdigit()
    _sign_in(draft, lw, 52)
    with pytest.raises(TransitionError, match="测评未在进行中"):
        services.evaluation_cast(
            evaluation=draft, actor=lw.users[0], choices=_all(projects, "satisfied")
        )
    assert not SatisfactionBallot.objects.exists()


def test_evaluation_opens_only_with_the_quorum_signed_in(lw, draft):
    assert _sign_in(draft, lw, 34) == 34
    with pytest.raises(
        TransitionError,
        match="已签到代表34人，不足全体代表52人的2/3，不能开始测评。",
    ):
        services.evaluation_open(evaluation=draft, actor=None)
    assert EvaluationRound.objects.get(pk=draft.pk).status == "draft"
    _sign_in(draft, lw, 35)
    opened = services.evaluation_open(evaluation=draft, actor=None)
    assert opened.status == "open" and opened.present == 35
    assert opened.rules["quorum"] == "2/3" and opened.rules["grade_base"] == "all"
    # Idempotent.
    assert services.evaluation_open(evaluation=opened, actor=None).status == "open"


def test_only_signed_in_deputies_rate(lw, draft, projects):
    _sign_in(draft, lw, 40)
    evaluation = services.evaluation_open(evaluation=draft, actor=None)
    late = lw.users[45]
    with pytest.raises(Forbidden, match="您尚未签到"):
        services.evaluation_cast(
            evaluation=evaluation, actor=late, choices=_all(projects, "satisfied")
        )
    assert not EvaluationParticipation.objects.exists()
    wrong = f"{(int(evaluation.check_in_code) + 1) % 10**6:06d}"
    with pytest.raises(DomainError, match="签到码不正确") as exc:
        services.evaluation_check_in(evaluation=evaluation, code=wrong, actor=late)
    assert exc.value.field == "code"
    assert services.evaluation_check_in(
        evaluation=evaluation, code=evaluation.check_in_code, actor=late
    )
    assert not services.evaluation_check_in(
        evaluation=evaluation, code=evaluation.check_in_code, actor=late
    )
    services.evaluation_cast(
        evaluation=evaluation, actor=late, choices=_all(projects, "satisfied")
    )
    assert EvaluationParticipation.objects.filter(round=evaluation).count() == 1


def test_staff_sign_in_refuses_a_deputy_of_another_congress(lw, draft, world):
    from datetime import date

    from portal.models import Term
    from tests.factories import make_mandate

    Term.objects.create(
        congress=world.county_congress,
        number=18,
        start_date=date(2026, 9, 25),
        end_date=date(2031, 9, 24),
        is_current=True,
    )
    stranger = make_mandate(world.county_congress, "县代表")
    with pytest.raises(DomainError, match="县代表不是本级人民代表大会在任的代表"):
        services.evaluation_attendance_record(
            evaluation=draft, mandates=[stranger], actor=None
        )
    assert not EvaluationAttendance.objects.exists()


def test_paper_ballots_returned_reconcile_with_the_sign_in(lw, projects):
    evaluation = open_evaluation(lw, mode="paper", present=40)
    counts = {p.pk: (20, 10, 5) for p in projects}
    with pytest.raises(ValidationError) as exc:
        services.evaluation_enter_paper(
            evaluation=evaluation, returned=41, counts=counts, actor=None
        )
    assert exc.value.message_dict["returned"] == [
        "收回测评票41张，多于已签到代表40人，请核对。"
    ]
    over = {**counts, projects[0].pk: (30, 10, 1)}
    with pytest.raises(ValidationError) as exc:
        services.evaluation_enter_paper(
            evaluation=evaluation, returned=40, counts=over, actor=None
        )
    title = projects[0].candidate.title
    assert exc.value.message_dict["counts"] == [
        f"“{title}”的满意、基本满意、不满意票数之和超过收回票数（40张），请核对。"
    ]
    with pytest.raises(DomainError, match="请先录入纸质测评票数"):
        services.evaluation_close(evaluation=evaluation, actor=None)
    services.evaluation_enter_paper(
        evaluation=evaluation, returned=40, counts=counts, actor=None
    )
    assert EvaluationRound.objects.get(pk=evaluation.pk).ballots_returned == 40
    services.evaluation_close(evaluation=evaluation, actor=None)
    # 20 satisfied of 52 is no majority; 30 (with 基本满意) is: 基本满意.
    assert set(Project.objects.values_list("grade", flat=True)) == {
        "basically_satisfied"
    }


def test_paper_counts_wait_for_the_opening(lw, projects):
    evaluation = services.evaluation_create(
        programme=lw.programme, mode="paper", actor=None
    )
    with pytest.raises(TransitionError, match="测评尚未开始"):
        services.evaluation_enter_paper(
            evaluation=evaluation,
            returned=0,
            counts={p.pk: (0, 0, 0) for p in projects},
            actor=None,
        )


def test_grading_base_present_is_locked_when_the_evaluation_opens(lw, projects):
    rule_set = RuleSet.objects.create(
        congress=lw.congress,
        name="桃花乡规则",
        values={"livelihood_grade_base": "present"},
    )
    evaluation = open_evaluation(lw, mode="paper", present=36)
    assert evaluation.rules["grade_base"] == "present"
    # Changing the rule after the opening does not change how it is judged.
    rule_set.values = {"livelihood_grade_base": "all"}
    rule_set.save()
    services.evaluation_enter_paper(
        evaluation=evaluation,
        returned=36,
        counts={p.pk: (19, 0, 17) for p in projects},
        actor=None,
    )
    closed = services.evaluation_close(evaluation=evaluation, actor=None)
    # 19 > 36 / 2 (present) although 19 < 52 / 2 (all deputies).
    assert set(Project.objects.values_list("grade", flat=True)) == {"satisfied"}
    assert closed.rules["grade_of"] == 36


def test_electronic_close_shuffles_and_keeps_the_sign_in(lw, draft, projects):
    _sign_in(draft, lw, 45)
    evaluation = services.evaluation_open(evaluation=draft, actor=None)
    for user in lw.users[:30]:
        services.evaluation_cast(
            evaluation=evaluation, actor=user, choices=_all(projects, "satisfied")
        )
    services.evaluation_close(evaluation=evaluation, actor=None)
    # The sign-in says who was present (45), not who rated (30) nor how.
    assert EvaluationAttendance.objects.filter(round=evaluation).count() == 45
    assert EvaluationParticipation.objects.filter(round=evaluation).count() == 30
    assert {f.name for f in EvaluationAttendance._meta.get_fields()} == {
        "id",
        "round",
        "mandate",
        "method",
        "created_at",
    }
    assert set(Project.objects.values_list("grade", flat=True)) == {"satisfied"}


# --- pages --------------------------------------------------------------------------


def _attendance(evaluation):
    return reverse("livelihood:evaluation_attendance", args=[evaluation.pk])


def _evaluate(evaluation):
    return reverse("livelihood:evaluate", args=[evaluation.pk])


def _check_in(evaluation):
    return reverse("livelihood:evaluation_check_in", args=[evaluation.pk])


def test_staff_sign_in_page_shows_the_code_and_signs_in(client, lw, personas, draft):
    _sign_in(draft, lw, 3)
    client.force_login(personas.township_staff)
    html = client.get(_attendance(draft)).content.decode()
    assert "满意度测评签到" in html
    assert f'lv-code--large lv-mono">{draft.check_in_code}<' in html
    assert '<span class="lv-signin-board__num">35</span>' in html  # quorum
    assert html.count('name="present"') == 49
    assert f'action="{_attendance(draft)}"' in html
    response = client.post(
        _attendance(draft), {"present": [m.pk for m in lw.deputies[3:10]]}
    )
    assert response.status_code == 302
    assert EvaluationAttendance.objects.filter(round=draft).count() == 10


def test_sign_in_page_forbidden_and_not_found(client, lw, personas, draft):
    client.force_login(lw.users[0])
    assert client.get(_attendance(draft)).status_code == 403
    client.force_login(personas.other_county_staff)
    assert client.get(_attendance(draft)).status_code == 404
    client.force_login(personas.county_staff)  # reads, does not act
    assert client.get(_attendance(draft)).status_code == 403
    client.force_login(personas.township_staff)
    assert client.put(_attendance(draft)).status_code == 405


def test_programme_page_links_the_sign_in_and_the_opening(client, lw, personas, draft):
    client.force_login(personas.township_staff)
    html = client.get(
        reverse("livelihood:programme", args=[lw.programme.pk])
    ).content.decode()
    assert f'href="{_attendance(draft)}"' in html
    assert reverse("livelihood:evaluation_open", args=[draft.pk]) in html
    assert "已签到 0 人（法定人数 35 人）" in html


def test_deputy_checks_in_on_the_phone_then_rates(client, lw, draft, projects):
    _sign_in(draft, lw, 40)
    evaluation = services.evaluation_open(evaluation=draft, actor=None)
    late = lw.users[50]
    client.force_login(late)
    page = client.get(_evaluate(evaluation))
    html = page.content.decode()
    assert page.status_code == 200 and "请先签到" in html
    assert f'action="{_check_in(evaluation)}"' in html
    assert evaluation.check_in_code not in html
    cast = client.post(
        _evaluate(evaluation),
        {f"p{p.pk}": "satisfied" for p in projects} | {"step": "cast"},
    )
    assert cast.status_code == 403 and 'name="code"' in cast.content.decode()
    assert not EvaluationParticipation.objects.exists()
    wrong = client.post(_check_in(evaluation), {"code": "000000"})
    if evaluation.check_in_code != "000000":
        assert wrong.status_code == 400 and "签到码不正确" in wrong.content.decode()
    right = client.post(_check_in(evaluation), {"code": evaluation.check_in_code})
    assert right.status_code == 302 and right["Location"] == _evaluate(evaluation)
    assert "基本满意" in client.get(_evaluate(evaluation)).content.decode()


def test_signed_in_deputy_waits_for_the_opening(client, lw, draft):
    _sign_in(draft, lw, 1)
    client.force_login(lw.users[0])
    html = client.get(_evaluate(draft)).content.decode()
    assert "测评尚未开始" in html
    my = client.get(reverse("livelihood:my_votes")).content.decode()
    assert "您已签到，测评开始后即可参加" in my
    client.force_login(lw.users[1])
    my = client.get(reverse("livelihood:my_votes")).content.decode()
    assert f'href="{_evaluate(draft)}"' in my and "签到" in my

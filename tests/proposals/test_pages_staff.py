"""Congress staff's and leaders' pages: the list, the review queue with
register / return / reject / merge, the one-form assignment, the overdue board
with urges, extension and return decisions with reassignment, the callback
sample and key supervision. Leaders read everything in scope but may not act."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.services import role_grant_create
from proposals import services
from proposals.models import (
    Assignment,
    Evaluation,
    KeySupervisionItem,
    Suggestion,
    Urge,
)
from tests.factories import HandlingUnitFactory, UserFactory
from tests.proposals.conftest import assigned, draft, registered, replied

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def submitted(pw, **extra):
    suggestion = draft(pw, **extra)
    return services.suggestion_submit(suggestion=suggestion, actor=None)


def overdue_assignment(pw, world, title, unit=None):
    suggestion = draft(pw, title=title)
    services.suggestion_submit(suggestion=suggestion, actor=None)
    services.suggestion_register(suggestion=suggestion, actor=None)
    services.suggestion_assign(
        suggestion=suggestion,
        units=[(unit or world.unit, "lead")],
        today=TODAY() - timedelta(days=100),
        actor=None,
    )
    return suggestion.assignments.get()


def assert_constant(client, url, add_rows, django_assert_num_queries, marker, expected):
    add_rows(1)
    client.get(url)  # warm the session (renewed at most once a minute)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_rows(2)
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert response.content.decode().count(marker) == expected
    return len(few)


# --- the list and the review queue ------------------------------------------------------------------


def test_manage_lists_the_region_without_drafts(client, pw, personas):
    shown = submitted(pw)
    hidden = draft(pw, title="关于尚未提交的建议")
    client.force_login(personas.county_staff)
    response = client.get(reverse("proposals:manage"))
    html = response.content.decode()
    assert response.status_code == 200
    assert shown.title in html and hidden.title not in html
    client.force_login(personas.other_county_staff)
    assert shown.title not in client.get(reverse("proposals:manage")).content.decode()


def test_manage_filters(client, pw, personas):
    first = submitted(pw)
    second = submitted(pw, title="关于改善乡镇中小学食堂条件的建议")
    services.suggestion_register(suggestion=second, actor=None)
    client.force_login(personas.county_staff)
    url = reverse("proposals:manage")
    html = client.get(url, {"status": "registered"}).content.decode()
    assert second.title in html and first.title not in html
    html = client.get(url, {"q": "食堂"}).content.decode()
    assert second.title in html and first.title not in html
    html = client.get(
        url, {"congress": pw.congress.pk, "year": first.year}
    ).content.decode()
    assert first.title in html and second.title in html


@pytest.mark.parametrize(
    ("persona", "code"), [("deputy", 403), ("unit_staff", 403), ("leader", 200)]
)
def test_staff_pages_are_for_governing_users(client, pw, personas, persona, code):
    client.force_login(getattr(personas, persona))
    for name in ("manage", "review", "overdue", "requests", "callbacks", "key_list"):
        assert client.get(reverse(f"proposals:{name}")).status_code == code, name


def test_staff_pages_need_login_and_get(client, pw, personas):
    for name in ("manage", "review", "overdue", "requests", "key_list"):
        response = client.get(reverse(f"proposals:{name}"))
        assert (
            response.status_code == 302 and reverse("login") in response["Location"]
        ), name
    client.force_login(personas.county_staff)
    for name in ("manage", "review", "overdue", "requests", "key_list"):
        assert client.post(reverse(f"proposals:{name}")).status_code == 405, name


def test_manage_query_count_is_constant(
    client, pw, world, personas, django_assert_num_queries
):
    client.force_login(personas.county_staff)

    def add(n):
        for i in range(n):
            assigned(
                pw, world, title=f"关于第{Suggestion.objects.count()}件事的建议{i}"
            )

    assert_constant(
        client,
        reverse("proposals:manage"),
        add,
        django_assert_num_queries,
        'class="p-title-cell"',
        3,
    )


def test_review_queue_oldest_first_with_actions(client, pw, personas):
    older = submitted(pw, title="关于较早提交的建议")
    newer = submitted(pw, title="关于较晚提交的建议")
    client.force_login(personas.county_staff)
    html = client.get(reverse("proposals:review")).content.decode()
    assert html.index(older.title) < html.index(newer.title)
    assert reverse("proposals:register", args=[older.pk]) in html
    client.force_login(personas.leader)
    html = client.get(reverse("proposals:review")).content.decode()
    assert (
        older.title in html
        and reverse("proposals:register", args=[older.pk]) not in html
    )


def test_review_query_count_is_constant(
    client, pw, personas, django_assert_num_queries
):
    client.force_login(personas.county_staff)

    def add(n):
        for i in range(n):
            submitted(pw, title=f"关于第{Suggestion.objects.count()}件事的建议{i}")

    assert_constant(
        client,
        reverse("proposals:review"),
        add,
        django_assert_num_queries,
        'class="p-queue__title"',
        3,
    )


# --- register, return, reject, merge -----------------------------------------------------------------


def test_register_from_the_queue_returns_to_it(client, pw, personas):
    suggestion = submitted(pw)
    client.force_login(personas.county_staff)
    queue = reverse("proposals:review")
    response = client.post(
        reverse("proposals:register", args=[suggestion.pk]), {"next": queue}
    )
    assert response.status_code == 302 and response["Location"] == queue
    suggestion.refresh_from_db()
    assert suggestion.status == "registered" and suggestion.number == 1
    page = client.get(queue).content.decode()
    assert "已立案，编号〔" in page


@pytest.mark.parametrize(
    ("persona", "code"),
    [
        ("leader", 403),
        ("deputy", 403),
        ("other_county_staff", 404),
        ("unit_staff", 404),
        ("county_staff", 302),
    ],
)
def test_register_matrix(client, pw, personas, persona, code):
    suggestion = submitted(pw)
    client.force_login(getattr(personas, persona))
    assert (
        client.post(reverse("proposals:register", args=[suggestion.pk])).status_code
        == code
    )


def test_register_refuses_get(client, pw, personas):
    suggestion = submitted(pw)
    client.force_login(personas.county_staff)
    assert (
        client.get(reverse("proposals:register", args=[suggestion.pk])).status_code
        == 405
    )


def test_return_needs_a_reason(client, pw, personas):
    suggestion = submitted(pw)
    client.force_login(personas.county_staff)
    url = reverse("proposals:return", args=[suggestion.pk])
    response = client.post(url, {"ret-reason": ""})
    assert response.status_code == 400 and "必填" in response.content.decode()
    response = client.post(url, {"ret-reason": "请补充调研数据"})
    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert (
        suggestion.status == "returned" and suggestion.status_reason == "请补充调研数据"
    )
    client.force_login(personas.deputy)
    assert (
        "请补充调研数据"
        in client.get(
            reverse("proposals:detail", args=[suggestion.pk])
        ).content.decode()
    )


def test_reject_and_a_second_register_is_refused(client, pw, personas):
    suggestion = submitted(pw)
    client.force_login(personas.county_staff)
    client.post(
        reverse("proposals:reject", args=[suggestion.pk]),
        {"rej-reason": "属于市级事权"},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == "not_registered"
    response = client.post(
        reverse("proposals:register", args=[suggestion.pk]), follow=True
    )
    assert "不能立案" in response.content.decode()


def test_merge_into_a_similar_one(client, pw, personas):
    target = registered(pw)
    duplicate = submitted(pw, title="关于加强农村公路养护工作的建议")
    client.force_login(personas.county_staff)
    url = reverse("proposals:merge", args=[duplicate.pk])
    page = client.get(url).content.decode()
    assert target.title in page
    response = client.post(url, {"into": target.pk})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == target
    client.force_login(personas.leader)
    assert client.post(url, {"into": target.pk}).status_code == 403


# --- assign ----------------------------------------------------------------------------------------


def test_assign_form_shows_units_and_the_default_due_date(client, pw, world, personas):
    suggestion = registered(pw)
    client.force_login(personas.county_staff)
    response = client.get(reverse("proposals:assign", args=[suggestion.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert world.unit.name in html and world.other_unit.name in html
    assert world.other_county_unit.name not in html
    assert "3个月" in html


def test_assign_lead_and_co_in_one_form(client, pw, world, personas):
    suggestion = registered(pw)
    client.force_login(personas.county_staff)
    response = client.post(
        reverse("proposals:assign", args=[suggestion.pk]),
        {"mode": "lead", "lead_unit": world.unit.pk, "co_units": [world.other_unit.pk]},
    )
    assert response.status_code == 302
    roles = dict(
        Assignment.objects.filter(suggestion=suggestion).values_list("unit_id", "role")
    )
    assert roles == {world.unit.pk: "lead", world.other_unit.pk: "co"}


def test_assign_split(client, pw, world, personas):
    suggestion = registered(pw)
    client.force_login(personas.county_staff)
    client.post(
        reverse("proposals:assign", args=[suggestion.pk]),
        {"mode": "split", "split_units": [world.unit.pk, world.other_unit.pk]},
    )
    assert set(
        Assignment.objects.filter(suggestion=suggestion).values_list("role", flat=True)
    ) == {"split"}


def test_assign_errors_in_chinese(client, pw, world, personas):
    suggestion = registered(pw)
    client.force_login(personas.county_staff)
    url = reverse("proposals:assign", args=[suggestion.pk])
    response = client.post(url, {"mode": "lead", "co_units": [world.other_unit.pk]})
    assert (
        response.status_code == 400
        and "须确定且只能确定一个主办单位" in response.content.decode()
    )
    response = client.post(
        url,
        {
            "mode": "lead",
            "lead_unit": world.unit.pk,
            "due_date": (TODAY() + timedelta(days=400)).isoformat(),
        },
    )
    assert response.status_code == 400 and "6个月以内" in response.content.decode()
    assert not Assignment.objects.exists()


def test_assign_permissions(client, pw, world, personas):
    suggestion = registered(pw)
    url = reverse("proposals:assign", args=[suggestion.pk])
    client.force_login(personas.leader)
    assert client.get(url).status_code == 403
    assert (
        client.post(url, {"mode": "lead", "lead_unit": world.unit.pk}).status_code
        == 403
    )
    client.force_login(personas.other_county_staff)
    assert client.get(url).status_code == 404
    client.force_login(personas.county_staff)
    assert client.delete(url).status_code == 405


# --- overdue board and urges ----------------------------------------------------------------------


def test_overdue_board_groups_by_unit(client, pw, world, personas):
    late = overdue_assignment(pw, world, "关于逾期一的建议")
    other = overdue_assignment(pw, world, "关于逾期二的建议", unit=world.other_unit)
    on_time = assigned(pw, world, title="关于按期办理的建议")
    client.force_login(personas.county_staff)
    html = client.get(reverse("proposals:overdue")).content.decode()
    assert world.unit.name in html and world.other_unit.name in html
    assert late.suggestion.title in html and other.suggestion.title in html
    assert on_time.title not in html
    days = (TODAY() - late.due_date).days
    assert f'<td class="num p-overdue">{days}</td>' in html
    client.force_login(personas.other_county_staff)
    assert (
        late.suggestion.title
        not in client.get(reverse("proposals:overdue")).content.decode()
    )


def test_urge_from_the_board(client, pw, world, personas):
    late = overdue_assignment(pw, world, "关于逾期的建议")
    board = reverse("proposals:overdue")
    client.force_login(personas.county_staff)
    response = client.post(
        reverse("proposals:urge", args=[late.pk]), {"note": "请尽快答复", "next": board}
    )
    assert response.status_code == 302 and response["Location"] == board
    assert Urge.objects.get(assignment=late).note == "请尽快答复"
    client.force_login(personas.leader)
    assert client.post(reverse("proposals:urge", args=[late.pk])).status_code == 403
    client.force_login(personas.other_unit_staff)
    assert client.post(reverse("proposals:urge", args=[late.pk])).status_code == 404
    client.force_login(personas.county_staff)
    assert client.get(reverse("proposals:urge", args=[late.pk])).status_code == 405


def test_overdue_query_count_is_constant(
    client, pw, world, personas, django_assert_num_queries
):
    client.force_login(personas.county_staff)
    units = [world.unit, world.other_unit] + [
        HandlingUnitFactory(region=world.county) for _ in range(2)
    ]

    def add(n):
        for i in range(n):
            count = Assignment.objects.count()
            overdue_assignment(
                pw,
                world,
                f"关于逾期第{count}件的建议{i}",
                unit=units[count % len(units)],
            )

    assert_constant(
        client,
        reverse("proposals:overdue"),
        add,
        django_assert_num_queries,
        "p-overdue",
        3,
    )


# --- extension and return requests ----------------------------------------------------------------


def test_extension_request_approved_from_the_requests_page(client, pw, world, personas):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    new_due = lead.due_date + timedelta(days=30)
    request = services.assignment_request_extension(
        assignment=lead, new_due_date=new_due, reason="需协调资金", actor=None
    )
    client.force_login(personas.county_staff)
    page = client.get(reverse("proposals:requests")).content.decode()
    assert "需协调资金" in page
    response = client.post(
        reverse("proposals:extension_decide", args=[request.pk]), {"approve": "1"}
    )
    assert response.status_code == 302
    lead.refresh_from_db()
    assert lead.due_date == new_due


def test_decisions_permissions(client, pw, world, personas):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    request = services.assignment_request_extension(
        assignment=lead,
        new_due_date=lead.due_date + timedelta(days=5),
        reason="r",
        actor=None,
    )
    url = reverse("proposals:extension_decide", args=[request.pk])
    client.force_login(personas.leader)
    assert client.post(url, {"approve": "1"}).status_code == 403
    for persona in ("other_county_staff", "unit_staff"):
        client.force_login(getattr(personas, persona))
        assert client.post(url, {"approve": "1"}).status_code == 404, persona
    client.force_login(personas.county_staff)
    assert client.get(url).status_code == 405


def test_return_approved_then_reassigned(client, pw, world, personas):
    suggestion = assigned(pw, world)
    lead = suggestion.assignments.get(role="lead")
    request = services.assignment_request_return(
        assignment=lead, reason="不属于本单位职责", actor=None
    )
    client.force_login(personas.county_staff)
    html = client.get(reverse("proposals:requests"), {"tab": "return"}).content.decode()
    assert "不属于本单位职责" in html
    client.post(
        reverse("proposals:return_decide", args=[request.pk]),
        {"approve": "1", "note": "同意"},
    )
    lead.refresh_from_db()
    assert lead.status == "returned"
    html = client.get(
        reverse("proposals:requests"), {"tab": "reassign"}
    ).content.decode()
    assert reverse("proposals:reassign", args=[lead.pk]) in html
    third = HandlingUnitFactory(name="湘源县发展和改革局", region=world.county)
    page = client.get(reverse("proposals:reassign", args=[lead.pk])).content.decode()
    assert (
        third.name in page and f'value="{world.other_unit.pk}"' not in page
    )  # already a co-unit
    response = client.post(
        reverse("proposals:reassign", args=[lead.pk]), {"unit": third.pk}
    )
    assert response.status_code == 302
    assert suggestion.assignments.live().get(role="lead").unit == third
    html = client.get(
        reverse("proposals:requests"), {"tab": "reassign"}
    ).content.decode()
    assert reverse("proposals:reassign", args=[lead.pk]) not in html


def test_requests_query_count_is_constant(
    client, pw, world, personas, django_assert_num_queries
):
    client.force_login(personas.county_staff)

    def add(n):
        for i in range(n):
            suggestion = assigned(
                pw, world, title=f"关于第{Suggestion.objects.count()}件事的建议{i}"
            )
            lead = suggestion.assignments.get(role="lead")
            services.assignment_request_extension(
                assignment=lead,
                new_due_date=lead.due_date + timedelta(days=9),
                reason="需要时间",
                actor=None,
            )

    assert_constant(
        client,
        reverse("proposals:requests"),
        add,
        django_assert_num_queries,
        "extensions/",
        3,
    )


# --- callbacks --------------------------------------------------------------------------------------


def rated(pw, world, personas, title):
    suggestion = replied(pw, world, personas, title=title)
    services.suggestion_evaluate(
        suggestion=suggestion,
        actor=personas.deputy,
        result="satisfied",
        attitude="satisfied",
    )
    return suggestion


def test_callback_sample_and_record(client, pw, world, personas):
    suggestion = rated(pw, world, personas, "关于满意的建议")
    client.force_login(personas.county_staff)
    url = reverse("proposals:callbacks")
    response = client.post(
        url, {"congress": pw.congress.pk, "year": suggestion.year, "size": 5}
    )
    assert response.status_code == 302
    evaluation = Evaluation.objects.get(suggestion=suggestion)
    assert evaluation.callback_flagged
    html = client.get(response["Location"]).content.decode()
    assert suggestion.title in html and "记录回访" in html
    client.post(
        reverse("proposals:callback_record", args=[evaluation.pk]),
        {"note": "代表确认满意", "finding": "confirmed"},
    )
    evaluation.refresh_from_db()
    assert (
        evaluation.callback_note == "代表确认满意" and evaluation.result == "satisfied"
    )
    assert evaluation.callback_finding == "confirmed"


def test_callback_permissions(client, pw, world, personas):
    suggestion = rated(pw, world, personas, "关于满意的建议")
    services.evaluations_sample_for_callback(
        congress=pw.congress, year=suggestion.year, size=1, actor=None
    )
    evaluation = Evaluation.objects.get()
    client.force_login(personas.leader)
    assert (
        client.post(
            reverse("proposals:callbacks"),
            {"congress": pw.congress.pk, "year": 2026, "size": 1},
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("proposals:callback_record", args=[evaluation.pk]), {"note": "x"}
        ).status_code
        == 403
    )
    client.force_login(personas.other_county_staff)
    assert (
        client.post(
            reverse("proposals:callback_record", args=[evaluation.pk]), {"note": "x"}
        ).status_code
        == 404
    )


def test_callbacks_query_count_is_constant(
    client, pw, world, personas, django_assert_num_queries
):
    client.force_login(personas.county_staff)

    def add(n):
        for i in range(n):
            suggestion = rated(
                pw, world, personas, f"关于第{Suggestion.objects.count()}件事的建议{i}"
            )
            Evaluation.objects.filter(suggestion=suggestion).update(
                callback_flagged=True
            )

    assert_constant(
        client,
        reverse("proposals:callbacks"),
        add,
        django_assert_num_queries,
        "记录回访</button>",
        3,
    )


# --- key supervision ---------------------------------------------------------------------------------


def test_key_item_created_by_staff_and_led_by_the_leader(client, pw, world, personas):
    first = assigned(pw, world)
    client.force_login(personas.county_staff)
    page = client.get(reverse("proposals:key_create")).content.decode()
    assert personas.leader.get_full_name() in page and first.title in page
    response = client.post(
        reverse("proposals:key_create"),
        {
            "congress": pw.congress.pk,
            "year": first.year,
            "title": "农村公路养护",
            "leader": personas.leader.pk,
            "suggestions": [first.pk],
            "plan": "每季度实地督办一次",
        },
    )
    item = KeySupervisionItem.objects.get()
    assert response.status_code == 302 and item.leader == personas.leader
    client.force_login(personas.leader)
    html = client.get(reverse("proposals:key_list"), {"mine": "1"}).content.decode()
    assert "农村公路养护" in html
    html = client.get(reverse("proposals:key_detail", args=[item.pk])).content.decode()
    assert first.title in html and "记录督办活动" in html
    response = client.post(
        reverse("proposals:key_event", args=[item.pk]),
        {"kind": "visit", "date": TODAY().isoformat(), "notes": "实地查看村道"},
    )
    assert response.status_code == 302 and item.events.count() == 1
    client.post(
        reverse("proposals:key_evaluate", args=[item.pk]), {"evaluation": "督办有力"}
    )
    item.refresh_from_db()
    assert item.status == "evaluated"


def test_key_item_leader_must_lead_that_congress(client, pw, world, personas):
    first = assigned(pw, world)
    stranger = UserFactory()
    role_grant_create(
        user=stranger, role="leader", congress=world.province_congress, actor=None
    )
    client.force_login(personas.province_staff)
    response = client.post(
        reverse("proposals:key_create"),
        {
            "congress": pw.congress.pk,
            "year": first.year,
            "title": "x",
            "leader": stranger.pk,
            "suggestions": [first.pk],
        },
    )
    assert (
        response.status_code == 400
        and "所选领导不是该人民代表大会的领导" in response.content.decode()
    )


def test_key_item_permissions(client, pw, world, personas):
    first = assigned(pw, world)
    item = services.key_item_create(
        congress=pw.congress,
        year=first.year,
        title="督办",
        leader=personas.leader,
        suggestions=[first],
        actor=None,
    )
    client.force_login(personas.leader)
    assert client.get(reverse("proposals:key_create")).status_code == 403
    other_leader = UserFactory()
    role_grant_create(
        user=other_leader, role="leader", congress=pw.congress, actor=None
    )
    client.force_login(other_leader)
    assert (
        client.get(reverse("proposals:key_detail", args=[item.pk])).status_code == 200
    )
    assert (
        client.post(
            reverse("proposals:key_event", args=[item.pk]),
            {"kind": "visit", "date": TODAY().isoformat(), "notes": "x"},
        ).status_code
        == 403
    )
    for persona in ("other_county_staff", "deputy", "unit_staff"):
        client.force_login(getattr(personas, persona))
        assert (
            client.get(reverse("proposals:key_detail", args=[item.pk])).status_code
            == 404
        ), persona
    client.force_login(personas.county_staff)
    assert client.get(reverse("proposals:key_event", args=[item.pk])).status_code == 405


def test_admin_opens_every_assignment_and_key_item(client, api_as, pw, world, personas):
    """An admin sees every suggestion, so every assignment and key item too
    (governed_q is Q() for an admin, which an OR with the unit's or leader's
    own rows used to drop: 404 — the matrix's known bugs, issue 15)."""
    suggestion = assigned(pw, world)
    assignment = suggestion.assignments.get(role="lead")
    item = services.key_item_create(
        congress=pw.congress,
        year=suggestion.year,
        title="督办",
        leader=personas.leader,
        suggestions=[suggestion],
        actor=None,
    )
    client.force_login(personas.admin)
    for url in (
        reverse("proposals:assignment", args=[assignment.pk]),
        reverse("proposals:key_detail", args=[item.pk]),
    ):
        assert client.get(url).status_code == 200, url
    api = api_as(personas.admin)
    assert api.get(f"/api/v1/assignments/{assignment.pk}/").status_code == 200
    # Seeing is not acting for the unit: its steps stay the unit's own.
    assert (
        client.post(reverse("proposals:assignment_accept", args=[assignment.pk]))
    ).status_code == 403
    assert set(Assignment.objects.visible_to(personas.admin)) == set(
        Assignment.objects.all()
    )
    assert set(KeySupervisionItem.objects.visible_to(personas.admin)) == {item}


def test_key_list_query_count_is_constant(
    client, pw, world, personas, django_assert_num_queries
):
    client.force_login(personas.leader)
    first = assigned(pw, world)

    def add(n):
        for _ in range(n):
            services.key_item_create(
                congress=pw.congress,
                year=first.year,
                title=f"督办{KeySupervisionItem.objects.count()}",
                leader=personas.leader,
                suggestions=[first],
                actor=None,
            )

    assert_constant(
        client,
        reverse("proposals:key_list"),
        add,
        django_assert_num_queries,
        'class="p-title-cell"',
        3,
    )


# --- the detail page for staff and leaders ------------------------------------------------------------


def test_leader_reads_the_detail_without_action_buttons(client, pw, world, personas):
    suggestion = submitted(pw)
    client.force_login(personas.leader)
    html = client.get(
        reverse("proposals:detail", args=[suggestion.pk])
    ).content.decode()
    assert suggestion.title in html
    assert reverse("proposals:register", args=[suggestion.pk]) not in html
    client.force_login(personas.county_staff)
    html = client.get(
        reverse("proposals:detail", args=[suggestion.pk])
    ).content.decode()
    assert reverse("proposals:register", args=[suggestion.pk]) in html


def test_staff_see_internal_notes_units_only_their_own(client, pw, world, personas):
    suggestion = assigned(pw, world)
    co = suggestion.assignments.get(role="co")
    services.co_unit_opinion_send(
        assignment=co, text="协办单位内部意见：需要住建局配合", actor=None
    )
    url = reverse("proposals:detail", args=[suggestion.pk])
    client.force_login(personas.county_staff)
    assert "需要住建局配合" in client.get(url).content.decode()
    client.force_login(personas.other_unit_staff)  # the co-unit itself
    assert "需要住建局配合" in client.get(url).content.decode()
    client.force_login(personas.deputy)
    assert "需要住建局配合" not in client.get(url).content.decode()

"""Bills the session's presidium submits (大会主席团提出的议案, issue 13 §1): no lead
deputy, no co-signer threshold, on the agenda at once, then the vote; recorded
by the staff of the session's own congress only."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from portal.services import DomainError
from proposals import services
from proposals.models import Suggestion, SuggestionEvent

S = Suggestion.Status
URL = "/api/v1/suggestions/presidium-bill/"


def body(pw, **extra):
    return {
        "session": pw.session.pk,
        "title": "关于批准本级财政预算的议案",
        "problem": "本级财政预算草案需经大会审查批准。",
        "analysis": "依照预算法，预算草案由大会审查批准。",
        "proposals": "建议大会审查批准预算草案。",
        "document_number": "主席团〔2026〕2号",
        **extra,
    }


def test_presidium_bill_goes_on_the_agenda_without_a_lead(pw, api_as, personas):
    response = api_as(personas.county_staff).post(URL, body(pw), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "bill"
    assert data["proposer"] == "presidium"
    assert data["status"] == "on_agenda"
    assert data["lead"] is None
    assert data["lead_name"] == "大会主席团"
    assert data["bill_decision"] == "agenda"
    assert data["bill_document_number"] == "主席团〔2026〕2号"
    assert data["number"] is not None
    bill = Suggestion.objects.get(pk=data["id"])
    assert bill.congress == pw.congress and bill.session == pw.session
    # No deputy is credited: nobody led it.
    assert not pw.lead.ledger.exists()
    actions = list(
        SuggestionEvent.objects.filter(suggestion=bill)
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "submit", "bill_agenda"]


def test_presidium_bill_is_voted_and_final(pw, api_as, personas):
    client = api_as(personas.county_staff)
    pk = client.post(URL, body(pw), format="json").json()["id"]
    result = client.post(
        f"/api/v1/suggestions/{pk}/bill-result/", {"result": "adopted"}, format="json"
    )
    assert result.status_code == 200 and result.json()["status"] == "adopted"
    again = client.post(
        f"/api/v1/suggestions/{pk}/bill-result/",
        {"result": "not_adopted"},
        format="json",
    )
    assert again.status_code == 409


def test_presidium_bill_is_never_turned_into_a_suggestion(pw):
    bill = services.bill_submit_by_presidium(
        session=pw.session,
        title="议案",
        problem="问题",
        analysis="分析",
        proposals="方案",
        actor=None,
    )
    with pytest.raises(DomainError) as refused:
        services.bill_decide(suggestion=bill, decision="not_agenda", actor=None)
    assert "不作为代表建议处理" in refused.value.message
    bill.refresh_from_db()
    assert (bill.kind, bill.status) == ("bill", S.ON_AGENDA)


def test_staff_record_the_presidiums_withdrawal_before_the_vote(pw, api_as, personas):
    client = api_as(personas.county_staff)
    pk = client.post(URL, body(pw), format="json").json()["id"]
    # A deputy cannot withdraw what the presidium submitted (nor see it in the
    # API: deputies read the items they lead or co-sign).
    deputy = api_as(personas.deputy).post(f"/api/v1/suggestions/{pk}/withdraw/")
    assert deputy.status_code == 404
    # The province supervises, it does not act for the county's presidium.
    upper = api_as(personas.province_staff).post(f"/api/v1/suggestions/{pk}/withdraw/")
    assert upper.status_code == 403
    response = api_as(personas.county_staff).post(
        f"/api/v1/suggestions/{pk}/withdraw/", {"reason": "主席团撤回"}, format="json"
    )
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


def test_only_the_sessions_own_congress_records_it(pw, api_as, personas):
    before = Suggestion.objects.count()
    for persona in ("province_staff", "other_county_staff", "township_staff"):
        response = api_as(getattr(personas, persona)).post(URL, body(pw), format="json")
        assert response.status_code == 403, persona
    assert api_as(personas.deputy).post(URL, body(pw), format="json").status_code == 403
    assert (
        api_as(personas.unit_staff).post(URL, body(pw), format="json").status_code
        == 403
    )
    assert Suggestion.objects.count() == before


def test_who_may_not_record_one_gets_403_whatever_the_body(pw, api_as, personas):
    """Not congress staff: 403 before the body is read (as the page), not the
    form's field errors (the role × operation matrix posts ``{}``)."""
    for persona in ("nobody", "deputy", "unit_staff", "leader", "township_gov"):
        client = api_as(getattr(personas, persona))
        assert client.post(URL, {}, format="json").status_code == 403, persona
    assert api_as(personas.county_staff).post(URL, {}, format="json").status_code == 400


def test_bad_input_is_400_with_field_errors(pw, api_as, personas):
    client = api_as(personas.county_staff)
    missing = client.post(URL, {"session": pw.session.pk}, format="json")
    assert missing.status_code == 400
    assert {"title", "problem", "analysis", "proposals"} <= set(missing.json())
    unknown = client.post(URL, body(pw, session=10**9), format="json")
    assert unknown.status_code == 400 and "session" in unknown.json()
    huge = client.post(URL, body(pw, session=10**30), format="json")
    assert huge.status_code == 400 and "session" in huge.json()
    wrong = client.post(URL, body(pw, category="nonsense"), format="json")
    assert wrong.status_code == 400 and "category" in wrong.json()
    blank = client.post(URL, body(pw, title="   "), format="json")
    assert blank.status_code == 400 and "title" in blank.json()


def test_no_presidium_bill_after_the_session_closed(pw, api_as, personas):
    pw.session.start_date = timezone.localdate() - timedelta(days=10)
    pw.session.end_date = timezone.localdate() - timedelta(days=1)
    pw.session.bill_deadline = None
    pw.session.save()
    response = api_as(personas.county_staff).post(URL, body(pw), format="json")
    assert response.status_code == 400
    assert "已经闭幕" in response.json()["session"][0]


def test_only_the_presidium_goes_without_a_lead(pw):
    """The database refuses a leadless suggestion or a leadless deputies' bill."""
    for kind, proposer in (("suggestion", "presidium"), ("bill", "deputies")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Suggestion.objects.create(
                kind=kind,
                proposer=proposer,
                congress=pw.congress,
                term=pw.term,
                year=2026,
                title="t",
                problem="p",
                analysis="a",
                proposals="s",
                region_path=pw.congress.region.path,
            )


def test_presidium_bill_page(pw, client, personas):
    client.force_login(personas.county_staff)
    manage = client.get(reverse("proposals:manage"))
    assert reverse("proposals:presidium_bill") in manage.content.decode()
    page = client.get(reverse("proposals:presidium_bill"))
    assert page.status_code == 200
    assert pw.session.term.congress.name in page.content.decode()
    # A form error keeps what was typed and says what is missing, in Chinese.
    data = {**body(pw), "category": "other", "problem": ""}
    bad = client.post(reverse("proposals:presidium_bill"), data)
    assert bad.status_code == 400
    text = bad.content.decode()
    assert 'id="id_problem_error"><li>该字段是必填项。' in text
    assert "关于批准本级财政预算的议案" in text
    response = client.post(
        reverse("proposals:presidium_bill"), {**body(pw), "category": "other"}
    )
    assert response.status_code == 302
    bill = Suggestion.objects.get(proposer="presidium")
    detail = client.get(reverse("proposals:detail", args=[bill.pk]))
    assert detail.status_code == 200
    assert "大会主席团" in detail.content.decode()
    assert "记录表决结果" in detail.content.decode()
    listing = client.get(reverse("proposals:manage"))
    assert "大会主席团" in listing.content.decode()


def test_presidium_bill_page_who_may_not(pw, client, personas):
    url = reverse("proposals:presidium_bill")
    client.force_login(personas.deputy)
    assert client.get(url).status_code == 403
    client.force_login(personas.unit_staff)
    assert client.get(url).status_code == 403
    # The province may open the page but is offered no county session, and a
    # county session posted anyway is not a choice.
    client.force_login(personas.province_staff)
    page = client.get(url)
    assert page.status_code == 200
    assert f'value="{pw.session.pk}"' not in page.content.decode()
    response = client.post(url, {**body(pw), "category": "other"})
    assert response.status_code == 400
    assert not Suggestion.objects.filter(proposer="presidium").exists()
    # The leader reads the staff desk but acts on nothing.
    client.force_login(personas.leader)
    assert client.get(url).status_code == 403


def test_presidium_bill_is_listed_in_scope_only(pw, api_as, personas):
    pk = api_as(personas.county_staff).post(URL, body(pw), format="json").json()["id"]
    listing = api_as(personas.county_staff).get("/api/v1/suggestions/?kind=bill")
    assert listing.status_code == 200
    assert pk in [row["id"] for row in listing.json()["results"]]
    assert (
        api_as(personas.province_staff).get(f"/api/v1/suggestions/{pk}/").status_code
        == 200
    )
    assert (
        api_as(personas.other_county_staff)
        .get(f"/api/v1/suggestions/{pk}/")
        .status_code
        == 404
    )

"""A Hypothesis state machine drives random sequences of every action on
suggestions and checks that the workflow never reaches an illegal state."""

import contextlib
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from portal.services import DomainError
from proposals import services
from proposals.models import (
    Assignment,
    Commitment,
    Evaluation,
    Reply,
    Suggestion,
    SuggestionEvent,
)

pytestmark = pytest.mark.django_db
RATINGS = st.sampled_from(["satisfied", "basically_satisfied", "dissatisfied"])


def test_workflow_never_reaches_an_illegal_state(pw, world, personas):
    today = timezone.localdate()
    reached: set[str] = set()

    class Workflow(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.ids: list[int] = []

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def pick(self, index):
            return Suggestion.objects.get(pk=self.ids[index % len(self.ids)])

        def attempt(self, action, **kwargs):
            kwargs.setdefault("actor", None)
            with contextlib.suppress(
                DomainError
            ):  # a refusal with a reason is a legal outcome
                action(**kwargs)

        @precondition(lambda self: len(self.ids) < 3)
        @rule()
        def create(self):
            suggestion = services.suggestion_create(
                lead=pw.lead,
                title="关于农村公路养护的建议",
                problem="问题",
                analysis="分析",
                proposals="建议",
                research_activities=[pw.activity],
                actor=None,
            )
            self.ids.append(suggestion.pk)

        def _advance(self, i, rating):
            """The natural next step for the suggestion's state, so runs go deep."""
            suggestion = self.pick(i)
            step = {
                "draft": lambda: services.suggestion_submit(
                    suggestion=suggestion, actor=None
                ),
                "returned": lambda: services.suggestion_submit(
                    suggestion=suggestion, actor=None
                ),
                "submitted": lambda: services.suggestion_register(
                    suggestion=suggestion, actor=None
                ),
                "registered": lambda: services.suggestion_assign(
                    suggestion=suggestion, units=[(world.unit, "lead")], actor=None
                ),
                "replied": lambda: services.suggestion_evaluate(
                    suggestion=suggestion,
                    actor=personas.deputy,
                    result=rating,
                    attitude=rating,
                    comment="答复未解决实际问题",
                ),
            }.get(suggestion.status)
            if step is not None:
                self.attempt(lambda **_: step())
            elif suggestion.status in ("assigned", "rehandling"):
                for assignment in suggestion.assignments.live().filter(
                    role__in=["lead", "split"]
                ):
                    self.attempt(
                        services.assignment_contact,
                        assignment=assignment,
                        method="meeting",
                        date=today,
                        summary="面商",
                    )
                    self.attempt(
                        services.assignment_reply,
                        assignment=assignment,
                        category="B",
                        text="答复",
                        commitments=[
                            {"text": "承诺", "due_date": today + timedelta(days=9)}
                        ],
                    )

        @precondition(lambda self: self.ids)
        @rule(i=st.integers(0, 20), rating=RATINGS)
        def advance(self, i, rating):
            self._advance(i, rating)

        @precondition(lambda self: self.ids)
        @rule(i=st.integers(0, 20), rating=RATINGS)
        def advance_again(self, i, rating):
            self._advance(i, rating)

        @precondition(lambda self: self.ids)
        @rule(i=st.integers(0, 20))
        def submit(self, i):
            self.attempt(services.suggestion_submit, suggestion=self.pick(i))

        @precondition(lambda self: self.ids)
        @rule(
            i=st.integers(0, 20),
            choice=st.sampled_from(["register", "return", "reject"]),
        )
        def review(self, i, choice):
            suggestion = self.pick(i)
            if choice == "register":
                self.attempt(services.suggestion_register, suggestion=suggestion)
            elif choice == "return":
                self.attempt(
                    services.suggestion_return, suggestion=suggestion, reason="请修改"
                )
            else:
                self.attempt(
                    services.suggestion_reject, suggestion=suggestion, reason="不予立案"
                )

        @precondition(lambda self: self.ids)
        @rule(i=st.integers(0, 20), split=st.booleans())
        def assign(self, i, split):
            units = (
                [(world.unit, "split"), (world.other_unit, "split")]
                if split
                else [(world.unit, "lead"), (world.other_unit, "co")]
            )
            self.attempt(
                services.suggestion_assign, suggestion=self.pick(i), units=units
            )

        @precondition(lambda self: self.ids)
        @rule(
            i=st.integers(0, 20),
            j=st.integers(0, 3),
            contact=st.sampled_from([True, True, True, False]),
            category=st.sampled_from("ABCD"),
        )
        def reply(self, i, j, contact, category):
            assignments = list(self.pick(i).assignments.order_by("id"))
            if not assignments:
                return
            assignment = assignments[j % len(assignments)]
            if contact:
                self.attempt(
                    services.assignment_contact,
                    assignment=assignment,
                    method="phone",
                    date=today,
                    summary="沟通",
                )
            commitments = (
                [{"text": "承诺", "due_date": today + timedelta(days=30)}]
                if category in "BC"
                else []
            )
            self.attempt(
                services.assignment_reply,
                assignment=assignment,
                category=category,
                text="答复",
                commitments=commitments,
            )

        @precondition(lambda self: self.ids)
        @rule(i=st.integers(0, 20), result=RATINGS, attitude=RATINGS)
        def evaluate(self, i, result, attitude):
            self.attempt(
                services.suggestion_evaluate,
                suggestion=self.pick(i),
                actor=personas.deputy,
                result=result,
                attitude=attitude,
                comment="答复未解决实际问题",
            )

        @precondition(lambda self: self.ids)
        @rule(i=st.integers(0, 20))
        def complete_commitments(self, i):
            for commitment in Commitment.objects.filter(
                reply__assignment__suggestion_id=self.pick(i).pk, status="pending"
            ):
                services.commitment_complete(commitment=commitment, actor=None)

        @precondition(lambda self: self.ids)
        @rule(i=st.integers(0, 20))
        def withdraw(self, i):
            self.attempt(services.suggestion_withdraw, suggestion=self.pick(i))

        @invariant()
        def every_recorded_transition_is_allowed(self):
            for from_status, to_status in (
                SuggestionEvent.objects.exclude(from_state="")
                .exclude(to_state="")
                .values_list("from_state", "to_state")
            ):
                assert to_status in Suggestion.TRANSITIONS[from_status], (
                    from_status,
                    to_status,
                )

        @invariant()
        def states_agree_with_their_data(self):
            for suggestion in Suggestion.objects.filter(pk__in=self.ids):
                reached.add(suggestion.status)
                assert suggestion.status in Suggestion.Status.values
                assert suggestion.round <= 2
                if suggestion.status in (
                    "registered",
                    "assigned",
                    "replied",
                    "tracking",
                    "rehandling",
                    "closed",
                ):
                    assert suggestion.number is not None
                answering = suggestion.assignments.live().filter(
                    role__in=["lead", "split"]
                )
                if suggestion.status == "replied":
                    assert not answering.exclude(status="replied").exists()
                if suggestion.status == "withdrawn":
                    assert suggestion.first_replied_at is None
                if suggestion.status == "tracking":
                    # Until the deputy confirms each (回执), done or not.
                    assert Commitment.objects.filter(
                        reply__assignment__suggestion=suggestion,
                        confirmed_at__isnull=True,
                    ).exists()
                if suggestion.needs_supervision:
                    assert suggestion.status == "closed" and suggestion.round == 2
                    assert Evaluation.objects.filter(
                        suggestion=suggestion, round=2, result="dissatisfied"
                    ).exists()
                for number_of_ratings in Evaluation.objects.filter(
                    suggestion=suggestion
                ).values_list("round", flat=True):
                    assert number_of_ratings <= suggestion.round

        @invariant()
        def no_reply_without_contact_and_one_per_round(self):
            for reply in Reply.objects.select_related("assignment"):
                assert reply.assignment.contacts.exists()
                assert reply.assignment.role in ("lead", "split")
            assert (
                Assignment.objects.filter(role="co", replies__isnull=False).count() == 0
            )

    run_state_machine_as_test(
        Workflow,
        settings=settings(
            max_examples=30,
            stateful_step_count=40,
            deadline=None,
            derandomize=True,
            suppress_health_check=[
                HealthCheck.too_slow,
                HealthCheck.function_scoped_fixture,
            ],
        ),
    )
    # The exploration must get deep into the workflow, or the invariants prove little.
    assert {"submitted", "registered", "assigned", "replied", "closed"} <= reached, (
        reached
    )
    print("states reached:", sorted(reached))

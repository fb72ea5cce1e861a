"""Reply categories as the congress's rule set defines them (``reply_categories``
and ``reply_category_outcomes`` in ``portal/rules.py``): the form's choices, which
categories carry commitments and which count towards 办成. Read-only helpers
shared by services, forms, selectors and reports."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from portal.rules import Rules, rules_for

SOLVED = "solved"
IN_PROGRESS = "in_progress"
PLANNED = "planned"
EXPLAINED = "explained"
OUTCOMES = (SOLVED, IN_PROGRESS, PLANNED, EXPLAINED)
# Outcomes whose replies promise something with a due date (B, C by default).
WITH_COMMITMENTS = (IN_PROGRESS, PLANNED)


def _rules(rules_or_congress: Any) -> Rules:
    return (
        rules_or_congress
        if isinstance(rules_or_congress, Rules)
        else rules_for(rules_or_congress)
    )


def codes(rules_or_congress: Any) -> list[str]:
    """The category codes in a stable order: by canonical outcome (solved, in
    progress, planned, explained), then code. (Rule values are JSON: PostgreSQL
    keeps no key order, so the order is never read off the dict.)"""
    rules = _rules(rules_or_congress)
    return sorted(
        rules.reply_categories,
        key=lambda code: (OUTCOMES.index(outcome_of(rules, code)), code),
    )


def choices(rules_or_congress: Any) -> list[tuple[str, str]]:
    """(code, "A 已解决或基本解决"): the reply form's choices."""
    rules = _rules(rules_or_congress)
    table = rules.reply_categories
    # A default wording is in the catalogue (gettext_noop in portal.rules); an
    # edited one has no translation and shows as typed.
    return [(code, f"{code} {gettext(table[code])}") for code in codes(rules)]


def outcome_of(rules_or_congress: Any, code: str) -> str:
    """The canonical outcome of a category code (unknown → "explained")."""
    outcome = _rules(rules_or_congress).reply_category_outcomes.get(code, EXPLAINED)
    return outcome if outcome in OUTCOMES else EXPLAINED


def codes_with(rules_or_congress: Any, *outcomes: str) -> list[str]:
    """The category codes of the rule set whose outcome is one of ``outcomes``."""
    rules = _rules(rules_or_congress)
    return [code for code in codes(rules) if outcome_of(rules, code) in outcomes]


def needs_commitments(rules_or_congress: Any, code: str) -> bool:
    """B and C replies (in progress, planned) must carry dated commitments."""
    return outcome_of(rules_or_congress, code) in WITH_COMMITMENTS

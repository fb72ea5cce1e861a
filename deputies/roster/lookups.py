"""Checking parsed rows against the database with a constant number of batched
queries, whatever the number of rows (``Lookups``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from portal.chinese import localized_numeral
from portal.models import Congress, Term, User

from ..models import Constituency, Delegation, DeputyGroup, Mandate, Person
from ..policies import RosterPolicy
from ..services import DIRECTLY_ELECTED_LEVELS
from .parsing import ParsedRow


def _congress_name_variants(name: str) -> list[str]:
    if name.endswith("人大"):
        return [name, name[:-2] + "人民代表大会"]
    return [name]


def _term_label(term: Term) -> str:
    return _("%(congress)s第%(number)s届") % {
        "congress": term.congress.name,
        "number": localized_numeral(term.number),
    }


@dataclass
class Lookups:
    """Everything the rows are checked against, loaded in a fixed number of queries
    (congresses, terms, constituencies, delegations, groups, mandates of those
    terms, persons by ID number), whatever the number of rows."""

    user: User
    congresses: dict[str, list[Congress]]
    terms: dict[tuple[int, int], Term]
    constituencies: dict[tuple[int, str], Constituency]
    # (congress, name) → a congress one level below that elects into it.
    electing: dict[tuple[int, str], Congress]
    delegations: dict[tuple[int, str], Delegation]
    groups: dict[tuple[int, str], DeputyGroup]
    cards: set[tuple[int, str]]
    person_terms: set[tuple[int, int]]
    persons: dict[str, tuple[int, str]]
    # ID numbers of people registered outside the importer's region.
    registered_elsewhere: set[str]

    @classmethod
    def load(cls, user: User, rows: list[ParsedRow]) -> Lookups:
        names = {
            v for row in rows for v in _congress_name_variants(row.values["congress"])
        }
        by_name: dict[str, list[Congress]] = defaultdict(list)
        for congress in Congress.objects.filter(name__in=names).select_related(
            "region"
        ):
            by_name[congress.name].append(congress)
        managed = [
            c
            for group in by_name.values()
            for c in group
            if RosterPolicy.allows(user, "import_into", c)
        ]
        terms = {
            (t.congress_id, t.number): t
            for t in Term.objects.filter(congress__in=managed).select_related(
                "congress"
            )
        }
        constituencies = {
            (c.congress_id, c.name): c
            for c in Constituency.objects.filter(congress__in=managed)
        }
        electing: dict[tuple[int, str], Congress] = {}
        upper = {
            c.region_id: c for c in managed if c.level not in DIRECTLY_ELECTED_LEVELS
        }
        for below in Congress.objects.filter(
            region__parent_id__in=upper
        ).select_related("region"):
            parent = upper[below.region.parent_id]
            electing[(parent.pk, below.name)] = below
            electing.setdefault((parent.pk, below.region.name), below)
        delegations = {
            (d.term_id, d.name): d
            for d in Delegation.objects.filter(term__in=terms.values())
        }
        groups = {
            (g.congress_id, g.name): g
            for g in DeputyGroup.objects.filter(congress__in=managed)
        }
        cards: set[tuple[int, str]] = set()
        person_terms: set[tuple[int, int]] = set()
        for term_id, card, person_id in Mandate.objects.filter(
            term__in=terms.values()
        ).values_list("term_id", "card_number", "person_id"):
            cards.add((term_id, card))
            person_terms.add((term_id, person_id))
        id_numbers = {
            row.values["id_number"] for row in rows if row.values.get("id_number")
        }
        # Only people the importer may manage (a mandate in their region), or
        # people holding no mandate anywhere, are matched by ID number; anyone
        # else's row is refused without a word about them (issue 15: another
        # county's staff learned the name and overwrote the mobile and employer).
        persons: dict[str, tuple[int, str]] = {}
        elsewhere: set[str] = set()
        if id_numbers:
            for pk, number, person_name, may_match in (
                Person.objects.filter(id_number__in=id_numbers)
                .annotate(
                    may_match=Exists(
                        Mandate.objects.manageable_by(user).filter(
                            person=OuterRef("pk")
                        )
                    )
                    | ~Exists(Mandate.objects.filter(person=OuterRef("pk")))
                )
                .values_list("pk", "id_number", "name", "may_match")
            ):
                if may_match:
                    persons[number] = (pk, person_name)
                else:
                    elsewhere.add(number)
        return cls(
            user=user,
            congresses=by_name,
            terms=terms,
            constituencies=constituencies,
            electing=electing,
            delegations=delegations,
            groups=groups,
            cards=cards,
            person_terms=person_terms,
            persons=persons,
            registered_elsewhere=elsewhere,
        )

    def congress_named(self, name: str) -> tuple[Congress | None, str]:
        found = [
            c for n in _congress_name_variants(name) for c in self.congresses.get(n, [])
        ]
        managed = [c for c in found if RosterPolicy.allows(self.user, "import_into", c)]
        if len(managed) == 1:
            return managed[0], ""
        if len(managed) > 1:
            return None, _("有多个名为“%(name)s”的人民代表大会，请联系系统管理员。") % {
                "name": name
            }
        return None, _("未知或无权管理的人民代表大会“%(name)s”。") % {"name": name}

    def _check_electoral_unit(self, row: ParsedRow, congress: Congress) -> None:
        """The 选区（选举单位）cell: a constituency of a county or township congress;
        for the city level and above the electing congress one level below
        (by its name or its region's) or the army (解放军)."""
        name = row.values["constituency"]
        if congress.level in DIRECTLY_ELECTED_LEVELS:
            if not name:
                row.error(_("县、乡两级人大代表须填写选区。"))
                return
            row.constituency = self.constituencies.get((congress.pk, name))
            if row.constituency is None:
                row.error(
                    _("选区“%(name)s”不是%(congress)s已登记的选区。")
                    % {"name": name, "congress": congress.name}
                )
            return
        if not name:
            row.error(
                _(
                    "设区的市级以上人大代表须填写原选举单位"
                    "（下一级人民代表大会或解放军选举单位）。"
                )
            )
        elif "解放军" in name:
            row.elected_by_army = True
        else:
            row.electing_congress = self.electing.get((congress.pk, name))
            if row.electing_congress is None:
                row.error(
                    _("原选举单位“%(name)s”不是%(congress)s下一级的人民代表大会。")
                    % {"name": name, "congress": congress.name}
                )

    def check(self, rows: list[ParsedRow]) -> None:
        """Resolve names to rows of the database and add cross-row and database errors."""
        seen_cards: dict[tuple[Any, str], int] = {}
        seen_ids: dict[str, tuple[int, str]] = {}
        seen_id_terms: dict[tuple[Any, str], int] = {}
        for row in rows:
            values = row.values
            if values["congress"]:
                row.congress, message = self.congress_named(values["congress"])
                if message:
                    row.error(message)
            congress, number = row.congress, values["term"]
            if congress is not None and number is not None:
                row.term = self.terms.get((congress.pk, number))
                if row.term is None:
                    row.error(
                        _("%(congress)s没有第%(number)s届。")
                        % {
                            "congress": congress.name,
                            "number": localized_numeral(number),
                        }
                    )
            if congress is not None:
                self._check_electoral_unit(row, congress)
            if row.term is not None and values["delegation"]:
                row.delegation = self.delegations.get(
                    (row.term.pk, values["delegation"])
                )
                if row.delegation is None:
                    row.error(
                        _("%(term)s没有代表团“%(name)s”。")
                        % {"term": _term_label(row.term), "name": values["delegation"]}
                    )
            if congress is not None:
                for name in values["groups"]:
                    group = self.groups.get((congress.pk, name))
                    if group is None:
                        row.error(
                            _("代表小组“%(name)s”不是%(congress)s的代表小组。")
                            % {"name": name, "congress": congress.name}
                        )
                    else:
                        row.groups.append(group)

            card = values["card_number"]
            if card:
                key = (
                    row.term.pk if row.term else (values["congress"], values["term"]),
                    card,
                )
                if key in seen_cards:
                    row.error(
                        _("代表证号“%(card)s”与第%(row)s行重复。")
                        % {"card": card, "row": seen_cards[key]}
                    )
                else:
                    seen_cards[key] = row.number
                if row.term is not None and (row.term.pk, card) in self.cards:
                    row.error(
                        _("代表证号“%(card)s”在%(term)s已被使用。")
                        % {"card": card, "term": _term_label(row.term)}
                    )

            id_number = values["id_number"]
            if id_number:
                # One person may hold mandates at several levels, so the same ID
                # number may appear once per term, always with the same name.
                term_key = (
                    row.term.pk if row.term else (values["congress"], values["term"])
                )
                if (term_key, id_number) in seen_id_terms:
                    row.error(
                        _("身份证号码与第%(row)s行重复。")
                        % {"row": seen_id_terms[(term_key, id_number)]}
                    )
                else:
                    seen_id_terms[(term_key, id_number)] = row.number
                first = seen_ids.setdefault(id_number, (row.number, values["name"]))
                if first[1] != values["name"]:
                    row.error(
                        _("身份证号码与第%(row)s行相同，但姓名不一致。")
                        % {"row": first[0]}
                    )
                if id_number in self.registered_elsewhere:
                    row.error(
                        _(
                            "该身份证号码已由其他人大登记，不在您的管理范围内，"
                            "不能在此导入；同一人在多级任代表的，请由管理其代表"
                            "资格的人大代表工作机构登记。"
                        )
                    )
                known = self.persons.get(id_number)
                if known is not None:
                    row.person_id, known_name = known
                    if values["name"] and known_name != values["name"]:
                        row.error(
                            _("该身份证号码已登记为“%(name)s”，与本行姓名不一致。")
                            % {"name": known_name}
                        )
                    if (
                        row.term is not None
                        and (row.term.pk, row.person_id) in self.person_terms
                    ):
                        row.error(
                            _("该人员在%(term)s已有代表资格。")
                            % {"term": _term_label(row.term)}
                        )


def validate_rows(rows: list[ParsedRow], user: User) -> Lookups:
    """Check parsed rows against the database; errors are added to the rows."""
    lookups = Lookups.load(user, rows)
    lookups.check(rows)
    return lookups


def collect_errors(rows: list[ParsedRow]) -> list[dict[str, Any]]:
    return [
        {"row": row.number, "message": message}
        for row in rows
        for message in row.errors
    ]

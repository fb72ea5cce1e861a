"""Local rules (*(rule)* figures in DESIGN.md): the schema, the legal defaults and
the lookup through the inheritance chain.

The defaults here are only what the data migration seeds into the national
default rule set; at run time every value is read from rule sets in the
database, which admins edit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class RuleSpec:
    key: str
    label: Any
    type: type
    default: Any
    group: Any = _("通用")
    # Values fixed by law per congress level: no rule set (the congress's own,
    # a congress above, a level default) can change them there.
    statutory: dict[str, Any] | None = None
    source: Any = ""

    def statutory_for(self, level: str) -> tuple[bool, Any]:
        if self.statutory and level in self.statutory:
            return True, self.statutory[level]
        return False, None


_SPECS = [
    # Organisation
    RuleSpec("term_years", _("每届任期（年）"), int, 5, _("组织")),
    # Stations and opinions (§4)
    RuleSpec("duty_publish_days_ahead", _("接待日提前公布天数"), int, 3, _("联络站")),
    RuleSpec(
        "opinion_due_working_days",
        _("群众意见交办办理期限（工作日）"),
        int,
        15,
        _("联络站"),
    ),
    RuleSpec("opinion_max_rounds", _("群众意见最多办理轮次"), int, 2, _("联络站")),
    RuleSpec(
        "public_submissions_per_hour",
        _("每个地址每小时可提交意见数"),
        int,
        5,
        _("联络站"),
    ),
    # Bills and suggestions (§5)
    RuleSpec(
        "bill_min_cosigners",
        _("议案最少联名代表人数（含领衔）"),
        int,
        10,
        _("议案建议"),
        statutory={
            "national": 30,
            "province": 10,
            "city": 10,
            "county": 10,
            "township": 5,
        },
        source=_(
            "全国人民代表大会组织法第十六条（一个代表团或三十名以上代表联名）；"
            "地方各级人民代表大会和地方各级人民政府组织法第二十四条"
            "（县级以上十名以上代表联名，乡、民族乡、镇五名以上代表联名）"
        ),
    ),
    # A delegation may submit a bill: statutory at national level; at county level
    # and above as the congress's rules of procedure (议事规则) provide (e.g.
    # 湖南省人民代表大会议事规则: 代表团或者十名以上代表联名); townships have no
    # delegations.
    RuleSpec(
        "bill_delegation_may_submit",
        _("代表团可以提出议案"),
        bool,
        True,
        _("议案建议"),
        statutory={"national": True, "township": False},
        source=_("全国人民代表大会组织法第十六条；各级人民代表大会议事规则"),
    ),
    # Where the congress has special committees (专门委员会: national, province,
    # city; county congresses may set them up), the presidium may first refer a
    # bill to one for review (地方组织法第二十四条: 或者先交有关的专门委员会审议).
    RuleSpec(
        "bill_committee_review",
        _("主席团可先交专门委员会审议议案"),
        bool,
        True,
        _("议案建议"),
        statutory={"township": False},
        source=_("地方各级人民代表大会和地方各级人民政府组织法第二十四条"),
    ),
    RuleSpec("assignment_due_months", _("建议办理期限（月）"), int, 3, _("议案建议")),
    RuleSpec(
        "extension_max_months",
        _("延期后最长办理期限（自交办起，月）"),
        int,
        6,
        _("议案建议"),
    ),
    RuleSpec(
        "return_request_working_days",
        _("申请退办期限（工作日）"),
        int,
        7,
        _("议案建议"),
    ),
    RuleSpec(
        "co_unit_opinion_months", _("协办单位提出意见期限（月）"), int, 1, _("议案建议")
    ),
    RuleSpec(
        "rehandling_due_months", _("不满意后重新办理期限（月）"), int, 1, _("议案建议")
    ),
    RuleSpec("evaluation_max_rounds", _("最多评价轮次"), int, 2, _("议案建议")),
    RuleSpec("cosigners_may_rate", _("附议代表可以评价"), bool, False, _("议案建议")),
    RuleSpec(
        "disclosure_working_days", _("答复公开期限（工作日）"), int, 20, _("议案建议")
    ),
    RuleSpec(
        "reply_categories",
        _("答复分类表"),
        dict,
        {
            "A": "已解决或基本解决",
            "B": "正在解决或列入计划解决",
            "C": "因条件限制待以后解决",
            "D": "留作参考",
        },
        _("议案建议"),
    ),
    # Reminders (§7)
    RuleSpec("reminder_due_days", _("到期前提醒天数"), list, [15, 5], _("提醒")),
    RuleSpec("unaccepted_reminder_days", _("未签收提醒（天）"), int, 3, _("提醒")),
    RuleSpec(
        "evaluation_reminder_days", _("答复后待评价提醒（天）"), int, 10, _("提醒")
    ),
    # Livelihood vote (§6)
    RuleSpec(
        "livelihood_min_extra_candidates",
        _("候选项目至少多于票决数"),
        int,
        1,
        _("民生实事"),
    ),
    RuleSpec(
        "livelihood_quorum_numerator", _("开会法定人数（分子）"), int, 2, _("民生实事")
    ),
    RuleSpec(
        "livelihood_quorum_denominator",
        _("开会法定人数（分母）"),
        int,
        3,
        _("民生实事"),
    ),
    # Seats left unfilled (no majority) may be voted again on the remaining
    # candidates, as the congress's rules of procedure allow (湖南省乡镇民生实事
    # 项目人大代表票决制: 未获过半数的，可以再次表决或空缺); 1 = no further round.
    RuleSpec("livelihood_max_rounds", _("票决最多轮次"), int, 3, _("民生实事")),
    # 票决事和配置钱: a ballot whose approved projects cost more than the money
    # available is refused (True) or accepted with a warning (False).
    RuleSpec(
        "livelihood_refuse_over_budget",
        _("选票所选项目超出可用资金时拒绝"),
        bool,
        True,
        _("民生实事"),
    ),
    RuleSpec(
        "livelihood_progress_report_months",
        _("项目进度报告周期（月）"),
        int,
        1,
        _("民生实事"),
    ),
    # Performance points (§3)
    RuleSpec(
        "points",
        _("履职积分表"),
        dict,
        {
            "session_attendance": 5,
            "observer_attendance": 2,
            "inspection": 3,
            "research": 3,
            "law_enforcement_check": 3,
            "training": 2,
            "group_activity": 2,
            "station_duty_half_day": 2,
            "report_to_voters": 5,
            "suggestion_registered": 3,
            "bill_registered": 5,
            "reply_rated_a": 1,
            "key_supervision_selected": 3,
            "opinion_closed": 1,
            "unexcused_absence": -5,
        },
        _("履职"),
    ),
]

SPECS: dict[str, RuleSpec] = {spec.key: spec for spec in _SPECS}

# Defaults the data migration writes into the national rule set.
NATIONAL_DEFAULTS: dict[str, Any] = {spec.key: spec.default for spec in _SPECS}
# Level defaults that differ from the national ones (township: 5 co-signers).
# (Statutory per-level values are on their RuleSpec, not here.)
LEVEL_DEFAULTS: dict[str, dict[str, Any]] = {}


class Rules:
    """The effective rules of one congress; read with ``rules["key"]`` or ``rules.key``."""

    def __init__(self, values: dict[str, Any]):
        self._values = values

    def __getitem__(self, key: str) -> Any:
        if key not in SPECS:
            raise KeyError(key)
        return self._values[key]

    def __getattr__(self, key: str) -> Any:
        try:
            return self[key]
        except KeyError as exc:
            raise AttributeError(key) from exc

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)


def validate_values(
    values: dict[str, Any], *, level: str | None = None
) -> dict[str, list[str]]:
    """Field errors for a dict of rule overrides (unknown keys, wrong types, and
    statutory values of ``level`` when the rule set belongs to one level)."""
    errors: dict[str, list[str]] = {}
    for key, value in values.items():
        spec = SPECS.get(key)
        if spec is None:
            errors[key] = [str(_("未知的规则项。"))]
        elif spec.type is int and (
            isinstance(value, bool) or not isinstance(value, int)
        ):
            errors[key] = [str(_("应为整数。"))]
        elif spec.type is int and value < 0:
            errors[key] = [str(_("不能为负数。"))]
        elif spec.type is not int and not isinstance(value, spec.type):
            errors[key] = [str(_("取值类型不正确。"))]
        elif level is not None and spec.statutory_for(level)[0]:
            errors[key] = [
                str(_("该项为法定数值（%(source)s），不能修改。"))
                % {"source": spec.source}
            ]
    return errors


def rules_for(congress) -> Rules:
    """Effective rules of ``congress``: own → congresses above → level default → national.

    One query. A missing national row (e.g. a flushed test database) falls back
    to the legal defaults so that nothing breaks.
    """
    from .models import Region, RuleSet

    ancestor_ids = list(
        Region.objects.ancestors_of(congress.region).values_list("pk", flat=True)
    )
    rows = list(
        RuleSet.objects.filter(
            Q(congress__region_id__in=[*ancestor_ids, congress.region_id])
            | Q(congress__isnull=True, level__in=["", congress.level])
        ).select_related("congress__region")
    )

    def rank(row) -> tuple[int, int]:
        if row.congress_id is None:
            return (0, 0) if row.level == "" else (1, 0)
        return (2, row.congress.region.depth)

    merged: dict[str, Any] = dict(NATIONAL_DEFAULTS)
    merged.update(LEVEL_DEFAULTS.get(congress.level, {}))
    for row in sorted(rows, key=rank):
        merged.update({k: v for k, v in row.values.items() if k in SPECS})
    # What the law fixes for this level wins over every rule set (an ancestor's
    # override never reaches a lower level's statutory value).
    for spec in _SPECS:
        fixed, value = spec.statutory_for(congress.level)
        if fixed:
            merged[spec.key] = value
    return Rules(merged)


def is_statutory(key: str, level: str) -> bool:
    spec = SPECS.get(key)
    return bool(spec and spec.statutory_for(level)[0])

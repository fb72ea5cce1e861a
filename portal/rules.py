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
from django.utils.translation import gettext_noop


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
    # The allowed values of a ``str`` rule (a closed list the code branches on).
    choices: tuple[str, ...] | None = None
    # The allowed range of an ``int`` rule, both ends included.
    bounds: tuple[int, int] | None = None
    # A ``dict`` rule whose overrides change single entries (the points table: a
    # rule set that sets one item keeps the others, and an item added to the
    # defaults reaches rule sets written before it existed).
    by_entry: bool = False

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
    RuleSpec(
        "opinion_triage_working_days",
        _("联络站收到群众意见后分流期限（工作日）"),
        int,
        3,
        _("联络站"),
        source=_(
            "本地规定（联络站群众意见处理办法）：收到后几个工作日内分流"
            "（当场答复、交办或报送），联络站的待办事项据此显示期限"
        ),
        bounds=(1, 30),
    ),
    RuleSpec("opinion_max_rounds", _("群众意见最多办理轮次"), int, 2, _("联络站")),
    RuleSpec(
        "activity_review_working_days",
        _("履职活动登记后审核期限（工作日）"),
        int,
        10,
        _("履职"),
        source=_(
            "本地规定（代表履职登记管理办法）：活动日期后几个工作日内审核确认，"
            "工作人员的待办事项据此显示期限"
        ),
        bounds=(1, 60),
    ),
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
        "disclosure_working_days",
        _("答复公开期限（工作日）"),
        int,
        20,
        _("议案建议"),
        source=_("本地规定（DESIGN.md §5：涉及公共利益的答复在20个工作日内公开）"),
    ),
    RuleSpec(
        "reply_categories",
        _("答复分类表"),
        dict,
        {
            "A": gettext_noop("已解决或基本解决"),
            "B": gettext_noop("正在解决或列入计划解决"),
            "C": gettext_noop("因条件限制待以后解决"),
            "D": gettext_noop("留作参考"),
        },
        _("议案建议"),
        source=_(
            "全国人民代表大会代表建议、批评和意见处理办法及各地办理办法的答复分类"
            "（A已解决或基本解决、B正在解决或列入计划解决、C因条件限制待以后解决、"
            "D留作参考）"
        ),
    ),
    # What each reply category means for the closed loop, in canonical terms:
    # "solved" (counts towards 办成 once the deputy is content), "in_progress" and
    # "planned" (commitments with due dates, confirmed by the deputy's 回执),
    # "explained" (留作参考: an explanation, never 办成). Codes are those of
    # ``reply_categories``; a code missing here counts as "explained".
    RuleSpec(
        "reply_category_outcomes",
        _("答复类别对应的办理结果"),
        dict,
        {"A": "solved", "B": "in_progress", "C": "planned", "D": "explained"},
        _("议案建议"),
        source=_(
            "同“答复分类表”：A已解决，B正在解决或列入计划，C待以后解决，D留作参考"
        ),
    ),
    # Recess suggestions (闭会期间) are assigned "in time" (及时交办, 代表法第三十一条、
    # 全国人大代表建议批评和意见处理办法); the law fixes no number of days, so the
    # default is the common local figure of 10 working days.
    RuleSpec(
        "recess_assignment_working_days",
        _("闭会期间建议交办期限（自立案起，工作日）"),
        int,
        10,
        _("议案建议"),
        source=_(
            "代表法第三十一条、全国人民代表大会代表建议批评和意见处理办法（及时交办）；"
            "天数为地方规定，默认10个工作日"
        ),
    ),
    # A reply the deputy never rates (and a commitment whose 回执 never comes) is
    # not left open for ever: after this many days it is handled as
    # ``unrated_outcome`` says. Local rules differ (一个月内未反馈的视为基本满意,
    # or closed as 未评价); the default does not invent a satisfied rating.
    RuleSpec(
        "unrated_after_days",
        _("答复后代表未评价的处理期限（天）"),
        int,
        30,
        _("议案建议"),
        source=_("各地代表建议办理办法（代表收到答复后一个月内反馈意见）"),
    ),
    RuleSpec(
        "unrated_outcome",
        _(
            "逾期未评价的处理（unrated：按未评价办结；basically_satisfied：视为基本满意）"
        ),
        str,
        "unrated",
        _("议案建议"),
        source=_("各地代表建议办理办法；默认按未评价办结，单独统计"),
    ),
    # Reports: units with fewer answering assignments are listed, not ranked.
    RuleSpec(
        "ranking_min_volume",
        _("参与承办单位排名的最少主办（分办）件数"),
        int,
        5,
        _("议案建议"),
        source=_("本地统计口径（DESIGN.md §8：排名须显示件数，不与少量件数简单比较）"),
    ),
    # Units are ranked by the lower bound of the Wilson score interval of their
    # satisfaction rate at this confidence level (95 %: z = 1.96), so that 5 of
    # 5 (lower bound 57 %) does not outrank 198 of 200 (96 %).
    RuleSpec(
        "ranking_confidence_percent",
        _("承办单位排名所用置信水平（%，按满意率置信区间下限排名）"),
        int,
        95,
        _("议案建议"),
        bounds=(50, 99),
        source=_(
            "统计方法（威尔逊置信区间下限，Wilson score interval），"
            "默认置信水平95%（z=1.96）；本地统计口径可调整"
        ),
    ),
    # Reminders (§7)
    RuleSpec(
        "co_opinion_reminder_days",
        _("协办意见到期前提醒（天）"),
        int,
        5,
        _("提醒"),
        source=_("本地规定"),
    ),
    RuleSpec(
        "commitment_reminder_days",
        _("承诺事项到期前提醒（天）"),
        int,
        15,
        _("提醒"),
        source=_("本地规定"),
    ),
    # Staff deadlines (disclosure of a reply, assigning a recess suggestion).
    RuleSpec(
        "staff_deadline_reminder_days",
        _("答复公开、闭会期间建议交办到期前提醒工作人员（天）"),
        int,
        3,
        _("提醒"),
        source=_("本地规定"),
    ),
    # Milestones before an assignment's due date; a run that missed one sends
    # the tightest reached (portal.notifications.tightest_milestone).
    RuleSpec(
        "reminder_due_days",
        _("到期前提醒天数"),
        list,
        [15, 5],
        _("提醒"),
        source=_("本地规定（DESIGN.md §7：交办到期前15天、5天提醒）"),
    ),
    RuleSpec(
        "unaccepted_reminder_days",
        _("未签收提醒（天）"),
        int,
        3,
        _("提醒"),
        source=_("本地规定（DESIGN.md §7：交办3天未签收提醒）"),
    ),
    RuleSpec(
        "evaluation_reminder_days",
        _("答复后待评价提醒（天）"),
        int,
        10,
        _("提醒"),
        source=_("本地规定（DESIGN.md §7：答复10天后提醒代表评价）"),
    ),
    # Planned supervision (重点督办 events, livelihood supervision visits): the
    # participants are reminded this many days ahead, until the day itself.
    RuleSpec(
        "visit_reminder_days",
        _("计划督办活动、监督视察提前提醒（天）"),
        int,
        1,
        _("提醒"),
        source=_("本地规定（DESIGN.md §7：计划的督办视察提前一天提醒）"),
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
    # 政府办: the implementing unit submits its plan within a month of the vote.
    RuleSpec(
        "livelihood_plan_due_months",
        _("票决后提交实施计划期限（月）"),
        int,
        1,
        _("民生实事"),
        source=_(
            "各地民生实事项目人大代表票决制实施办法（票决后一个月内制定实施计划）；"
            "DESIGN.md §6"
        ),
    ),
    # 大会决: a project is selected when its approvals exceed half of this base.
    RuleSpec(
        "livelihood_majority_base",
        _("票决通过的基数（all：全体代表；present：出席代表）"),
        str,
        "all",
        _("民生实事"),
        source=_(
            "地方各级人民代表大会和地方各级人民政府组织法"
            "（人民代表大会通过决议，以全体代表的过半数通过）"
        ),
        choices=("all", "present"),
    ),
    # 代表评: 满意 when 满意 > half of the base, 基本满意 when 满意+基本满意 > half.
    RuleSpec(
        "livelihood_grade_base",
        _("满意度测评等次的基数（all：全体代表；present：出席测评的代表）"),
        str,
        "all",
        _("民生实事"),
        source=_(
            "各地民生实事项目人大代表票决制实施办法（满意票超过全体代表半数为满意）；"
            "DESIGN.md §6"
        ),
        choices=("all", "present"),
    ),
    # The progress flag: points behind the share of the planned time elapsed.
    RuleSpec(
        "livelihood_progress_amber_points",
        _("进度落后于时间进度多少个百分点提示“需关注”"),
        int,
        10,
        _("民生实事"),
        source=_("本地规定（人大督：进度滞后提醒）"),
    ),
    RuleSpec(
        "livelihood_progress_red_points",
        _("进度落后于时间进度多少个百分点警示“滞后”"),
        int,
        30,
        _("民生实事"),
        source=_("本地规定（人大督：进度滞后警示）"),
    ),
    # Who consents to the candidate list before it goes to the session: a
    # township congress has no standing committee, its presidium (主席团) acts
    # between sessions; at county level and above the standing committee's
    # chairpersons' council (主任会议) or the standing committee (常委会).
    RuleSpec(
        "livelihood_consenting_body",
        _(
            "候选项目提交大会前的审议同意机构（presidium：主席团；"
            "chairpersons_council：常委会主任会议；standing_committee：常委会）"
        ),
        str,
        "chairpersons_council",
        _("民生实事"),
        statutory={"township": "presidium"},
        source=_(
            "地方各级人民代表大会和地方各级人民政府组织法（乡、民族乡、镇的人民代表大会"
            "设主席团，县级以上地方各级人民代表大会设常务委员会）；"
            "各地民生实事项目人大代表票决制实施办法"
        ),
        choices=("presidium", "chairpersons_council", "standing_committee"),
    ),
    # 代表议: townships deliberate in plenary (no delegations); county congresses
    # and above by delegations (代表团审议).
    RuleSpec(
        "livelihood_deliberation_by",
        _("候选项目的代表审议方式（plenary：全体会议；delegations：代表团）"),
        str,
        "delegations",
        _("民生实事"),
        statutory={"township": "plenary"},
        source=_(
            "地方各级人民代表大会和地方各级人民政府组织法（县级以上地方各级人民代表大会"
            "代表按选举单位组成代表团；乡镇人民代表大会不设代表团）"
        ),
        choices=("plenary", "delegations"),
    ),
    # issue 16: organs — state organs contacting deputies, 列席常委会会议.
    RuleSpec(
        "organ_contacts_per_deputy",
        _("国家机关每年联系每名计划内代表的次数"),
        int,
        1,
        _("国家机关联系代表"),
        source=_(
            "代表法（2025年修正）关于国家机关加强同代表联系、听取代表意见的规定；"
            "《关于完善人大代表联系人民群众制度的实施意见》（2015年）关于“一府两院”"
            "联系代表的要求；各地“一府一委两院”联系人大代表办法通行做法为每年至少"
            "联系一次，由本级人大常委会规定"
        ),
        bounds=(1, 12),
    ),
    RuleSpec(
        "standing_meeting_invitations_per_term",
        _("本届任期内每名代表至少应邀列席常委会会议的次数"),
        int,
        1,
        _("国家机关联系代表"),
        source=_(
            "代表法第二十二条（县级以上各级人大常委会可以邀请本级人大代表列席常委会"
            "会议）；各地人大常委会邀请代表列席常委会会议办法（本届任期内每名代表"
            "至少列席一次）"
        ),
        bounds=(0, 20),
    ),
    # end issue 16: organs
    # issue 16: sessions — attendance, leave, deliberation speeches, training.
    # Who approves a deputy's leave from a session: at county level and above
    # the standing committee (or its chairpersons' council, or the session's
    # presidium/secretariat once it sits), as the congress's rules of procedure
    # say; a township congress has no standing committee: its presidium.
    RuleSpec(
        "session_leave_approver",
        _(
            "代表请假的批准机构（standing_committee：常委会；chairpersons_council："
            "常委会主任会议；presidium：主席团（大会秘书处））"
        ),
        str,
        "standing_committee",
        _("大会"),
        statutory={"township": "presidium"},
        source=_(
            "代表法第四条（代表应当按时出席本级人民代表大会会议）；各级人民代表大会"
            "议事规则（代表因故不能出席的，应当向常务委员会或者主席团请假）；"
            "地方各级人民代表大会和地方各级人民政府组织法（乡镇人大不设常务委员会，"
            "由主席团办理）"
        ),
        choices=("standing_committee", "chairpersons_council", "presidium"),
    ),
    RuleSpec(
        "session_leave_days_before",
        _("代表本人提出会议请假的截止时间（开幕前天数）"),
        int,
        1,
        _("大会"),
        source=_("各级人民代表大会议事规则及本级规定（会前书面请假）；默认开幕前1天"),
    ),
    RuleSpec(
        "session_leave_reminder_days",
        _("请假截止前提醒代表（天）"),
        int,
        3,
        _("大会"),
        source=_("本地规定"),
    ),
    # 未经批准两次不出席本级人民代表大会会议的，代表资格终止: fixed by law at
    # every level (the article of the 2010 text, 第四十九条, is 第五十条 since
    # the 2025 amendment, as deputies.choices.TerminationGround cites it).
    RuleSpec(
        "session_absence_termination_count",
        _("未经批准不出席本级人民代表大会会议达到几次构成代表资格终止事由"),
        int,
        2,
        _("大会"),
        statutory={
            "national": 2,
            "province": 2,
            "city": 2,
            "county": 2,
            "township": 2,
        },
        source=_(
            "全国人民代表大会和地方各级人民代表大会代表法第五十条第一款第三项"
            "（未经批准两次不出席本级人民代表大会会议的，其代表资格终止）"
        ),
    ),
    RuleSpec(
        "initial_training_months",
        _("新任代表参加初任培训的期限（当选后月数）"),
        int,
        12,
        _("大会"),
        source=_(
            "代表法（代表应当加强履职学习，各级人大常委会为代表履职提供培训）；"
            "全国人大常委会关于加强代表履职学习培训的意见及各地代表学习培训办法"
            "（新任代表任期第一年内参加初任培训）；月数为本级规定，默认12个月"
        ),
    ),
    RuleSpec(
        "course_reminder_days",
        _("培训开班前提醒参训代表（天）"),
        int,
        1,
        _("大会"),
        source=_("本地规定（开班前一天提醒）"),
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
            # Co-signers (联名、附议) of a registered item earn less than its lead;
            # so does the lead of a suggestion merged (并案) into a registered one.
            "suggestion_cosigned": 1,
            "bill_cosigned": 2,
            "suggestion_merged": 2,
            "reply_rated_a": 1,
            "key_supervision_selected": 3,
            "opinion_closed": 1,
            "unexcused_absence": -5,
            # issue 16: organs — 列席常委会会议, a contact by a state organ.
            "standing_meeting_attended": 2,
            "organ_contact": 1,
            # end issue 16: organs
            # issue 16: sessions — 大会出席（上面的 session_attendance）、请假、
            # 未经批准缺席、审议发言、发言被采纳、培训每半天.
            "session_leave": 0,
            "session_absence": -10,
            "deliberation_speech": 2,
            "speech_adopted": 2,
            "training_half_day": 1,
            # issue 17: incentives — commendations (大激励) written to the ledger.
            "commended_deputy": 10,
            "commended_suggestion": 5,
        },
        _("履职"),
        source=_(
            "各地人大代表履职积分（履职档案）管理办法的通行做法：领衔提出议案、建议"
            "计分高于联名、附议；并入其他建议的建议，其领衔代表按并案计分；"
            "具体分值由本级人大常委会规定"
        ),
        by_entry=True,
    ),
    # issue 17: incentives (commendations 大激励, activity funds, legislative
    # consultation 基层立法联系点). Begin.
    RuleSpec(
        "commendation_kinds",
        _("表彰激励类别"),
        dict,
        {
            "excellent_deputy": gettext_noop("优秀人大代表"),
            "excellent_suggestion": gettext_noop("优秀代表建议"),
            "excellent_unit": gettext_noop("代表建议办理工作先进单位"),
            "model_station": gettext_noop("示范代表联络站"),
            "star_station": gettext_noop("星级代表联络站"),
        },
        _("激励"),
        source=_(
            "本地规定（各地人大常委会表扬优秀人大代表、优秀代表建议、建议办理先进单位"
            "和示范、星级代表联络站的通行做法）；类别代码由系统使用，名称可改"
        ),
    ),
    RuleSpec(
        "commendation_drawn_nominations",
        _("每次评选从数据中提名的最多人选（件、个）数"),
        int,
        10,
        _("激励"),
        bounds=(1, 100),
        source=_("本地规定（评选推荐名额）"),
    ),
    RuleSpec(
        "zero_performance_talk_years",
        _("零履职满几年进行提醒谈话"),
        int,
        1,
        _("激励"),
        bounds=(1, 5),
        source=_(
            "本地规定（各地代表履职管理办法：无正当理由一年内未参加闭会期间活动的，"
            "由常委会代表工作机构进行提醒谈话）"
        ),
    ),
    RuleSpec(
        "zero_performance_admonition_years",
        _("连续零履职满几年进行诫勉谈话"),
        int,
        2,
        _("激励"),
        bounds=(1, 5),
        source=_("本地规定（各地代表履职管理办法：连续两年零履职的，进行诫勉谈话）"),
    ),
    RuleSpec(
        "activity_fund_per_deputy_yuan",
        _("代表活动经费标准（元/人·年）"),
        int,
        2000,
        _("激励"),
        bounds=(0, 1000000),
        source=_(
            "代表法（代表的活动经费应当列入本级财政预算，予以保障，专款专用）；"
            "每人每年的标准由本级人大常委会会同财政部门规定，默认2000元为占位值，"
            "请按本地规定修改"
        ),
    ),
    RuleSpec(
        "consultation_min_days",
        _("立法征求意见最短期限（天）"),
        int,
        30,
        _("激励"),
        bounds=(1, 365),
        source=_(
            "立法法第四十条（向社会公布征求意见的时间一般不少于三十日），"
            "地方性法规草案参照执行"
        ),
    ),
    RuleSpec(
        "consultation_closing_reminder_days",
        _("立法征求意见截止前提醒联络站（天）"),
        int,
        3,
        _("提醒"),
        source=_("本地规定"),
    ),
    RuleSpec(
        "commendation_deadline_reminder_days",
        _("评选推荐截止前提醒工作人员（天）"),
        int,
        3,
        _("提醒"),
        source=_("本地规定"),
    ),
    # issue 17: incentives. End.
    # issue 17: networks — duty targets and the 建管用 assessment of stations.
    RuleSpec(
        "station_duty_days_per_year",
        _("代表每年进站履职次数（不少于）"),
        int,
        4,
        _("联络站"),
        source=_(
            "本地规定：湖南省推动代表联络站“建管用”和代表常态化进站履职"
            "（《湖南省人大代表联络站工作指南》），次数由本级人大常委会规定；"
            "默认每名代表每年不少于4次"
        ),
        bounds=(0, 52),
    ),
    RuleSpec(
        "station_assessment_checklist",
        _("联络站年度考评细则（建管用）"),
        dict,
        {
            "premises_site": {
                "category": "premises",
                "label": gettext_noop("有固定场所，标识、公示栏规范"),
                "weight": 10,
            },
            "premises_facilities": {
                "category": "premises",
                "label": gettext_noop("接待、网络、档案设施齐全"),
                "weight": 10,
            },
            "people_grouping": {
                "category": "people",
                "label": gettext_noop("五级代表全部进站编组"),
                "weight": 10,
            },
            "people_staff": {
                "category": "people",
                "label": gettext_noop("配备站长和联络员"),
                "weight": 10,
            },
            "rules_posted": {
                "category": "rules",
                "label": gettext_noop("接待、交办、反馈、考核制度健全上墙"),
                "weight": 10,
            },
            "rules_records": {
                "category": "rules",
                "label": gettext_noop("台账档案完整规范"),
                "weight": 10,
            },
            "activities_duty": {
                "category": "activities",
                "label": gettext_noop("接待日按期公布、按期开展"),
                "weight": 10,
            },
            "activities_governance": {
                "category": "activities",
                "label": gettext_noop("开展政策宣讲、普法和矛盾调解活动"),
                "weight": 10,
            },
            "results_opinions": {
                "category": "results",
                "label": gettext_noop("群众意见按期办结"),
                "weight": 10,
            },
            "results_satisfaction": {
                "category": "results",
                "label": gettext_noop("群众回访满意"),
                "weight": 10,
            },
        },
        _("联络站"),
        source=_(
            "本地规定：按阵地、人员、制度、活动、成效（建管用）五个方面设置考评项目"
            "和分值，由审定考评的人大常委会规定"
        ),
    ),
    RuleSpec(
        "station_star_thresholds",
        _("联络站星级最低分（星级: 分数）"),
        dict,
        {"5": 90, "4": 80, "3": 70, "2": 60, "1": 50},
        _("联络站"),
        source=_("本地规定：星级评定标准由审定考评的人大常委会规定"),
    ),
    RuleSpec(
        "station_model_min_score",
        _("示范站最低分"),
        int,
        95,
        _("联络站"),
        source=_("本地规定：示范站（标杆站）由上级人大常委会在年度考评中认定"),
        bounds=(0, 100),
    ),
    RuleSpec(
        "station_assessment_due_month",
        _("联络站年度考评报送月份"),
        int,
        11,
        _("联络站"),
        source=_("本地规定：年度考评于每年该月起报送上级人大常委会"),
        bounds=(1, 12),
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
        elif spec.bounds is not None and not (
            spec.bounds[0] <= value <= spec.bounds[1]
        ):
            errors[key] = [
                str(_("取值应在%(low)s至%(high)s之间。"))
                % {"low": spec.bounds[0], "high": spec.bounds[1]}
            ]
        elif spec.type is not int and not isinstance(value, spec.type):
            errors[key] = [str(_("取值类型不正确。"))]
        elif spec.by_entry and not all(
            isinstance(v, int) and not isinstance(v, bool) for v in value.values()
        ):
            errors[key] = [str(_("各项取值应为整数。"))]
        elif spec.choices is not None and value not in spec.choices:
            errors[key] = [
                str(_("取值应为以下之一：%(choices)s。"))
                % {"choices": "、".join(spec.choices)}
            ]
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
    return _merge(congress, rows)


def rules_for_many(congresses) -> dict[int, Rules]:
    """``rules_for`` of several congresses (their regions loaded) in one query:
    ``{congress id: rules}``."""
    congresses = list(congresses)
    if not congresses:
        return {}
    from .models import RuleSet

    paths = {path for c in congresses for path in _paths_down_to(c.region.path)}
    rows = list(
        RuleSet.objects.filter(
            Q(congress__region__path__in=paths)
            | Q(congress__isnull=True, level__in=["", *{c.level for c in congresses}])
        ).select_related("congress__region")
    )
    return {
        c.pk: _merge(
            c,
            [
                row
                for row in rows
                if (row.congress_id is None and row.level in ("", c.level))
                or (
                    row.congress_id is not None
                    and c.region.path.startswith(row.congress.region.path)
                )
            ],
        )
        for c in congresses
    }


def _paths_down_to(path: str) -> list[str]:
    """The materialised paths from the root down to ``path`` (included)."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def _merge(congress, rows) -> Rules:
    """The rule sets that apply to ``congress`` applied in order over the defaults."""

    def rank(row) -> tuple[int, int]:
        if row.congress_id is None:
            return (0, 0) if row.level == "" else (1, 0)
        return (2, row.congress.region.depth)

    merged: dict[str, Any] = dict(NATIONAL_DEFAULTS)
    merged.update(LEVEL_DEFAULTS.get(congress.level, {}))
    for row in sorted(rows, key=rank):
        for key, value in row.values.items():
            spec = SPECS.get(key)
            if spec is None:
                continue
            if spec.by_entry and isinstance(value, dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
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

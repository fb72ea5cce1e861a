"""Township livelihood-project vote (DESIGN.md §6):
群众提、代表议、大会决、政府办、人大督、代表评.

Secrecy: a ballot has a random UUID key, no timestamp and no link to a deputy;
who voted is proven by a separate participation row (round × mandate, unique).
Both are written in one transaction.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deputies.models import DeputyGroup, Mandate
from portal.models import Congress, HandlingUnit, Region
from portal.workflow import StatusChange
from stations.models import Opinion

from .querysets import (
    CandidateQuerySet,
    ChangeRequestQuerySet,
    EvaluationRoundQuerySet,
    IdeaQuerySet,
    PlannedVisitQuerySet,
    ProgrammeQuerySet,
    ProjectQuerySet,
    SupervisionVisitQuerySet,
    VoteRoundQuerySet,
)


class Programme(models.Model):
    """One annual programme of a township congress."""

    class Phase(models.TextChoices):
        COLLECTING = "collecting", _("征集")
        SCREENING = "screening", _("初筛")
        ASSESSING = "assessing", _("论证")
        CANDIDATES = "candidates", _("候选项目公布")
        DELIBERATION = "deliberation", _("代表审议")
        VOTING = "voting", _("大会票决")
        IMPLEMENTING = "implementing", _("组织实施")
        EVALUATED = "evaluated", _("代表测评")
        ARCHIVED = "archived", _("归档")

    PHASES = list(Phase.values)
    # Every phase change (portal.workflow.transition): by hand (ADVANCE_BY_HAND)
    # and by the vote (deliberation → voting with the first round, voting →
    # implementing when the vote is decided, implementing → evaluated when the
    # evaluation closes).
    TRANSITIONS: dict[str, set[str]] = {
        Phase.COLLECTING: {Phase.SCREENING},
        Phase.SCREENING: {Phase.ASSESSING},
        Phase.ASSESSING: {Phase.CANDIDATES},
        Phase.CANDIDATES: {Phase.DELIBERATION},
        Phase.DELIBERATION: {Phase.VOTING},
        Phase.VOTING: {Phase.IMPLEMENTING},
        Phase.IMPLEMENTING: {Phase.EVALUATED},
        Phase.EVALUATED: {Phase.ARCHIVED},
        Phase.ARCHIVED: set(),
    }
    # The phase map (DESIGN.md §6). Staff move a programme on by hand only from
    # these phases; it enters voting with its first round, implementing when the
    # vote is decided and evaluated when the evaluation closes.
    ADVANCE_BY_HAND = {
        Phase.COLLECTING: Phase.SCREENING,
        Phase.SCREENING: Phase.ASSESSING,
        Phase.ASSESSING: Phase.CANDIDATES,
        Phase.CANDIDATES: Phase.DELIBERATION,
        Phase.EVALUATED: Phase.ARCHIVED,
    }
    # Candidates are published (to deputies and the public) after these phases.
    UNPUBLISHED_PHASES = frozenset({Phase.COLLECTING, Phase.SCREENING, Phase.ASSESSING})
    # Ideas are screened against the negative list while collecting and screening.
    SCREENING_PHASES = frozenset({Phase.COLLECTING, Phase.SCREENING})
    # The programme page offers candidate entry (论证) in these phases.
    CANDIDATE_ENTRY_PHASES = frozenset(
        {Phase.ASSESSING, Phase.CANDIDATES, Phase.DELIBERATION}
    )
    # Deputies deliberate (代表议) on the published candidates.
    DELIBERATION_PHASES = frozenset({Phase.CANDIDATES, Phase.DELIBERATION})
    # The vote is over: projects exist and the seats can no longer change.
    AFTER_VOTE_PHASES = frozenset({Phase.IMPLEMENTING, Phase.EVALUATED, Phase.ARCHIVED})

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="programmes",
    )
    # A sub-district (街道, no congress of its own) programme: run by the county
    # congress's 街道工委, voted on by the county deputies elected there.
    subdistrict = models.ForeignKey(
        Region,
        verbose_name=_("街道"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    seats = models.PositiveSmallIntegerField(_("票决项目数"))
    # 票决事和配置钱: the money the selected projects must fit (万元).
    budget = models.DecimalField(
        _("可用资金（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    budget_upper = models.DecimalField(
        _("其中上级资金（万元）"), max_digits=12, decimal_places=2, default=0
    )
    phase = models.CharField(
        _("阶段"), max_length=16, choices=Phase.choices, default=Phase.COLLECTING
    )
    deliberation_summary = models.TextField(_("审议意见汇总"), blank=True)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        verbose_name = _("民生实事项目年度计划")
        verbose_name_plural = _("民生实事项目年度计划")
        ordering = ["-year", "congress"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year"],
                condition=Q(subdistrict__isnull=True),
                name="programme_one_per_year",
            ),
            models.UniqueConstraint(
                fields=["congress", "subdistrict", "year"],
                condition=Q(subdistrict__isnull=False),
                name="programme_one_per_subdistrict_year",
            ),
        ]

    def __str__(self) -> str:
        if self.subdistrict_id is not None:
            return _("%(subdistrict)s%(year)s年民生实事项目") % {
                "subdistrict": self.subdistrict.name,
                "year": self.year,
            }
        return _("%(congress)s%(year)s年民生实事项目") % {
            "congress": self.congress.name,
            "year": self.year,
        }


# Who consents to the candidate list before the session, and how deputies
# deliberate on it: rule values (``livelihood_consenting_body``,
# ``livelihood_deliberation_by``) that differ by level, with their labels.
CONSENTING_BODY_LABELS = {
    "presidium": _("人民代表大会主席团"),
    "chairpersons_council": _("人大常委会主任会议"),
    "standing_committee": _("人大常委会"),
}
DELIBERATION_BY_LABELS = {
    "plenary": _("大会全体会议审议"),
    "delegations": _("代表团审议"),
}


class Idea(models.Model):
    """A proposed project (群众提): from the public, a station, a deputy or a village."""

    class Source(models.TextChoices):
        PUBLIC = "public", _("群众网上提出")
        STATION = "station", _("联络站收集")
        DEPUTY = "deputy", _("代表提出")
        VILLAGE = "village", _("村（社区）推荐")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("已征集")
        SCREENED_OUT = "screened_out", _("初筛未通过")
        ACCEPTED = "accepted", _("进入论证")
        CANDIDATE = "candidate", _("列为候选项目")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="ideas"
    )
    tracking_code = models.CharField(_("查询码"), max_length=30, unique=True)
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices)
    title = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("项目内容"))
    location = models.CharField(_("地点"), max_length=200, blank=True)
    submitter_name = models.CharField(_("提出人"), max_length=50, blank=True)
    submitter_phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    opinion = models.OneToOneField(
        Opinion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="livelihood_idea",
    )
    mandate = models.ForeignKey(
        Mandate, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=14, choices=Status.choices, default=Status.SUBMITTED
    )
    screening_reason = models.TextField(_("初筛意见"), blank=True)
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("项目建议")
        verbose_name_plural = _("项目建议")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class Candidate(models.Model):
    """An assessed candidate project (候选项目)."""

    class Status(models.TextChoices):
        CANDIDATE = "candidate", _("候选")
        SELECTED = "selected", _("票决通过")
        RESERVE = "reserve", _("备选项目库")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="candidates"
    )
    idea = models.OneToOneField(
        Idea, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidate"
    )
    title = models.CharField(_("项目名称"), max_length=200)
    description = models.TextField(_("建设内容"))
    estimated_cost = models.DecimalField(
        _("估算投资（万元）"), max_digits=10, decimal_places=2
    )
    fund_source = models.CharField(_("资金来源"), max_length=200, blank=True)
    land = models.CharField(_("用地情况"), max_length=200, blank=True)
    schedule = models.CharField(_("建设周期"), max_length=200, blank=True)
    lead_unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("责任单位"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible_leader = models.CharField(_("责任领导"), max_length=50, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.CANDIDATE
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CandidateQuerySet.as_manager()

    class Meta:
        verbose_name = _("候选项目")
        verbose_name_plural = _("候选项目")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title


class DeliberationComment(models.Model):
    """A deputy's comment on a candidate during deliberation (代表议)."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="comments"
    )
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="+")
    group = models.ForeignKey(
        DeputyGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.TextField(_("审议意见"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("审议意见")
        verbose_name_plural = _("审议意见")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.candidate_id}:{self.mandate_id}"


class VoteRound(models.Model):
    """A vote round (大会决); its rules are locked once it opens."""

    class Mode(models.TextChoices):
        ELECTRONIC = "electronic", _("电子表决")
        PAPER = "paper", _("纸质票")

    class Status(models.TextChoices):
        DRAFT = "draft", _("未开始")
        OPEN = "open", _("投票中")
        CLOSED = "closed", _("已结束")

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("轮次"))
    mode = models.CharField(_("方式"), max_length=10, choices=Mode.choices)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    candidates = models.ManyToManyField(
        Candidate, verbose_name=_("候选项目"), related_name="rounds"
    )
    seats = models.PositiveSmallIntegerField(_("应选项目数"))
    eligible = models.PositiveSmallIntegerField(_("全体代表人数"), default=0)
    present = models.PositiveSmallIntegerField(_("出席代表人数"), default=0)
    rules = models.JSONField(_("锁定的规则"), default=dict, blank=True)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    # Paper mode counts (tellers' entry).
    ballots_issued = models.PositiveSmallIntegerField(
        _("发出选票"), null=True, blank=True
    )
    ballots_returned = models.PositiveSmallIntegerField(
        _("收回选票"), null=True, blank=True
    )
    ballots_valid = models.PositiveSmallIntegerField(_("有效票"), null=True, blank=True)
    ballots_void = models.PositiveSmallIntegerField(_("无效票"), null=True, blank=True)
    # Shown on the hall screen; deputies type it to sign in (签到) themselves.
    check_in_code = models.CharField(_("签到码"), max_length=6, blank=True)

    objects = VoteRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("票决轮次")
        verbose_name_plural = _("票决轮次")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"], name="round_unique_number"
            )
        ]

    def __str__(self) -> str:
        return str(
            _("%(programme)s 第%(n)s轮")
            % {"programme": self.programme, "n": self.number}
        )


class SignIn(models.Model):
    """签到 (abstract): a deputy present in the hall for a vote round or an
    evaluation, recorded by staff or by the deputy with the hall's code. Only
    signed-in deputies cast electronic ballots; the quorum is counted from these
    rows. A sign-in says who was present, never what they chose: it is written
    before and apart from the ballot (docs/ballot-secrecy.md)."""

    class Method(models.TextChoices):
        STAFF = "staff", _("工作人员登记")
        CODE = "code", _("代表输入签到码")

    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(_("签到方式"), max_length=5, choices=Method.choices)
    created_at = models.DateTimeField(_("签到时间"), auto_now_add=True)

    class Meta:
        abstract = True
        verbose_name = _("签到")
        verbose_name_plural = _("签到")

    def __str__(self) -> str:
        return f"{self.round_id}:{self.mandate_id}"  # type: ignore[attr-defined]


class RoundAttendance(SignIn):
    """签到 for a vote round."""

    round = models.ForeignKey(
        VoteRound, on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(SignIn.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["round", "mandate"], name="round_attendance_once"
            )
        ]


class Participation(models.Model):
    """Proof that a deputy voted in a round (never what they chose)."""

    round = models.ForeignKey(
        VoteRound, on_delete=models.CASCADE, related_name="participations"
    )
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("投票记录")
        verbose_name_plural = _("投票记录")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "mandate"], name="participation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.mandate_id}"


class Ballot(models.Model):
    """An anonymous electronic ballot: random key, no time, no voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        VoteRound, on_delete=models.CASCADE, related_name="ballots"
    )
    approvals = models.JSONField(_("赞成的候选项目"), default=list)
    receipt = models.CharField(_("回执"), max_length=16, unique=True)

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")

    def __str__(self) -> str:
        return self.receipt


class RoundResult(models.Model):
    """A candidate's count in a round (electronic: from ballots at close; paper: tellers)."""

    round = models.ForeignKey(
        VoteRound, on_delete=models.CASCADE, related_name="results"
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="results"
    )
    approvals = models.PositiveSmallIntegerField(_("赞成票"))
    selected = models.BooleanField(_("当选"), default=False)
    tied = models.BooleanField(_("并列待再次表决"), default=False)

    class Meta:
        verbose_name = _("票决结果")
        verbose_name_plural = _("票决结果")
        ordering = ["-approvals", "candidate__order", "candidate_id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "candidate"], name="result_once")
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.candidate_id}={self.approvals}"


class Project(models.Model):
    """A selected project under implementation (政府办)."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("制定计划")
        IMPLEMENTING = "implementing", _("实施中")
        COMPLETED = "completed", _("已完成")
        TERMINATED = "terminated", _("已终止")

    # The project page stops offering plans, progress and change requests.
    FINISHED_STATUSES = frozenset({Status.COMPLETED, Status.TERMINATED})

    candidate = models.OneToOneField(
        Candidate, on_delete=models.PROTECT, related_name="project"
    )
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="projects"
    )
    implementing_unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("实施单位"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    plan = models.TextField(_("实施计划"), blank=True)
    plan_due = models.DateField(_("计划提交期限"))
    plan_submitted_at = models.DateTimeField(_("计划提交时间"), null=True, blank=True)
    start_date = models.DateField(_("开工日期"), null=True, blank=True)
    planned_end = models.DateField(_("计划完成日期"), null=True, blank=True)
    budget = models.DecimalField(_("计划投资（万元）"), max_digits=10, decimal_places=2)
    money_paid = models.DecimalField(
        _("已拨付（万元）"), max_digits=10, decimal_places=2, default=0
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PLANNING
    )
    grade = models.CharField(_("测评等次"), max_length=20, blank=True)
    grade_explanation = models.TextField(_("不满意情况说明"), blank=True)
    rectification_due = models.DateField(_("整改期限"), null=True, blank=True)
    carried_over = models.BooleanField(_("结转下年"), default=False)
    # 整改 follow-up of a 不满意 project: the implementer reports, the deputies
    # evaluate again; the programme is archived only after both.
    rectification_report = models.TextField(_("整改情况报告"), blank=True)
    rectified_at = models.DateTimeField(_("整改报告时间"), null=True, blank=True)
    regrade = models.CharField(_("整改后测评等次"), max_length=20, blank=True)
    # The progress flag's thresholds (points behind the time elapsed), taken
    # from the congress's rules when the project starts (services.votes).
    flag_amber_points = models.PositiveSmallIntegerField(_("进度落后提示（百分点）"))
    flag_red_points = models.PositiveSmallIntegerField(_("进度滞后警示（百分点）"))
    region_path = models.CharField(max_length=255, editable=False, db_index=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("民生实事项目")
        verbose_name_plural = _("民生实事项目")
        ordering = ["programme", "candidate__order"]

    def __str__(self) -> str:
        return self.candidate.title

    def get_absolute_url(self) -> str:
        """Its page (notifications about it link here)."""
        return reverse("livelihood:project", args=[self.pk])


class ProgressReport(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="reports"
    )
    date = models.DateField(_("报告日期"))
    progress = models.PositiveSmallIntegerField(_("进度（%）"))
    money_paid = models.DecimalField(
        _("累计拨付（万元）"), max_digits=10, decimal_places=2
    )
    note = models.TextField(_("进展情况"))
    photo = models.FileField(
        _("现场照片"), upload_to="livelihood/progress/%Y/", blank=True
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("进度报告")
        verbose_name_plural = _("进度报告")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.date} {self.progress}%"


class ChangeRequest(models.Model):
    """A change or termination of a project, which needs the presidium's consent."""

    class Kind(models.TextChoices):
        CHANGE = "change", _("项目变更")
        TERMINATE = "terminate", _("项目终止")

    class Status(models.TextChoices):
        PENDING = "pending", _("待主席团审议")
        CONSENTED = "consented", _("主席团同意")
        REFUSED = "refused", _("主席团不同意")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    reason = models.TextField(_("理由"))
    proposed_change = models.TextField(_("变更内容"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("变更申请")
        verbose_name_plural = _("变更申请")
        constraints = [
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(status="pending"),
                name="change_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.kind}"


class SupervisionGroup(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="supervision_groups"
    )
    name = models.CharField(_("名称"), max_length=100)
    members = models.ManyToManyField(Mandate, verbose_name=_("成员"), related_name="+")
    projects = models.ManyToManyField(
        Project, verbose_name=_("监督项目"), related_name="supervision_groups"
    )

    class Meta:
        verbose_name = _("监督小组")
        verbose_name_plural = _("监督小组")

    def __str__(self) -> str:
        return self.name


class SupervisionVisit(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="visits"
    )
    group = models.ForeignKey(
        SupervisionGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visits",
    )
    date = models.DateField(_("日期"))
    findings = models.TextField(_("发现问题"))
    suggestion = models.TextField(_("监督建议"), blank=True)
    answer = models.TextField(_("实施单位回复"), blank=True)
    answered_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    objects = SupervisionVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("监督视察")
        verbose_name_plural = _("监督视察")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.date}"


class PlannedVisit(models.Model):
    """A supervision visit planned ahead (计划监督视察), reminded before its
    date; what it found is recorded afterwards as a ``SupervisionVisit``."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="planned_visits"
    )
    group = models.ForeignKey(
        SupervisionGroup,
        verbose_name=_("监督小组"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="planned_visits",
    )
    date = models.DateField(_("计划日期"))
    purpose = models.CharField(_("视察内容"), max_length=300, blank=True)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)

    objects = PlannedVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("计划监督视察")
        verbose_name_plural = _("计划监督视察")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.project_id} {self.date}"


class EvaluationRound(models.Model):
    """The deputies' satisfaction vote on the projects (代表评), at the next
    session: signed in (draft), open once the quorum is present, closed."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("签到中")
        OPEN = "open", _("测评中")
        CLOSED = "closed", _("已结束")

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="evaluation_round"
    )
    mode = models.CharField(_("方式"), max_length=10, choices=VoteRound.Mode.choices)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    eligible = models.PositiveSmallIntegerField(_("全体代表人数"))
    present = models.PositiveSmallIntegerField(_("出席代表人数"), default=0)
    # The quorum and the grading base as they were when the evaluation opened.
    rules = models.JSONField(_("锁定的规则"), default=dict, blank=True)
    # Paper mode: the ballots the tellers took back (收回票数).
    ballots_returned = models.PositiveSmallIntegerField(
        _("收回测评票"), null=True, blank=True
    )
    # Shown on the hall screen; deputies type it to sign in (签到) themselves.
    check_in_code = models.CharField(_("签到码"), max_length=6, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = EvaluationRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("满意度测评")
        verbose_name_plural = _("满意度测评")

    def __str__(self) -> str:
        return str(_("%(programme)s 测评") % {"programme": self.programme})


class EvaluationAttendance(SignIn):
    """签到 for an evaluation."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="attendances"
    )

    class Meta(SignIn.Meta):
        verbose_name = _("测评签到")
        verbose_name_plural = _("测评签到")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "mandate"], name="evaluation_attendance_once"
            )
        ]


class EvaluationParticipation(models.Model):
    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="participations"
    )
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "mandate"], name="evaluation_participation_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.mandate_id}"


class SatisfactionBallot(models.Model):
    """One anonymous rating of one project (random key, no time, no voter)."""

    class Choice(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="ballots"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    choice = models.CharField(max_length=20, choices=Choice.choices)

    class Meta:
        verbose_name = _("测评票")
        verbose_name_plural = _("测评票")

    def __str__(self) -> str:
        return str(self.id)


class SatisfactionCount(models.Model):
    """Per project counts: from electronic ballots at close, or entered for paper."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.CASCADE, related_name="counts"
    )
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="satisfaction_counts"
    )
    satisfied = models.PositiveSmallIntegerField(default=0)
    basically_satisfied = models.PositiveSmallIntegerField(default=0)
    dissatisfied = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["round", "project"], name="satisfaction_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}"


class PhaseEvent(StatusChange):
    """A programme phase change: the audit trail and timeline."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="phase_events"
    )
    # The phase columns keep their width (no column change).
    from_state = models.CharField(
        _("原阶段"), max_length=16, blank=True, choices=Programme.Phase.choices
    )
    to_state = models.CharField(
        _("新阶段"), max_length=16, choices=Programme.Phase.choices
    )

    class Meta(StatusChange.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.programme_id} {self.from_state}→{self.to_state}"

    @property
    def from_label(self) -> str:
        return dict(Programme.Phase.choices).get(self.from_state, "")

    @property
    def to_label(self) -> str:
        return dict(Programme.Phase.choices).get(self.to_state, self.to_state)

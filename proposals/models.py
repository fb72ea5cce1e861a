"""Bills and suggestions (DESIGN.md §5): 提 → 交 → 督 → 评."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deputies.models import Activity, Delegation, Mandate
from portal.models import Congress, HandlingUnit, Session, Term
from portal.workflow import StatusChange
from stations.models import Opinion

from .querysets import (
    AssignmentQuerySet,
    EvaluationQuerySet,
    RequestQuerySet,
    SuggestionQuerySet,
)


class Suggestion(models.Model):
    """A bill (议案) or a suggestion (建议、批评和意见)."""

    class Kind(models.TextChoices):
        SUGGESTION = "suggestion", _("建议")
        BILL = "bill", _("议案")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已提交")
        RETURNED = "returned", _("退回修改")
        NOT_REGISTERED = "not_registered", _("不予立案")
        MERGED = "merged", _("已并案")
        REGISTERED = "registered", _("已立案")
        ASSIGNED = "assigned", _("已交办")
        REPLIED = "replied", _("已答复待评价")
        TRACKING = "tracking", _("跟踪落实")
        REHANDLING = "rehandling", _("重新办理")
        CLOSED = "closed", _("已办结")
        WITHDRAWN = "withdrawn", _("已撤回")
        # A bill (议案) is decided by the presidium (主席团), not handled by a unit.
        COMMITTEE_REVIEW = "committee_review", _("专门委员会审议")
        ON_AGENDA = "on_agenda", _("列入会议议程")
        ADOPTED = "adopted", _("表决通过")
        NOT_ADOPTED = "not_adopted", _("表决未通过")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.SUBMITTED: {
            Status.REGISTERED,
            Status.RETURNED,
            Status.NOT_REGISTERED,
            Status.MERGED,
            Status.WITHDRAWN,
            Status.ON_AGENDA,
            Status.COMMITTEE_REVIEW,
        },
        # The presidium decides after the special committee's review: on the
        # agenda, or not (then handled as a suggestion: back to registration).
        Status.COMMITTEE_REVIEW: {
            Status.ON_AGENDA,
            Status.REGISTERED,
            Status.WITHDRAWN,
        },
        # Deliberated and voted; the lead may withdraw it before the vote.
        Status.ON_AGENDA: {Status.ADOPTED, Status.NOT_ADOPTED, Status.WITHDRAWN},
        Status.ADOPTED: set(),
        Status.NOT_ADOPTED: set(),
        Status.RETURNED: {Status.SUBMITTED, Status.WITHDRAWN},
        Status.REGISTERED: {Status.ASSIGNED, Status.MERGED, Status.WITHDRAWN},
        Status.ASSIGNED: {Status.REPLIED, Status.WITHDRAWN},
        Status.REPLIED: {Status.CLOSED, Status.TRACKING, Status.REHANDLING},
        # A callback (回访) that finds the lead was not really satisfied with the
        # rating that closed the item (or put it under tracking) reopens it.
        Status.TRACKING: {Status.CLOSED, Status.REHANDLING},
        Status.REHANDLING: {Status.REPLIED},
        Status.NOT_REGISTERED: set(),
        Status.MERGED: set(),
        Status.CLOSED: {Status.REHANDLING},
        Status.WITHDRAWN: set(),
    }
    # States in which units are at work (for boards and reminders).
    HANDLING_STATES = (Status.ASSIGNED, Status.REHANDLING)

    class Category(models.TextChoices):
        ECONOMY = "economy", _("经济发展")
        CONSTRUCTION = "construction", _("城乡建设")
        TRANSPORT = "transport", _("交通运输")
        EDUCATION = "education", _("教育科技")
        HEALTH = "health", _("医疗卫生")
        SOCIAL = "social", _("社会保障")
        AGRICULTURE = "agriculture", _("农业农村")
        ENVIRONMENT = "environment", _("生态环境")
        LEGAL = "legal", _("政法")
        OTHER = "other", _("其他")

    class Proposer(models.TextChoices):
        DEPUTIES = "deputies", _("代表联名")
        DELEGATION = "delegation", _("代表团")
        # No lead deputy, no co-signers (services.bills.bill_submit_by_presidium).
        PRESIDIUM = "presidium", _("大会主席团")

    class BillDecision(models.TextChoices):
        AGENDA = "agenda", _("列入会议议程")
        COMMITTEE = "committee", _("先交专门委员会审议")
        NOT_AGENDA = "not_agenda", _("不列入会议议程，作为建议处理")

    class Outcome(models.TextChoices):
        CASE = "case", _("个案解决")
        POLICY = "policy", _("出台政策")
        MECHANISM = "mechanism", _("建立机制")

    kind = models.CharField(
        _("类型"), max_length=12, choices=Kind.choices, default=Kind.SUGGESTION
    )
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="suggestions",
    )
    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="suggestions"
    )
    session = models.ForeignKey(
        Session,
        verbose_name=_("会议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
        help_text=_("大会期间提出的选会议；闭会期间留空"),
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    number = models.PositiveIntegerField(_("编号"), null=True, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    problem = models.TextField(_("问题（案由）"))
    analysis = models.TextField(_("分析（案据）"))
    proposals = models.TextField(_("建议（方案）"))
    category = models.CharField(
        _("类别"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    lead = models.ForeignKey(
        Mandate,
        verbose_name=_("领衔代表"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_suggestions",
        help_text=_("大会主席团提出的议案没有领衔代表"),
    )
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("代表团"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposer = models.CharField(
        _("提出方式"),
        max_length=12,
        choices=Proposer.choices,
        default=Proposer.DEPUTIES,
    )
    # The presidium's decision on a bill (主席团决定), with its document.
    bill_decision = models.CharField(
        _("主席团决定"), max_length=12, choices=BillDecision.choices, blank=True
    )
    bill_decision_note = models.TextField(_("决定说明"), blank=True)
    bill_document_number = models.CharField(_("决定文号"), max_length=100, blank=True)
    bill_decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)
    # A bill not put on the agenda is handled as a suggestion and keeps this mark.
    converted_from_bill = models.BooleanField(_("由议案转为建议"), default=False)
    # Forwarding up (转交上级人大): a township suggestion on a county matter is
    # handled by the county congress (it assigns county units); the reply goes
    # back to the township deputy, who rates it.
    handling_congress = models.ForeignKey(
        Congress,
        verbose_name=_("转交办理的人民代表大会"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="forwarded_suggestions",
    )
    forwarded_at = models.DateTimeField(_("转交时间"), null=True, blank=True)
    is_public = models.BooleanField(_("同意公开"), default=True)
    research_activities = models.ManyToManyField(
        Activity, verbose_name=_("调研视察活动"), blank=True, related_name="suggestions"
    )
    research_opinions = models.ManyToManyField(
        Opinion, verbose_name=_("群众意见"), blank=True, related_name="suggestions"
    )
    research_note = models.TextField(_("调研情况"), blank=True)
    research_date = models.DateField(_("调研日期"), null=True, blank=True)
    research_place = models.CharField(_("调研地点"), max_length=200, blank=True)
    research_people = models.CharField(_("走访对象"), max_length=300, blank=True)
    source_opinion = models.OneToOneField(
        Opinion,
        verbose_name=_("来源群众意见"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestion",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("并入"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_children",
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    status_reason = models.TextField(_("退回或不予立案理由"), blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=0)
    needs_supervision = models.BooleanField(_("转人大督办"), default=False)
    outcome_type = models.CharField(
        _("办理成果"), max_length=12, choices=Outcome.choices, blank=True
    )
    outcome_document = models.CharField(_("成果文件"), max_length=200, blank=True)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    registered_at = models.DateTimeField(_("立案时间"), null=True, blank=True)
    first_replied_at = models.DateTimeField(_("首次答复时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    published_at = models.DateTimeField(_("答复公开时间"), null=True, blank=True)
    # Disclosure (答复公开): set when a reply awaits the staff's review (public
    # interest, personal data removed), cleared by the review.
    disclosure_due_on = models.DateField(_("答复应公开日期"), null=True, blank=True)
    disclosure_reviewed_at = models.DateTimeField(
        _("公开审核时间"), null=True, blank=True
    )
    # The deputy never rated the reply within the rule's days (逾期未评价).
    evaluation_lapsed_at = models.DateTimeField(
        _("逾期未评价时间"), null=True, blank=True
    )

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("议案建议")
        verbose_name_plural = _("议案建议")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "year", "kind", "number"],
                condition=Q(number__isnull=False),
                name="suggestion_unique_number",
            ),
            # Only the presidium submits without a lead deputy, and only bills.
            models.CheckConstraint(
                condition=Q(lead__isnull=False) | Q(proposer="presidium", kind="bill"),
                name="suggestion_lead_unless_presidium",
            ),
        ]
        indexes = [
            models.Index(fields=["congress", "year", "status"]),
            models.Index(fields=["status", "region_path"]),
            # The staff list's order, newest year and submission first (issue 14).
            models.Index(
                fields=["-year", "-submitted_at", "-id"], name="suggestion_list_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Its page (notifications about it link here)."""
        return reverse("proposals:detail", args=[self.pk])

    @property
    def acting_congress_id(self) -> int:
        """The congress whose staff take its workflow steps (the handling congress
        after forwarding up, else its own)."""
        return self.handling_congress_id or self.congress_id

    @property
    def by_presidium(self) -> bool:
        """A bill of the session's presidium (大会主席团提出的议案)."""
        return self.proposer == self.Proposer.PRESIDIUM

    @property
    def lead_deputy(self) -> Mandate:
        """The lead deputy of every item but a bill of the presidium (which never
        reaches the steps that ask for one: rating, co-signing, points)."""
        if self.lead is None:
            raise ValueError(f"suggestion {self.pk} has no lead deputy (presidium)")
        return self.lead

    @property
    def proposer_name(self) -> str:
        """Who submitted it as lists print it: the lead deputy, or 大会主席团."""
        if self.lead_id is None:
            return str(self.Proposer.PRESIDIUM.label)
        return self.lead.person.name

    @property
    def awaiting_bill_decision(self) -> bool:
        return self.kind == self.Kind.BILL and self.status in (
            self.Status.SUBMITTED,
            self.Status.COMMITTEE_REVIEW,
        )

    @property
    def number_display(self) -> str:
        """The official number, e.g. 〔2026〕第12号 (assigned at registration)."""
        if self.number is None:
            return ""
        return f"〔{self.year}〕第{self.number}号"


class CoSigner(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("待确认")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已谢绝")

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="cosigners"
    )
    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("附议代表"),
        on_delete=models.PROTECT,
        related_name="cosignatures",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    responded_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("联名代表")
        verbose_name_plural = _("联名代表")
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "mandate"], name="cosigner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id}:{self.mandate_id}"


class SuggestionEvent(StatusChange):
    """A status change or notable action: the audit trail and the timeline."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=40)
    # An action that changes no status (a note, a contact) leaves both states empty.
    to_state = models.CharField(_("新状态"), max_length=32, blank=True)
    unit = models.ForeignKey(
        HandlingUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Internal notes of a unit are shown to that unit and congress staff only.
    internal = models.BooleanField(default=False)

    class Meta(StatusChange.Meta):
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.action}"


class Assignment(models.Model):
    """One unit's part in handling a suggestion (主办/协办/分办)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("主办")
        CO = "co", _("协办")
        SPLIT = "split", _("分办")

    class Status(models.TextChoices):
        PENDING = "pending", _("待签收")
        ACCEPTED = "accepted", _("已签收")
        RETURN_REQUESTED = "return_requested", _("申请退办")
        REPLIED = "replied", _("已答复")
        RETURNED = "returned", _("已退办")

    TRANSITIONS: dict[str, set[str]] = {
        Status.PENDING: {Status.ACCEPTED, Status.RETURN_REQUESTED},
        Status.ACCEPTED: {Status.REPLIED, Status.RETURN_REQUESTED},
        Status.RETURN_REQUESTED: {Status.RETURNED, Status.ACCEPTED},
        Status.REPLIED: {Status.ACCEPTED},  # rehandling reopens it
        Status.RETURNED: set(),
    }
    # States in which the unit still holds the part (for boards and deadlines).
    OPEN_STATES = (Status.PENDING, Status.ACCEPTED, Status.RETURN_REQUESTED)

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="assignments"
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("承办方式"), max_length=8, choices=Role.choices)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    assigned_on = models.DateField(_("交办日期"))
    due_date = models.DateField(_("办理期限"))
    original_due_date = models.DateField(_("原办理期限"))
    accepted_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    round_started_at = models.DateTimeField(_("本轮开始时间"), auto_now_add=True)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("交办")
        verbose_name_plural = _("交办")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "unit"],
                condition=~Q(status="returned"),
                name="assignment_one_live_per_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status", "due_date"]),
            models.Index(fields=["status", "due_date"]),
            # A unit's newest first (its API list, keyset on id): without it
            # PostgreSQL walked the primary key backwards past 50,000 other
            # units' rows, 17 ms (issue 14, EXPLAIN in docs/performance.md).
            models.Index(fields=["unit", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.unit} {self.get_role_display()}"

    def get_absolute_url(self) -> str:
        """Its page (notifications about it link here)."""
        return reverse("proposals:assignment", args=[self.pk])

    @property
    def answers(self) -> bool:
        """Lead and split units answer the deputy; co-units send opinions to the lead."""
        return self.role in (self.Role.LEAD, self.Role.SPLIT)


class Contact(models.Model):
    """A recorded contact with the deputy (面商), required before a reply."""

    class Method(models.TextChoices):
        MEETING = "meeting", _("当面沟通")
        PHONE = "phone", _("电话沟通")
        SITE_VISIT = "site_visit", _("实地调研")
        OTHER = "other", _("其他方式")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="contacts"
    )
    method = models.CharField(_("方式"), max_length=12, choices=Method.choices)
    date = models.DateField(_("日期"))
    summary = models.TextField(_("沟通情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("沟通联系")
        verbose_name_plural = _("沟通联系")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.date}"


class ExtensionRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已同意")
        REJECTED = "rejected", _("不同意")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="extension_requests"
    )
    new_due_date = models.DateField(_("申请延期至"))
    reason = models.TextField(_("理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="extension_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} → {self.new_due_date}"


class ReturnRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("同意退办")
        REJECTED = "rejected", _("不同意退办")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="return_requests"
    )
    reason = models.TextField(_("退办理由"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    previous_status = models.CharField(max_length=20, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    objects = RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("退办申请")
        verbose_name_plural = _("退办申请")
        constraints = [
            models.UniqueConstraint(
                fields=["assignment"],
                condition=Q(status="pending"),
                name="return_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.status}"


class CoUnitOpinion(models.Model):
    """A co-unit's opinion to the lead unit (协办意见), due within 1 month (rule)."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="co_opinions"
    )
    # One opinion per handling round: a rehandling round asks for it again.
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=1)
    text = models.TextField(_("协办意见"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(auto_now_add=True)
    due_date = models.DateField(_("应提出日期"))

    class Meta:
        verbose_name = _("协办意见")
        verbose_name_plural = _("协办意见")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "round"], name="co_opinion_one_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id}"


class Reply(models.Model):
    """The unit's written answer (答复) of one round."""

    class Category(models.TextChoices):
        A = "A", _("A 已解决或基本解决")
        B = "B", _("B 正在解决或列入计划解决")
        C = "C", _("C 因条件限制待以后解决")
        D = "D", _("D 留作参考")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="replies"
    )
    round = models.PositiveSmallIntegerField(_("轮次"))
    category = models.CharField(_("答复类别"), max_length=1, choices=Category.choices)
    text = models.TextField(_("答复内容"))
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    signer = models.CharField(_("签发人"), max_length=50, blank=True)
    attachment = models.FileField(
        _("答复文件"), upload_to="proposals/replies/%Y/", blank=True
    )
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    replied_at = models.DateTimeField(_("答复时间"), auto_now_add=True)
    on_time = models.BooleanField(_("按期答复"), default=True)
    # What the public site shows: the staff's reviewed text (personal data and
    # third parties removed), once published.
    public_text = models.TextField(_("公开文本"), blank=True)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("答复")
        verbose_name_plural = _("答复")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["assignment", "round"], name="reply_one_per_round"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assignment_id} R{self.round} {self.category}"


class Commitment(models.Model):
    """A promise in a B/C reply, tracked until done (跟踪落实)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("落实中")
        DONE = "done", _("已落实")

    reply = models.ForeignKey(
        Reply, on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.CharField(_("承诺事项"), max_length=300)
    due_date = models.DateField(_("承诺完成日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    done_note = models.TextField(_("落实情况"), blank=True)
    # The deputy's receipt (回执): a commitment the unit reports done counts only
    # once the deputy confirms it (or the rule's days pass without an answer).
    confirmed_at = models.DateTimeField(_("代表确认时间"), null=True, blank=True)
    receipt_note = models.TextField(_("代表回执意见"), blank=True)
    receipt_lapsed = models.BooleanField(_("逾期未回执"), default=False)

    class Meta:
        verbose_name = _("承诺事项")
        verbose_name_plural = _("承诺事项")
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.text


class Evaluation(models.Model):
    """A deputy's rating of the handling (代表评), never editable."""

    class Rating(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    class CallbackFinding(models.TextChoices):
        CONFIRMED = "confirmed", _("评价属实")
        NOT_SATISFIED = "not_satisfied", _("代表实际不满意")

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="evaluations"
    )
    round = models.PositiveSmallIntegerField(_("轮次"))
    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("评价代表"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    result = models.CharField(_("对办理结果"), max_length=20, choices=Rating.choices)
    attitude = models.CharField(_("对办理态度"), max_length=20, choices=Rating.choices)
    comment = models.TextField(_("意见"), blank=True)
    submitted_at = models.DateTimeField(_("评价时间"), auto_now_add=True)
    callback_flagged = models.BooleanField(_("抽查回访"), default=False)
    callback_note = models.TextField(_("回访情况"), blank=True)
    # What the callback found: the rating stands (it is never changed), but a
    # deputy who was not really satisfied flags it, and the item may be reopened.
    callback_finding = models.CharField(
        _("回访结论"), max_length=16, choices=CallbackFinding.choices, blank=True
    )
    callback_at = models.DateTimeField(_("回访记录时间"), null=True, blank=True)
    # Recorded by the system when the deputy did not rate in time and the rule
    # deems the reply 基本满意; counted apart from the deputies' own ratings.
    deemed = models.BooleanField(_("逾期视为评价"), default=False)

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("评价")
        verbose_name_plural = _("评价")
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["suggestion", "round", "mandate"],
                name="evaluation_once_per_round",
            )
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id} R{self.round} {self.result}"


class Urge(models.Model):
    """An urge (催办) of an assignment, by staff or the deputy."""

    class ByRole(models.TextChoices):
        STAFF = "staff", _("人大工作人员")
        DEPUTY = "deputy", _("代表")

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="urges"
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Who urged, kept when the account goes (``by`` is then empty).
    by_role = models.CharField(
        _("催办人"), max_length=8, choices=ByRole.choices, default=ByRole.STAFF
    )
    note = models.CharField(_("催办说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")

    def __str__(self) -> str:
        return f"{self.assignment_id} {self.created_at:%Y-%m-%d}"


# Key supervision lives in its own module; the app's models are all read from here.
from .supervision_models import (  # noqa: E402
    KeySupervisionItem,
    PlannedSupervisionEvent,
    SupervisionEvent,
)

__all__ = [
    "Assignment",
    "CoSigner",
    "CoUnitOpinion",
    "Commitment",
    "Contact",
    "Evaluation",
    "ExtensionRequest",
    "KeySupervisionItem",
    "PlannedSupervisionEvent",
    "Reply",
    "ReturnRequest",
    "Suggestion",
    "SuggestionEvent",
    "SupervisionEvent",
    "Urge",
]

# issue 17: incentives — commendations (大激励): proposals/commendations/models.py
from .commendations import models as _commendations  # noqa: E402, F401

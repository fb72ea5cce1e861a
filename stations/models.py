"""Liaison stations and constituents' opinions (DESIGN.md §4): the closed loop
"民有所呼、我有所应"."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deputies.models import Mandate
from portal.models import Congress, HandlingUnit, Region
from portal.workflow import StatusChange

from .querysets import (
    DutyDayQuerySet,
    OpinionAssignmentQuerySet,
    OpinionQuerySet,
    ReceptionQuerySet,
    StationQuerySet,
)


class Station(models.Model):
    """A deputy liaison station (代表联络站) or point (联络点)."""

    class Kind(models.TextChoices):
        TOWNSHIP = "township", _("乡镇（街道）代表联络站")
        POINT = "point", _("村（社区）代表联络点")
        PARK = "park", _("园区（行业）代表联络站")
        ONLINE = "online", _("网上代表联络站")

    class Status(models.TextChoices):
        ACTIVE = "active", _("运行中")
        INACTIVE = "inactive", _("已停用")

    code = models.CharField(_("站点编码"), max_length=30, unique=True)
    tracking_prefix = models.CharField(
        _("查询码前缀"), max_length=6, help_text=_("例如 TH")
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.PROTECT,
        related_name="stations",
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    latitude = models.DecimalField(
        _("纬度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("经度"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    opening_hours = models.CharField(_("开放时间"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    master = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("站长"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    liaison_officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("联络员"), blank=True, related_name="+"
    )
    is_model = models.BooleanField(_("示范站"), default=False)
    # issue 17: networks — 一站多点: a point (联络点) belongs to its station.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("所属联络站"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="points",
        help_text=_("一站多点：联络点所属的代表联络站。"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    description = models.TextField(_("简介"), blank=True)
    # Denormalised region path for cheap scoping ("this region and below").
    region_path = models.CharField(max_length=255, editable=False, db_index=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表联络站")
        verbose_name_plural = _("代表联络站")
        ordering = ["region_path", "name"]

    def __str__(self) -> str:
        return self.name


class StationMembership(models.Model):
    """A deputy grouped into a station (进站编组), of any level."""

    class Role(models.TextChoices):
        RESIDENT = "resident", _("常驻")
        ROTATING = "rotating", _("轮值")

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="memberships"
    )
    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("代表"),
        on_delete=models.CASCADE,
        related_name="station_memberships",
    )
    role = models.CharField(
        _("进站方式"), max_length=10, choices=Role.choices, default=Role.RESIDENT
    )
    start_date = models.DateField(_("进站日期"))
    end_date = models.DateField(_("离站日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("进站代表")
        verbose_name_plural = _("进站代表")
        constraints = [
            models.UniqueConstraint(
                fields=["station", "mandate"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.station_id}:{self.mandate_id}"


class DutyDay(models.Model):
    """A reception day (接待日) on the station's roster."""

    class Slot(models.TextChoices):
        MORNING = "morning", _("上午")
        AFTERNOON = "afternoon", _("下午")
        FULL_DAY = "full_day", _("全天")
        EVENING = "evening", _("晚上")

    class Status(models.TextChoices):
        DRAFT = "draft", _("未公布")
        PUBLISHED = "published", _("已公布")
        CANCELLED = "cancelled", _("已取消")

    TRANSITIONS: dict[str, set[str]] = {
        Status.DRAFT: {Status.PUBLISHED, Status.CANCELLED},
        Status.PUBLISHED: {Status.CANCELLED},
        Status.CANCELLED: set(),
    }

    station = models.ForeignKey(
        Station,
        verbose_name=_("联络站"),
        on_delete=models.CASCADE,
        related_name="duty_days",
    )
    date = models.DateField(_("日期"))
    slot = models.CharField(
        _("时段"), max_length=10, choices=Slot.choices, default=Slot.MORNING
    )
    deputies = models.ManyToManyField(
        Mandate,
        verbose_name=_("值班代表"),
        through="DutyAssignment",
        related_name="duty_days",
        blank=True,
    )
    topic = models.CharField(_("接待主题"), max_length=200, blank=True)
    # issue 18: a day's life: a draft is published to the public, or deleted;
    # a draft or a published day may be cancelled (a published one with a
    # public notice on the station page).
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_published = models.BooleanField(_("已公布"), default=False)
    published_at = models.DateTimeField(_("公布时间"), null=True, blank=True)
    cancel_reason = models.CharField(_("取消原因"), max_length=200, blank=True)
    cancelled_at = models.DateTimeField(_("取消时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DutyDayQuerySet.as_manager()

    class Meta:
        verbose_name = _("接待日")
        verbose_name_plural = _("接待日")
        ordering = ["date", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "date", "slot"], name="dutyday_unique_slot"
            )
        ]
        indexes = [models.Index(fields=["station", "is_published", "date"])]

    def __str__(self) -> str:
        return f"{self.station} {self.date} {self.get_slot_display()}"

    @property
    def half_days(self) -> int:
        return 2 if self.slot == self.Slot.FULL_DAY else 1

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED


class DutyDayEvent(StatusChange):
    """A change of a duty day (created, edited, published, cancelled): its audit
    trail. A deleted draft takes its rows with it (the audit log keeps the deletion)."""

    duty_day = models.ForeignKey(
        DutyDay, on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("接待日变更记录")
        verbose_name_plural = _("接待日变更记录")


class DutyAssignment(models.Model):
    duty_day = models.ForeignKey(
        DutyDay, on_delete=models.CASCADE, related_name="assignments"
    )
    mandate = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="duty_assignments"
    )
    attended = models.BooleanField(_("已到岗"), null=True, blank=True)

    class Meta:
        verbose_name = _("值班安排")
        verbose_name_plural = _("值班安排")
        constraints = [
            models.UniqueConstraint(
                fields=["duty_day", "mandate"], name="duty_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.duty_day_id}:{self.mandate_id}"


class Reception(models.Model):
    """A reception record (接待记录)."""

    class Mode(models.TextChoices):
        RECEPTION_DAY = "reception_day", _("接待日接待")
        HOME_VISIT = "home_visit", _("下访")
        APPOINTMENT = "appointment", _("约访")
        ONLINE = "online", _("网上接待")
        HOTLINE = "hotline", _("热线电话")

    station = models.ForeignKey(
        Station,
        verbose_name=_("联络站"),
        on_delete=models.CASCADE,
        related_name="receptions",
    )
    duty_day = models.ForeignKey(
        DutyDay,
        verbose_name=_("接待日"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="receptions",
    )
    date = models.DateField(_("日期"))
    mode = models.CharField(_("方式"), max_length=20, choices=Mode.choices)
    deputies = models.ManyToManyField(
        Mandate, verbose_name=_("参加代表"), related_name="receptions", blank=True
    )
    visitor_count = models.PositiveIntegerField(_("接待群众人数"), default=0)
    notes = models.TextField(_("接待情况"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReceptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("接待记录")
        verbose_name_plural = _("接待记录")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.station} {self.date}"


class Opinion(models.Model):
    """A constituent's opinion (群众意见) and its closed loop."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("已受理")
        ANSWERED_ON_SITE = "answered_on_site", _("当场答复")
        NOT_ACCEPTED = "not_accepted", _("不予受理（已告知途径）")
        ASSIGNED = "assigned", _("已交办")
        REPLIED = "replied", _("已答复")
        VISITED = "visited", _("已回访")
        REASSIGNED = "reassigned", _("重新交办")
        CONVERTED = "converted", _("已转为代表建议")
        POOLED = "pooled", _("已纳入民生实事征集")
        ESCALATED = "escalated", _("已报上级人大")
        CLOSED = "closed", _("已办结")

    TRANSITIONS: dict[str, set[str]] = {
        Status.RECEIVED: {
            Status.ANSWERED_ON_SITE,
            Status.NOT_ACCEPTED,
            Status.ASSIGNED,
            Status.CONVERTED,
            Status.POOLED,
            Status.ESCALATED,
        },
        Status.ASSIGNED: {Status.REPLIED},
        Status.REASSIGNED: {Status.REPLIED},
        Status.REPLIED: {Status.VISITED},
        Status.VISITED: {Status.CLOSED, Status.REASSIGNED},
        # Escalated (报上级人大, 转县级人大办理): the congress above handles it in
        # its own loop, from assigning it to its units to closing it.
        Status.ESCALATED: {Status.ASSIGNED, Status.NOT_ACCEPTED},
        Status.ANSWERED_ON_SITE: set(),
        Status.NOT_ACCEPTED: set(),
        Status.CONVERTED: set(),
        Status.POOLED: set(),
        Status.CLOSED: set(),
    }
    OPEN_STATES = (
        Status.RECEIVED,
        Status.ESCALATED,
        Status.ASSIGNED,
        Status.REASSIGNED,
        Status.REPLIED,
        Status.VISITED,
    )

    class Category(models.TextChoices):
        CONSTRUCTION = "construction", _("城乡建设")
        TRANSPORT = "transport", _("交通出行")
        EDUCATION = "education", _("教育")
        HEALTH = "health", _("医疗卫生")
        SOCIAL_SECURITY = "social_security", _("社会保障")
        AGRICULTURE = "agriculture", _("农业农村")
        ENVIRONMENT = "environment", _("生态环境")
        GOVERNANCE = "governance", _("基层治理")
        ECONOMY = "economy", _("经济发展")
        OTHER = "other", _("其他")

    class Source(models.TextChoices):
        ONLINE = "online", _("网上反映")
        RECEPTION = "reception", _("接待收集")
        HOTLINE = "hotline", _("热线电话")
        VISIT = "visit", _("走访收集")

    class VisitResult(models.TextChoices):
        SATISFIED = "satisfied", _("满意")
        BASICALLY_SATISFIED = "basically_satisfied", _("基本满意")
        DISSATISFIED = "dissatisfied", _("不满意")

    station = models.ForeignKey(
        Station,
        verbose_name=_("联络站"),
        on_delete=models.PROTECT,
        related_name="opinions",
    )
    tracking_code = models.CharField(_("查询码"), max_length=30, unique=True)
    # The random part of the code, normalised (stations/tracking.py): the lookup key.
    tracking_key = models.CharField(max_length=16, unique=True, editable=False)
    # The congress of the station's region (or the nearest above): the opinion's
    # own congress. ``escalated_to`` (when set) is the congress handling it now.
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("所属人大"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    source = models.CharField(
        _("来源"), max_length=12, choices=Source.choices, default=Source.ONLINE
    )
    reception = models.ForeignKey(
        Reception,
        verbose_name=_("接待记录"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opinions",
    )
    deputies = models.ManyToManyField(
        Mandate, verbose_name=_("收集代表"), related_name="opinions", blank=True
    )
    submitter_name = models.CharField(_("反映人"), max_length=50)
    submitter_phone = models.CharField(_("联系电话"), max_length=20)
    category = models.CharField(
        _("类别"), max_length=20, choices=Category.choices, default=Category.OTHER
    )
    content = models.TextField(_("反映内容"))
    photo = models.FileField(_("照片"), upload_to="stations/opinions/%Y/", blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    round = models.PositiveSmallIntegerField(_("办理轮次"), default=0)
    due_date = models.DateField(_("办理期限"), null=True, blank=True)
    current_unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    outcome_note = models.TextField(
        _("处理说明"), blank=True, help_text=_("当场答复内容或告知的法定途径")
    )
    escalated_to = models.ForeignKey(
        Congress,
        verbose_name=_("上报人大"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    converted_for = models.ForeignKey(
        Mandate,
        verbose_name=_("转为建议的代表"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="converted_opinions",
    )
    visit_result = models.CharField(
        _("回访结果"), max_length=20, choices=VisitResult.choices, blank=True
    )
    # issue 18: the citizen's own rating of the reply (once, by tracking code
    # and the last four digits of the phone), beside the staff's visit result.
    citizen_rating = models.CharField(
        _("群众评价"), max_length=20, choices=VisitResult.choices, blank=True
    )
    citizen_rating_reason = models.TextField(_("不满意原因"), blank=True)
    citizen_rated_at = models.DateTimeField(_("评价时间"), null=True, blank=True)
    needs_supervision = models.BooleanField(_("转人大督办"), default=False)
    public_reply = models.TextField(_("公开答复"), blank=True)
    is_reply_published = models.BooleanField(_("答复已公开"), default=False)
    region_path = models.CharField(max_length=255, editable=False, db_index=True)
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    objects = OpinionQuerySet.as_manager()

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "due_date"]),
            models.Index(fields=["station", "status", "due_date"]),
            models.Index(fields=["current_unit", "status"]),
            # The inbox's order (``inbox_order``), walked under the scope's filter
            # and stopped at the page (issue 14). An ascending key is NULLS LAST
            # in PostgreSQL's index by default, as the order asks.
            models.Index(
                fields=["due_date", "-created_at", "-id"], name="opinion_inbox_order"
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    def get_absolute_url(self) -> str:
        """Its page (notifications about it link here)."""
        return reverse("stations:opinion", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES

    @property
    def handling_congress_id(self) -> int | None:
        """The congress whose loop handles the opinion: the one it was escalated
        (forwarded) to, else its own."""
        return self.escalated_to_id or self.congress_id


class OpinionAssignment(models.Model):
    """One round of handling by a unit, with its reply."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="assignments"
    )
    round = models.PositiveSmallIntegerField(_("轮次"))
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("承办单位"),
        on_delete=models.PROTECT,
        related_name="opinion_assignments",
    )
    assigned_at = models.DateTimeField(_("交办时间"), auto_now_add=True)
    due_date = models.DateField(_("办理期限"))
    reply_text = models.TextField(_("答复内容"), blank=True)
    replied_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    visit_result = models.CharField(
        _("回访结果"), max_length=20, choices=Opinion.VisitResult.choices, blank=True
    )
    visit_note = models.TextField(_("回访情况"), blank=True)

    objects = OpinionAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("意见交办")
        verbose_name_plural = _("意见交办")
        ordering = ["opinion", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["opinion", "round"], name="opinion_assignment_round"
            )
        ]
        indexes = [models.Index(fields=["unit", "replied_at"])]

    def __str__(self) -> str:
        return f"{self.opinion_id} R{self.round}"

    @property
    def replied_on_time(self) -> bool | None:
        if self.replied_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.replied_at) <= self.due_date


class OpinionEvent(StatusChange):
    """A status change of an opinion: the audit trail and the timeline."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="events"
    )
    # The opinion's statuses with their labels (the timeline shows them).
    from_state = models.CharField(
        _("原状态"), max_length=20, choices=Opinion.Status.choices, blank=True
    )
    to_state = models.CharField(
        _("新状态"), max_length=20, choices=Opinion.Status.choices
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("意见办理记录")
        verbose_name_plural = _("意见办理记录")

    def __str__(self) -> str:
        return f"{self.opinion_id} {self.from_state}→{self.to_state}"


class OpinionSms(models.Model):
    """A text message to the citizen about their opinion, once per key: the row
    is inserted before the message is sent, so a re-run never sends it twice."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="text_messages"
    )
    key = models.CharField(max_length=120, unique=True)
    text = models.CharField(_("短信内容"), max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("群众意见短信")
        verbose_name_plural = _("群众意见短信")

    def __str__(self) -> str:
        return self.key


# issue 17: incentives — activity funds and legislative consultation.
from .consultation_models import (  # noqa: E402, F401
    DraftComment,
    DraftEvent,
    LegislativeDraft,
    StationHonour,
)
from .funds_models import FundBudget, FundEvent, FundSpending  # noqa: E402, F401

# issue 17: networks — points, duty targets, assessments, 代表码, grassroots governance.
from .network_models import (  # noqa: E402, F401
    AssessmentEvent,
    MediationCase,
    MediationEvent,
    SocialReport,
    SocialReportEvent,
    StationActivity,
    StationAssessment,
)

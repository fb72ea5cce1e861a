"""Deputies (DESIGN.md §3): persons, mandates, qualification events, delegations,
groups, activities, the performance ledger and reports to voters."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Congress, Region, Term
from portal.workflow import StatusChange

from .choices import (
    ETHNICITY_CHOICES,
    Education,
    Gender,
    Occupation,
    Party,
    SuspensionGround,
    TerminationGround,
)
from .querysets import (
    ActivityQuerySet,
    DelegationQuerySet,
    DeputyGroupQuerySet,
    LedgerEntryQuerySet,
    MandateExportQuerySet,
    MandateQuerySet,
    PersonQuerySet,
    RosterImportQuerySet,
)

# The army's electoral unit (选举法: 中国人民解放军单独进行选举).
ARMY_ELECTORAL_UNIT = _("中国人民解放军选举单位")


class Person(models.Model):
    """A natural person who holds (or held) one or more mandates."""

    name = models.CharField(_("姓名"), max_length=50)
    name_stroke_key = models.CharField(
        _("笔画排序键"), max_length=255, editable=False, db_index=True
    )
    name_pinyin = models.CharField(
        _("拼音"), max_length=255, editable=False, db_index=True
    )
    gender = models.CharField(_("性别"), max_length=10, choices=Gender.choices)
    ethnicity = models.CharField(
        _("民族"), max_length=10, choices=ETHNICITY_CHOICES, default="汉族"
    )
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    party = models.CharField(
        _("政治面貌"), max_length=20, choices=Party.choices, blank=True
    )
    education = models.CharField(
        _("学历"), max_length=20, choices=Education.choices, blank=True
    )
    employer = models.CharField(_("工作单位"), max_length=100, blank=True)
    post = models.CharField(_("职务"), max_length=100, blank=True)
    occupation = models.CharField(
        _("代表构成"),
        max_length=20,
        choices=Occupation.choices,
        default=Occupation.OTHER,
    )
    is_frontline = models.BooleanField(_("一线代表"), default=False)
    mobile = models.CharField(_("手机号码"), max_length=11, blank=True)
    id_number = models.CharField(_("身份证号码"), max_length=18, blank=True)
    photo = models.FileField(_("照片"), upload_to="deputies/photos/", blank=True)
    biography = models.TextField(_("公开简介"), blank=True)
    # Where the deputy lives: deputy groups of a congress may take in deputies
    # of other levels who live in its region (DeputyGroupQuerySet).
    residence_region = models.ForeignKey(
        Region,
        verbose_name=_("居住地"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账户"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["name_stroke_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"],
                condition=~Q(id_number=""),
                name="person_id_number_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Constituency(models.Model):
    """A constituency (选区, county and township) or electoral unit (选举单位, city and above)."""

    class Kind(models.TextChoices):
        CONSTITUENCY = "constituency", _("选区")
        ELECTORAL_UNIT = "electoral_unit", _("选举单位")

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.CASCADE,
        related_name="constituencies",
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("类型"), max_length=20, choices=Kind.choices, default=Kind.CONSTITUENCY
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("所在区划"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    seats = models.PositiveSmallIntegerField(_("应选代表名额"), default=1)

    class Meta:
        verbose_name = _("选区（选举单位）")
        verbose_name_plural = _("选区（选举单位）")
        ordering = ["congress", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "name"], name="constituency_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Delegation(models.Model):
    """A delegation (代表团) of a term's sessions, county level and above."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.CASCADE,
        related_name="delegations",
    )
    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.CASCADE, related_name="delegations"
    )
    name = models.CharField(_("名称"), max_length=100)
    head = models.ForeignKey(
        "Mandate",
        verbose_name=_("团长"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DelegationQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表团")
        verbose_name_plural = _("代表团")
        ordering = ["term", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "name"], name="delegation_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Mandate(models.Model):
    """A deputy's mandate (代表资格): one person in one congress and term."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("正常履职")
        SUSPENDED = "suspended", _("暂停执行代表职务")
        TERMINATED = "terminated", _("代表资格终止")
        EXPIRED = "expired", _("任期届满")

    TRANSITIONS: dict[str, set[str]] = {
        Status.ACTIVE: {Status.SUSPENDED, Status.TERMINATED, Status.EXPIRED},
        Status.SUSPENDED: {Status.ACTIVE, Status.TERMINATED, Status.EXPIRED},
        Status.TERMINATED: set(),
        Status.EXPIRED: set(),
    }

    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.PROTECT, related_name="mandates"
    )
    card_number = models.CharField(_("代表证号"), max_length=30)
    constituency = models.ForeignKey(
        Constituency,
        verbose_name=_("选区（选举单位）"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mandates",
    )
    # 原选举单位 of an indirectly elected mandate (city level and above): the
    # congress one level below that elected it (a province deputy elected by a
    # city congress), or the army's electoral unit. County and township deputies
    # are elected directly in a constituency instead (选举法).
    electing_congress = models.ForeignKey(
        Congress,
        verbose_name=_("原选举单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="elected_mandates",
    )
    elected_by_army = models.BooleanField(_("由解放军选举单位选出"), default=False)
    delegation = models.ForeignKey(
        Delegation,
        verbose_name=_("代表团"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    # Copies of the person's name keys (kept in sync by the services), so lists
    # sort and keyset-paginate on one indexed table.
    name_stroke_key = models.CharField(
        _("笔画排序键"), max_length=255, editable=False, default=""
    )
    name_pinyin = models.CharField(
        _("拼音"), max_length=255, editable=False, default=""
    )
    elected_on = models.DateField(_("当选日期"), null=True, blank=True)
    ended_on = models.DateField(_("终止日期"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = MandateQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表资格")
        verbose_name_plural = _("代表资格")
        ordering = ["name_stroke_key", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "card_number"], name="mandate_unique_card"
            ),
            models.UniqueConstraint(
                fields=["term", "person"], name="mandate_one_per_term"
            ),
            models.CheckConstraint(
                condition=~Q(electing_congress__isnull=False, elected_by_army=True),
                name="mandate_one_electing_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["congress", "status"]),
            models.Index(fields=["term", "status"]),
            models.Index(fields=["name_stroke_key", "id"]),
            models.Index(fields=["congress", "name_stroke_key", "id"]),
            models.Index(fields=["name_pinyin", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.congress.name}）"

    @property
    def electing_unit_name(self) -> str:
        """The 原选举单位 as printed: the electing congress or the army's unit."""
        if self.elected_by_army:
            return str(ARMY_ELECTORAL_UNIT)
        if self.electing_congress_id is not None:
            return self.electing_congress.name
        return ""

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class QualificationEvent(StatusChange):
    """A change of a mandate's status, with its legal ground and document."""

    class Kind(models.TextChoices):
        SUSPEND = "suspend", _("暂停执行代表职务")
        RESTORE = "restore", _("恢复执行代表职务")
        TERMINATE = "terminate", _("代表资格终止")
        EXPIRE = "expire", _("任期届满")

    GROUND_CHOICES = [
        *SuspensionGround.choices,
        *TerminationGround.choices,
        ("ground_ended", _("暂停事由消失")),
        ("term_end", _("任期届满")),
    ]

    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("代表资格"),
        on_delete=models.CASCADE,
        related_name="events",
    )
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    ground = models.CharField(_("法定事由"), max_length=40, choices=GROUND_CHOICES)
    date = models.DateField(_("日期"))
    document_number = models.CharField(
        _("公告（文件）编号"), max_length=100, blank=True
    )
    # The mandate's statuses with their labels; every change has a previous one.
    from_state = models.CharField(
        _("原状态"), max_length=12, choices=Mandate.Status.choices
    )
    to_state = models.CharField(
        _("新状态"), max_length=12, choices=Mandate.Status.choices
    )

    class Meta(StatusChange.Meta):
        verbose_name = _("代表资格变动")
        verbose_name_plural = _("代表资格变动")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.mandate} {self.get_kind_display()}"


class DeputyGroup(models.Model):
    """A deputy group (代表小组) for activities between sessions."""

    class Kind(models.TextChoices):
        REGIONAL = "regional", _("区域")
        PROFESSIONAL = "professional", _("专业")
        INDUSTRY = "industry", _("行业")
        INDUSTRIAL_CHAIN = "industrial_chain", _("产业链")
        STATION = "station", _("联络站")

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.CASCADE,
        related_name="deputy_groups",
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    leader = models.ForeignKey(
        Mandate,
        verbose_name=_("组长"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    annual_plan = models.TextField(_("年度活动计划"), blank=True)
    members = models.ManyToManyField(
        Mandate,
        verbose_name=_("成员"),
        through="GroupMembership",
        related_name="groups",
        blank=True,
    )

    objects = DeputyGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表小组")
        verbose_name_plural = _("代表小组")
        ordering = ["congress", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "name"], name="group_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupMembership(models.Model):
    group = models.ForeignKey(
        DeputyGroup, on_delete=models.CASCADE, related_name="memberships"
    )
    mandate = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="memberships"
    )
    joined_on = models.DateField(_("加入日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("小组成员")
        verbose_name_plural = _("小组成员")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "mandate"], name="membership_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id}:{self.mandate_id}"


class Activity(models.Model):
    """A performance activity (履职活动) with participants and evidence."""

    class Kind(models.TextChoices):
        SESSION_ATTENDANCE = "session_attendance", _("出席人代会会议")
        OBSERVER_ATTENDANCE = "observer_attendance", _("列席会议")
        INSPECTION = "inspection", _("视察")
        RESEARCH = "research", _("调研")
        LAW_ENFORCEMENT_CHECK = "law_enforcement_check", _("执法检查")
        TRAINING = "training", _("学习培训")
        GROUP_ACTIVITY = "group_activity", _("代表小组活动")
        STATION_DUTY = "station_duty", _("联络站接待")
        REPORT_TO_VOTERS = "report_to_voters", _("向选民述职")

    class Review(models.TextChoices):
        PENDING = "pending", _("待审核")
        APPROVED = "approved", _("已审核")
        RETURNED = "returned", _("已退回")

    # Review decisions allowed from each state; approval is final (the points
    # are in the ledger), a returned activity may still be approved.
    REVIEW_TRANSITIONS: dict[str, set[str]] = {
        Review.PENDING: {Review.APPROVED, Review.RETURNED},
        Review.RETURNED: {Review.APPROVED},
        Review.APPROVED: set(),
    }

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("组织的人大"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    group = models.ForeignKey(
        DeputyGroup,
        verbose_name=_("代表小组"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    kind = models.CharField(_("类型"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("主题"), max_length=200)
    date = models.DateField(_("日期"))
    organiser = models.CharField(_("组织单位"), max_length=100, blank=True)
    location = models.CharField(_("地点"), max_length=200, blank=True)
    description = models.TextField(_("内容"), blank=True)
    review_status = models.CharField(
        _("审核状态"), max_length=10, choices=Review.choices, default=Review.PENDING
    )
    review_note = models.TextField(_("审核意见"), blank=True)
    participants = models.ManyToManyField(
        Mandate,
        verbose_name=_("参加代表"),
        through="Attendance",
        related_name="activities",
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    # issue 16: sessions — pre-session work (会前视察、集中学习) of a session.
    session = models.ForeignKey(
        "portal.Session",
        verbose_name=_("会前活动所属会议"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="pre_session_activities",
    )

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("履职活动")
        verbose_name_plural = _("履职活动")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["congress", "date"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        """Its page (notifications about it link here)."""
        return reverse("deputies:activity_detail", args=[self.pk])


class Attendance(models.Model):
    class Status(models.TextChoices):
        INVITED = "invited", _("已通知")
        ATTENDED = "attended", _("出席")
        EXCUSED = "excused", _("请假")
        ABSENT = "absent", _("无故缺席")

    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="attendances"
    )
    mandate = models.ForeignKey(
        Mandate, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(
        _("出席情况"), max_length=10, choices=Status.choices, default=Status.INVITED
    )
    confirmed_at = models.DateTimeField(_("代表确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("出席记录")
        verbose_name_plural = _("出席记录")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "mandate"], name="attendance_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.activity_id}:{self.mandate_id} {self.status}"


class ActivityEvidence(models.Model):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("佐证材料"), upload_to="deputies/evidence/%Y/")
    description = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.description or self.file.name


class LedgerEntry(models.Model):
    """One countable performance event with its points (履职积分).

    Written only through ``deputies.services.ledger_record``; ``key`` makes a
    source event count once.
    """

    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("代表资格"),
        on_delete=models.CASCADE,
        related_name="ledger",
    )
    kind = models.CharField(_("类型"), max_length=40)
    points = models.IntegerField(_("积分"))
    occurred_on = models.DateField(_("发生日期"))
    year = models.PositiveSmallIntegerField(_("年度"), editable=False)
    key = models.CharField(_("唯一键"), max_length=200, unique=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True
    )
    object_id = models.CharField(max_length=40, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("履职积分记录")
        verbose_name_plural = _("履职积分记录")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["mandate", "year"]),
            models.Index(fields=["year", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.mandate_id} {self.kind} {self.points}"


class VoterReport(models.Model):
    """A report to voters (述职)."""

    mandate = models.ForeignKey(
        Mandate,
        verbose_name=_("代表资格"),
        on_delete=models.CASCADE,
        related_name="voter_reports",
    )
    date = models.DateField(_("日期"))
    venue = models.CharField(_("地点"), max_length=200)
    audience = models.CharField(_("参加对象"), max_length=200, blank=True)
    audience_count = models.PositiveIntegerField(_("参加人数"), default=0)
    text = models.TextField(_("述职内容"))
    satisfied = models.PositiveIntegerField(_("满意票"), default=0)
    basically_satisfied = models.PositiveIntegerField(_("基本满意票"), default=0)
    dissatisfied = models.PositiveIntegerField(_("不满意票"), default=0)
    is_published = models.BooleanField(_("已公开"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("述职")
        verbose_name_plural = _("述职")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.mandate_id} {self.date}"


class RosterImport(models.Model):
    """One upload of a roster file: previewed, then committed all or nothing.

    Large files are validated and committed by a Celery task that updates
    ``processed_rows`` so the page can show a progress bar.
    """

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("已上传")
        VALIDATING = "validating", _("正在校验")
        INVALID = "invalid", _("有错误")
        VALID = "valid", _("校验通过，待导入")
        IMPORTING = "importing", _("正在导入")
        DONE = "done", _("已导入")
        FAILED = "failed", _("导入失败")

    file = models.FileField(_("文件"), upload_to="deputies/imports/%Y/")
    original_name = models.CharField(_("文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    preview = models.JSONField(_("预览"), default=list, blank=True)
    imported_count = models.PositiveIntegerField(_("导入数量"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    region_path = models.CharField(_("上传人范围"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    objects = RosterImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))


class MandateExport(models.Model):
    """An export of the deputy list too large to write within one request: the
    filter of the list page is kept, a Celery task writes the .xlsx (progress in
    ``processed_rows``) and only the member of staff who asked may download it,
    since it holds what their scope lets them see."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    query = models.TextField(_("筛选条件"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total_rows = models.PositiveIntegerField(_("总行数"), default=0)
    processed_rows = models.PositiveIntegerField(_("已处理行数"), default=0)
    file = models.FileField(_("文件"), upload_to="deputies/exports/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导出人"),
        # The file holds personal data seen through this user's scope: it goes
        # with the account.
        on_delete=models.CASCADE,
        related_name="+",
    )
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    # A full export (mobiles and ID numbers) gives its reason; empty: masked.
    reason = models.TextField(_("导出完整信息的理由"), blank=True)
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)

    objects = MandateExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("代表名册导出")
        verbose_name_plural = _("代表名册导出")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.created_by} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(99, 100 * self.processed_rows // self.total_rows)


# issue 16: organs (state organs contacting deputies, 列席常委会会议)
from .organ_models import *  # noqa: E402, F403

# issue 16: sessions — attendance, leave, deliberation speeches, training.
from .session_models import (  # noqa: E402,F401
    AbsenceFlag,
    DeliberationMeeting,
    Enrolment,
    LeaveRequest,
    LeaveRequestEvent,
    SessionAttendance,
    Speech,
    TrainingCourse,
)

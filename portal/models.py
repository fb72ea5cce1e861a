"""Core data: users and role grants, regions, congresses, units, rules, audit, notifications."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .notification_text import render_text
from .querysets import (
    AuditEventQuerySet,
    CongressQuerySet,
    HandlingUnitQuerySet,
    NotificationQuerySet,
    RegionQuerySet,
    RoleGrantQuerySet,
)


class User(AbstractUser):
    """A login account. What it may do comes from its role grants."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    mobile = models.CharField(_("手机号码"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def get_full_name(self) -> str:
        return self.display_name or self.username


class Region(models.Model):
    """A node of the administrative division tree (行政区划).

    ``path`` is a materialised path of zero-padded ids ("000001/000007/"), so
    "this region and everything below" is one indexed prefix query.
    """

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCE = "province", _("省级")
        CITY = "city", _("设区的市级")
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡镇级")
        SUBDISTRICT = "subdistrict", _("街道")
        VILLAGE = "village", _("村（社区）")

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("区划代码"), max_length=12, blank=True, db_index=True)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(_("路径"), max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(_("深度"), default=0, editable=False)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="region_code_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_within(self, other: Region) -> bool:
        """True when this region is ``other`` or lies below it."""
        return self.path.startswith(other.path)


class Congress(models.Model):
    """A people's congress (人民代表大会) of one region."""

    class Level(models.TextChoices):
        NATIONAL = "national", _("全国")
        PROVINCE = "province", _("省级")
        CITY = "city", _("设区的市级")
        COUNTY = "county", _("县级")
        TOWNSHIP = "township", _("乡镇级")

    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices)
    region = models.OneToOneField(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="congress",
    )
    standing_committee_name = models.CharField(
        _("常委会（主席团）名称"), max_length=100, blank=True
    )

    objects = CongressQuerySet.as_manager()

    class Meta:
        verbose_name = _("人民代表大会")
        verbose_name_plural = _("人民代表大会")
        ordering = ["region__path"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_township(self) -> bool:
        return self.level == self.Level.TOWNSHIP

    def parent_congress(self) -> Congress | None:
        """The congress of the nearest region above that has one."""
        region = self.region.parent
        while region is not None:
            congress = getattr(region, "congress", None)
            if congress is not None:
                return congress
            region = region.parent
        return None

    def current_term(self) -> Term | None:
        return self.terms.filter(is_current=True).first()


class Term(models.Model):
    """A term (届) of a congress, e.g. 第十八届."""

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.CASCADE,
        related_name="terms",
    )
    number = models.PositiveSmallIntegerField(_("届次"))
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    is_current = models.BooleanField(_("本届"), default=False)

    class Meta:
        verbose_name = _("届")
        verbose_name_plural = _("届")
        ordering = ["congress", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["congress", "number"], name="term_unique_number"
            ),
            models.UniqueConstraint(
                fields=["congress"],
                condition=Q(is_current=True),
                name="term_one_current",
            ),
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="term_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        from .chinese import localized_numeral

        return _("%(congress)s第%(number)s届") % {
            "congress": self.congress.name,
            "number": localized_numeral(self.number),
        }


class Session(models.Model):
    """A meeting (第N次会议) of a term, with its dates and the bill deadline."""

    term = models.ForeignKey(
        Term, verbose_name=_("届"), on_delete=models.CASCADE, related_name="sessions"
    )
    number = models.PositiveSmallIntegerField(_("会次"))
    start_date = models.DateField(_("开幕日期"))
    end_date = models.DateField(_("闭幕日期"))
    bill_deadline = models.DateTimeField(_("议案截止时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "number"], name="session_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="session_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        from .chinese import localized_numeral

        return _("%(term)s第%(number)s次会议") % {
            "term": self.term,
            "number": localized_numeral(self.number),
        }


class HandlingUnit(models.Model):
    """An organisation that answers suggestions and opinions (承办单位)."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        GOVERNMENT_DEPARTMENT = "gov_dept", _("政府部门")
        TOWNSHIP_GOVERNMENT = "township_gov", _("乡镇人民政府")
        COURT = "court", _("法院")
        PROCURATORATE = "procuratorate", _("检察院")
        SUPERVISION = "supervision", _("监察委员会")
        ENTERPRISE = "enterprise", _("企事业单位")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(
        _("类型"),
        max_length=20,
        choices=Kind.choices,
        default=Kind.GOVERNMENT_DEPARTMENT,
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="units",
    )
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("单位负责人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    objects = HandlingUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("承办单位")
        verbose_name_plural = _("承办单位")
        ordering = ["region__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="unit_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    ADMIN = "admin", _("系统管理员")
    CONGRESS_STAFF = "congress_staff", _("人大工作人员")
    LEADER = "leader", _("领导")
    DEPUTY = "deputy", _("代表")
    UNIT_STAFF = "unit_staff", _("承办单位工作人员")
    STATION_STAFF = "station_staff", _("联络站工作人员")
    TOWNSHIP_GOV = "township_gov", _("乡镇政府工作人员")


class ScopeType(models.TextChoices):
    GLOBAL = "global", _("全部")
    REGION = "region", _("行政区划")
    CONGRESS = "congress", _("人民代表大会")
    UNIT = "unit", _("承办单位")
    STATION = "station", _("联络站")


# Which scope each role is granted with (DESIGN.md §1).
ROLE_SCOPES: dict[str, set[str]] = {
    Role.ADMIN: {ScopeType.GLOBAL},
    # A region grant is the county congress's 街道人大工委 staff for one sub-district.
    Role.CONGRESS_STAFF: {ScopeType.CONGRESS, ScopeType.REGION},
    Role.LEADER: {ScopeType.CONGRESS},
    Role.DEPUTY: {ScopeType.CONGRESS},
    Role.UNIT_STAFF: {ScopeType.UNIT},
    Role.STATION_STAFF: {ScopeType.STATION},
    Role.TOWNSHIP_GOV: {ScopeType.REGION, ScopeType.UNIT},
}


class RoleGrant(models.Model):
    """A role held by a user within one scope (a region, congress, unit or station).

    Stations live downstream (stations app), so a station scope is kept as an id
    and resolved through ``portal.registry.register_scope``.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    scope_type = models.CharField(
        _("范围类型"), max_length=10, choices=ScopeType.choices
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("行政区划"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    unit = models.ForeignKey(
        HandlingUnit,
        verbose_name=_("承办单位"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    station_id = models.PositiveBigIntegerField(_("联络站"), null=True, blank=True)
    created_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    objects = RoleGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.CheckConstraint(
                name="grant_scope_matches_type",
                condition=(
                    Q(
                        scope_type="global",
                        region=None,
                        congress=None,
                        unit=None,
                        station_id=None,
                    )
                    | Q(
                        scope_type="region",
                        region__isnull=False,
                        congress=None,
                        unit=None,
                        station_id=None,
                    )
                    | Q(
                        scope_type="congress",
                        congress__isnull=False,
                        region=None,
                        unit=None,
                        station_id=None,
                    )
                    | Q(
                        scope_type="unit",
                        unit__isnull=False,
                        region=None,
                        congress=None,
                        station_id=None,
                    )
                    | Q(
                        scope_type="station",
                        station_id__isnull=False,
                        region=None,
                        congress=None,
                        unit=None,
                    )
                ),
            ),
            # One grant per user, role and scope (one partial constraint per scope
            # type, since NULLs are distinct in unique constraints).
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(scope_type="global"),
                name="grant_unique_global",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "region"],
                condition=Q(scope_type="region"),
                name="grant_unique_region",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "congress"],
                condition=Q(scope_type="congress"),
                name="grant_unique_congress",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=Q(scope_type="unit"),
                name="grant_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "station_id"],
                condition=Q(scope_type="station"),
                name="grant_unique_station",
            ),
        ]
        indexes = [models.Index(fields=["role", "scope_type"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"

    @property
    def scope_id(self) -> int | None:
        return {
            ScopeType.REGION: self.region_id,
            ScopeType.CONGRESS: self.congress_id,
            ScopeType.UNIT: self.unit_id,
            ScopeType.STATION: self.station_id,
        }.get(self.scope_type)


class RuleSet(models.Model):
    """Local rules (*(rule)* figures of DESIGN.md), editable by admins.

    The chain of lookups is: this congress's rule set → the rule sets of the
    congresses above → the default rule set of the congress's level → the
    national default (seeded from the law by a data migration). ``values`` holds
    only the keys this rule set overrides.
    """

    congress = models.OneToOneField(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rule_set",
    )
    level = models.CharField(
        _("适用层级"), max_length=16, choices=Congress.Level.choices, blank=True
    )
    name = models.CharField(_("名称"), max_length=100)
    values = models.JSONField(_("规则取值"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("规则集")
        verbose_name_plural = _("规则集")
        constraints = [
            models.UniqueConstraint(
                fields=["level"],
                condition=Q(congress__isnull=True),
                name="ruleset_one_default_per_level",
            ),
            models.CheckConstraint(
                condition=Q(congress__isnull=True) | Q(level=""),
                name="ruleset_congress_or_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AuditEvent(models.Model):
    """One audited action: a transition, a reveal of personal data, a grant."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("操作"), max_length=50)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    data = models.JSONField(_("附加信息"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    region_path = models.CharField(_("所属区划路径"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "created_at"]),
            models.Index(fields=["region_path"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.object_repr}"


class Notification(models.Model):
    """A message to one user. ``key`` makes each reminder exist at most once."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("站内消息")
        EMAIL = "email", _("电子邮件")
        SMS = "sms", _("短信")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("接收人"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("类型"), max_length=50)
    channel = models.CharField(
        _("渠道"), max_length=10, choices=Channel.choices, default=Channel.IN_APP
    )
    key = models.CharField(_("唯一键"), max_length=200, unique=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("对象类型"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
    )
    object_id = models.CharField(_("对象编号"), max_length=40, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    # The untranslated sentences of title and body and their parameters (issue
    # 18): pages show them in the reader's language (``display_title``); title
    # and body keep the text as sent. Empty on rows from before.
    title_msgid = models.TextField(_("标题原文"), blank=True)
    body_msgid = models.TextField(_("内容原文"), blank=True)
    params = models.JSONField(_("文本参数"), default=dict, blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("发送次数"), default=0)
    # Set while a worker sends; a claim older than NOTIFICATION_CLAIM_SECONDS is
    # treated as abandoned (the worker died) and the row is delivered again.
    claimed_at = models.DateTimeField(_("发送开始时间"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(fields=["status", "created_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def display_title(self) -> str:
        """The title in the active language (the stored one for old rows)."""
        return render_text(self.title_msgid, self.params, fallback=self.title)

    @property
    def display_body(self) -> str:
        """The body in the active language (the stored one for old rows)."""
        return render_text(self.body_msgid, self.params, fallback=self.body)


class Sequence(models.Model):
    """A named counter for human-readable numbers (tracking codes, document numbers).

    Incremented only through :meth:`Sequence.take` under a row lock.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    value = models.PositiveIntegerField(_("当前值"), default=0)

    class Meta:
        verbose_name = _("编号序列")
        verbose_name_plural = _("编号序列")

    def __str__(self) -> str:
        return f"{self.name}={self.value}"

    @classmethod
    def take(cls, name: str) -> int:
        """The next number of the named sequence (gap-free, safe under concurrency)."""
        from django.db import transaction

        with transaction.atomic():
            cls.objects.get_or_create(name=name)
            sequence = cls.objects.select_for_update().get(name=name)
            sequence.value += 1
            sequence.save(update_fields=["value"])
            return sequence.value


class NotificationPreference(models.Model):
    """How a user wants to be told: in-app always; e-mail and SMS optional;
    optionally one daily digest instead of immediate messages."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.BooleanField(_("电子邮件"), default=True)
    sms = models.BooleanField(_("短信"), default=False)
    daily_digest = models.BooleanField(_("每日汇总发送"), default=False)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self) -> str:
        return str(self.user)


class JobRun(models.Model):
    """One run of a periodic job for one day: what it sent, per kind."""

    name = models.CharField(_("任务"), max_length=100)
    run_date = models.DateField(_("业务日期"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    counts = models.JSONField(_("发送数量"), default=dict, blank=True)
    dry_run = models.BooleanField(_("试运行"), default=False)

    class Meta:
        verbose_name = _("定时任务记录")
        verbose_name_plural = _("定时任务记录")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.name} {self.run_date}"


class DashboardSnapshot(models.Model):
    """The figures of one dashboard card for one congress, year and language,
    recomputed in the background while someone looks at them, so the dashboard
    never aggregates per request."""

    card = models.CharField(_("卡片"), max_length=50)
    congress = models.ForeignKey(
        Congress, verbose_name=_("人民代表大会"), on_delete=models.CASCADE
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    language = models.CharField(_("语言"), max_length=10)
    data = models.JSONField(_("数据"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"))
    viewed_at = models.DateTimeField(_("最近查看时间"), db_index=True)

    class Meta:
        verbose_name = _("首页数据快照")
        verbose_name_plural = _("首页数据快照")
        constraints = [
            models.UniqueConstraint(
                fields=["card", "congress", "year", "language"],
                name="dashboard_snapshot_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.card} {self.congress_id} {self.year}"


class GeneratedReport(models.Model):
    """A supervision report generated in the background (HTML, Excel and PDF files),
    kept so it can be downloaded again. Scoped by ``region_path`` like the data."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("生成失败")

    congress = models.ForeignKey(
        Congress,
        verbose_name=_("人民代表大会"),
        on_delete=models.PROTECT,
        related_name="generated_reports",
    )
    scope_description = models.CharField(_("统计范围"), max_length=200)
    region_path = models.CharField(
        _("所属区划路径"), max_length=255, editable=False, db_index=True
    )
    period_start = models.DateField(_("统计起始日"))
    period_end = models.DateField(_("统计截止日"))
    period_label = models.CharField(_("统计期间"), max_length=200)
    sections = models.JSONField(_("报告内容"), default=list, blank=True)
    # The report page is answered from the newest finished job of the same
    # congress, period, sections and language; jobs without files are those.
    scope_key = models.CharField(_("报告标识"), max_length=200, blank=True)
    language = models.CharField(_("语言"), max_length=10, blank=True)
    with_files = models.BooleanField(_("生成文件"), default=True)
    data = models.JSONField(_("报告数据"), null=True, blank=True, editable=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    html_file = models.FileField(_("网页版"), upload_to="reports/%Y/%m/", blank=True)
    xlsx_file = models.FileField(_("Excel 版"), upload_to="reports/%Y/%m/", blank=True)
    pdf_file = models.FileField(_("PDF 版"), upload_to="reports/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("生成人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)

    class Meta:
        verbose_name = _("监督报告")
        verbose_name_plural = _("监督报告")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="generated_report_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="generated_report_progress_max"
            ),
            # One page computation at a time per report: readers who open the
            # same report while it runs wait for that one.
            models.UniqueConstraint(
                fields=["scope_key"],
                condition=Q(with_files=False, status__in=["queued", "running"]),
                name="generated_report_one_running_page",
            ),
        ]
        indexes = [
            models.Index(
                fields=["scope_key", "-finished_at"],
                condition=Q(status="done"),
                name="generated_report_done_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope_description} {self.period_label}"

    @property
    def is_running(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

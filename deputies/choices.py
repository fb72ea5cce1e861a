"""Code lists of deputies' personal data (GB/T standards and the Deputies Law)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

# GB/T 3304 民族 (56 ethnic groups), in the standard's order (marked for the
# catalogue; the values are plain strings).
ETHNICITIES = [
    gettext_noop("汉族"),
    gettext_noop("蒙古族"),
    gettext_noop("回族"),
    gettext_noop("藏族"),
    gettext_noop("维吾尔族"),
    gettext_noop("苗族"),
    gettext_noop("彝族"),
    gettext_noop("壮族"),
    gettext_noop("布依族"),
    gettext_noop("朝鲜族"),
    gettext_noop("满族"),
    gettext_noop("侗族"),
    gettext_noop("瑶族"),
    gettext_noop("白族"),
    gettext_noop("土家族"),
    gettext_noop("哈尼族"),
    gettext_noop("哈萨克族"),
    gettext_noop("傣族"),
    gettext_noop("黎族"),
    gettext_noop("傈僳族"),
    gettext_noop("佤族"),
    gettext_noop("畲族"),
    gettext_noop("高山族"),
    gettext_noop("拉祜族"),
    gettext_noop("水族"),
    gettext_noop("东乡族"),
    gettext_noop("纳西族"),
    gettext_noop("景颇族"),
    gettext_noop("柯尔克孜族"),
    gettext_noop("土族"),
    gettext_noop("达斡尔族"),
    gettext_noop("仫佬族"),
    gettext_noop("羌族"),
    gettext_noop("布朗族"),
    gettext_noop("撒拉族"),
    gettext_noop("毛南族"),
    gettext_noop("仡佬族"),
    gettext_noop("锡伯族"),
    gettext_noop("阿昌族"),
    gettext_noop("普米族"),
    gettext_noop("塔吉克族"),
    gettext_noop("怒族"),
    gettext_noop("乌孜别克族"),
    gettext_noop("俄罗斯族"),
    gettext_noop("鄂温克族"),
    gettext_noop("德昂族"),
    gettext_noop("保安族"),
    gettext_noop("裕固族"),
    gettext_noop("京族"),
    gettext_noop("塔塔尔族"),
    gettext_noop("独龙族"),
    gettext_noop("鄂伦春族"),
    gettext_noop("赫哲族"),
    gettext_noop("门巴族"),
    gettext_noop("珞巴族"),
    gettext_noop("基诺族"),
]
# The stored value is the standard's Chinese name; the label follows the page's language.
ETHNICITY_CHOICES = [(e, _(e)) for e in ETHNICITIES]


class Gender(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Party(models.TextChoices):
    CPC = "cpc", _("中共党员")
    CPC_PROBATIONARY = "cpc_probationary", _("中共预备党员")
    CYL = "cyl", _("共青团员")
    RCCK = "rcck", _("民革党员")
    CDL = "cdl", _("民盟盟员")
    CNDCA = "cndca", _("民建会员")
    CAPD = "capd", _("民进会员")
    CPWDP = "cpwdp", _("农工党党员")
    CZGD = "czgd", _("致公党党员")
    JS = "js", _("九三学社社员")
    TDSGL = "tdsgl", _("台盟盟员")
    NON_PARTISAN = "non_partisan", _("无党派人士")
    MASSES = "masses", _("群众")


class Education(models.TextChoices):
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("高中（中专）")
    JUNIOR_COLLEGE = "junior_college", _("大专")
    BACHELOR = "bachelor", _("大学本科")
    MASTER = "master", _("硕士研究生")
    DOCTOR = "doctor", _("博士研究生")


class Occupation(models.TextChoices):
    """代表构成 categories used in the composition statistics."""

    WORKER = "worker", _("工人")
    FARMER = "farmer", _("农民")
    PROFESSIONAL = "professional", _("专业技术人员")
    OFFICIAL = "official", _("党政领导干部")
    ENTERPRISE = "enterprise", _("企业负责人")
    MILITARY = "military", _("解放军和武警")
    OTHER = "other", _("其他")


class SuspensionGround(models.TextChoices):
    """代表法第四十九条."""

    DETAINED = "detained", _("因刑事案件被羁押正在受侦查、起诉、审判")
    SERVING_SENTENCE = (
        "serving_sentence",
        _("被依法判处管制、拘役或者有期徒刑而没有附加剥夺政治权利，正在服刑"),
    )


class TerminationGround(models.TextChoices):
    """代表法第五十条: the seven grounds on which 代表资格终止, and death.

    Article 50 lists (一)迁出或者调离本行政区域 … (七)丧失行为能力; a deputy's
    death ends the mandate as well (the standing committee announces it and the
    seat falls vacant, 选举法 on 补选), so it is recorded the same way: a
    termination with its date and announcement.
    """

    MOVED_AWAY = "moved_away", _("迁出或者调离本行政区域")
    RESIGNED = "resigned", _("辞职被接受")
    ABSENT_TWICE = "absent_twice", _("未经批准两次不出席本级人民代表大会会议")
    RECALLED = "recalled", _("被罢免")
    NATIONALITY_LOST = "nationality_lost", _("丧失中华人民共和国国籍")
    POLITICAL_RIGHTS_DEPRIVED = "political_rights_deprived", _("依照法律被剥夺政治权利")
    INCAPACITATED = "incapacitated", _("丧失行为能力")
    DIED = "died", _("死亡")

"""Code lists of deputies' personal data (GB/T standards and the Deputies Law)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# GB/T 3304 民族 (56 ethnic groups), in the standard's order.
ETHNICITIES = [
    "汉族",
    "蒙古族",
    "回族",
    "藏族",
    "维吾尔族",
    "苗族",
    "彝族",
    "壮族",
    "布依族",
    "朝鲜族",
    "满族",
    "侗族",
    "瑶族",
    "白族",
    "土家族",
    "哈尼族",
    "哈萨克族",
    "傣族",
    "黎族",
    "傈僳族",
    "佤族",
    "畲族",
    "高山族",
    "拉祜族",
    "水族",
    "东乡族",
    "纳西族",
    "景颇族",
    "柯尔克孜族",
    "土族",
    "达斡尔族",
    "仫佬族",
    "羌族",
    "布朗族",
    "撒拉族",
    "毛南族",
    "仡佬族",
    "锡伯族",
    "阿昌族",
    "普米族",
    "塔吉克族",
    "怒族",
    "乌孜别克族",
    "俄罗斯族",
    "鄂温克族",
    "德昂族",
    "保安族",
    "裕固族",
    "京族",
    "塔塔尔族",
    "独龙族",
    "鄂伦春族",
    "赫哲族",
    "门巴族",
    "珞巴族",
    "基诺族",
]
ETHNICITY_CHOICES = [(e, e) for e in ETHNICITIES]


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

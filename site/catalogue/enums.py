"""The catalogue metadata's vocabularies (GB/T 21063.3 core metadata as disclosure catalogues
keep it): 体裁 (genre), 主题分类 (topic) and 有效性 (validity)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Genre(models.TextChoices):
    NOTICE = "notice", _("公告")
    CIRCULAR = "circular", _("通知")
    REGULATION = "regulation", _("制度")
    STANDARD = "standard", _("标准")
    GUIDE = "guide", _("指南")
    COMMITMENT = "commitment", _("承诺")
    DIRECTORY = "directory", _("名录")
    PROFILE = "profile", _("概况")
    KNOWLEDGE = "knowledge", _("常识")
    REPORT = "report", _("报告")
    OTHER = "other", _("其他")


class Topic(models.TextChoices):
    ORGANISATION = "organisation", _("机构概况")
    SERVICE = "service", _("供热服务")
    PRICES = "prices", _("价格收费")
    OUTAGES = "outages", _("停供检修")
    SAFETY = "safety", _("安全生产")
    REGULATIONS = "regulations", _("政策法规")
    REPORTS = "reports", _("工作报告")


class Validity(models.TextChoices):
    VALID = "valid", _("有效")
    REVISED = "revised", _("已修订")
    REPEALED = "repealed", _("已废止")

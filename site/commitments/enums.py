from django.db import models
from django.utils.translation import gettext_lazy as _


class CommitmentCategory(models.TextChoices):
    EMERGENCY = "emergency", _("应急抢修类")
    BUSINESS = "business", _("业务办理")
    ENQUIRY = "enquiry", _("查询服务")
    COMPLAINT = "complaint", _("投诉咨询")
    REPAIR = "repair", _("报修维修")
    QUALITY = "quality", _("供热质量")
    OUTAGE = "outage", _("停热与检修")


class TimeLimitUnit(models.TextChoices):
    IMMEDIATE = "immediate", _("即时")
    MINUTES = "minutes", _("分钟")
    HOURS = "hours", _("小时")
    WORKING_DAYS = "working_days", _("个工作日")
    DAYS = "days", _("天")

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    DIRECTORY_CSV = "directory_csv", _("小区名录导入")
    REGULATION_PREVIEW = "regulation_preview", _("规章制度预览")
    REGULATION_IMPORT = "regulation_import", _("规章制度导入")
    PARTNER_FEEDS = "partner_feeds", _("合作单位订阅源检查")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    SUCCEEDED = "succeeded", _("已完成")
    FAILED = "failed", _("失败")

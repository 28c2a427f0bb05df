from django.db import models
from django.utils.translation import gettext_lazy as _


class Trigger(models.TextChoices):
    """What happened to a page. Outage notices have all of them; other disclosed pages (a
    regulation, a commitment, a guide) are published, scheduled, updated, expired and withdrawn
    as their catalogue records say."""

    PUBLISHED = "published", _("发布上线")
    SCHEDULED = "scheduled", _("按定时上线")
    UPDATED = "updated", _("内容更新")
    STARTED = "started", _("开始停供")
    EXTENDED = "extended", _("延长")
    RESTORED = "restored", _("人工恢复")
    ENDED = "ended", _("到时结束")
    CANCELLED = "cancelled", _("取消")
    CAUSE_CHANGED = "cause_changed", _("原因变更")
    INFO = "info", _("进展说明")
    EXPIRED = "expired", _("到期下线")
    WITHDRAWN = "withdrawn", _("撤下")


class FiringStatus(models.TextChoices):
    PENDING = "pending", _("待执行")
    DONE = "done", _("已执行")
    FAILED = "failed", _("执行失败")

from django.db import models
from django.utils.translation import gettext_lazy as _


class Utility(models.TextChoices):
    HEAT = "heat", _("停热")
    WATER = "water", _("停水")
    GAS = "gas", _("停气")
    POWER = "power", _("停电")


class OutageKind(models.TextChoices):
    PLANNED = "planned", _("计划停")
    EMERGENCY = "emergency", _("抢修停")


class NoticeState(models.TextChoices):
    SCHEDULED = "scheduled", _("预告")
    IN_PROGRESS = "in_progress", _("进行中")
    EXTENDED = "extended", _("已延长")
    RESTORED = "restored", _("已恢复")
    CANCELLED = "cancelled", _("已取消")


class UpdateKind(models.TextChoices):
    """What an entry in a notice's timeline records; each kind moves the state machine in
    notices.lifecycle.transitions, except INFO, which only adds text (and may revise the estimate)."""

    STARTED = "started", _("开始停")
    EXTENDED = "extended", _("延长")
    RESTORED = "restored", _("已恢复")
    CANCELLED = "cancelled", _("取消")
    INFO = "info", _("进展")


OPEN_STATES = (NoticeState.SCHEDULED, NoticeState.IN_PROGRESS, NoticeState.EXTENDED)
CLOSED_STATES = (NoticeState.RESTORED, NoticeState.CANCELLED)

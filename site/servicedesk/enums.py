from django.db import models
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    """The online services the seeds name (seed 002's table, rows 9–11, 19, 20)."""

    COMPLAINT = "complaint", _("投诉建议")
    CONSULTATION = "consultation", _("在线咨询")
    TEMPERATURE = "temperature", _("测温申请")
    SUSPENSION = "suspension", _("在线报停")
    RESUMPTION = "resumption", _("恢复用热")


class RequestStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("待验证手机")  # never routed, never counted; purged after a day
    SUBMITTED = "submitted", _("待受理")
    IN_PROGRESS = "in_progress", _("办理中")
    CLOSED = "closed", _("已办结")


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提交")
    TAKEN = "taken", _("受理")
    CONTACTED = "contacted", _("联系用户")
    VISITED = "visited", _("上门服务")
    TEMPERATURE = "temperature", _("入户测温")
    NOTE = "note", _("办理记录")
    HANDED_OVER = "handed_over", _("移交")
    CLOSED = "closed", _("办结")
    RETURN_VISIT = "return_visit", _("回访")
    RATED = "rated", _("用户评价")
    REMINDED = "reminded", _("时限提醒")
    ESCALATED = "escalated", _("超时督办")


# What the tracking page may show of the timeline: the step, its time and, never, the note.
PUBLIC_EVENTS = frozenset(
    {
        EventKind.SUBMITTED,
        EventKind.TAKEN,
        EventKind.CONTACTED,
        EventKind.VISITED,
        EventKind.TEMPERATURE,
        EventKind.HANDED_OVER,
        EventKind.CLOSED,
        EventKind.RETURN_VISIT,
        EventKind.RATED,
    }
)
# Actions with the resident: the first of them is the request's first contact.
CONTACT_EVENTS = frozenset({EventKind.CONTACTED, EventKind.VISITED, EventKind.TEMPERATURE})


class Satisfaction(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    NEUTRAL = 3, _("一般")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class Signature(models.TextChoices):
    """Seed 004 测温办法 2: the household signs the result; a refusal counts as 合格."""

    SIGNED = "signed", _("住户已签字")
    REFUSED = "refused", _("住户拒绝签字")


class DayKind(models.TextChoices):
    """The holiday calendar overrides the Monday–Friday week both ways (调休)."""

    HOLIDAY = "holiday", _("法定节假日（休息）")
    WORKDAY = "workday", _("调休上班日")


class Deadline(models.TextChoices):
    CONTACT = "contact", _("联系用户")
    RESOLVE = "resolve", _("办结")


class DeadlineOutcome(models.TextChoices):
    """Where a request stands against one of its deadlines (servicedesk.deadlines.outcome)."""

    UNSET = "unset", _("未设定")
    MET = "met", _("已按时完成")
    LATE = "late", _("超出时限完成")
    OVERDUE = "overdue", _("已超时")
    PENDING = "pending", _("未到时限")


class AlertKind(models.TextChoices):
    """Staff alerts, at most one of each per request."""

    CONTACT_REMINDER = "contact_reminder", _("联系时限提醒")
    RESOLVE_REMINDER = "resolve_reminder", _("办结时限提醒")
    CONTACT_ESCALATION = "contact_escalation", _("联系超时督办")
    RESOLVE_ESCALATION = "resolve_escalation", _("办结超时督办")
    RETURN_VISIT = "return_visit", _("回访提醒")
    # Seed 000: 客服工作人员会认真核查每一条评价，及时纠正服务中出现的问题，直到用户满意.
    DISSATISFIED = "dissatisfied", _("不满意评价复核")


class ResidentMessageKind(models.TextChoices):
    """Texts to the resident, at most one of each per request."""

    RECEIVED = "received", _("受理回执")
    CLOSED = "closed", _("办结通知")

"""Content rules (Plone's "when this happens to an item like that, do this"), the events they
are run on and the ledger of what each rule did.

A rule is a snippet with drafts and revisions: what is live is what runs, an edit takes effect
when it is published (for events after that moment, never again for an event already handled),
and unpublishing switches it off. Every trigger is first written down as a `RuleEvent`, with the
facts the conditions read as they were at that moment; a rule handles an event at most once
(`RuleFiring`, unique per rule and event), whatever runs twice."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.fields import StreamField
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin

from rules import blocks
from rules.enums import FiringStatus, Trigger


class ContentRule(DraftStateMixin, LockableMixin, RevisionMixin, models.Model):
    name = models.CharField(_("规则名称"), max_length=80, unique=True)
    description = models.TextField(_("说明"), blank=True)
    triggers = models.JSONField(
        _("触发事件"), default=list, help_text=_("发生其中任一事件时检查条件。")
    )
    conditions = StreamField(
        blocks.CONDITION_BLOCKS,
        verbose_name=_("条件"),
        blank=True,
        help_text=_("全部条件都满足才执行；同一条件里选多个值时满足其一即可。不设条件即总是执行。"),
    )
    actions = StreamField(blocks.ACTION_BLOCKS, verbose_name=_("动作"))
    priority = models.PositiveSmallIntegerField(
        _("顺序"), default=100, help_text=_("数字小的规则先执行。")
    )
    revisions = GenericRelation("wagtailcore.Revision", related_query_name="content_rule")

    class Meta:
        verbose_name = _("内容规则")
        verbose_name_plural = _("内容规则")
        ordering = ["priority", "pk"]

    def __str__(self):
        return self.name

    def trigger_labels(self) -> str:
        return "、".join(
            str(Trigger(value).label) for value in self.triggers if value in Trigger.values
        )

    trigger_labels.short_description = _("触发事件")


class RuleEvent(models.Model):
    """Something that happened to a page, once (`key`), with the facts the conditions read."""

    key = models.CharField(max_length=80, unique=True)
    trigger = models.CharField(_("事件"), max_length=16, choices=Trigger.choices)
    page_id = models.IntegerField(_("页面"), db_index=True)
    title = models.CharField(_("标题"), max_length=255)
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    update_id = models.IntegerField(null=True, blank=True, help_text="the notice's timeline entry")
    facts = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("规则事件")
        verbose_name_plural = _("规则事件")

    def __str__(self):
        return f"{self.title}：{self.get_trigger_display()}"


class RuleFiring(models.Model):
    """A rule that handled an event: the version that did, and what each action did."""

    rule = models.ForeignKey(ContentRule, on_delete=models.CASCADE, related_name="firings")
    event = models.ForeignKey(RuleEvent, on_delete=models.CASCADE, related_name="firings")
    revision = models.ForeignKey(
        "wagtailcore.Revision",
        verbose_name=_("规则版本"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("执行时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=FiringStatus.choices, default=FiringStatus.DONE
    )
    outcomes = models.JSONField(default=list, help_text="one entry per action, in order")

    class Meta:
        verbose_name = _("规则执行记录")
        verbose_name_plural = _("规则执行记录")
        constraints = [
            models.UniqueConstraint(fields=["rule", "event"], name="rule_fires_once_per_event")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        """The rule and its version, as the messages it wrote name it."""
        if self.revision is None:
            return gettext("《%s》初始版") % self.rule.name
        when = timezone.localtime(self.revision.created_at).strftime("%Y-%m-%d %H:%M")
        return gettext("《%(rule)s》%(when)s版") % {"rule": self.rule.name, "when": when}


class SentEmail(models.Model):
    """An e-mail action done: its task may run twice, the row makes the second one a no-op."""

    firing = models.ForeignKey(RuleFiring, on_delete=models.CASCADE, related_name="emails")
    position = models.PositiveSmallIntegerField()
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["firing", "position"], name="rule_email_once")
        ]

    def __str__(self):
        return f"{self.firing_id}/{self.position}"


class PageReview(models.Model):
    """A date by which a page is to be looked at again, set by a rule; done by an editor."""

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("页面"), on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("复核日期"))
    reason = models.CharField(_("原因"), max_length=200)
    firing = models.ForeignKey(RuleFiring, null=True, on_delete=models.SET_NULL, related_name="+")
    reminded_on = models.DateField(_("提醒日期"), null=True, blank=True)
    done_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("页面复核")
        verbose_name_plural = _("页面复核")
        constraints = [
            models.UniqueConstraint(
                fields=["page"],
                condition=models.Q(done_at__isnull=True),
                name="one_open_review_per_page",
            )
        ]

    def __str__(self):
        return f"{self.page_id}: {self.due_on}"

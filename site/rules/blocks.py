"""A rule's conditions and actions, as StreamField blocks: staff add the ones they need, each
renders its own sentence (templates under rules/blocks/), and a condition says itself whether an
event's facts (rules.facts) satisfy it.

Within a condition, any of its chosen values will do; a rule needs all its conditions."""

from datetime import time

from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.snippets.blocks import SnippetChooserBlock

from alerts.channels import registry
from catalogue.changes import disclosed_models
from catalogue.columns import Column
from notices.enums import NoticeState, OutageKind, Utility


def page_type_choices() -> list[tuple[str, str]]:
    return sorted(
        (model._meta.label_lower, str(model._meta.verbose_name)) for model in disclosed_models()
    )


def channel_choices() -> list[tuple[str, str]]:
    return [(channel.name, str(channel.label)) for channel in registry.registered()]


def group_choices() -> list[tuple[str, str]]:
    return [
        (str(pk), name) for pk, name in Group.objects.order_by("name").values_list("pk", "name")
    ]


def in_window(moment: time, start: time, end: time) -> bool:
    """`start` ≤ moment < `end`, across midnight when `end` ≤ `start` (22:00–07:00)."""
    if start < end:
        return start <= moment < end
    return moment >= start or moment < end


class ConditionBlock(blocks.StructBlock):
    def matches(self, value, facts: dict) -> bool:
        raise NotImplementedError


class PageTypeCondition(ConditionBlock):
    page_types = blocks.MultipleChoiceBlock(label=_("页面类型"), choices=page_type_choices)

    def matches(self, value, facts):
        return facts.get("page_type") in value["page_types"]

    class Meta:
        label = _("页面类型")
        icon = "doc-full"
        template = "rules/blocks/page_type_condition.html"


class UtilityCondition(ConditionBlock):
    utilities = blocks.MultipleChoiceBlock(label=_("停供类型"), choices=Utility.choices)

    def matches(self, value, facts):
        return facts.get("utility") in value["utilities"]

    class Meta:
        label = _("停供类型（停热、停水……）")
        icon = "warning"
        template = "rules/blocks/utility_condition.html"


class KindCondition(ConditionBlock):
    kinds = blocks.MultipleChoiceBlock(label=_("性质"), choices=OutageKind.choices)

    def matches(self, value, facts):
        return facts.get("kind") in value["kinds"]

    class Meta:
        label = _("性质（计划停、抢修停）")
        icon = "warning"
        template = "rules/blocks/kind_condition.html"


class DurationCondition(ConditionBlock):
    min_hours = blocks.IntegerBlock(label=_("预计时长至少（小时）"), min_value=0, default=8)
    include_unknown = blocks.BooleanBlock(
        label=_("结束时间未知的也算"), required=False, default=True
    )

    def matches(self, value, facts):
        if not facts.get("notice"):
            return False
        hours = facts.get("duration_hours")
        if hours is None:
            return bool(value["include_unknown"])
        return hours >= value["min_hours"]

    class Meta:
        label = _("预计时长")
        icon = "time"
        template = "rules/blocks/duration_condition.html"
        help_text = _("时间线更新（延长、恢复……）取更新前后较长的预计时长。")


class MajorCondition(ConditionBlock):
    major = blocks.ChoiceBlock(
        label=_("是否重大停供"),
        choices=[("major", _("重大停供")), ("minor", _("非重大停供"))],
        default="major",
    )

    def matches(self, value, facts):
        if not facts.get("notice"):
            return False
        return bool(facts.get("is_major")) == (value["major"] == "major")

    class Meta:
        label = _("重大停供")
        icon = "warning"
        template = "rules/blocks/major_condition.html"


class StateCondition(ConditionBlock):
    states = blocks.MultipleChoiceBlock(label=_("状态"), choices=NoticeState.choices)

    def matches(self, value, facts):
        return facts.get("state") in value["states"]

    class Meta:
        label = _("停供状态")
        icon = "tasks"
        template = "rules/blocks/state_condition.html"


class PlaceCondition(ConditionBlock):
    branches = blocks.ListBlock(
        SnippetChooserBlock("contacts.Branch"), label=_("分公司"), default=[]
    )
    stations = blocks.ListBlock(
        SnippetChooserBlock("contacts.Station"),
        label=_("供热站"),
        default=[],
        help_text=_("选供热站即包括它的所有小区。"),
    )
    communities = blocks.ListBlock(
        SnippetChooserBlock("contacts.Community"), label=_("小区"), default=[]
    )

    def matches(self, value, facts):
        for name in ("branches", "stations", "communities"):
            chosen = {item.pk for item in value[name] if item}
            if chosen & set(facts.get(name) or ()):
                return True
        return False

    class Meta:
        label = _("分公司、供热站或小区")
        icon = "site"
        template = "rules/blocks/place_condition.html"


class ColumnCondition(ConditionBlock):
    columns = blocks.MultipleChoiceBlock(label=_("信息公开栏目"), choices=Column.choices)

    def matches(self, value, facts):
        return facts.get("column") in value["columns"]

    class Meta:
        label = _("信息公开栏目")
        icon = "folder-open-inverse"
        template = "rules/blocks/column_condition.html"


class TimeOfDayCondition(ConditionBlock):
    start = blocks.TimeBlock(label=_("从"), default=time(22, 0))
    end = blocks.TimeBlock(label=_("到"), default=time(7, 0))

    def matches(self, value, facts):
        hour, minute = map(int, facts["time"].split(":"))
        return in_window(time(hour, minute), value["start"], value["end"])

    class Meta:
        label = _("发生时段（北京时间）")
        icon = "time"
        template = "rules/blocks/time_of_day_condition.html"
        help_text = _("含开始时刻，不含结束时刻；结束早于开始即跨夜，如22:00到07:00。")


CONDITION_BLOCKS = [
    ("page_type", PageTypeCondition()),
    ("utility", UtilityCondition()),
    ("kind", KindCondition()),
    ("duration", DurationCondition()),
    ("major", MajorCondition()),
    ("state", StateCondition()),
    ("place", PlaceCondition()),
    ("column", ColumnCondition()),
    ("time_of_day", TimeOfDayCondition()),
]


class SendAction(blocks.StructBlock):
    channels = blocks.MultipleChoiceBlock(
        label=_("渠道"),
        choices=channel_choices,
        required=False,
        help_text=_("不选即全部已启用的渠道。只对停供通知发送。"),
    )
    hold_until = blocks.TimeBlock(
        label=_("延至此时刻发送"),
        required=False,
        help_text=_("留空即时发送；填写则在事件之后的下一个此时刻发送（夜间暂缓用）。"),
    )

    class Meta:
        label = _("发送通知")
        icon = "mail"
        template = "rules/blocks/send_action.html"


class AnnounceFeedAction(blocks.StaticBlock):
    class Meta:
        label = _("通告订阅源")
        icon = "link"
        admin_text = _("刷新前端缓存中的订阅源，并通知 WebSub 推送服务（已配置时）。")
        template = "rules/blocks/announce_feed_action.html"


class EmailGroupAction(blocks.StructBlock):
    group = blocks.ChoiceBlock(label=_("用户组"), choices=group_choices)

    class Meta:
        label = _("发邮件给用户组")
        icon = "mail"
        template = "rules/blocks/email_group_action.html"


class NotifyModeratorsAction(blocks.StaticBlock):
    class Meta:
        label = _("通知审核人员")
        icon = "user"
        admin_text = _("发邮件给“审核”组的全部人员。")
        template = "rules/blocks/notify_moderators_action.html"


class SetMajorAction(blocks.StructBlock):
    major = blocks.ChoiceBlock(
        label=_("重大停供标记"),
        choices=[("set", _("标为重大停供")), ("clear", _("取消重大停供标记"))],
        default="set",
    )

    class Meta:
        label = _("设置重大停供标记")
        icon = "warning"
        template = "rules/blocks/set_major_action.html"
        help_text = _("只对停供通知；以后的事件按新标记判断，本事件的条件不受影响。")


class ReviewDateAction(blocks.StructBlock):
    days = blocks.IntegerBlock(label=_("事件后几天复核"), min_value=1, default=30)

    class Meta:
        label = _("设定复核日期")
        icon = "date"
        template = "rules/blocks/review_date_action.html"


ACTION_BLOCKS = [
    ("send", SendAction()),
    ("announce_feed", AnnounceFeedAction()),
    ("email_group", EmailGroupAction()),
    ("notify_moderators", NotifyModeratorsAction()),
    ("set_major", SetMajorAction()),
    ("review_date", ReviewDateAction()),
]

"""Chosen values as the labels staff read, for the blocks' sentences (templates/rules/blocks/)."""

from django import template
from django.contrib.auth.models import Group

from catalogue.columns import Column
from notices.enums import NoticeState, OutageKind, Utility
from rules import blocks

register = template.Library()

CHOICES = {
    "utility": lambda: Utility.choices,
    "kind": lambda: OutageKind.choices,
    "state": lambda: NoticeState.choices,
    "column": lambda: Column.choices,
    "page_type": blocks.page_type_choices,
    "channel": blocks.channel_choices,
}


@register.filter
def choice_labels(values, kind: str) -> str:
    labels = dict(CHOICES[kind]())
    return "、".join(str(labels.get(value, value)) for value in values or ())


@register.filter
def group_name(group_id) -> str:
    return Group.objects.filter(pk=group_id).values_list("name", flat=True).first() or "?"


@register.filter
def choice_label(value, kind: str) -> str:
    return str(dict(CHOICES[kind]()).get(value, value))


@register.filter
def action_label(name: str) -> str:
    return str(
        dict((block_name, block.meta.label) for block_name, block in blocks.ACTION_BLOCKS).get(
            name, name
        )
    )

"""Turning what the notices and the catalogue announce into rule events, each written down once
(its key) with its facts, then run through the rules (rules.engine). The signals arrive after
the change has committed, so the facts are what residents now see.

Outage notices speak for themselves (published, by schedule or not; each timeline entry; a
changed cause; any other re-publication); every disclosed page, notices included, is withdrawn
or expires through the catalogue, which also tells of the other pages' publications and edits."""

from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from catalogue.models import CatalogueChange, ChangeAction
from notices.enums import UpdateKind
from notices.models import NoticeUpdate, OutageNoticePage
from rules import engine
from rules.enums import Trigger
from rules.facts import notice_facts, page_facts
from rules.models import RuleEvent

UPDATE_TRIGGERS = {
    UpdateKind.STARTED: Trigger.STARTED,
    UpdateKind.EXTENDED: Trigger.EXTENDED,
    UpdateKind.RESTORED: Trigger.RESTORED,
    UpdateKind.CANCELLED: Trigger.CANCELLED,
    UpdateKind.INFO: Trigger.INFO,
}


def record(key: str, trigger: str, page: Page | None, page_id: int, facts: dict, **fields):
    """The event of `key`, written the first time; its rules run every time (a rule that has
    handled it does nothing the second time)."""
    title = fields.pop("title", "")
    event, _created = RuleEvent.objects.get_or_create(
        key=key,
        defaults={
            "trigger": trigger,
            "page_id": page_id,
            "title": (page.title if page else title)[:255],
            "occurred_at": fields.pop("occurred_at", None) or timezone.now(),
            "facts": facts,
            **fields,
        },
    )
    engine.fire(event)
    return event


def went_live_by_schedule(page: Page) -> bool:
    """Its live revision was published by Wagtail's scheduler, not by a person."""
    entry = (
        PageLogEntry.objects.filter(page_id=page.pk, revision_id=page.live_revision_id)
        .filter(action__startswith="wagtail.publish")
        .order_by("-timestamp", "-pk")
        .values_list("action", flat=True)
        .first()
    )
    return entry == "wagtail.publish.scheduled"


def on_notice_published(notice_id: int, first_time: bool) -> RuleEvent | None:
    notice = OutageNoticePage.objects.filter(pk=notice_id).first()
    if notice is None or not notice.live:
        return None
    now = timezone.now()
    facts = notice_facts(notice, now)
    if first_time:
        trigger = Trigger.SCHEDULED if went_live_by_schedule(notice) else Trigger.PUBLISHED
        key = f"notice-{notice.pk}:published"
    else:
        before = (
            RuleEvent.objects.filter(page_id=notice.pk, facts__notice=True)
            .order_by("-occurred_at", "-pk")
            .first()
        )
        changed = before is not None and before.facts.get("cause") != notice.cause
        trigger = Trigger.CAUSE_CHANGED if changed else Trigger.UPDATED
        key = f"notice-{notice.pk}:revision-{notice.live_revision_id}"
    return record(key, trigger, notice, notice.pk, facts, occurred_at=now)


def on_notice_updated(notice_id: int, update_id: int, was_major: bool) -> RuleEvent | None:
    update = NoticeUpdate.objects.select_related("notice").get(pk=update_id)
    notice = update.notice
    if not notice.live:
        return None
    trigger = UPDATE_TRIGGERS[update.kind]
    if trigger == Trigger.RESTORED and update.automatic:
        trigger = Trigger.ENDED
    now = timezone.now()
    facts = notice_facts(notice, now, update=update, was_major=was_major)
    key = f"notice-{notice.pk}:update-{update.pk}"
    return record(key, trigger, notice, notice.pk, facts, occurred_at=now, update_id=update.pk)


def on_catalogue_changed(change_id: int) -> RuleEvent | None:
    change = CatalogueChange.objects.select_related("item").get(pk=change_id)
    page_id = change.item.page_id
    page = Page.objects.filter(pk=page_id).specific().first()
    if change.action == ChangeAction.WITHDRAWN:
        trigger = Trigger.EXPIRED if page is not None and page.expired else Trigger.WITHDRAWN
    elif isinstance(page, OutageNoticePage):
        return None  # on_notice_published and on_notice_updated have it
    elif change.action == ChangeAction.CREATED:
        trigger = Trigger.SCHEDULED if went_live_by_schedule(page) else Trigger.PUBLISHED
    else:
        trigger = Trigger.UPDATED
    facts = page_facts(page, change.at, column=change.item.column)
    key = f"page-{page_id}:change-{change.sequence}"
    title = change.snapshot.get("title", "")
    return record(key, trigger, page, page_id, facts, occurred_at=change.at, title=title)

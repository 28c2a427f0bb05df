from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page, Revision

from commitments.models import Commitment, CommitmentPage
from faq.models import QuestionPage


def publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def go_live_by_schedule(page: Page, capture) -> None:
    """The scheduled revision's go-live time arrives (moved back rather than waited for) and
    Wagtail's scheduler publishes it; `capture` is django_capture_on_commit_callbacks."""
    past = timezone.now() - timedelta(minutes=1)
    for revision in Revision.objects.filter(object_id=str(page.pk)).exclude(
        approved_go_live_at=None
    ):
        revision.approved_go_live_at = past
        revision.content["go_live_at"] = past.isoformat()
        revision.save()
    with capture(execute=True):
        call_command("publish_scheduled")


def make_question(index_page, **fields) -> QuestionPage:
    defaults = {"title": "测试问题", "slug": "test-question", "answer": "<p>测试答复</p>"}
    return publish_child(index_page, QuestionPage(**{**defaults, **fields}))


def make_commitment_page(index_page, commitments: list[dict], **fields) -> CommitmentPage:
    defaults = {"title": "测试承诺", "slug": "test-commitment"}
    page = CommitmentPage(**{**defaults, **fields})
    page.commitments = [Commitment(**row) for row in commitments]
    return publish_child(index_page, page)

from wagtail.models import Page

from commitments.models import Commitment, CommitmentPage
from faq.models import QuestionPage


def publish_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def make_question(index_page, **fields) -> QuestionPage:
    defaults = {"title": "测试问题", "slug": "test-question", "answer": "<p>测试答复</p>"}
    return publish_child(index_page, QuestionPage(**{**defaults, **fields}))


def make_commitment_page(index_page, commitments: list[dict], **fields) -> CommitmentPage:
    defaults = {"title": "测试承诺", "slug": "test-commitment"}
    page = CommitmentPage(**{**defaults, **fields})
    page.commitments = [Commitment(**row) for row in commitments]
    return publish_child(index_page, page)

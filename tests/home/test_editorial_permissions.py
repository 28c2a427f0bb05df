"""编辑 drafts and submits; only 审核 publishes, through the moderation workflow."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text

from faq.models import FAQIndexPage, QuestionPage

pytestmark = pytest.mark.django_db


def question_form(**actions):
    return nested_form_data(
        {
            "title": "暖气不热先查什么？",
            "slug": "radiator-cold",
            "category": "repair",
            "answer": rich_text("<p>先检查阀门是否打开。</p>"),
            **actions,
        }
    )


def add_url():
    index = FAQIndexPage.objects.get()
    return reverse("wagtailadmin_pages:add", args=("faq", "questionpage", index.pk))


def test_editor_cannot_publish_but_moderator_can(editor, moderator):
    index = FAQIndexPage.objects.get()
    assert index.permissions_for_user(editor).can_add_subpage()
    assert not index.permissions_for_user(editor).can_publish_subpage()
    assert index.permissions_for_user(moderator).can_publish_subpage()
    question = QuestionPage.objects.get(slug="why-more-than-last-year")
    assert question.permissions_for_user(editor).can_edit()
    assert not question.permissions_for_user(editor).can_publish()
    assert not question.permissions_for_user(editor).can_unpublish()
    assert question.permissions_for_user(moderator).can_publish()


def test_editor_publish_attempt_leaves_the_page_unpublished(client, editor):
    client.force_login(editor)
    client.post(add_url(), question_form(**{"action-publish": "publish"}))
    page = QuestionPage.objects.filter(slug="radiator-cold").first()
    assert page is None or not page.live


def test_editor_submits_and_moderator_approves_through_the_workflow(client, editor, moderator):
    client.force_login(editor)
    response = client.post(add_url(), question_form(**{"action-submit": "submit"}))
    assert response.status_code == 302
    page = QuestionPage.objects.get(slug="radiator-cold")
    assert not page.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(page.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.workflow.name == "内容审核"
    task_state = state.current_task_state
    assert task_state.task.name == "审核组审批"

    # The editor cannot approve their own submission.
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk)
    )
    client.post(approve, {"comment": ""})
    page.refresh_from_db()
    assert not page.live

    client.force_login(moderator)
    response = client.post(approve, {"comment": "同意发布"})
    assert response.status_code in (200, 302)
    page.refresh_from_db()
    assert page.live
    assert client.get("/faq/radiator-cold/").status_code == 200


def test_only_moderators_change_site_settings(editor, moderator):
    assert not editor.has_perm("home.change_sitesettings")
    assert moderator.has_perm("home.change_sitesettings")
    assert editor.has_perm("contacts.change_community")
    assert not editor.has_perm("contacts.delete_community")


def test_editors_can_upload_images_and_documents_in_the_admin(client, editor):
    client.force_login(editor)
    assert client.get("/admin/images/").status_code == 200
    assert client.get("/admin/images/multiple/add/").status_code == 200
    assert client.get("/admin/documents/multiple/add/").status_code == 200

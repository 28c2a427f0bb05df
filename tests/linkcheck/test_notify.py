"""The editors of a page with new broken links are e-mailed once, in Chinese: its owner and the
author of its latest revision; problems nobody answers for go to 审核."""

import smtplib

import pytest
from django.core import mail

from faq.models import FAQIndexPage, QuestionPage
from linkcheck import run as linkcheck
from linkcheck.models import LinkProblem

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(django_user_model, editor, moderator):
    editor.email, moderator.email = "editor@heat.example.cn", "moderator@heat.example.cn"
    editor.save()
    moderator.save()
    author = django_user_model.objects.create_user(
        "author", email="author@heat.example.cn", password="pw"
    )
    return editor, author, moderator


def page_by(owner, author, answer: str, slug: str = "mailed") -> QuestionPage:
    faq = FAQIndexPage.objects.live().get()
    page = QuestionPage(title="如何申请报停", slug=slug, answer=answer, owner=owner)
    faq.add_child(instance=page)
    page.save_revision(user=author).publish()
    page.refresh_from_db()
    return page


def test_the_owner_and_the_last_author_are_told_once_in_chinese(people, web):
    owner, author, _moderator = people
    page = page_by(
        owner,
        author,
        f'<p><a href="{web.url("/gone")}">报停申请表</a><a href="{web.url("/moved")}">政策</a></p>',
    )
    linkcheck.run_link_check()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "author@heat.example.cn",
        "editor@heat.example.cn",
    ]
    message = mail.outbox[0]
    assert message.subject == "【链接检查】2个链接需要处理（1个已失效）"
    body = message.body
    assert "■ 如何申请报停" in body
    assert f"http://testserver/admin/pages/{page.pk}/edit/" in body
    assert f"【失效】解答：“报停申请表” {web.url('/gone')}" in body
    assert "4xx错误。对方网站回答HTTP 404：页面不存在。" in body
    assert f"【需更新】解答：“政策” {web.url('/moved')}" in body
    assert f"建议改为：{web.url('/ok')}" in body
    assert "http://testserver/admin/linkcheck/" in body
    # Errors before warnings.
    assert body.index("报停申请表") < body.index("政策")

    mail.outbox.clear()
    linkcheck.run_link_check()  # the same problems: nobody is told again
    assert mail.outbox == []


def test_only_the_new_problem_is_mailed_the_next_day(people, web, clock):
    owner, _author, _moderator = people
    clock("2026-12-04T09:00")
    page = page_by(owner, owner, f'<p><a href="{web.url("/gone")}">表格</a></p>')
    linkcheck.run_link_check()
    assert len(mail.outbox) == 1
    mail.outbox.clear()
    clock.shift(86400)
    page.answer += f'<p><a href="{web.url("/broken")}">办理指南</a></p>'
    page.save_revision(user=owner).publish()
    linkcheck.run_link_check()
    assert len(mail.outbox) == 1
    assert "办理指南" in mail.outbox[0].body and "表格" not in mail.outbox[0].body
    assert mail.outbox[0].subject == "【链接检查】1个链接需要处理（1个已失效）"


def test_a_warning_that_becomes_an_error_is_told_again(people, web):
    owner, _author, _moderator = people
    web.answer("/form", 403)
    page_by(owner, owner, f'<p><a href="{web.url("/form")}">表格</a></p>')
    linkcheck.run_link_check()
    assert "【需更新】" in mail.outbox[0].body
    mail.outbox.clear()
    linkcheck.run_link_check()
    assert mail.outbox == []
    web.answer("/form", 404)
    linkcheck.run_link_check()
    assert len(mail.outbox) == 1 and "【失效】" in mail.outbox[0].body
    assert LinkProblem.objects.count() == 1


def test_problems_nobody_answers_for_go_to_the_moderators(people, web, site):
    from alerts.models import WeChatMenuSettings

    _owner, _author, moderator = people
    menu = WeChatMenuSettings.for_site(site)
    menu.buttons = [
        ("button", {"name": "政策", "action": "url", "url": web.url("/gone"), "sub_buttons": []})
    ]
    menu.save()
    linkcheck.run_link_check()
    assert [message.to for message in mail.outbox] == [[moderator.email]]
    body = mail.outbox[0].body
    assert "■ 公众号菜单" in body
    assert "http://testserver/admin/settings/alerts/wechatmenusettings/" in body


def test_a_failed_send_is_tried_again_with_the_next_run(people, web, monkeypatch):
    owner, _author, _moderator = people
    page_by(owner, owner, f'<p><a href="{web.url("/gone")}">表格</a></p>')

    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("gone")

    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        assert linkcheck.run_link_check()["notified"] == 0
    assert LinkProblem.objects.get().notified_at is None
    assert linkcheck.run_link_check()["notified"] == 1
    assert len(mail.outbox) == 1

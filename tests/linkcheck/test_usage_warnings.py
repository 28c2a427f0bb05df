"""Deleting or unpublishing a page that others link to lists them, by title with their edit
links: links chosen in rich text (RichTextField and StreamField rich text), the 公众号 menu's
page buttons (settings, which Wagtail's usage index leaves out), and typed addresses the link
check found. Wagtail's own usage sentence stays."""

from pathlib import Path

import pytest
import wagtail
from django.conf import settings
from django.test import Client
from django.urls import reverse

from faq.models import FAQIndexPage, QuestionPage
from linkcheck import run as linkcheck
from regulations.models import RegulationIndexPage, RegulationPage
from tests.factories.pages import publish_child

pytestmark = pytest.mark.django_db

WAGTAIL_TEMPLATE = (
    Path(wagtail.__file__).parent / "admin/templates/wagtailadmin/shared/usage_summary.html"
)
OUR_TEMPLATE = (
    Path(settings.SITE_DIR) / "linkcheck/templates/wagtailadmin/shared/usage_summary.html"
)


def chosen(page, text="链接") -> str:
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


@pytest.fixture
def admin(django_user_model):
    user = django_user_model.objects.create_superuser("root", "root@example.cn", "pw")
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    return client


@pytest.fixture
def faq():
    return FAQIndexPage.objects.live().get()


def question(parent, slug, answer="<p>答复</p>") -> QuestionPage:
    return publish_child(parent, QuestionPage(title=f"问题{slug}", slug=slug, answer=answer))


def delete_page(client, page) -> str:
    response = client.get(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def unpublish_page(client, page) -> str:
    response = client.get(reverse("wagtailadmin_pages:unpublish", args=[page.pk]))
    assert response.status_code == 200
    return response.content.decode()


def edit(page) -> str:
    return reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_linking_pages_are_listed_on_delete_and_unpublish(admin, faq, home, site):
    from alerts.models import WeChatMenuSettings

    target = question(faq, "target")
    answer = question(faq, "answer", f"<p>详见{chosen(target, '报停办法')}。</p>")
    rules = RegulationIndexPage.objects.live().first() or publish_child(
        home, RegulationIndexPage(title="规章制度", slug="rules")
    )
    regulation = RegulationPage(title="报停管理办法", slug="stop-rules")
    regulation.body = [
        ("article", {"number": "第一条", "ordinal": 1, "text": f"<p>{chosen(target)}</p>"})
    ]
    publish_child(rules, regulation)
    typed = question(faq, "typed", '<p><a href="/faq/target/">报停</a></p>')
    menu = WeChatMenuSettings.for_site(site)
    menu.buttons = [
        ("button", {"name": "报停", "action": "page", "page": target, "sub_buttons": []})
    ]
    menu.save()
    linkcheck.run_link_check()  # finds the typed address
    unrelated = question(faq, "unrelated", "<p>无链接</p>")

    for html in (delete_page(admin, target), unpublish_page(admin, target)):
        assert 'id="linking-sources"' in html
        assert "以下4个页面或设置链接到本页" in html
        assert f'<a href="{edit(answer)}">问题answer</a>' in html
        assert f'<a href="{edit(regulation)}">报停管理办法</a>' in html
        assert "正文 → 条" in html  # where in the regulation
        assert f'<a href="{edit(typed)}">问题typed</a>' in html and "解答（固定地址）" in html
        assert "公众号菜单" in html
        assert "/admin/settings/alerts/wechatmenusettings/" in html
        assert "问题unrelated" not in html
        assert unrelated.title not in html
    assert "删除后这些链接将失效" in delete_page(admin, target)
    assert "下线后读者将无法打开这些链接" in unpublish_page(admin, target)
    # Wagtail's own count is still there, settings counted now.
    assert "引用" in delete_page(admin, target)


def test_deleting_a_section_lists_links_to_the_pages_below_it(admin, home):
    section = publish_child(home, FAQIndexPage(title="旧问答", slug="old-faq"))
    child = question(section, "child")
    inside = question(section, "inside", f"<p>{chosen(child)}</p>")  # deleted with it
    outside = question(
        FAQIndexPage.objects.get(slug="faq"), "outside", f"<p>{chosen(child, '子页面')}</p>"
    )
    html = delete_page(admin, section)
    assert "以下1个页面或设置链接到本页或其子页面" in html
    assert f'<a href="{edit(outside)}">问题outside</a>' in html
    assert "问题inside" not in html and inside.pk
    # Unpublishing the section alone leaves the child's links working.
    assert 'id="linking-sources"' not in unpublish_page(admin, section)


def test_a_draft_that_links_is_marked(admin, faq):
    target = question(faq, "target2")
    draft = QuestionPage(
        title="草稿问题", slug="draft", answer=f"<p>{chosen(target)}</p>", live=False
    )
    faq.add_child(instance=draft)
    draft.save_revision()
    html = delete_page(admin, target)
    assert "草稿问题</a>（未发布）" in html


def test_nothing_is_added_when_nothing_links(admin, faq):
    lonely = question(faq, "lonely")
    assert 'id="linking-sources"' not in delete_page(admin, lonely)


def test_the_override_keeps_wagtails_template_as_it_is():
    """templates/wagtailadmin/shared/usage_summary.html is Wagtail's, with the list appended:
    after a Wagtail upgrade that changes it, copy it again."""
    assert OUR_TEMPLATE.read_text().startswith(WAGTAIL_TEMPLATE.read_text())

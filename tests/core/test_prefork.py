"""core.prefork: what gunicorn's master does before forking, so that workers inherit it."""

from pathlib import Path

from django.template import engines

from core import prefork
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

"""Work each web worker would otherwise do on its first requests, done once in gunicorn's
master before it forks them (deploy/gunicorn.conf.py's `when_ready`): the workers inherit the
result. A worker's first search took 230 ms on the embedded profile, 110 ms with the templates
compiled before the fork (docs/benchmarks.md); ten at once on two cores, a few hundred more."""

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.template.utils import get_app_template_dirs


def compile_templates() -> int:
    """Every template of the project (site/templates and its apps' templates/), compiled into
    the engine's cached loader; the number compiled. A template that does not compile stops
    the start, as it would fail the first request that uses it."""
    engine = engines["django"].engine
    site_dir = Path(settings.SITE_DIR)
    dirs = [Path(d) for d in [*engine.dirs, *get_app_template_dirs("templates")]]
    compiled = 0
    for directory in dirs:
        if not directory.is_relative_to(site_dir):
            continue
        for path in sorted(directory.rglob("*.html")):
            engine.get_template(path.relative_to(directory).as_posix())
            compiled += 1
    return compiled

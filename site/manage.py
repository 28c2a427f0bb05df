#!/usr/bin/env python
"""Django's command-line utility; run from anywhere, e.g. `python site/manage.py migrate`."""

import os
import sys
from pathlib import Path

SITE_DIR = Path(__file__).resolve().parent

if __name__ == "__main__":
    # `site/` is a folder on sys.path, not a package (`site` is a stdlib module);
    # the project root is on it too, for `importers`.
    sys.path[:0] = [str(SITE_DIR), str(SITE_DIR.parent)]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)

"""The rooms' allowed directions (docs/architecture.md) hold: `lint-imports` checks the
contracts in pyproject.toml over site/ and importers/, lazy imports included. A second test
proves the contracts bite, on a throwaway tree of empty rooms with one forbidden import each."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def lint_imports(tree: Path, *paths: Path) -> subprocess.CompletedProcess:
    """lint-imports on the contracts in `tree`/pyproject.toml; it puts its working directory
    first on the path, so it runs in `tree`. Wide columns keep each contract on one line."""
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(map(str, paths)), "COLUMNS": "500"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_code_keeps_every_import_contract():
    result = lint_imports(ROOT, ROOT / "site")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CONFIG['contracts'])} kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    ("room", "imports", "contract"),
    [
        ("importers", "django", "importers turn outside formats"),
        ("importers", "contacts", "importers turn outside formats"),
        ("core", "home", "core and chinese_text know no app"),
        ("sms", "alerts", "sms knows no app"),
        ("notices", "alerts", "notices never import alerts"),
        ("contacts", "notices", "contacts never import notices"),
        ("servicedesk", "alerts", "the service desk texts through sms"),
        ("home", "search", "Rooms import downwards only"),
        ("linkcheck", "faq", "linkcheck names no content app"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(tmp_path, room, imports, contract):
    for package in CONFIG["root_packages"]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / room / "probe.py").write_text(f"def later():\n    import {imports}\n")
    (tmp_path / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    result = lint_imports(tmp_path)
    assert result.returncode == 1, result.stdout
    broken = [line for line in result.stdout.splitlines() if line.endswith("BROKEN")]
    assert len(broken) >= 1 and any(line.startswith(contract) for line in broken), result.stdout

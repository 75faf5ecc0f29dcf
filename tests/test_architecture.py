"""The contracts the code keeps, checked by tools rather than by review:

* one clock: ruff's DTZ and banned-api rules (pyproject.toml ``[tool.ruff.lint]``): nothing outside
  ``timeutil.py`` asks the system for the time or names the zone;
* the layers: import-linter's contracts (``.importlinter``): areas do not import the application,
  infrastructure does not import areas.

Both run once, in the SQLite pass (they read the code, not a database)."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(os.environ.get("KVSP_TEST_BACKEND") == "postgresql",
                                reason="reads the code: checked once, in the SQLite pass")


def _tool(name: str) -> str:
    path = BIN / name if (BIN / name).exists() else shutil.which(name)
    assert path, f"{name} is a test dependency (pip install -e '.[test]')"
    return str(path)


def test_one_clock_nothing_outside_timeutil_reads_the_time_or_names_the_zone():
    run = subprocess.run([_tool("ruff"), "check", "--no-cache", "platform"], cwd=ROOT,
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr


def test_import_contracts_hold():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "platform")}
    run = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                         env=env)
    assert run.returncode == 0, run.stdout + run.stderr


def test_every_area_folder_is_registered_and_under_the_import_contracts():
    """A folder with views, an API or tables is an area: it is in ``areas_registry.AREAS`` (or it would
    not be served) and under the import contracts."""
    from safetycouncil.areas_registry import AREAS

    package = ROOT / "platform" / "safetycouncil"
    folders = {p.parent.name for name in ("views.py", "api.py", "models.py") for p in package.glob(f"*/{name}")}
    folders -= {"api"}  # the API's own package: its blueprints are registered by init_api
    assert sorted(folders - {a.name for a in AREAS}) == []
    contracts = (ROOT / ".importlinter").read_text()
    unlisted = [f for f in folders if f"safetycouncil.{f}\n" not in contracts]
    assert unlisted == []

"""The layout's promises, checked: data flows one way and the pure stages stay pure."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import belmon_env

ROOT = Path(__file__).resolve().parents[1]
PURE_STAGES = ("crawler.extraction.extract", "crawler.extraction.language", "crawler.analysis",
               "crawler.fingerprint", "crawler.themes", "crawler.themes.documents",
               "crawler.themes.stemming", "crawler.sources", "crawler.options", "storage.records")
HEAVY = ("scrapy", "twisted", "sqlalchemy", "alembic")


def test_the_import_contracts_hold() -> None:
    linter = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert linter, "import-linter is missing: pip install -e '.[dev]'"
    result = subprocess.run([linter], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "0 broken" in result.stdout


@pytest.mark.parametrize("module", PURE_STAGES)
def test_a_pure_stage_loads_no_scrapy_twisted_or_sqlalchemy(module: str) -> None:
    code = (f"import sys, {module}; "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env=belmon_env(), timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]", f"{module} loads {result.stdout.strip()}"


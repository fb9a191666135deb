"""The README's first command on a fresh venv with the pip that venv brings (no upgrade), typed
as a user types it; then `belmon match` on a real page, which needs the fallback extractor.

This is the one test that reaches beyond loopback: the install step asks the package registry
(PyPI) for belmon's dependencies, as the user's install does. Everything belmon itself runs
afterwards is under the loopback guard.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from replica.corpus import OUTLETS
from tests.conftest import GUARD_DIR, SHARED

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("readme_commands", ROOT / ".ci" / "readme_commands.py")
assert _spec is not None and _spec.loader is not None
readme_commands = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(readme_commands)

_SKIP = shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", ".*_cache", "*.sqlite*",
                               "build")


def _clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("BELMON_", "VIRTUAL_ENV", "PYTHONPATH", "PIP_REQUIRE"))}
    env.update(extra)
    return env


def test_the_readme_install_works_with_the_pip_a_fresh_venv_brings(tmp_path: Path) -> None:
    checkout = tmp_path / "belmon"
    shutil.copytree(ROOT, checkout, ignore=_SKIP)
    first = readme_commands.readme_commands((ROOT / "README.md").read_text(encoding="utf-8"))[0]
    assert first.startswith("python3 -m venv .venv && .venv/bin/pip install -e . && ")
    # The user's python3 is the one running these tests, without its venv on PATH.
    python_dir = str(Path(sys.base_prefix) / "bin")
    env = _clean_env(PATH=os.pathsep.join([python_dir, os.environ.get("PATH", "")]))
    done = subprocess.run(["bash", "-c", first], cwd=checkout, env=env, capture_output=True,
                          text=True, timeout=900, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, (done.stdout[-3000:], done.stderr[-3000:])
    assert f"replica serving {len(OUTLETS)} outlets on 127.0.0.1, ports " in done.stdout
    venv = checkout / ".venv"
    bundled = subprocess.run([sys.executable, "-c", "import ensurepip; print(ensurepip.version())"],
                             capture_output=True, text=True, check=True).stdout.strip()
    pip = subprocess.run([str(venv / "bin" / "pip"), "--version"], capture_output=True, text=True,
                         check=True, env=env).stdout
    assert pip.startswith(f"pip {bundled} "), pip  # the venv's own pip, never upgraded

    page = SHARED / "realpages" / "pages" / "bbc.com__1.html"
    guarded = _clean_env(PYTHONPATH=str(GUARD_DIR))
    matched = subprocess.run([str(venv / "bin" / "belmon"), "match", str(page)], env=guarded,
                             capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert matched.returncode == 0, matched.stderr[-2000:]
    result = json.loads(matched.stdout)
    assert result["language"] == "en" and result["path"] == str(page)
    cleaner = subprocess.run([str(venv / "bin" / "python"), "-c", "import lxml_html_clean, trafilatura"],
                             env=guarded, capture_output=True, text=True)
    assert cleaner.returncode == 0, cleaner.stderr

"""What the command line refuses, and how: each case reproduces a report of a silent failure."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from replica.corpus import OUTLETS
from storage.archive import Archive
from tests.conftest import SHARED, query, run_belmon


def _real_archive(path: Path) -> Path:
    """An archive that has crawled the real outlets once (a manual run)."""
    archive = Archive.open(str(path))
    try:
        archive.register_source("charter97", "Charter97", "https://charter97.org")
        archive.start_run("charter97", "manual", "https://charter97.org", os.getpid())
    finally:
        archive.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_demo_without_db_uses_its_own_file_and_never_the_default_archive(tmp_path: Path) -> None:
    home = tmp_path / "home"
    data = home / ".local" / "share" / "belmon"
    data.mkdir(parents=True)
    real = _real_archive(data / "archive.sqlite")
    before = _digest(real)
    # BELMON_DB names the real archive: the demo must not read it.
    result = run_belmon("demo", HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"),
                        BELMON_DB=str(real))
    assert result.returncode == 0, result.stderr[-2000:]
    demo = data / "demo.sqlite"
    assert f"archive: sqlite:///{demo}" in result.stdout
    assert query(demo, "select distinct trigger from crawl_runs") == [("demo",)]
    # Every outlet of the replica, and the cross-outlet copies in shared stories.
    assert {o for (o,) in query(demo, "select distinct outlet from articles")} == set(OUTLETS)
    stories = [set(outlets.split()) for (outlets,) in query(
        demo, "select group_concat(outlet, ' ') from articles group by story_id "
              "having count(*) > 1")]
    for pair in ({"belta", "zviazda"}, {"belta", "xinhua-ru"}, {"peoples-daily-ru", "zerkalo"},
                 {"nashaniva", "belsat"}, {"euroradio", "reform"}):
        assert any(pair <= story for story in stories), (pair, stories)
    assert "Reprints: articles that copy another outlet's earlier text" in result.stdout
    assert _digest(real) == before
    assert query(real, "select count(*) from articles") == [(0,)]


@pytest.mark.parametrize("target", ["default", "real"])
def test_demo_refuses_the_default_archive_and_one_with_real_crawls(
    tmp_path: Path, target: str
) -> None:
    home = tmp_path / "home"
    data = home / ".local" / "share" / "belmon"
    data.mkdir(parents=True)
    path = _real_archive(data / "archive.sqlite" if target == "default" else tmp_path / "mine.sqlite")
    before = _digest(path)
    result = run_belmon("demo", "--db", str(path), HOME=str(home),
                        XDG_DATA_HOME=str(home / ".local" / "share"))
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("Error: ") and str(path) in line
    assert ("default archive" if target == "default" else "holds 1 crawl run(s)") in line
    assert _digest(path) == before


@pytest.mark.parametrize("command", [
    ["sql", "select 1"], ["status"], ["search", "Китай"], ["export"], ["reindex"],
    ["reference", "list"], ["rematch"],
    ["reference", "add", str(SHARED / "seeds" / "000_c3a435b860ea2ebb.txt")],
])
def test_reading_commands_refuse_a_missing_archive_and_create_nothing(
    tmp_path: Path, command: list[str]
) -> None:
    typo = tmp_path / "typo.sqlite"
    result = run_belmon(*command, "--db", str(typo))
    assert result.returncode == 1
    assert result.stderr.strip() == f"Error: no archive at {typo} (belmon init or belmon crawl creates one)"
    assert sorted(tmp_path.iterdir()) == []


def test_init_still_creates_an_archive(tmp_path: Path) -> None:
    result = run_belmon("init", "--db", str(tmp_path / "new.sqlite"))
    assert result.returncode == 0 and (tmp_path / "new.sqlite").exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"", "is empty"),
    (b"  \n\t\n", "is empty"),
    (b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 8, "is not text or HTML (binary data)"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64, "is not text or HTML (binary data)"),
    (b"12 34 56\n7 8 9\n", "holds no text to read"),
])
def test_match_and_reference_add_refuse_what_is_not_text(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    matched = run_belmon("match", str(path), "--db", str(tmp_path / "none.sqlite"))
    assert (matched.returncode, matched.stdout) == (1, "")
    assert matched.stderr.strip() == f"Error: {path}: {message}"
    db = _real_archive(tmp_path / "a.sqlite")
    added = run_belmon("reference", "add", str(path), "--db", str(db))
    assert added.returncode == 1 and added.stderr.strip() == f"Error: {path}: {message}"
    assert query(db, "select count(*) from reference_texts") == [(0,)]


def test_match_refuses_binary_standard_input(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import belmon_command, belmon_env

    result = subprocess.run([*belmon_command(), "match", "-", "--db", str(tmp_path / "n.sqlite")],
                            input=b"\x00\x01\x02binary\x00", capture_output=True,
                            env=belmon_env(), timeout=60)
    assert result.returncode == 1
    assert result.stderr.decode().strip() == "Error: standard input: is not text or HTML (binary data)"


def test_match_reads_a_real_page_without_an_archive(tmp_path: Path) -> None:
    page = SHARED / "realpages" / "pages" / "bbc.com__1.html"
    result = run_belmon("match", str(page), "--db", str(tmp_path / "none.sqlite"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["language"] == "en"
    assert sorted(tmp_path.iterdir()) == []

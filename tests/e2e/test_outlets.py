"""`belmon outlets` and `belmon outlets check`: the configured outlets with what the archive
holds of them, and a live check of one outlet — a user's three-line outlet included."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.sources import load_sources
from replica.server import Replica
from tests.conftest import run_belmon

THREE_LINES = """[myoutlet]
name = "My Outlet"
base_url = "{base}"
feeds = ["/ru/rss/all/"]
"""


def test_the_list_shows_every_configured_outlet_and_what_the_archive_holds(
    crawled_db: Path, tmp_path: Path
) -> None:
    packaged = list(load_sources())
    bare = run_belmon("outlets", "--format", "json", "--db", str(tmp_path / "none.sqlite"))
    assert bare.returncode == 0, bare.stderr
    rows = json.loads(bare.stdout)
    assert [r["outlet"] for r in rows] == packaged  # no archive: still the configuration
    assert all(r["articles"] == 0 and r["last_status"] is None for r in rows)
    assert not (tmp_path / "none.sqlite").exists()  # listing creates no archive

    crawled = run_belmon("outlets", "--format", "json", "--db", str(crawled_db))
    assert crawled.returncode == 0, crawled.stderr
    by_id = {r["outlet"]: r for r in json.loads(crawled.stdout)}
    charter97 = by_id["charter97"]
    assert [e["edition"] for e in charter97["editions"]] == ["ru", "be", "en"]
    assert charter97["discovery"] == "ru: feed, listing; be: feed, listing; en: listing"
    assert charter97["articles"] > 0 and charter97["last_status"] == "ok"
    assert charter97["health"] == "ok" and charter97["reads"].startswith("of the last")

    table = run_belmon("outlets", "--db", str(crawled_db))
    assert table.returncode == 0 and "charter97" in table.stdout and "every 30 min" in table.stdout


def test_a_three_line_outlet_is_listed_and_checked(replica: Replica, tmp_path: Path) -> None:
    sources = tmp_path / "mine.toml"
    sources.write_text(THREE_LINES.format(base=replica.base_urls["charter97"]), encoding="utf-8")
    listed = run_belmon("outlets", "--format", "json", "--sources", str(sources),
                        "--db", str(tmp_path / "none.sqlite"))
    assert listed.returncode == 0, listed.stderr
    mine = json.loads(listed.stdout)[-1]
    assert (mine["outlet"], mine["name"], mine["discovery"]) == ("myoutlet", "My Outlet", "feed")
    assert mine["editions"] == [{"edition": None, "language": None,
                                 "base_url": replica.base_urls["charter97"]}]

    checked = run_belmon("outlets", "check", "myoutlet", "--sources", str(sources),
                         "--delay", "0", "--format", "json")
    assert checked.returncode == 0, checked.stderr[-2000:]
    fields = {r["field"]: r for r in json.loads(checked.stdout)}
    assert fields["title"]["found"] and fields["body"]["found"]
    # No selector: the generic reader, from the page's own metadata and its main text.
    assert {r["extractor"] for r in fields.values()} == {"generic"}
    assert fields["title"]["source"] in {"json-ld", "meta", "h1", "title-tag"}
    assert fields["body"]["source"] == "main-text"
    assert fields["published_at"]["source"] in {"json-ld", "meta", "time", "htmldate"}
    assert (fields["language"]["value"], fields["language"]["source"]) == ("ru", "detected")
    paths = [path for _outlet, path in replica.request_log]
    assert paths.count("/ru/rss/all/") == 1  # one feed...
    assert len([p for p in paths if "/news/" in p]) == 1  # ...and one article, nothing else


def test_a_check_that_reads_nothing_says_so_and_fails(replica: Replica, tmp_path: Path) -> None:
    sources = tmp_path / "mine.toml"
    sources.write_text(THREE_LINES.format(base=replica.base_urls["charter97"])
                       .replace("/ru/rss/all/", "/no/such/feed/"), encoding="utf-8")
    checked = run_belmon("outlets", "check", "myoutlet", "--sources", str(sources),
                         "--delay", "0")
    assert checked.returncode == 1
    assert checked.stderr.strip().splitlines()[-1].startswith(
        "Error: myoutlet: no article read for (the one edition)")
    assert "edition (one): " in checked.stdout and "no article read" in checked.stdout

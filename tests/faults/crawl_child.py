"""A crawl in this process (crawler.run.run_crawl), for tests that reach inside it.

    python crawl_child.py --db FILE [--max-page-count N] OUTLET=BASE_URL ...

--max-page-count caps the archive's size on every connection of this process (SQLite's
PRAGMA max_page_count is per connection): the disk is "full" once it is reached.
"""

from __future__ import annotations

import argparse
import json

from sqlalchemy import event

from crawler.options import CrawlOptions
from crawler.run import run_crawl
from crawler.sources import Source, load_sources
from scheduler.logs import configure_logging
from storage.archive import Archive


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--max-page-count", type=int)
    parser.add_argument("outlets", nargs="+", metavar="OUTLET=BASE_URL")
    args = parser.parse_args()
    configure_logging("INFO")
    registry = load_sources()
    moved: dict[str, Source] = {}
    for key, url in (pair.split("=", 1) for pair in args.outlets):
        outlet, _, edition = key.partition(".")
        moved[outlet] = moved.get(outlet, registry[outlet]).with_base_url(url, edition or None)
    sources = list(moved.values())
    archive = Archive.open(args.db)
    if args.max_page_count:
        archive.engine.dispose()  # new connections only, each with the cap

        @event.listens_for(archive.engine, "connect")
        def _cap(dbapi_conn: object, _record: object) -> None:
            dbapi_conn.execute(f"PRAGMA max_page_count = {args.max_page_count}")  # type: ignore[attr-defined]

    options = CrawlOptions(download_delay=0, timeout=2, max_pages=50)
    try:
        run_ids = run_crawl(sources, archive, options)
    finally:
        archive.close()
    print(json.dumps({"runs": run_ids}))


if __name__ == "__main__":
    main()

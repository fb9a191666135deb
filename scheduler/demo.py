"""`belmon demo`: the replica on loopback, a crawl of every outlet from it, and a look at the result."""

from __future__ import annotations

from collections.abc import Callable

from crawler.replica.server import Replica
from crawler.run import CrawlOptions, run_crawl
from scheduler.context import select_sources
from scheduler.display import runs_table, table
from storage import queries
from storage.archive import Archive
from storage.readonly import run_query

EXAMPLE_QUERIES = (
    ("Articles per outlet and language",
     "SELECT source_id, language, count(*) AS articles FROM articles GROUP BY 1, 2 ORDER BY 1, 2"),
    ("The five newest articles",
     "SELECT source_id, published_at, substr(title, 1, 60) AS title FROM articles "
     "ORDER BY published_at DESC LIMIT 5"),
    ("Articles that mention China in any of the three languages",
     "SELECT source_id, count(*) AS articles FROM articles WHERE title || ' ' || body LIKE "
     "'%Кита%' OR title || ' ' || body LIKE '%Кіта%' OR title || ' ' || body LIKE '%China%' "
     "OR title || ' ' || body LIKE '%Chinese%' GROUP BY 1"),
)


def run_demo(db_url: str, echo: Callable[[str], None]) -> None:
    """Crawl the replica into the archive at `db_url` and print what it holds."""
    with Replica(port=0) as replica:
        base_urls = [f"{sid}={url}" for sid, url in replica.base_urls.items()]
        sources = select_sources(list(replica.base_urls), None, base_urls)
        echo(f"replica serving {', '.join(replica.base_urls.values())}")
        archive = Archive.open(db_url)
        try:
            run_ids = run_crawl(sources, archive, CrawlOptions(trigger="demo", download_delay=0,
                                                               max_pages=50))
            runs = queries.runs_by_id(archive.engine, run_ids)
            echo(runs_table(runs))
            echo(f"\narchive: {db_url}")
            for title, sql in EXAMPLE_QUERIES:
                columns, rows = run_query(archive.engine, sql)
                echo(f"\n-- {title}\n{sql};\n{table(columns, rows)}")
        finally:
            archive.close()

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
    ("Articles per outlet and language, and how many are about Belarus-China relations",
     "SELECT source_id, language, count(*) AS articles, sum(relevant) AS relevant "
     "FROM articles GROUP BY 1, 2 ORDER BY 1, 2"),
    ("The newest matched articles and their strongest themes",
     "SELECT outlet, date(published_at) AS day, substr(title, 1, 45) AS title, "
     "round(relevance, 2) AS relevance, top_themes FROM matched_articles "
     "ORDER BY published_at DESC LIMIT 5"),
    ("Reprints: articles that copy another outlet's earlier text",
     "SELECT outlet, substr(title, 1, 40) AS title, original_outlet, original_url FROM reprints "
     "WHERE outlet <> original_outlet ORDER BY published_at"),
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

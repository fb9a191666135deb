"""`belmon demo`: the replica on loopback, a crawl of every outlet from it, and a look at the result."""

from __future__ import annotations

from collections.abc import Callable

from crawler.options import CrawlOptions
from crawler.run import run_crawl
from replica.server import Replica
from scheduler.cli.context import select_sources
from scheduler.cli.display import runs_table, table
from scheduler.config import default_db_path
from storage import queries
from storage.archive import Archive
from storage.engine import ArchiveError, as_url, database_url, sqlite_path
from storage.sql import run_query

EXAMPLE_QUERIES = (
    ("Articles per outlet and language, and how many are about Belarus-China relations",
     "SELECT outlet, language, count(*) AS articles, sum(relevant) AS relevant "
     "FROM articles GROUP BY 1, 2 ORDER BY 1, 2"),
    ("The newest matched articles and their strongest themes",
     "SELECT outlet, date(published_at) AS day, substr(title, 1, 45) AS title, "
     "round(relevance, 2) AS relevance, top_themes FROM matched_articles "
     "ORDER BY published_at DESC LIMIT 5"),
    ("Reprints: articles that copy another outlet's earlier text",
     "SELECT outlet, substr(title, 1, 40) AS title, original_outlet, original_url FROM reprints "
     "WHERE outlet <> original_outlet ORDER BY published_at"),
)


def demo_archive_url(db: str | None) -> str:
    """The archive the demo may write: the user's choice, or demo.sqlite beside the default
    archive; never the default archive itself, nor one that holds crawls of the real outlets."""
    if db is None:
        own = default_db_path().with_name("demo.sqlite")
        own.parent.mkdir(parents=True, exist_ok=True)
        db = str(own)
    url = database_url(db)
    if url == as_url(default_db_path()):
        raise ArchiveError(f"{url} is belmon's default archive; the demo needs one of its own")
    path = sqlite_path(url)
    if path is None or path.exists():
        archive = Archive.open(url, upgrade=False)
        try:
            real = queries.real_crawl_count(archive.engine)
        finally:
            archive.close()
        if real:
            raise ArchiveError(f"{url} holds {real} crawl run(s) of the real outlets; the demo "
                               "stores replica articles under the outlets' own URLs, so give it "
                               "an archive of its own (--db demo.sqlite)")
    return url


def run_demo(db_url: str, echo: Callable[[str], None]) -> None:
    """Crawl the replica into the archive at `db_url` and print what it holds."""
    with Replica(port=0) as replica:
        base_urls = [f"{key}={url}" for key, url in replica.base_urls.items()]
        sources = select_sources(replica.outlets, None, base_urls)
        ports = sorted(url.rsplit(":", 1)[1] for url in replica.base_urls.values())
        echo(f"replica serving {len(replica.outlets)} outlets on 127.0.0.1, ports {', '.join(ports)}")
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

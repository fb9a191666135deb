"""One pool of spawned worker processes for the pure, CPU-bound work: reading pages, rescoring.

A crawl's reactor process fetches and stores while its workers extract, fingerprint, match
and stem; `belmon rematch` rescores stored texts on every core. Both use the same pool:
spawned (a fork would copy a running reactor and its threads), each worker loading the
themes once and ending with its parent. With no workers the same functions run in the
calling process.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

from crawler.analysis import References, analyse, rescorer
from crawler.extraction.extract import Rejected, extract_article
from crawler.extraction.feed_article import article_from_feed
from crawler.items import ArticlePage
from crawler.sources import Source
from crawler.themes import ThemeSet, load_themes
from storage.records import AnalysedArticle, Article, Rescored, StoredText

log = logging.getLogger(__name__)

_loaded: dict[str, object] = {}  # this worker's themes and references, set once at its start
_PR_SET_PDEATHSIG = 1


def spawn_pool(
    workers: int, themes_file: Path | None, references: Mapping[str, Mapping[str, float]]
) -> Executor | None:
    """A pool of `workers` spawned processes (None for fewer than 1: work in this process)."""
    if workers < 1:
        return None
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker, initargs=(themes_file, dict(references)),
    )


def _start_worker(themes_file: Path | None, references: Mapping[str, Mapping[str, float]]) -> None:
    _die_with_parent()
    _loaded["themes"] = load_themes(themes_file)
    _loaded["references"] = dict(references)


def _die_with_parent() -> None:
    """Ask Linux to end this worker when its parent dies, even by SIGKILL.

    Without it a killed crawl leaves its page readers running for ever.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        log.debug("cannot ask to die with the parent process")
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


def _worker_state() -> tuple[ThemeSet, References]:
    themes, references = _loaded["themes"], _loaded["references"]
    assert isinstance(themes, ThemeSet) and isinstance(references, dict)
    return themes, references


def read_page(page: ArticlePage, source: Source) -> AnalysedArticle | Rejected:
    """In a worker: the page's article with everything the analysers say, or why it has none."""
    return read_page_with(page, source, *_worker_state())


def read_page_with(
    page: ArticlePage, source: Source, themes: ThemeSet, references: References
) -> AnalysedArticle | Rejected:
    if page.feed_item is not None:
        from_feed = article_from_feed(page.feed_item, page.url, source, page.fetched_at)
        result: Article | Rejected = from_feed or Rejected("refused-no-feed-text", page.url)
    else:
        result = extract_article(page.html, page.url, source, page.fetched_at)
    if isinstance(result, Rejected):
        return result
    return analyse(AnalysedArticle(article=result, seen_urls=page.seen_urls), themes, references)


def _rescore_batch(texts: list[StoredText]) -> list[Rescored]:
    rescore = rescorer(*_worker_state())
    return [rescore(t) for t in texts]


def rescore_batches(
    batches: Iterable[list[StoredText]], themes_file: Path | None,
    references: Mapping[str, Mapping[str, float]], workers: int | None = None,
) -> Iterator[list[Rescored]]:
    """Each batch's new verdicts, in order; with no workers, in this process (default: one per core)."""
    workers = os.cpu_count() or 1 if workers is None else workers
    if workers < 1:
        rescore = rescorer(load_themes(themes_file), references)
        for texts in batches:
            yield [rescore(t) for t in texts]
        return
    pool = spawn_pool(workers, themes_file, references)
    assert pool is not None
    with pool:
        yield from pool.map(_rescore_batch, batches)

"""Reading article pages in worker processes, so parsing and matching use every core.

The reactor's process fetches and stores; extraction, fingerprinting, theme matching and
stemming (pure, CPU-bound) run in a pool of spawned processes that each load the themes
once. With no workers the same function runs in the reactor's process.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
from collections.abc import Mapping
from concurrent.futures import Executor, ProcessPoolExecutor
from pathlib import Path

from crawler.analysis import References, analyse
from crawler.extract import Rejected, extract_article
from crawler.items import AnalysedArticle, ArticlePage
from crawler.sources import Source
from crawler.themes import ThemeSet, load_themes

log = logging.getLogger(__name__)

_loaded: dict[str, object] = {}  # this worker's themes and references, set once at its start


def start_worker(themes_file: Path | None, references: Mapping[str, Mapping[str, float]]) -> None:
    _die_with_parent()
    _loaded["themes"] = load_themes(themes_file)
    _loaded["references"] = dict(references)


def _die_with_parent() -> None:
    """Ask Linux to end this worker when the crawl process dies, even by SIGKILL.

    Without it a killed crawl leaves its page readers running for ever.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the pool's own shutdown is all there is
        log.debug("cannot ask to die with the parent process")
    if os.getppid() == 1:  # the parent died before prctl took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def read_page(page: ArticlePage, source: Source) -> AnalysedArticle | Rejected:
    """In a worker: the page's article with everything the analysers say, or why it has none."""
    themes = _loaded["themes"]
    references = _loaded["references"]
    assert isinstance(themes, ThemeSet) and isinstance(references, dict)
    return read_page_with(page, source, themes, references)


def read_page_with(
    page: ArticlePage, source: Source, themes: ThemeSet, references: References
) -> AnalysedArticle | Rejected:
    result = extract_article(page.html, page.url, source, page.fetched_at)
    if isinstance(result, Rejected):
        return result
    return analyse(AnalysedArticle(article=result, seen_urls=page.seen_urls), themes, references)


def worker_pool(
    workers: int, themes_file: Path | None, references: Mapping[str, Mapping[str, float]]
) -> Executor | None:
    """A pool of `workers` spawned processes (None for 0: read pages in this process).

    Spawned, not forked: a fork would copy the running reactor and its threads.
    """
    if workers < 1:
        return None
    return ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context("spawn"),
        initializer=start_worker, initargs=(themes_file, dict(references)),
    )

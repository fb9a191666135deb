"""Rescoring many stored texts on every core: worker processes each load the themes once."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from crawler.analysis import rescorer
from crawler.themes import load_themes
from storage.rematch import Rescored, StoredText

_worker_rescore = None  # set in each worker process by _start_worker


def _start_worker(themes_file: Path | None, references: Mapping[str, Mapping[str, float]]) -> None:
    global _worker_rescore  # noqa: PLW0603 - one per worker process, set once at its start
    _worker_rescore = rescorer(load_themes(themes_file), references)


def _score_batch(texts: list[StoredText]) -> list[Rescored]:
    assert _worker_rescore is not None
    return [_worker_rescore(t) for t in texts]


def rescore_batches(
    batches: Iterable[list[StoredText]], themes_file: Path | None,
    references: Mapping[str, Mapping[str, float]], workers: int | None = None,
) -> Iterator[list[Rescored]]:
    """Each batch's new verdicts, in order; with one worker, in this process."""
    workers = workers or os.cpu_count() or 1
    if workers == 1:
        rescore = rescorer(load_themes(themes_file), references)
        for texts in batches:
            yield [rescore(t) for t in texts]
        return
    with ProcessPoolExecutor(workers, initializer=_start_worker,
                             initargs=(themes_file, dict(references))) as pool:
        yield from pool.map(_score_batch, batches)

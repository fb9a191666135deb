"""Synthetic articles for scale tests and benchmarks, recombining sentences of the team-written corpus."""

from __future__ import annotations

import random
import re
import tempfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from replica.corpus import ReplicaArticle, load_corpus

_SENTENCE = re.compile(r"(?<=[.!?…])\s+")


def sentence_pool() -> dict[str, list[str]]:
    """Sentences of the packaged corpus by language."""
    pool: dict[str, list[str]] = {}
    for article in load_corpus():
        for paragraph in article.body:
            pool.setdefault(article.lang, []).extend(s for s in _SENTENCE.split(paragraph) if s)
    return pool


# The outlets whose listings page back through every article: a crawl finds all of a scaled
# corpus there, where a feed (the newest 20) would hide the rest.
PAGED_OUTLETS = ("charter97", "pozirk")


def empty_corpus() -> Path:
    """A fresh, empty articles folder: a replica started on it serves only what is added."""
    return Path(tempfile.mkdtemp(prefix="belmon-replica-"))


def scaled_corpus(count: int, seed: int = 7,
                  outlets: tuple[str, ...] = PAGED_OUTLETS) -> list[ReplicaArticle]:
    """`count` distinct articles shaped like the corpus, spread over `outlets`."""
    rng = random.Random(seed)
    base = [a for a in load_corpus() if a.outlet in outlets]
    pool = sentence_pool()
    made = []
    for n in range(count):
        model = base[n % len(base)]
        sentences = pool[model.lang]
        body = tuple(" ".join(rng.sample(sentences, 3)) for _ in range(rng.randint(4, 7)))
        made.append(replace(
            model,
            id=(700000 if model.outlet == "charter97" else 210000) + n,
            title=f"{model.title} — {n}",
            slug=f"{model.slug}-{n}" if model.slug else None,
            body=body,
            published=model.published - timedelta(minutes=7 * n),
            reprint_of=None,
            variant_urls=(),
        ))
    return made

"""Benchmark: µs per fingerprint() of a 1,000-word article; run python benchmarks/fingerprint_speed.py."""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from crawler import fingerprint as fp
from replica.corpus import load_corpus


def sample_texts(words: int) -> list[str]:
    """Texts of `words` words cut from the replica corpus, one language each."""
    by_lang: dict[str, list[str]] = {}
    for article in load_corpus():
        by_lang.setdefault(article.lang, []).extend(fp.article_text(article.lead, article.body).split())
    texts = []
    for tokens in by_lang.values():
        texts += [" ".join(tokens[i : i + words]) for i in range(0, len(tokens) - words + 1, words)]
    return texts


def median_us(call: Callable[[str], object], texts: list[str], runs: int, cold: bool) -> float:
    """Median time of one call, over `runs` passes through the texts, in microseconds."""
    times = []
    for _ in range(runs):
        for text in texts:
            if cold:
                fp._word_hash.cache_clear()  # as the first article a process sees
            start = time.perf_counter()
            call(text)
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=1000, help="words per text (default 1000)")
    parser.add_argument("--runs", type=int, default=30, help="passes over the texts (default 30)")
    args = parser.parse_args()
    texts = sample_texts(args.words)
    print(f"{fp.SCHEME}: {len(texts)} texts of {args.words} words, {args.runs} runs, median")
    for label, cold in (("cold word cache", True), ("warm word cache", False)):
        print(f"  fingerprint(), {label}: {median_us(fp.fingerprint, texts, args.runs, cold):8.0f} µs")
    print(f"  words() alone:               {median_us(fp.words, texts, args.runs, False):8.0f} µs")
    one = fp.fingerprint(texts[0]).signature
    other = fp.fingerprint(texts[1]).signature
    start = time.perf_counter()
    for _ in range(10_000):
        fp.similarity(one, other)
    print(f"  similarity():                {(time.perf_counter() - start) * 100:8.1f} µs")


if __name__ == "__main__":
    main()

"""Benchmark: theme matching, ~5 KB articles per second on one core; python benchmarks/match_speed.py."""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections import Counter

from crawler.themes import stems
from crawler.themes.definitions import load_themes
from crawler.themes.index import compiled
from crawler.themes.matcher import match
from replica.corpus import load_corpus

Article = tuple[str, str, str]  # title, body, language


def sample_articles(size: int) -> list[Article]:
    """Every replica article with its paragraphs repeated to about `size` characters.

    Each keeps its own verdict, so the sample has the corpus's mix of relevant and
    unrelated articles (more relevant ones than a real feed, so more evidence to build).
    """
    articles = []
    for article in load_corpus():
        paragraphs = [article.lead, *article.body]
        body = "\n\n".join(paragraphs)
        while len(body) < size:
            body += "\n\n" + "\n\n".join(paragraphs)
        articles.append((article.title, body[:size], article.lang))
    return articles


def shuffled_articles(size: int, seed: int = 7) -> list[Article]:
    """Articles of about `size` characters dealt from each language's shuffled paragraphs.

    Almost every such article mixes China and Belarus paragraphs and is relevant with many
    themes: the worst case for the matcher, which builds evidence for what it reports.
    """
    rng = random.Random(seed)
    paragraphs: dict[str, list[str]] = {}
    titles: dict[str, list[str]] = {}
    for article in load_corpus():
        paragraphs.setdefault(article.lang, []).extend((article.lead, *article.body))
        titles.setdefault(article.lang, []).append(article.title)
    articles = []
    for lang, pool in paragraphs.items():
        for _ in range(3):  # three shuffles: more articles, different neighbours
            rng.shuffle(pool)
            body: list[str] = []
            for paragraph in pool:
                body.append(paragraph)
                if sum(map(len, body)) >= size:
                    articles.append((rng.choice(titles[lang]), "\n\n".join(body)[:size], lang))
                    body = []
    return articles


def articles_per_second(articles: list[Article], seconds: float, language: bool) -> float:
    """Articles matched per CPU second in passes over the sample lasting at least `seconds`."""
    done = 0
    start = time.process_time()
    while time.process_time() - start < seconds:
        for title, body, lang in articles:
            match(body, title, lang if language else None)
        done += len(articles)
    return done / (time.process_time() - start)


def cold_pass(articles: list[Article]) -> float:
    """Articles per second in the first pass of a fresh process: every cache empty."""
    compiled.cache_clear()
    for cached in (stems.russian_lemmas, stems.russian_forms, stems.belarusian_stem, stems.english_stem):
        cached.cache_clear()
    start = time.process_time()
    load_themes()
    for title, body, lang in articles:
        match(body, title, lang)
    return len(articles) / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=5000, help="characters per article (default 5000)")
    parser.add_argument("--runs", type=int, default=7, help="timed runs, the median is shown (default 7)")
    parser.add_argument("--seconds", type=float, default=1.0, help="CPU seconds per run (default 1)")
    parser.add_argument("--shuffled", action="store_true", help="worst case: paragraphs mixed across texts")
    args = parser.parse_args()
    articles = shuffled_articles(args.size) if args.shuffled else sample_articles(args.size)
    relevant = sum(match(body, title, lang).relevant for title, body, lang in articles)
    mix = ", ".join(f"{n} {lang}" for lang, n in sorted(Counter(a[2] for a in articles).items()))
    mean = statistics.mean(len(a[0]) + len(a[1]) for a in articles)
    print(f"{len(articles)} articles of {mean:,.0f} characters ({mix}), {relevant} relevant")
    print(f"  first pass, caches empty:  {cold_pass(articles):8,.0f} articles/s")
    for label, language in (("language given", True), ("language detected", False)):
        rates = [articles_per_second(articles, args.seconds, language) for _ in range(args.runs)]
        median = statistics.median(rates)
        print(f"  {label + ':':26} {median:8,.0f} articles/s  ({median * mean / 1e6:.1f} MB/s, "
              f"median of {args.runs}, min {min(rates):,.0f}, max {max(rates):,.0f})")


if __name__ == "__main__":
    main()

"""Two belmon installs crawling the same replica pages, alternating, side by side: the way to
tell whether a change made a crawl cheaper on a shared, noisy machine.

    python -m benchmarks.ab_crawl OLD/.venv/bin/belmon NEW/.venv/bin/belmon [ROUNDS] [ARTICLES]

(for OLD, `git clone` the commit to compare with and install it in a venv of its own). Each
round crawls every synthetic article (100 KB pages) into a fresh archive with both, the
order swapped every round; the medians of wall time, CPU and peak memory are printed. It
fails unless each crawl stored every article.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import ChildRun, run_child
from replica.server import Replica
from replica.synthetic import empty_corpus, scaled_corpus


def ab_crawl(commands: tuple[str, str], rounds: int, articles: int) -> dict[str, list[ChildRun]]:
    results: dict[str, list[ChildRun]] = {c: [] for c in commands}
    with Replica(port=0, articles_root=empty_corpus(), page_weight_kb=100) as replica:
        for article in scaled_corpus(articles):
            replica.add(article)
        base = [a for key, url in replica.base_urls.items() for a in ("--base-url", f"{key}={url}")]
        for n in range(rounds):
            for command in commands if n % 2 == 0 else commands[::-1]:
                with tempfile.TemporaryDirectory() as tmp:
                    db = Path(tmp) / "ab.sqlite"
                    results[command].append(run_child(
                        [command, "--log-level", "WARNING", "crawl", "--db", str(db), "--delay",
                         "0", "--max-pages", "10000", *base]))
                    stored = sqlite3.connect(db).execute("select count(*) from articles").fetchone()[0]
                    if stored != articles:
                        raise RuntimeError(f"{command} stored {stored} of {articles} articles")
    return results


def main(argv: list[str]) -> int:
    old, new = argv[0], argv[1]
    rounds = int(argv[2]) if len(argv) > 2 else 8
    articles = int(argv[3]) if len(argv) > 3 else 1300
    for command, runs in ab_crawl((old, new), rounds, articles).items():
        print(f"{command}: wall {statistics.median(r.wall_s for r in runs):.2f} s, "
              f"CPU {statistics.median(r.cpu_s for r in runs):.2f} s, "
              f"peak {statistics.median(r.peak_rss_mb for r in runs):.0f} MB "
              f"(median of {len(runs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

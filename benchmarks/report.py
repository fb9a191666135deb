"""Markdown sections of docs/benchmarks.md, one per scenario."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from benchmarks.archive_scale import QUERIES


def _crawl(r: dict[str, Any]) -> list[str]:
    ratio = r["full_pages_per_s"] / r["bare_pages_per_s"]
    return [
        "## End-to-end crawl of the replica",
        "",
        f"{r['articles']} generated articles, {r['pages']} pages (listings, feeds, articles) "
        f"carrying {r.get('page_kb', 0)} KB of boilerplate each, as real outlet pages do, "
        f"{r['rounds']} rounds; the full pipeline (`belmon crawl`: fetch, extract, fingerprint, "
        "match, store) against bare Scrapy fetching the same pages with the same settings and "
        "discarding them, alternating in the same run.",
        "",
        "| | pages/s | CPU | peak RSS |",
        "|---|---|---|---|",
        f"| full pipeline | {r['full_pages_per_s']:.0f} | {r['full_cpu_ms_per_article']:.1f} ms/article "
        f"| {r['full_peak_mb']:.0f} MB |",
        f"| bare Scrapy | {r['bare_pages_per_s']:.0f} | {r['bare_cpu_ms_per_page']:.1f} ms/page "
        f"| {r['bare_peak_mb']:.0f} MB |",
        "",
        f"Ratio full / bare: **{ratio:.2f}** (target ≥ 0.7). Peak memory of the full "
        f"pipeline's process tree: {r['full_peak_mb']:.0f} MB (target ≤ 250 MB). Failed runs: "
        f"{r['failed_runs']}. Both sides fetched every page: the replica counted them.",
        "",
        "### Incremental run against the unchanged replica",
        "",
        f"{r['incremental_requests']} requests, of which {r['incremental_article_requests']} "
        f"article pages (target: 0); wall time {r['incremental_wall_s']:.1f} s including start-up.",
    ]


def _extraction(r: dict[str, Any]) -> list[str]:
    lines = [
        "## Extraction against a peer",
        "",
        f"The {r['pages']} replica article pages, extracted by belmon's outlet selectors and by "
        "trafilatura (`bare_extraction` with metadata), compared field by field with the ground "
        "truth. trafilatura reports a date without a time, so its date counts as right when the "
        "day matches.",
        "",
        "| extractor | pages/s | title | body exact | body word F1 | published | author |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in ("belmon", "trafilatura"):
        acc = r[name]["accuracy"]
        lines.append(
            f"| {name} | {r[name]['pages_per_s']:.0f} | {acc['title']:.2f} | {acc['body_exact']:.2f} "
            f"| {acc['body_word_f1']:.2f} | {acc['published_at']:.2f} | {acc['author']:.2f} |"
        )
    return lines


def _stages(r: dict[str, Any]) -> list[str]:
    rows = [("extraction (HTML to Article)", "extract_us"), ("fingerprint (MinHash + bands)",
            "fingerprint_us"), ("theme matching", "match_us"),
            ("storing (one transaction per article, with near-duplicate lookup)", "store_us")]
    lines = [
        "## Pipeline stages",
        "",
        f"{r['articles']} generated articles as the replica serves them "
        f"(pages of {r['page_bytes'] / 1024:.1f} KB on average); median microseconds per article.",
        "",
        "| stage | µs per article |",
        "|---|---|",
    ]
    lines += [f"| {label} | {r[key]:.0f} |" for label, key in rows if key in r]
    return lines


def _dedup(r: dict[str, Any]) -> list[str]:
    lines = [
        "## Near-duplicate lookup at scale",
        "",
        "An archive holding N articles with random signatures (42 band rows and a 512-byte "
        "signature each); median milliseconds of one lookup (`storage.stories.find_story`) for "
        "new texts and for a text with a stored near-duplicate. Target: under 5 ms at a million.",
        "",
        "| stored signatures | new text | near-duplicate | index bytes per article | build |",
        "|---|---|---|---|---|",
    ]
    for size, row in r.items():
        lines.append(f"| {int(size):,} | {row['new_text_ms']:.2f} ms | {row['near_duplicate_ms']:.2f} ms "
                     f"| {row['index_bytes_per_article']:.0f} | {row['build_s']:.0f} s |")
    return lines


def _scale(r: dict[str, Any]) -> list[str]:
    exports = ", ".join(f"{int(n):,} articles: {mb:.0f} MB" for n, mb in r["export_peak_mb"].items())
    return [
        "## The archive at scale",
        "",
        f"A synthetic archive of {r['articles']:,} articles (sentences of the team's corpus "
        f"recombined, with stems, themes and the full-text index; built in {r['build_s']:.0f} s).",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| bytes per article on disk (text, stems, FTS index, themes) | {r['bytes_per_article']:.0f} | |",
        f"| full-text top 20, median over {len(QUERIES)} queries | {r['fts_top20_ms']:.1f} ms | < 50 ms |",
        f"| full-text top 20, slowest query | {r['fts_top20_ms_worst']:.1f} ms | |",
        f"| `matched_articles` for one month ({r['matched_month_rows']:,} rows) "
        f"| {r['matched_month_ms']:.1f} ms | |",
        f"| `belmon rematch` of every article (2 cores) | {r['rematch_s']:.0f} s | minutes |",
        f"| `belmon export` peak memory | {exports} | flat |",
        "",
        "Queries: " + ", ".join(f"`{q}`" for q in QUERIES) + ".",
    ]


def _daemon(r: dict[str, Any]) -> list[str]:
    return [
        "## The daemon",
        "",
        f"`belmon daemon` crawling both replica outlets every 3 seconds: resident memory of the "
        f"daemon process (the crawls are child processes) when idle at start, and after "
        f"{r['runs']} recorded runs ({r['seconds']:.0f} s).",
        "",
        "| | resident memory |",
        "|---|---|",
        f"| idle | {r['idle_rss_mb']:.0f} MB |",
        f"| after {r['runs']} runs | {r['after_rss_mb']:.0f} MB |",
        "",
        f"Exit status after SIGTERM: {r['exit_code']}.",
    ]


def _store(r: dict[str, Any]) -> list[str]:
    lines = [
        "## Store cost as the archive grows",
        "",
        f"Archives of N synthetic articles (as in the archive at scale, with a signature and "
        f"band rows each, fetched over 700 days), then {r['per_round']:,} new articles written "
        "through the crawl's own path (`Archive.store_articles`, batches of 25, near-duplicate "
        f"lookup); median of {r['rounds']} rounds alternating between the archives. The band "
        "rows are those the 30-day near-duplicate window keeps; \"every band\" keeps them all "
        "and expires none, as belmon did before the window. Target: at 1,000,000 archived at "
        "most 1.3 × the cost on an empty archive.",
        "",
        "| archived articles | band rows | file | ms per article | × empty |",
        "|---|---|---|---|---|",
    ]
    for label, row in r["sizes"].items():
        size, _, rest = label.partition(" ")
        lines.append(f"| {int(size):,}{' ' + rest if rest else ''} | {row['band_rows']:,} "
                     f"| {row['file_mb']:.0f} MB | {row['store_ms']:.2f} | {row['ratio']:.2f} |")
    return lines


def _daemon_scale(r: dict[str, Any]) -> list[str]:
    return [
        f"## {r['copies']} outlets on one daemon",
        "",
        f"`belmon daemon` with {r['copies']} outlets (copies of Charter97 on the replica, the "
        f"same articles each) every 15 minutes, time compressed {r['compression']:.0f} times "
        f"(an interval of {r['interval_s']:.0f} s), watched for {r['intervals']} intervals "
        f"after every outlet had filled its archive ({r['ready_s']:.0f} s); an article added "
        f"to the replica every half interval. {r['requests_served']:,} requests served while "
        "watched. Targets are those of a real 15-minute interval. A run's start is its "
        "record's, written once its crawl process is up; the jitter, 10 % of the interval "
        f"(at most 30 s), is {min(0.1 * r['interval_s'], 30):.0f} s here, against 30 s at 15 "
        "minutes, so the compressed lateness and lag are that much kinder than real ones.",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| peak resident memory, whole process tree, while watched | {r['peak_rss_mb']:.0f} MB "
        "| ≤ 800 MB |",
        f"| the same, during the first fill (every outlet's catch-up) "
        f"| {r['peak_rss_mb_first_fill']:.0f} MB | |",
        f"| CPU per interval (all processes) | {r['cpu_s_per_interval']:.0f} s | |",
        f"| CPU share of one core in a real 15-minute interval | {100 * r['cpu_share_real']:.1f} % "
        "| ≤ 10 % |",
        f"| crawl processes started per interval | {r['crawl_processes_per_interval']:.1f} | |",
        f"| runs watched / failed / skipped / missed | {r['runs_watched']} / {r['runs_failed']} / "
        f"{r['runs_skipped']} / {r['runs_missed']} | none skipped |",
        f"| run start after its slot, median / worst | {r['late_median_s']:.1f} s / "
        f"{r['late_max_s']:.1f} s | ≤ 60 s |",
        f"| lag from publication to the archive, median / worst | {r['lag_median_s']:.0f} s / "
        f"{r['lag_max_s']:.0f} s | |",
        f"| worst lag beyond one interval | {r['lag_max_s'] - r['interval_s']:.0f} s | ≤ 60 s |",
        "",
        f"Exit status after SIGTERM: {r['exit_code']}.",
    ]


SECTIONS: dict[str, Callable[[dict[str, Any]], list[str]]] = {
    "stages": _stages,
    "dedup": _dedup,
    "scale": _scale,
    "daemon": _daemon,
    "daemon_scale": _daemon_scale,
    "store": _store,
    "crawl": _crawl,
    "extraction": _extraction,
}

"""Run every benchmark and write docs/benchmarks.md.

    python -m benchmarks.run            # the full set (about an hour on 2 cores)
    python -m benchmarks.run --quick    # smaller sizes, a few minutes
    python -m benchmarks.run --only store daemon_scale   # these again; the rest kept
    python -m benchmarks.run --render   # the report again from docs/benchmarks.json

Figures are medians of several runs made side by side in this one run; the
machines are shared and noisy, so compare ratios rather than absolute numbers
between runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.archive_scale import scale_benchmark
from benchmarks.crawl import crawl_benchmark
from benchmarks.daemon_memory import daemon_benchmark
from benchmarks.daemon_scale import daemon_scale_benchmark
from benchmarks.dedup_lookup import dedup_benchmark
from benchmarks.extraction import extraction_benchmark
from benchmarks.machine import machine_lines
from benchmarks.report import SECTIONS
from benchmarks.stages import stages_benchmark
from benchmarks.store_scale import store_benchmark

REPORT = Path(__file__).parents[1] / "docs" / "benchmarks.md"
FINDINGS = Path(__file__).with_name("findings.md")  # hand-written analysis, appended

SIZES: dict[str, dict[str, Any]] = {
    "quick": {"crawl_articles": 600, "crawl_rounds": 2, "extraction_rounds": 3,
              "stage_articles": 200, "stage_rounds": 3, "dedup_sizes": [10_000],
              "scale_articles": 20_000, "export_limits": [2_000, 20_000], "daemon_runs": 10,
              "store_sizes": [0, 20_000], "store_every_band": [20_000], "store_per_round": 500,
              "store_rounds": 3, "daemon_copies": 20, "daemon_intervals": 1,
              "daemon_interval_s": 30},
    "full": {"crawl_articles": 5000, "crawl_rounds": 3, "extraction_rounds": 5,
             "stage_articles": 1000, "stage_rounds": 5,
             "dedup_sizes": [10_000, 100_000, 1_000_000],
             "scale_articles": 1_000_000, "export_limits": [10_000, 100_000],
             "daemon_runs": 100, "store_sizes": [0, 200_000, 1_000_000],
             "store_every_band": [200_000], "store_per_round": 1000, "store_rounds": 5,
             "daemon_copies": 100, "daemon_intervals": 3, "daemon_interval_s": 90},
}


def scenarios(size: dict[str, Any]) -> dict[str, Callable[[], dict[str, Any]]]:
    return {
        "stages": lambda: stages_benchmark(size["stage_articles"], size["stage_rounds"]),
        "dedup": lambda: dedup_benchmark(size["dedup_sizes"]),
        "scale": lambda: scale_benchmark(size["scale_articles"], size["export_limits"]),
        "daemon": lambda: daemon_benchmark(size["daemon_runs"]),
        "daemon_scale": lambda: daemon_scale_benchmark(
            size["daemon_copies"], size["daemon_intervals"], size["daemon_interval_s"]),
        "store": lambda: store_benchmark(size["store_sizes"], size["store_every_band"],
                                         size["store_per_round"], size["store_rounds"]),
        "crawl": lambda: crawl_benchmark(size["crawl_articles"], size["crawl_rounds"]),
        "extraction": lambda: extraction_benchmark(size["extraction_rounds"]),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, under two minutes")
    parser.add_argument("--only", nargs="*", help="run only these scenarios")
    parser.add_argument("--output", type=Path, default=REPORT)
    parser.add_argument("--render", action="store_true",
                        help="run nothing: write the report again from its .json and findings.md")
    parser.add_argument("--scenario-json", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    mode = "quick" if args.quick else "full"
    if args.render:
        args.output.write_text(render(mode, _load(args.output.with_suffix(".json"))),
                               encoding="utf-8")
        return
    if args.scenario_json:  # one scenario, in this process, for the parent run below
        (name,) = args.only
        result = scenarios(SIZES[mode])[name]()
        args.scenario_json.write_text(json.dumps(result, default=str), encoding="utf-8")
        return
    saved = args.output.with_suffix(".json")
    # With --only, the other scenarios' last results (full mode) stay in the report, dated.
    kept = _load(saved) if args.only and mode == "full" else {}
    results: dict[str, Any] = {}
    for name in scenarios(SIZES[mode]):
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        print(f"benchmark {name} ...", file=sys.stderr, flush=True)
        results[name] = _in_own_process(name, args.quick)
        kept[name] = {"measured": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC", "result": results[name]}
        print(f"benchmark {name}: {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
    if mode == "full":
        saved.write_text(json.dumps(kept, indent=1, default=str) + "\n", encoding="utf-8")
    args.output.write_text(render(mode, kept), encoding="utf-8")
    print(json.dumps(results, indent=1, default=str))


def _load(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _in_own_process(name: str, quick: bool) -> dict[str, Any]:
    """Each scenario runs in a fresh process, so one's memory cannot weigh on the next."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        subprocess.run([sys.executable, "-m", "benchmarks.run", "--only", name,
                        "--scenario-json", str(out), *(["--quick"] if quick else [])],
                       check=True, cwd=Path(__file__).parents[1])
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def render(mode: str, results: dict[str, Any]) -> str:
    lines = [
        "# belmon benchmarks",
        "",
        f"Written by `python -m benchmarks.run{' --quick' if mode == 'quick' else ''}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC ({mode} mode; each section says when it was "
        "measured, scenarios can be run again alone with `--only`). Within a section, medians "
        "of several runs made side by side in one run; the machines are shared and noisy.",
        "",
        *machine_lines(),
        "",
    ]
    for name, section in SECTIONS.items():
        if name in results:
            body = section(results[name]["result"])
            if "measured" in results[name]:
                body[1:1] = ["", f"Measured {results[name]['measured']}."]
            lines += body
            lines.append("")
    lines.append(FINDINGS.read_text(encoding="utf-8"))
    return "\n".join(lines)


if __name__ == "__main__":
    main()

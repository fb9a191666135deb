"""Per-theme confusion table on the labelled evaluation set; run python benchmarks/theme_confusion.py."""

from __future__ import annotations

import argparse
from pathlib import Path

from crawler.themes.definitions import load_themes
from crawler.themes.evaluation import confusion_table, evaluate, load_cases

EVAL_SET = Path(__file__).parents[1] / "tests" / "fixtures" / "themes_eval.toml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--eval-set", type=Path, default=EVAL_SET, help="labelled texts (TOML)")
    parser.add_argument("--themes", type=Path, default=None, help="a themes file to try instead")
    parser.add_argument("--mistakes", action="store_true", help="also list every text scored wrong")
    args = parser.parse_args()
    themes = load_themes(args.themes)
    cases = load_cases(args.eval_set)
    report = evaluate(cases, themes, [t.id for t in themes.themes])
    print(f"{len(cases)} texts, {sum(c.relevant for c in cases)} relevant; language given as labelled\n")
    print(confusion_table(report))
    if args.mistakes:
        print("\n" + "\n".join(report.mistakes or ["no mistakes"]))


if __name__ == "__main__":
    main()

"""Quality on the team's labelled evaluation set: relevance F1 >= 0.9, theme micro-F1 >= 0.8."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from crawler.themes.definitions import load_themes
from crawler.themes.evaluation import confusion_table, evaluate, load_cases

EVAL_SET = Path(__file__).parents[1] / "fixtures" / "themes_eval.toml"
THEME_IDS = (
    "trade-balance", "industry-competition", "potash-raw-materials", "loans-investment",
    "transit-logistics", "russia-sovereignty", "west-sanctions", "diplomacy",
    "technology-quality", "military-security", "economic-governance",
)  # fmt: skip


def test_the_evaluation_set_is_broad_enough() -> None:
    cases = load_cases(EVAL_SET)
    assert len(cases) >= 150
    assert len({c.id for c in cases}) == len(cases)
    languages = Counter(c.lang for c in cases)
    assert set(languages) == {"ru", "be", "en"} and min(languages.values()) >= 40
    assert sum(c.id.startswith("lat-") for c in cases) >= 10  # Belarusian in Łacinka
    negatives = [c for c in cases if not c.relevant]
    assert len(negatives) >= 40 and all(not c.themes for c in negatives)
    per_theme = Counter(t for c in cases for t in c.themes)
    assert set(per_theme) == set(THEME_IDS) and min(per_theme.values()) >= 8


def test_relevance_and_theme_f1_reach_the_bar() -> None:
    themes = load_themes()
    report = evaluate(load_cases(EVAL_SET), themes, THEME_IDS)
    relevance_f1, theme_f1 = report.relevance.f1, report.theme_micro.f1
    summary = f"relevance F1 {relevance_f1:.3f}, theme micro-F1 {theme_f1:.3f}"
    print(f"\n{summary}\n{confusion_table(report)}")
    detail = summary + "\n" + "\n".join(report.mistakes)
    assert relevance_f1 >= 0.9, detail
    assert theme_f1 >= 0.8, detail

"""Scoring the matcher against a labelled set of texts: relevance F1, theme micro-F1, confusion."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from crawler.themes.definitions import ThemeSet
from crawler.themes.matcher import match


@dataclass(frozen=True)
class Case:
    """One labelled text."""

    id: str
    lang: str
    title: str
    body: str
    relevant: bool
    themes: tuple[str, ...]


@dataclass
class Counts:
    """True positives, false positives and false negatives of one label."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: bool, found: bool) -> None:
        self.tp += expected and found
        self.fp += found and not expected
        self.fn += expected and not found

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Counts for relevance and for each theme, and the cases the matcher got wrong."""

    relevance: Counts = field(default_factory=Counts)
    themes: dict[str, Counts] = field(default_factory=dict)
    mistakes: list[str] = field(default_factory=list)

    @property
    def theme_micro(self) -> Counts:
        total = Counts()
        for counts in self.themes.values():
            total.tp += counts.tp
            total.fp += counts.fp
            total.fn += counts.fn
        return total


def load_cases(path: Path) -> list[Case]:
    """The labelled texts of an evaluation file (`[[text]]` tables)."""
    with path.open("rb") as handle:
        raw = tomllib.load(handle)["text"]
    return [
        Case(
            id=str(t["id"]),
            lang=str(t["lang"]),
            title=str(t.get("title", "")),
            body=str(t["body"]),
            relevant=bool(t["relevant"]),
            themes=tuple(t.get("themes", ())),
        )
        for t in raw
    ]


def evaluate(cases: Iterable[Case], themes: ThemeSet, theme_ids: Sequence[str]) -> Report:
    """Match every case (language given, as the pipeline gives it) and count the outcomes."""
    report = Report(themes={tid: Counts() for tid in theme_ids})
    for case in cases:
        result = match(case.body, case.title, case.lang, themes)
        found = {t.id for t in result.themes}
        report.relevance.add(case.relevant, result.relevant)
        for tid, counts in report.themes.items():
            counts.add(tid in case.themes, tid in found)
        if result.relevant != case.relevant or found != set(case.themes):
            report.mistakes.append(
                f"{case.id}: relevant {result.relevant} (want {case.relevant}), "
                f"themes {sorted(found)} (want {sorted(case.themes)}), "
                f"china {result.china.score} belarus {result.belarus.score}"
            )
    return report


def confusion_table(report: Report) -> str:
    """The per-theme table: TP, FP, FN, precision, recall, F1."""
    lines = [f"{'theme':<24}{'TP':>5}{'FP':>5}{'FN':>5}{'prec':>8}{'recall':>8}{'F1':>8}"]
    rows = [("relevance", report.relevance), *report.themes.items(), ("themes (micro)", report.theme_micro)]
    for name, c in rows:
        lines.append(
            f"{name:<24}{c.tp:>5}{c.fp:>5}{c.fn:>5}{c.precision:>8.3f}{c.recall:>8.3f}{c.f1:>8.3f}"
        )
    return "\n".join(lines)

"""The labelled near-duplicate set: precision and recall of "same story" through LSH and threshold."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from crawler.fingerprint import (
    DEFAULT_THRESHOLD,
    Fingerprint,
    article_text,
    fingerprint,
    same_story,
    shingle_hashes,
    similarity,
)

DATA = Path(__file__).parents[1] / "fixtures" / "dedup_pairs"
HARD_NEGATIVES = {"same-event", "same-topic", "column", "follow-up"}
MIN_PRECISION, MIN_RECALL = 0.98, 0.95


@dataclass(frozen=True)
class Text:
    id: str
    title: str
    lead: str
    body: tuple[str, ...]
    family: str  # the base article a variant derives from: one family, one story

    @property
    def words(self) -> int:
        return len(article_text(self.lead, self.body).split())


@dataclass(frozen=True)
class Pair:
    a: str
    b: str
    same: bool
    kind: str


def _typography(text: str) -> str:
    """The noise a CMS or a re-typing editor adds: other quotes, dashes, spaces, soft hyphens."""
    text = text.replace("«", "„").replace("»", "“").replace("“", '"').replace("”", '"')
    text = text.replace(" — ", " - ").replace("—", "–").replace("’", "'").replace("ё", "е")
    text = re.sub(r"(\d) ", "\\1\u00a0", text).replace(", ", ",  ")
    return re.sub(r"(\w{6})(\w{8,})", "\\1\u00ad\\2", text)  # hyphenation points in long words


def _apply(text: Text, edit: dict[str, Any]) -> Text:
    title, lead, body = text.title, text.lead, list(text.body)
    match edit["op"]:
        case "title":
            title = edit["text"]
        case "lead":
            body = [lead, *body] if edit.get("keep_old") else body
            lead = edit["text"]
        case "trim":
            assert edit["keep"] < len(body), f"{text.id}: trim keeps everything"
            body = body[: edit["keep"]]
        case "drop":
            del body[edit["at"]]
        case "insert":
            body.insert(edit["at"], edit["text"])
        case "append":
            body.append(edit["text"])
        case "replace":
            joined = "\n".join((lead, *body))
            assert joined.count(edit["old"]) == 1, f"{text.id}: {edit['old']!r} not found once"
            lead, *body = joined.replace(edit["old"], edit["new"]).split("\n")
        case "typography":
            lead, body = _typography(lead), [_typography(p) for p in body]
        case other:
            raise ValueError(f"{text.id}: unknown edit {other!r}")
    return Text(text.id, title, lead, tuple(body), text.family)


@cache
def load_texts() -> dict[str, Text]:
    texts: dict[str, Text] = {}
    for path in sorted(DATA.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for raw in data.get("article", []):
            texts[raw["id"]] = Text(raw["id"], raw["title"], raw["lead"], tuple(raw["body"]), raw["id"])
        for raw in data.get("variant", []):
            base = texts[raw["of"]]
            text = Text(raw["id"], base.title, base.lead, base.body, base.family)
            for edit in raw["edits"]:
                text = _apply(text, edit)
            assert text != Text(raw["id"], base.title, base.lead, base.body, base.family), raw["id"]
            texts[raw["id"]] = text
    return texts


@cache
def load_pairs() -> list[Pair]:
    data = tomllib.loads((DATA / "pairs.toml").read_text(encoding="utf-8"))
    return [Pair(**raw) for raw in data["pair"]]


@cache
def fingerprint_of(text_id: str) -> Fingerprint:
    text = load_texts()[text_id]
    return fingerprint(article_text(text.lead, text.body))


def jaccard(a: str, b: str) -> float:
    texts = load_texts()
    left = set(shingle_hashes(article_text(texts[a].lead, texts[a].body)).tolist())
    right = set(shingle_hashes(article_text(texts[b].lead, texts[b].body)).tolist())
    return len(left & right) / len(left | right)


def test_the_set_is_large_varied_and_consistently_labelled() -> None:
    texts, pairs = load_texts(), load_pairs()
    assert len(pairs) >= 200
    assert len({frozenset((p.a, p.b)) for p in pairs}) == len(pairs), "a pair is listed twice"
    hard = [p for p in pairs if p.kind in HARD_NEGATIVES]
    assert len(hard) * 3 >= len(pairs), f"only {len(hard)} hard negatives"
    assert all(not p.same for p in hard)
    for pair in pairs:
        assert pair.a in texts and pair.b in texts, pair
        assert pair.same == (texts[pair.a].family == texts[pair.b].family), pair
    # News length: 120-400 words for the originals; a trimmed copy may fall a little short.
    floor = {True: 120, False: 100}
    short = {t.id: t.words for t in texts.values() if not floor[t.id == t.family] <= t.words <= 400}
    assert short == {}
    assert {t.id[:2] for t in texts.values()} == {"ru", "be", "en"}


def test_precision_and_recall_of_same_story() -> None:
    counts: Counter[str] = Counter()
    missed, wrong = [], []
    lowest, highest = 1.0, 0.0  # the weakest copy, the closest look-alike
    for pair in load_pairs():
        a, b = fingerprint_of(pair.a), fingerprint_of(pair.b)
        found = same_story(a, b, DEFAULT_THRESHOLD)
        if pair.same:
            lowest = min(lowest, similarity(a.signature, b.signature))
        else:
            highest = max(highest, similarity(a.signature, b.signature))
        counts[("t" if found == pair.same else "f") + ("p" if found else "n")] += 1
        if pair.same and not found:
            missed.append(pair)
        if found and not pair.same:
            wrong.append(pair)
    precision = counts["tp"] / max(1, counts["tp"] + counts["fp"])
    recall = counts["tp"] / max(1, counts["tp"] + counts["fn"])
    summary = (
        f"precision {precision:.3f}, recall {recall:.3f} at threshold {DEFAULT_THRESHOLD} "
        f"over {len(load_pairs())} pairs ({dict(counts)}); estimated similarity of copies "
        f">= {lowest:.3f}, of look-alikes <= {highest:.3f}; missed {[(p.a, p.b) for p in missed]}; "
        f"wrongly merged {[(p.a, p.b) for p in wrong]}"
    )
    print(summary)
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, summary


def test_estimates_follow_the_exact_jaccard_similarity() -> None:
    errors = [
        abs(similarity(fingerprint_of(p.a).signature, fingerprint_of(p.b).signature) - jaccard(p.a, p.b))
        for p in load_pairs()
    ]
    # 128 slots: the standard error is at most 0.5 / sqrt(128) = 0.044.
    assert sum(errors) / len(errors) < 0.035 and max(errors) < 0.2, (sum(errors) / len(errors), max(errors))


@pytest.mark.parametrize("kind", ["headline", "typography"])
def test_headline_and_typography_leave_the_fingerprint_unchanged(kind: str) -> None:
    pairs = [p for p in load_pairs() if p.kind == kind]
    assert pairs
    assert all(fingerprint_of(p.a) == fingerprint_of(p.b) for p in pairs)

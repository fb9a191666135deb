"""Loading and validating the replica's ground-truth articles."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from replica.corpus import MINSK, OUTLET_LANGS, OUTLETS, expected_stories, load_corpus, parse_article

SAMPLE = Path(__file__).parents[1] / "fixtures" / "replica_sample"


def data(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": 690123, "lang": "ru", "published": "2026-09-05 04:30", "section": "economics",
        "title": "Заголовок", "lead": "Лид.", "body": ["Абзац."], "relevant": True,
    }
    return base | changes


def test_paths_and_times() -> None:
    charter97 = parse_article("charter97", data())
    assert charter97.path == "/ru/news/2026/9/5/690123/"
    assert charter97.published == datetime(2026, 9, 5, 4, 30, tzinfo=MINSK)
    assert charter97.published_utc == datetime(2026, 9, 5, 1, 30, tzinfo=UTC)
    assert parse_article("pozirk", data(id=202001)).path == "/ru/news/202001"
    assert (charter97.author, charter97.image, charter97.themes) == (None, None, ())


def test_offsets_are_converted_to_minsk() -> None:
    article = parse_article("pozirk", data(published="2026-09-05T23:30:00+00:00"))
    assert article.published.isoformat() == "2026-09-06T02:30:00+03:00"


@pytest.mark.parametrize(
    "changes",
    [
        {"lang": "en"},  # pozirk has no English edition
        {"id": "12"},
        {"body": []},
        {"published": "yesterday"},
        {"image": "http://elsewhere/x.jpg"},
        {"section": "Economics"},
        {"relevant": "yes"},
        {"lede": "typo"},
    ],
)
def test_bad_data_names_the_article(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="pozirk article"):
        parse_article("pozirk", data(**changes))


def test_missing_fields() -> None:
    incomplete = data()
    del incomplete["lead"]
    with pytest.raises(ValueError, match=r"charter97 article 690123: missing fields \['lead'\]"):
        parse_article("charter97", incomplete)


def test_load_corpus_sorts_newest_first() -> None:
    articles = load_corpus(SAMPLE)
    assert [(a.outlet, a.id) for a in articles] == [
        ("charter97", 690123), ("pozirk", 202002), ("pozirk", 202001),  # a tie: higher id first
        ("charter97", 690124), ("charter97", 690125),
    ]


def test_drop_folder_replaces_and_adds(tmp_path: Path) -> None:
    (tmp_path / "pozirk").mkdir()
    edited = (SAMPLE / "pozirk" / "be-202002.toml").read_text(encoding="utf-8")
    (tmp_path / "pozirk" / "be-202002.toml").write_text(
        edited.replace("на рамонт", "на рамонт (абноўлена)"), encoding="utf-8"
    )
    articles = {(a.outlet, a.id): a for a in load_corpus(SAMPLE, tmp_path)}
    assert len(articles) == 5
    assert articles["pozirk", 202002].title.endswith("(абноўлена)")


def test_file_name_must_match_its_content(tmp_path: Path) -> None:
    shutil.copytree(SAMPLE, tmp_path, dirs_exist_ok=True)
    (tmp_path / "charter97" / "be-690124.toml").rename(tmp_path / "charter97" / "be-1.toml")
    with pytest.raises(ValueError, match="be-1.toml: file name must be be-690124.toml"):
        load_corpus(tmp_path)


def test_every_written_article_is_sound_served_or_not() -> None:
    """The packaged corpus holds articles of every outlet the replica knows, including those
    whose pages it does not build yet: all of them parse, and every reprint names an article
    published before it."""
    everything = load_corpus(outlets=OUTLET_LANGS)
    assert {a.outlet for a in everything} >= set(OUTLETS)
    stories = expected_stories(everything)
    assert sum(len(members) for members in stories.values()) == len(everything)
    served = load_corpus()
    assert {a.outlet for a in served} == set(OUTLETS)

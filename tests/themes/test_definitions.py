"""Theme definitions: the packaged file, a user's file merged by id, and errors that name the theme."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.themes.definitions import ThemeError, load_themes
from crawler.themes.matcher import match

CATALOGUE = [
    "trade-balance", "industry-competition", "potash-raw-materials", "loans-investment",
    "transit-logistics", "russia-sovereignty", "west-sanctions", "diplomacy",
    "technology-quality", "military-security", "economic-governance",
]  # fmt: skip


def test_the_packaged_file_defines_the_catalogue_in_every_language() -> None:
    themes = load_themes()
    assert [t.id for t in themes.themes] == CATALOGUE
    for theme in (themes.china, themes.belarus, *themes.themes):
        assert theme.label and theme.threshold > 0
        languages = {lang for concept in theme.terms for lang, _term in concept.terms}
        assert languages == {"ru", "be", "be-latn", "en"}, theme.id
    assert all(t.description for t in themes.themes)
    assert all(t.negative for t in (themes.china, *themes.themes) if t.id in ("china", "diplomacy"))


def test_a_user_file_extends_a_theme_by_id(tmp_path: Path) -> None:
    path = write(tmp_path, """
        [themes.potash-raw-materials]
        threshold = 5.0
        [themes.potash-raw-materials.terms.phosphates]
        weight = 2.0
        ru = ["фосфаты"]
        """)
    themes = load_themes(path)
    potash = themes.theme("potash-raw-materials")
    assert potash.threshold == 5.0
    assert "phosphates" in [c.id for c in potash.terms] and "potash" in [c.id for c in potash.terms]
    assert [t.id for t in themes.themes] == CATALOGUE
    text = "Китай и Беларусь: фосфаты, фосфаты и калий для Китая."
    found = match(text, "Фосфаты для Китая", "ru", themes)
    evidence = [e.term for t in found.themes for e in t.evidence]
    assert "фосфаты" in evidence


def test_a_user_file_adds_a_theme(tmp_path: Path) -> None:
    path = write(tmp_path, """
        [themes.education]
        label = "Education"
        threshold = 1.0
        [themes.education.terms.students]
        en = ["students", "university"]
        """)
    themes = load_themes(path)
    assert themes.theme("education").label == "Education"
    text = "Chinese and Belarusian students meet at a university in Minsk and Beijing."
    result = match(text, "", "en", themes)
    assert "education" in [t.id for t in result.themes]


def test_a_user_file_can_replace_the_packaged_one(tmp_path: Path) -> None:
    path = write(tmp_path, """
        replace = true
        [sides.china]
        label = "China"
        threshold = 1.0
        terms.china = { en = ["China"] }
        [sides.belarus]
        label = "Belarus"
        threshold = 1.0
        terms.belarus = { en = ["Belarus"] }
        [themes.only]
        label = "Only"
        threshold = 1.0
        terms.tea = { en = ["tea"] }
        """)
    themes = load_themes(path)
    assert [t.id for t in themes.themes] == ["only"]
    assert [t.id for t in match("China sells Belarus tea.", "", "en", themes).themes] == ["only"]


@pytest.mark.parametrize(
    ("text", "named", "says"),
    [
        ('[themes.diplomacy.terms.visits]\nweight = -1\n', "'diplomacy'", "weight must be positive"),
        ('[themes.diplomacy.terms.visits]\nfr = ["visite"]\n', "'diplomacy'", "unknown keys"),
        ('[themes.diplomacy]\nthreshold = "high"\n', "'diplomacy'", "threshold must be a number"),
        ('[themes.diplomacy]\ncolour = "red"\n', "'diplomacy'", "unknown keys"),
        ('[themes.diplomacy.terms.visits]\nru = ["—"]\n', "'diplomacy'", "has no words"),
        ('[themes.new-one]\nthreshold = 1\n', "'new-one'", "label"),
        ('[themes.Bad_Id]\nlabel = "x"\nthreshold = 1\nterms.a = { en = ["a"] }\n', "'Bad_Id'", "id"),
        ("[scoring]\ntitle_weight = 0\n", "scoring", "title_weight"),
    ],
)
def test_a_bad_user_file_raises_an_error_naming_the_theme(
    tmp_path: Path, text: str, named: str, says: str
) -> None:
    with pytest.raises(ThemeError) as raised:
        load_themes(write(tmp_path, text))
    message = str(raised.value)
    assert named in message and says in message
    assert "\n" not in message


def test_missing_or_broken_files_are_one_line_errors(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match="not found"):
        load_themes(tmp_path / "absent.toml")
    with pytest.raises(ThemeError, match="not valid TOML"):
        load_themes(write(tmp_path, "[themes\n"))
    assert issubclass(ThemeError, ValueError)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "themes.toml"
    path.write_text("\n".join(line.strip() for line in text.splitlines()), encoding="utf-8")
    return path

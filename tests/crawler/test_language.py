"""Language detection: real pages through the generic extractor, and short texts of our own."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import lxml.html
import pytest

from crawler.extraction.decoding import decode_html
from crawler.extraction.language import MIN_LETTERS, UNDETERMINED, detect_language
from crawler.extraction.maintext import main_text_paragraphs
from crawler.themes.reading import reading
from tests.conftest import SHARED

REALPAGES = SHARED / "realpages"
LETTER = re.compile(r"[^\W\d_]")


def _page_sample(file: str) -> str:
    """What belmon reads of a page without selectors: its <title> and trafilatura's text."""
    html = decode_html((REALPAGES / file).read_bytes(), None)
    title = lxml.html.document_fromstring(html).findtext(".//title") or ""
    return " ".join((title.strip(), *main_text_paragraphs(html)))


def _letters(text: str) -> int:
    return len(LETTER.findall(text))


def test_real_pages_are_identified() -> None:
    pages = json.loads((REALPAGES / "truth.json").read_text(encoding="utf-8"))
    right, too_short, wrong = 0, [], []
    for page in pages:
        sample = _page_sample(page["file"])
        got = detect_language(sample)
        if got == page["language"]:
            right += 1
        elif got == UNDETERMINED and _letters(sample) < MIN_LETTERS:
            too_short.append(page["file"])
        else:
            wrong.append(f"{page['file']} ({page['language']}→{got})")
    print(f"\nlanguage: {right}/{len(pages)} right, {len(too_short)} und (too short), "
          f"wrong: {', '.join(wrong) or 'none'}")
    assert len(pages) == 122
    assert wrong == []
    assert right + len(too_short) == len(pages)


# Short texts written for these tests: one piece of news told in each language.
TEXTS = {
    "ru": "Вчера в Минске прошло заседание правительства, на котором министры обсудили новые меры "
          "поддержки малого бизнеса и экспорта.",
    "be": "Учора ў Мінску адбылося пасяджэнне ўрада, на якім міністры абмеркавалі новыя меры "
          "падтрымкі малога бізнесу і экспарту.",
    "be-latn": "Učora ŭ Minsku adbyłosia pasiadžeńnie ŭrada, na jakim ministry abmierkavali novyja "
               "miery padtrymki małoha biznesu i ekspartu.",
    "uk": "Учора в Києві відбулося засідання уряду, на якому міністри обговорили нові заходи "
          "підтримки малого бізнесу та експорту.",
    "bg": "Вчера в София се проведе заседание на правителството, на което министрите обсъдиха "
          "нови мерки в подкрепа на малкия бизнес и износа.",
    "pl": "Wczoraj w Warszawie odbyło się posiedzenie rządu, na którym ministrowie omówili nowe "
          "środki wsparcia dla małych firm i eksportu.",
    "cs": "Včera se v Praze konalo zasedání vlády, na kterém ministři projednali nová opatření "
          "na podporu malých podniků a vývozu.",
    "lt": "Vakar Vilniuje vyko vyriausybės posėdis, kuriame ministrai aptarė naujas smulkiojo "
          "verslo ir eksporto rėmimo priemones.",
    "en": "Yesterday the government met in the capital, and the ministers discussed new measures "
          "to support small businesses and exports.",
    "de": "Gestern tagte die Regierung in der Hauptstadt, und die Minister berieten über neue "
          "Maßnahmen zur Förderung kleiner Firmen und der Ausfuhr.",
    "zh": "昨天政府在首都召开会议，部长们讨论了支持小型企业和出口的新措施，"
          "并决定明年继续扩大与邻国的贸易合作。",
}


@pytest.mark.parametrize("key", TEXTS)
def test_each_language_is_told(key: str) -> None:
    expected = key.removesuffix("-latn")
    assert detect_language(TEXTS[key]) == expected
    # The edition's language does not override a clear text.
    for hint in ("ru", "be", "en"):
        assert detect_language(TEXTS[key], hint) == expected


def test_han_characters_count_as_letters() -> None:
    assert _letters(TEXTS["zh"]) >= MIN_LETTERS
    assert detect_language(TEXTS["zh"] * 30) == "zh"


def test_too_short_text_takes_the_hint_or_stays_undetermined() -> None:
    short = "Minsk talks end today"
    assert _letters(short) < MIN_LETTERS
    assert detect_language(short) == UNDETERMINED
    assert detect_language(short, "be") == "be"


def test_polish_under_a_belarusian_edition_stays_polish() -> None:
    assert detect_language(TEXTS["pl"], hint="be") == "pl"


def test_polish_with_a_czech_name_is_not_lacinka() -> None:
    text = ("Premier Babiš spotkał się wczoraj z polskim ministrem; rozmowa dotyczyła głównie "
            "dróg, kolei i wspólnych inwestycji.")
    assert detect_language(text) == "pl"


def test_belarusian_typed_with_a_latin_i_is_still_belarusian() -> None:
    text = TEXTS["be"].replace("і", "i")
    assert detect_language(text) == "be"


@pytest.mark.parametrize(("key", "mode"), [
    ("ru", "ru"), ("be", "be"), ("be-latn", "be-latn"), ("en", "en"),
    ("uk", "ru"), ("bg", "ru"), ("pl", "en"), ("de", "en"),
])
def test_reading_keeps_the_language_and_picks_the_nearest_mode(key: str, mode: str) -> None:
    expected = key.removesuffix("-latn")
    assert reading(TEXTS[key]) == (expected, mode)
    assert reading(TEXTS[key], language=expected) == (expected, mode)


def test_plain_english_is_told_without_loading_the_model() -> None:
    english = ("The delegation from Minsk said that the talks with the Chinese side had been "
               "useful, and that both ministries would meet again in the spring to discuss "
               "the new industrial park and the loans for its roads.")
    dutch = ("De delegatie uit Minsk zei dat de gesprekken met de Chinese kant nuttig waren en "
             "dat beide ministeries elkaar in het voorjaar opnieuw zouden ontmoeten.")
    code = ("import sys; from crawler.extraction.language import detect_language, _identifier; "
            "print(detect_language(sys.argv[1]), _identifier.cache_info().currsize, "
            "detect_language(sys.argv[2]), _identifier.cache_info().currsize)")
    shown = subprocess.run([sys.executable, "-c", code, english, dutch], capture_output=True,
                           text=True, check=True, timeout=60).stdout.split()
    # English without the model; Dutch, which shares letters but not those words, with it.
    assert shown == ["en", "0", "nl", "1"]


def test_a_long_russian_text_without_its_telltale_letters_needs_no_model() -> None:
    # No ы, э, ё here, so the letters that rule out Ukrainian and Bulgarian are missing; but a
    # text this long in Ukrainian would show і, ї or є, and one in Bulgarian a vowel ъ.
    russian = ("Министр сообщил, что делегация провела встречу с партнерами в Пекине и "
               "договорилась о новой поставке калийного удобрения на следующий год. По его "
               "словам, на встрече обсудили строительство логистического центра под Минском "
               "и кредит для предприятий, работающих в индустриальном парке. Соглашение "
               "подпишут весной, когда завершится его юридическая проверка.")
    assert not set(russian) & set("ыэёъ") and sum("а" <= ch <= "я" for ch in russian.lower()) > 200
    code = ("import sys; from crawler.extraction.language import detect_language, _identifier; "
            "print(detect_language(sys.argv[1]), _identifier.cache_info().currsize)")
    shown = subprocess.run([sys.executable, "-c", code, russian], capture_output=True,
                           text=True, check=True, timeout=60).stdout.split()
    assert shown == ["ru", "0"]

"""MinHash fingerprints: shape, determinism, folding, and the edge cases the pipeline meets."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from crawler.extraction.textnorm import fold_text
from crawler.fingerprint import (
    BANDS,
    DEFAULT_THRESHOLD,
    EMPTY,
    PERMUTATIONS,
    ROWS,
    SCHEME,
    SHINGLE_WORDS,
    SIGNATURE_BYTES,
    Fingerprint,
    article_text,
    band_hashes,
    fingerprint,
    same_story,
    shares_band,
    shingle_hashes,
    similarity,
    words,
)
from replica.corpus import load_corpus

TEXT = (
    "Белорусская калийная компания и консорциум китайских импортёров договорились о поставках "
    "2,8 млн тонн хлористого калия в следующем году по цене 329 долларов за тонну. Контракт "
    "подписан на полтора месяца раньше, чем обычно, сообщают отраслевые агентства."
)
PINNED = "Беларусь и Китай подписали восемь документов на заседании комитета в Минске."


def test_shape_and_bytes_round_trip() -> None:
    found = fingerprint(TEXT)
    assert len(found.signature) == SIGNATURE_BYTES == PERMUTATIONS * 4
    assert len(found.bands) == BANDS and BANDS * ROWS <= PERMUTATIONS
    assert all(-(2**63) <= band < 2**63 for band in found.bands)
    assert len(set(found.bands)) == BANDS  # the band number is part of each hash
    assert band_hashes(bytes(bytearray(found.signature))) == found.bands
    assert Fingerprint(found.signature, found.bands) == found
    assert similarity(found.signature, found.signature) == 1.0
    assert same_story(found, fingerprint(TEXT))


def test_the_scheme_is_pinned() -> None:
    # Stored signatures are only comparable with new ones computed the same way: a change
    # here means a new SCHEME and a re-fingerprinting of the archive.
    found = fingerprint(PINNED)
    assert found.signature[:16].hex() == "faa64629cbba0729530b0410a1f48b40", SCHEME
    assert found.bands[:2] == (1231971559618729690, 4335228055220546473), SCHEME
    assert SCHEME == "minhash-v1-w4-p128-b42r3"


def test_fingerprints_do_not_depend_on_the_process() -> None:
    code = (
        "import sys; from crawler.fingerprint import fingerprint; "
        "print(fingerprint(sys.argv[1]).signature.hex())"
    )
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", code, TEXT], capture_output=True, text=True,
                             env=env, check=True, cwd=os.getcwd())
        assert out.stdout.strip() == fingerprint(TEXT).signature.hex()


def test_words_are_those_of_fold_text() -> None:
    samples = [article_text(a.lead, a.body) for a in load_corpus()] + [
        "Сям\u2019я, сям'я і «Кітай» — “China”\u00a0…  ЁЛКА ёлка",
        "при\u00adмер раз\u200bдель\u2060ный\ufeff текст",
        "Cafe\u0301 CAFÉ straße STRASSE 2,8\u00a0млн — 10%",
    ]
    for text in samples:
        assert words(text) == re.findall(r"\w+", fold_text(text).replace("\u02bc", "'"))


def test_typographic_variants_share_one_fingerprint() -> None:
    noisy = (
        TEXT.replace("ё", "е").replace(" ", "  ").replace("2,8 млн", "2,8\u00a0млн")
        .replace("консорциум", "консор\u00adциум").upper()
    )
    assert fingerprint(noisy) == fingerprint(TEXT)
    assert fingerprint("«Кітай» — сям\u02bcя") == fingerprint('"Кітай" - сям’я')


def test_word_order_matters_and_unrelated_texts_differ() -> None:
    reversed_text = " ".join(reversed(TEXT.split()))
    assert similarity(fingerprint(TEXT).signature, fingerprint(reversed_text).signature) < 0.1
    corpus = [fingerprint(article_text(a.lead, a.body)) for a in load_corpus() if not a.reprint_of]
    pairs = [(a, b) for i, a in enumerate(corpus) for b in corpus[i + 1:]]
    assert max(similarity(a.signature, b.signature) for a, b in pairs) < DEFAULT_THRESHOLD


def test_article_text_leaves_out_the_headline_and_empty_parts() -> None:
    assert article_text("Lead.", ("One.", "", "Two.")) == "Lead.\n\nOne.\n\nTwo."
    assert article_text(None, ["Only body."]) == "Only body."


def test_texts_without_words_match_nothing() -> None:
    empty = fingerprint(" — «» ... ")
    assert empty.is_empty and empty.bands == ()
    assert empty.signature == bytes.fromhex(f"{EMPTY:08x}") * PERMUTATIONS
    assert similarity(empty.signature, empty.signature) == 0.0
    assert not same_story(empty, empty) and not shares_band(empty, fingerprint(TEXT))
    assert band_hashes(empty.signature) == ()


def test_short_texts_still_get_a_fingerprint() -> None:
    short = fingerprint("Китай и Беларусь")
    assert shingle_hashes("Китай и Беларусь").size == 1 < SHINGLE_WORDS
    assert not short.is_empty and same_story(short, fingerprint("КИТАЙ И БЕЛАРУСЬ!"))
    assert not same_story(short, fingerprint("Беларусь и Китай"))


@pytest.mark.parametrize(
    ("signature", "bands"),
    [(b"\x00" * (SIGNATURE_BYTES - 1), ()), (b"\x00" * SIGNATURE_BYTES, (1, 2)),
     (b"\x00" * SIGNATURE_BYTES, (2**63,) * BANDS)],
)
def test_malformed_fingerprints_are_refused(signature: bytes, bands: tuple[int, ...]) -> None:
    with pytest.raises(ValueError):
        Fingerprint(signature, bands)


def test_similarity_refuses_foreign_signatures() -> None:
    with pytest.raises(ValueError, match="512 bytes"):
        similarity(fingerprint(TEXT).signature, b"\x01" * 256)


def test_the_default_threshold_is_a_similarity() -> None:
    assert 0.0 < DEFAULT_THRESHOLD < 1.0

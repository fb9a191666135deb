"""Near-duplicate fingerprints: MinHash over word shingles, with LSH bands for indexed lookup. Pure."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from crawler.options import DEFAULT_DEDUP_THRESHOLD

# Four-word shingles: on the labelled set (tests/fixtures/dedup_pairs) three-word ones
# double the overlap of different reports on one event (names, titles, stock phrases);
# five-word ones gain little there and lose more of every edited copy.
SHINGLE_WORDS = 4
PERMUTATIONS = 128  # standard error of an estimate <= 0.5 / sqrt(128) = 0.044
# 42 bands of 3 rows (126 of the 128 values): a pair at similarity 0.4 shares a band with
# probability 0.94, at 0.5 with 0.996; unrelated texts (similarity ~0.01) almost never do.
BANDS = 42
ROWS = 3
# Estimated Jaccard similarity from which two texts are one story: in the labelled set copies
# have an exact similarity of 0.43 and above, look-alikes (weekly columns) 0.30 and below.
DEFAULT_THRESHOLD = DEFAULT_DEDUP_THRESHOLD  # declared with the crawl options
# Stored signatures are comparable only under one scheme: store it, recompute when it changes.
SCHEME = f"minhash-v1-w{SHINGLE_WORDS}-p{PERMUTATIONS}-b{BANDS}r{ROWS}"
SIGNATURE_BYTES = PERMUTATIONS * 4
EMPTY = 0xFFFF_FFFF  # every slot of a text without words
_EMPTY_SIGNATURE = bytes.fromhex(f"{EMPTY:08x}") * PERMUTATIONS

_U64 = np.uint64
_WORD = re.compile(r"\w+")
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"  # as clean_text drops them
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")


def _seeded(label: str, count: int) -> npt.NDArray[np.uint64]:
    """Fixed 64-bit constants derived from a label, identical in every process and version."""
    digests = b"".join(
        hashlib.blake2b(f"belmon/{label}/{i}".encode(), digest_size=8).digest() for i in range(count)
    )
    return np.frombuffer(digests, dtype="<u8").astype(_U64)


# Multiply-shift hashing h_i(x) = high 32 bits of (a_i * x + b_i) mod 2**64, a_i odd: one
# "permutation" per row; x is already a well-mixed 64-bit shingle hash.
_A = (_seeded("minhash-a", PERMUTATIONS) | _U64(1)).reshape(-1, 1)
_B = _seeded("minhash-b", PERMUTATIONS).reshape(-1, 1)
_POSITION = _seeded("shingle-position", SHINGLE_WORDS) | _U64(1)


@dataclass(frozen=True)
class Fingerprint:
    """A text's MinHash signature (a BLOB) and its LSH band hashes (signed 64-bit, band order)."""

    signature: bytes
    bands: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.signature) != SIGNATURE_BYTES:
            raise ValueError(f"signature must be {SIGNATURE_BYTES} bytes, got {len(self.signature)}")
        if len(self.bands) not in (0, BANDS):
            raise ValueError(f"expected {BANDS} band hashes (or none), got {len(self.bands)}")
        if not all(-(2**63) <= b < 2**63 for b in self.bands):
            raise ValueError("band hashes must fit a signed 64-bit integer")

    @property
    def is_empty(self) -> bool:
        """True for a text without words: it matches nothing and indexes nothing."""
        return not self.bands


def article_text(lead: str | None, paragraphs: Iterable[str]) -> str:
    """The text an article is fingerprinted by: lead and body; the headline is left out."""
    return "\n\n".join(p for p in (lead or "", *paragraphs) if p)


def words(text: str) -> list[str]:
    """The words of `fold_text(text)`, computed without its slow character translations.

    Folding quotes and dashes turns non-word characters into other non-word characters,
    so the words are the same (str.translate is slow on Cyrillic text). The modifier
    apostrophe some Belarusian typesetters use is folded to a plain one as well.
    """
    text = unicodedata.normalize("NFC", text)
    if any(c in text for c in _INVISIBLE):
        text = _INVISIBLE_RE.sub("", text)
    text = text.casefold()
    return _WORD.findall(text.replace("ё", "е").replace("\u02bc", "'"))


def shingle_hashes(text: str) -> npt.NDArray[np.uint64]:
    """64-bit hashes of the text's overlapping word shingles (one for a text shorter than one)."""
    ids = _word_hashes(words(text))
    if ids.size == 0:
        return ids
    count = max(1, ids.size - SHINGLE_WORDS + 1)
    combined = np.zeros(count, dtype=_U64)
    with np.errstate(over="ignore"):
        for position in range(min(SHINGLE_WORDS, ids.size)):
            combined += ids[position : position + count] * _POSITION[position]
    return _mix(combined)


def fingerprint(text: str) -> Fingerprint:
    """The fingerprint of one text (for an article: `article_text(lead, paragraphs)`)."""
    hashes = shingle_hashes(text)
    if hashes.size == 0:
        return Fingerprint(_EMPTY_SIGNATURE, ())
    with np.errstate(over="ignore"):
        products = _A * hashes  # (PERMUTATIONS, shingles), wrapping mod 2**64
        products += _B
    # The high 32 bits are monotone in the product, so take them after the minimum.
    signature = (products.min(axis=1) >> _U64(32)).astype("<u4").tobytes()
    return Fingerprint(signature, band_hashes(signature))


def band_hashes(signature: bytes) -> tuple[int, ...]:
    """The LSH band hashes of a signature: band i hashes rows i*ROWS .. i*ROWS+ROWS-1.

    The band number is part of the hash, so one indexed column can hold every band.
    """
    _check(signature)
    if _is_empty(signature):
        return ()
    step = ROWS * 4
    return tuple(
        int.from_bytes(
            hashlib.blake2b(signature[i * step : (i + 1) * step], digest_size=8,
                            salt=i.to_bytes(16, "little")).digest(),
            "little", signed=True,
        )
        for i in range(BANDS)
    )


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets from their signatures (0..1).

    A text without words is similar to nothing, itself included.
    """
    _check(a)
    _check(b)
    if _is_empty(a) or _is_empty(b):
        return 0.0
    left, right = np.frombuffer(a, dtype="<u4"), np.frombuffer(b, dtype="<u4")
    return float(np.count_nonzero(left == right)) / PERMUTATIONS


def shares_band(a: Fingerprint, b: Fingerprint) -> bool:
    """True when the LSH index would offer one as a candidate for the other."""
    return any(x == y for x, y in zip(a.bands, b.bands, strict=False))


def same_story(a: Fingerprint, b: Fingerprint, threshold: float = DEFAULT_THRESHOLD) -> bool:
    """The whole decision: an LSH candidate whose estimated similarity reaches the threshold."""
    return shares_band(a, b) and similarity(a.signature, b.signature) >= threshold


def _check(signature: bytes) -> None:
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError(f"signature must be {SIGNATURE_BYTES} bytes, got {len(signature)}")


def _is_empty(signature: bytes) -> bool:
    return signature == _EMPTY_SIGNATURE


def _word_hashes(found: list[str]) -> npt.NDArray[np.uint64]:
    return np.fromiter(map(_word_hash, found), dtype=_U64, count=len(found))


@lru_cache(maxsize=1 << 16)  # a crawl's vocabulary repeats: hash each word once
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """The splitmix64 finaliser, element-wise: spreads the combined word hashes."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> _U64(30))
        x = x * _U64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> _U64(27))
        x = x * _U64(0x94D049BB133111EB)
        return x ^ (x >> _U64(31))

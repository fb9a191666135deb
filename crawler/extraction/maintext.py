"""The generic main-text extractor used when an outlet's selectors find no body."""

from __future__ import annotations

from crawler.extraction.textnorm import clean_text


def main_text_paragraphs(html: str) -> tuple[str, ...]:
    """Paragraphs of the page's main text as trafilatura sees it, or () when it finds none."""
    import trafilatura  # imported late: heavy, and only needed when selectors fail

    text = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=False,
        include_images=False,
        favor_precision=True,
        # Not trafilatura's deduplication: its cache spans every page the process reads, so
        # a page read twice (a revision check, a reprint's copy) would lose its whole text.
        deduplicate=False,
    )
    if not text:
        return ()
    return tuple(p for p in (clean_text(line) for line in text.splitlines()) if p)

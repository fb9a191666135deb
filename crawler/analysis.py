"""What belmon concludes about one extracted article: fingerprint, themes, references, stems. Pure."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from crawler.fingerprint import article_text, fingerprint
from crawler.themes import ThemeSet, match, similarities
from crawler.themes.stemming import stem_text
from storage.records import AnalysedArticle, Article, Rescored, ScoredTheme, StoredText

References = Mapping[str, Mapping[str, float]]  # reference name -> concept vector


@dataclass(frozen=True)
class ThemeVerdict:
    """The matcher's verdict in the shape the archive stores."""

    relevant: bool
    relevance: float
    themes: tuple[ScoredTheme, ...]
    references: tuple[tuple[str, float], ...]


def judge(
    title: str, lead: str | None, body: str, language: str | None, themes: ThemeSet,
    references: References,
) -> ThemeVerdict:
    """Relevance, theme scores with evidence, and similarity to each reference text."""
    text = "\n\n".join(p for p in (lead or "", body) if p)
    result = match(text, title, language, themes)
    scores = tuple(
        ScoredTheme(t.id, round(t.score, 4), tuple(e.to_dict() for e in t.evidence))
        for t in result.themes
    )
    near: tuple[tuple[str, float], ...] = ()
    if references:  # the concept vector comes from the same matching pass
        near = tuple(sorted(similarities(result.concepts, references).items()))
    return ThemeVerdict(result.relevant, result.relevance, scores, near)


def analyse(item: AnalysedArticle, themes: ThemeSet, references: References) -> AnalysedArticle:
    """`item` with its fingerprint, theme verdict and search stems filled in."""
    article: Article = item.article
    found = fingerprint(article_text(article.lead, article.paragraphs))
    verdict = judge(article.title, article.lead, article.body, article.language, themes,
                    references)
    stems = stem_text(" ".join((article.title, article.lead or "", article.body)),
                      article.language)
    return replace(
        item, signature=found.signature, bands=found.bands, relevant=verdict.relevant,
        relevance=verdict.relevance, themes=verdict.themes, references=verdict.references,
        stems=stems,
    )


def rescorer(themes: ThemeSet, references: References) -> Callable[[StoredText], Rescored]:
    """The function `belmon rematch` applies to every stored article."""

    def rescore(text: StoredText) -> Rescored:
        verdict = judge(text.title, text.lead, text.body, text.language, themes, references)
        return Rescored(text.id, verdict.relevant, verdict.relevance, verdict.themes,
                        verdict.references)

    return rescore

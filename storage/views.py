"""The reader views: stable names and columns that analysts' saved SQL relies on.

Each migration that adds or changes views imports its list from here, so the
SQL of a released view never changes in place: a change is a new list used by
a new migration.
"""

from __future__ import annotations

VIEWS_0002: tuple[tuple[str, str], ...] = (
    ("story_copies", """
CREATE VIEW story_copies AS
SELECT s.id AS story_id,
       o.id AS original_article_id,
       o.source_id AS original_outlet,
       o.title AS original_title,
       o.url AS original_url,
       min(a.published_at) AS first_published_at,
       max(a.published_at) AS last_published_at,
       count(a.id) AS copies,
       count(DISTINCT a.source_id) AS outlet_count,
       group_concat(DISTINCT a.source_id) AS outlets
FROM stories s
JOIN articles a ON a.story_id = s.id
LEFT JOIN articles o ON o.id = s.original_article_id
GROUP BY s.id
"""),
    ("reprints", """
CREATE VIEW reprints AS
SELECT a.id AS article_id,
       a.source_id AS outlet,
       a.url,
       a.title,
       a.published_at,
       o.id AS original_article_id,
       o.source_id AS original_outlet,
       o.url AS original_url,
       o.published_at AS original_published_at
FROM articles a
JOIN stories s ON s.id = a.story_id
JOIN articles o ON o.id = s.original_article_id
WHERE a.id <> o.id
"""),
    ("article_places", """
CREATE VIEW article_places AS
SELECT u.article_id, u.source_id AS outlet, u.url, u.kind, u.first_seen_at
FROM article_urls u
"""),
    ("matched_articles", """
CREATE VIEW matched_articles AS
SELECT a.id AS article_id,
       a.source_id AS outlet,
       a.published_at,
       a.language,
       a.title,
       a.relevance,
       (SELECT group_concat(theme_id, ', ')
          FROM (SELECT t.theme_id FROM article_themes t
                 WHERE t.article_id = a.id ORDER BY t.score DESC LIMIT 3)) AS top_themes,
       a.url,
       a.story_id
FROM articles a
WHERE a.relevant = 1
"""),
    ("theme_daily_counts", """
CREATE VIEW theme_daily_counts AS
SELECT date(a.published_at) AS day,
       a.source_id AS outlet,
       t.theme_id,
       count(*) AS articles
FROM article_themes t
JOIN articles a ON a.id = t.article_id
WHERE a.relevant = 1
GROUP BY 1, 2, 3
"""),
)


def _outlet_columns(create: str) -> str:
    return create.replace(".source_id", ".outlet")


# Migration 0006 renamed the tables' `source_id` columns to `outlet`; the views read the
# new names and keep every column name they had.
VIEWS_0006: tuple[tuple[str, str], ...] = tuple(
    (name, _outlet_columns(create)) for name, create in VIEWS_0002
)

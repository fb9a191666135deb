"""Publication times: outlet stamps in Minsk local time, turned into UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

MINSK = timezone(timedelta(hours=3), "Europe/Minsk")  # UTC+3 all year since 2011


def from_stamp(text: str, pattern: str) -> datetime | None:
    """A stamp such as '05.09.2026, 14:30' (Minsk time) matched by a named-group pattern."""
    match = re.search(pattern, text)
    if match is None:
        return None
    parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
    try:
        local = datetime(
            parts["year"], parts["month"], parts["day"],
            parts.get("hour", 0), parts.get("minute", 0), tzinfo=MINSK,
        )
    except (KeyError, ValueError):
        return None
    return local.astimezone(UTC)


def from_iso(value: str) -> datetime | None:
    """An ISO 8601 timestamp; one without an offset is taken as Minsk time, a bare day as
    that day at 00:00 UTC (no time is known, and UTC keeps the day as written)."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if len(value) == 10:
        return parsed.replace(tzinfo=UTC)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=MINSK)
    return parsed.astimezone(UTC)


def from_text(text: str, languages: tuple[str, ...] = ("ru", "be", "en")) -> datetime | None:
    """A human date ('5 верасня 2026, 14:30') read by dateparser, as Minsk time."""
    import dateparser  # imported late: it is slow to load and only a fallback

    parsed = dateparser.parse(
        text,
        languages=list(languages),
        settings={
            "TIMEZONE": "Europe/Minsk",
            "TO_TIMEZONE": "UTC",
            "RETURN_AS_TIMEZONE_AWARE": True,
            "PREFER_DATES_FROM": "past",
        },
    )
    return parsed.astimezone(UTC) if parsed else None


def from_metadata(value: str) -> datetime | None:
    """A time as pages write it in their metadata: ISO 8601 (the usual), an RFC 2822 date
    as feeds write them, or a Unix timestamp."""
    value = value.strip()
    found = from_iso(value)
    if found is not None:
        return found
    if value.isdigit() and len(value) in (10, 13):
        return datetime.fromtimestamp(int(value[:10]), UTC)
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=MINSK).astimezone(UTC)


def find_in_page(html: str) -> datetime | None:
    """The publication day htmldate finds in a page's markup and text, at 00:00 UTC; the
    last resort when the page states no time in its metadata."""
    import htmldate  # imported late: only pages without a dated metadata tag need it

    try:
        found = htmldate.find_date(html, original_date=True, outputformat="%Y-%m-%d")
    except (ValueError, TypeError):
        return None
    return datetime.fromisoformat(found).replace(tzinfo=UTC) if found else None

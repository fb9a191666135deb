"""Publication times: outlet stamps in Minsk local time, turned into UTC."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

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
    """An ISO 8601 timestamp; one without an offset is taken as Minsk time."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
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

"""Turning command-line settings into the objects a command works on."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from crawler.sources import Source, SourceError, load_sources
from scheduler.config import default_db_path
from storage.archive import Archive
from storage.engine import ArchiveError, as_url, database_url, sqlite_path


def resolve_db(db: str | None, *, create: bool = True) -> str:
    """The archive URL. For a command that may create the archive, the default file's folder
    is created (a folder the user named must exist); for any other the archive must exist."""
    if not create:
        url = as_url(db or default_db_path())
        path = sqlite_path(url)
        if path is not None and not path.exists():
            raise ArchiveError(f"no archive at {path} (belmon init or belmon crawl creates one)")
        return url
    if db:
        return database_url(db)
    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return database_url(path)


def open_archive(db: str | None, *, create: bool = False) -> Archive:
    """The archive a command works on. Only the commands that fill an archive (init, crawl,
    daemon, demo) create one; for any other a missing file is an error naming the path, so a
    mistyped --db never starts a new, empty archive."""
    return Archive.open(resolve_db(db, create=create))


def load_registry(sources_file: str | None) -> dict[str, Source]:
    """Every outlet of the packaged sources file, overlaid by the user's, in file order."""
    return load_sources(Path(sources_file) if sources_file else None)


def select_sources(
    names: Sequence[str], sources_file: str | None, base_urls: Sequence[str] = ()
) -> list[Source]:
    """The outlets a command names (all enabled ones for 'all' or none), with base URLs applied."""
    registry = load_registry(sources_file)
    wanted = list(names) or ["all"]
    if "all" in wanted:
        wanted = [sid for sid, s in registry.items() if s.enabled]
    unknown = [n for n in wanted if n not in registry]
    if unknown:
        raise SourceError(f"unknown outlet {unknown[0]!r}; known: {', '.join(registry)}")
    chosen = {sid: registry[sid] for sid in dict.fromkeys(wanted)}
    for (sid, edition), url in _parse_base_urls(base_urls, list(chosen)).items():
        if sid not in chosen:
            raise SourceError(f"--base-url names {sid!r}, which is not being crawled")
        chosen[sid] = chosen[sid].with_base_url(url, edition)
    return list(chosen.values())


def _parse_base_urls(values: Sequence[str], chosen: list[str]) -> dict[tuple[str, str | None], str]:
    """`--base-url` values: URL (one outlet crawled), OUTLET=URL, or OUTLET.EDITION=URL for an
    edition served from a host of its own (BelTA's Belarusian edition at blr.belta.by)."""
    result: dict[tuple[str, str | None], str] = {}
    for value in values:
        key, sep, url = value.partition("=")
        if not sep or "://" in key:
            if len(chosen) != 1:
                raise SourceError("with several outlets, give --base-url as OUTLET=URL")
            key, url = chosen[0], value
        if not url.startswith(("http://", "https://")):
            raise SourceError(f"--base-url {value!r}: not an http(s) URL")
        sid, _, edition = key.partition(".")
        result[(sid, edition or None)] = url
    return result

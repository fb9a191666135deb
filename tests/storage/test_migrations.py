"""Migrations build exactly the schema the models describe, and upgrade an older archive."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage import migrate
from storage.engine import create_archive_engine, database_url
from storage.fulltext import not_fulltext
from storage.models import Base


def test_migrated_schema_matches_the_models(tmp_path: Path) -> None:
    engine = create_archive_engine(database_url(tmp_path / "a.sqlite"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_name": not_fulltext})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_downgrade_to_nothing_and_upgrade_again(tmp_path: Path) -> None:
    engine = create_archive_engine(database_url(tmp_path / "a.sqlite"))
    migrate.upgrade(engine)
    config = migrate._config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "base")
    assert migrate.current_revision(engine) is None
    before, after = migrate.upgrade(engine)
    engine.dispose()
    assert (before, after) == (None, migrate.head_revision())

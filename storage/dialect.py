"""Statements whose SQL differs between SQLite and PostgreSQL, behind names that say what they do."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import DeclarativeBase


def insert_ignoring_duplicates(conn: Connection, model: type[DeclarativeBase]) -> Any:
    """INSERT that leaves rows whose primary key already exists untouched."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing()
    return sqlite.insert(model).on_conflict_do_nothing()

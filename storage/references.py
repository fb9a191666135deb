"""Reference texts (the seed articles first) and their concept vectors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, insert, select, update

from storage.engine import READ_ONLY
from storage.models import ReferenceText


@dataclass(frozen=True)
class Reference:
    name: str
    language: str
    title: str
    body: str
    vector: Mapping[str, float]


def reference_vectors(engine: Engine) -> dict[str, dict[str, float]]:
    """Every registered reference's concept vector, by name."""
    with engine.connect().execution_options(**{READ_ONLY: True}) as conn:
        rows = conn.execute(select(ReferenceText.name, ReferenceText.vector)).all()
    return {name: dict(vector) for name, vector in rows}


def save_reference(engine: Engine, reference: Reference) -> bool:
    """Register a reference, or replace the one of the same name; True when it is new."""
    values: dict[str, Any] = {
        "language": reference.language, "title": reference.title, "body": reference.body,
        "vector": dict(reference.vector),
    }
    with engine.begin() as conn:
        found = conn.scalar(select(ReferenceText.id).where(ReferenceText.name == reference.name))
        if found is None:
            conn.execute(insert(ReferenceText).values(
                name=reference.name, added_at=datetime.now(UTC), **values
            ))
            return True
        conn.execute(update(ReferenceText).where(ReferenceText.id == found).values(**values))
        return False

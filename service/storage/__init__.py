"""Storage: SQLAlchemy tables, engines set up for SQLite and PostgreSQL, repository functions, migrations."""

from __future__ import annotations

from . import repository
from .database import make_engine, make_sessions, normalise_url
from .references import new_reference
from .tables import Base, BookingRow, ConversationRow, TurnRow

__all__ = [
    "Base",
    "BookingRow",
    "ConversationRow",
    "TurnRow",
    "make_engine",
    "make_sessions",
    "new_reference",
    "normalise_url",
    "repository",
]

"""A booking by its departure alone: the arrival may be NULL where the departure has a date.

A customer who says "leaving Friday" is no longer asked when they arrive, so the arrival
columns may all be empty; a check keeps every booking dated (an arrival date, or else a
departure date). Downgrading gives such a booking its departure date as its arrival date
(the older schema has no other place for its day, and the older release reads it as a
flight arriving that day), then restores NOT NULL.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DATED = "arrival_date IS NOT NULL OR departure_date IS NOT NULL"  # a snapshot of its day, as in 0003


def upgrade() -> None:
    # batch mode: SQLite rebuilds the table (it alters no column in place); PostgreSQL alters it
    with op.batch_alter_table("bookings") as batch:
        batch.alter_column("arrival_date", existing_type=sa.Date(), nullable=True)
        batch.create_check_constraint(op.f("ck_bookings_dated"), _DATED)


def downgrade() -> None:
    op.execute("UPDATE bookings SET arrival_date = departure_date WHERE arrival_date IS NULL")
    with op.batch_alter_table("bookings") as batch:
        batch.drop_constraint(op.f("ck_bookings_dated"), type_="check")
        batch.alter_column("arrival_date", existing_type=sa.Date(), nullable=False)

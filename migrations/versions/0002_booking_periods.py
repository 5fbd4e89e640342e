"""A part of the day for a booking's arrival and departure ("in the morning").

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # batch mode: SQLite rebuilds the table where it must; PostgreSQL alters it in place
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("arrival_period", sa.String(length=9), nullable=True))
        batch.add_column(sa.Column("departure_period", sa.String(length=9), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("bookings") as batch:
        batch.drop_column("departure_period")
        batch.drop_column("arrival_period")

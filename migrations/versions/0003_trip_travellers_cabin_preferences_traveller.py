"""A booking's trip type and return, travellers, cabin, preferences and the traveller's name;
when a conversation's personal data was erased.

Every new booking column that is not nullable has a server default, so a booking stored
before this revision reads back as it was booked: one-way, one adult, economy, any airline,
stops allowed, no name. Downgrading drops only the new columns.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here, not imported from the tables: a migration is a snapshot of its day.
_CHECKS = {
    "trip": "trip IN ('one_way', 'round_trip')",
    "cabin": "cabin IN ('economy', 'premium_economy', 'business', 'first')",
    "travellers": "adults >= 1 AND children >= 0 AND adults + children <= 9",
}


def upgrade() -> None:
    # batch mode: SQLite rebuilds the table (it cannot add a CHECK in place); PostgreSQL alters it
    with op.batch_alter_table("bookings") as batch:
        batch.add_column(sa.Column("trip", sa.String(length=16), server_default=sa.text("'one_way'"), nullable=False))
        batch.add_column(sa.Column("return_date", sa.Date(), nullable=True))
        batch.add_column(sa.Column("return_time", sa.Time(), nullable=True))
        batch.add_column(sa.Column("return_qualifier", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("return_period", sa.String(length=9), nullable=True))
        batch.add_column(sa.Column("adults", sa.Integer(), server_default=sa.text("1"), nullable=False))
        batch.add_column(sa.Column("children", sa.Integer(), server_default=sa.text("0"), nullable=False))
        batch.add_column(sa.Column("cabin", sa.String(length=16), server_default=sa.text("'economy'"), nullable=False))
        batch.add_column(sa.Column("airline_code", sa.String(length=8), nullable=True))
        batch.add_column(sa.Column("airline_name", sa.String(length=128), nullable=True))
        batch.add_column(sa.Column("nonstop", sa.Boolean(), server_default=sa.false(), nullable=False))
        batch.add_column(sa.Column("traveller_name", sa.Text(), nullable=True))
        for name, condition in _CHECKS.items():
            batch.create_check_constraint(op.f(f"ck_bookings_{name}"), condition)
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(sa.Column("personal_data_erased_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("conversations") as batch:
        batch.drop_column("personal_data_erased_at")
    with op.batch_alter_table("bookings") as batch:
        for name in reversed(_CHECKS):
            batch.drop_constraint(op.f(f"ck_bookings_{name}"), type_="check")
        for column in (
            "traveller_name", "nonstop", "airline_name", "airline_code", "cabin", "children", "adults",
            "return_period", "return_qualifier", "return_time", "return_date", "trip",
        ):  # fmt: skip
            batch.drop_column(column)

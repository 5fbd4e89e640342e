"""Conversations, their turns, and bookings.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "conversations",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conversations")),
    )
    op.create_table(
        "bookings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=16), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("destination_city", sa.String(length=128), nullable=False),
        sa.Column("destination_airports", sa.JSON(), nullable=False),
        sa.Column("destination_timezone", sa.String(length=64), nullable=False),
        sa.Column("arrival_date", sa.Date(), nullable=False),
        sa.Column("arrival_time", sa.Time(), nullable=True),
        sa.Column("arrival_qualifier", sa.String(length=8), nullable=True),
        sa.Column("origin_city", sa.String(length=128), nullable=True),
        sa.Column("origin_airports", sa.JSON(), nullable=True),
        sa.Column("origin_timezone", sa.String(length=64), nullable=True),
        sa.Column("departure_date", sa.Date(), nullable=True),
        sa.Column("departure_time", sa.Time(), nullable=True),
        sa.Column("departure_qualifier", sa.String(length=8), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        _timestamp("cancelled_at", nullable=True),
        sa.CheckConstraint("status IN ('confirmed', 'cancelled')", name=op.f("ck_bookings_status")),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_bookings_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bookings")),
        sa.UniqueConstraint("reference", name=op.f("uq_bookings_reference")),
    )
    op.create_index(op.f("ix_bookings_conversation_id"), "bookings", ["conversation_id"], unique=False)
    op.create_table(
        "turns",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("user_text", sa.Text(), nullable=True),
        sa.Column("reply", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("intent", sa.String(length=64), nullable=True),
        sa.Column("intent_confidence", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("idempotency_key", sa.String(length=255), nullable=True),
        sa.Column("response", sa.JSON(), nullable=False),
        _timestamp("created_at"),
        sa.Column("tagger_ms", sa.Float(), nullable=True),
        sa.Column("handling_ms", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["conversation_id"],
            ["conversations.id"],
            name=op.f("fk_turns_conversation_id_conversations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turns")),
        sa.UniqueConstraint(
            "conversation_id", "idempotency_key", name=op.f("uq_turns_conversation_id_idempotency_key")
        ),
        sa.UniqueConstraint("conversation_id", "seq", name=op.f("uq_turns_conversation_id_seq")),
    )


def downgrade() -> None:
    op.drop_table("turns")
    op.drop_index(op.f("ix_bookings_conversation_id"), table_name="bookings")
    op.drop_table("bookings")
    op.drop_table("conversations")

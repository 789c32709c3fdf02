"""Wrong class codes by address (a keyed hash of it), and the key of those hashes.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "wrong_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("address_hash", sa.String(length=64), nullable=False),
        sa.Column("typed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wrong_codes")),
    )
    op.create_index(op.f("ix_wrong_codes_address_hash"), "wrong_codes", ["address_hash"])
    op.create_index(op.f("ix_wrong_codes_typed_at"), "wrong_codes", ["typed_at"])

    key = op.create_table(
        "address_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_address_key")),
    )
    # Made once, here: replicas starting together migrate one at a time, so they all read this same key.
    op.bulk_insert(key, [{"id": 1, "secret": secrets.token_hex(32)}])


def downgrade() -> None:
    op.drop_table("address_key")
    op.drop_table("wrong_codes")

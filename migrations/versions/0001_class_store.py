"""The class store: classes, members, questions, answers and the gallery.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("teacher_key_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("page", sa.String(length=2000), nullable=True),
        sa.Column("navigation_locked", sa.Boolean(), nullable=False),
        sa.Column("paused", sa.Boolean(), nullable=False),
        sa.Column("hide_nicknames", sa.Boolean(), nullable=False),
        sa.Column("members_joined", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_classes")),
        sa.UniqueConstraint("code", name=op.f("uq_classes_code")),
    )
    op.create_index(op.f("ix_classes_expires_at"), "classes", ["expires_at"])

    op.create_table(
        "members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("nickname", sa.String(length=24), nullable=True),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_members_class_id_classes"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_members")),
        sa.UniqueConstraint("class_id", "number", name=op.f("uq_members_class_id_number")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_members_token_hash")),
    )
    op.create_index(op.f("ix_members_class_id"), "members", ["class_id"])

    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.String(length=2000), nullable=False),
        sa.Column("question_id", sa.String(length=64), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("state IN ('open', 'revealed')", name=op.f("ck_questions_state")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_questions_class_id_classes"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    op.create_index(op.f("ix_questions_class_id"), "questions", ["class_id"])

    op.create_table(
        "answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("choice", sa.String(length=64), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_answers_member_id_members"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_answers_question_id_questions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_answers")),
        sa.UniqueConstraint("question_id", "member_id", name=op.f("uq_answers_question_id_member_id")),
    )
    op.create_index(op.f("ix_answers_member_id"), "answers", ["member_id"])

    op.create_table(
        "gallery",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("image", sa.LargeBinary(), nullable=True),
        sa.Column("label", sa.String(length=32), nullable=True),
        sa.Column("reading", sa.String(length=32), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("surname", sa.String(length=40), nullable=True),
        sa.Column("languages", sa.JSON(), nullable=True),
        sa.CheckConstraint("kind IN ('drawing', 'name')", name=op.f("ck_gallery_kind")),
        sa.ForeignKeyConstraint(["class_id"], ["classes.id"], name=op.f("fk_gallery_class_id_classes"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], name=op.f("fk_gallery_member_id_members"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gallery")),
    )
    op.create_index(op.f("ix_gallery_class_id"), "gallery", ["class_id"])
    op.create_index(op.f("ix_gallery_member_id"), "gallery", ["member_id"])


def downgrade() -> None:
    # Children first: their foreign keys point at the tables dropped after them.
    for table in ("gallery", "answers", "questions", "members", "classes"):
        op.drop_table(table)

"""The class store's tables, in SQLAlchemy Core: classes, their members, questions and answers, and the gallery;
and the wrong class codes typed lately, by address.

Every row of a class hangs off it with ON DELETE CASCADE, so deleting an expired class deletes all it held. No
secret is stored: the teacher key and the student tokens are kept as their SHA-256, and nothing about a
student but the nickname they chose. A wrong code is kept for a minute with a keyed hash of the address it
came from, never the address itself. The migrations in migrations/versions/ create exactly these tables
(tests/test_class_store.py compares the two).
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (JSON, Boolean, CheckConstraint, Column, DateTime, Float, ForeignKey, Integer,
                        LargeBinary, MetaData, String, Table, UniqueConstraint)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

# Limits the store enforces; the columns are sized from them.
CODE_LENGTH = 6
HASH_LENGTH = 64  # a SHA-256 in hex
NICKNAME_LIMIT = 24
SURNAME_LIMIT = 40
PAGE_LIMIT = 2000  # a page's link with its whole setup
QUESTION_ID_LIMIT = 64
CHOICE_LIMIT = 64
LABEL_LIMIT = 32  # a digit asked for or read, a language's name
KINDS = ("drawing", "name")

# Named constraints, so a later migration can refer to them by the same name on SQLite and PostgreSQL.
metadata = MetaData(naming_convention={
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


class UtcDateTime(TypeDecorator):
    """A moment in UTC, aware on the way out: SQLite keeps no time zone and would hand back a naive one."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None or value.tzinfo is not None:
            return value
        return value.replace(tzinfo=timezone.utc)


classes = Table(
    "classes", metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(CODE_LENGTH), nullable=False, unique=True),
    Column("teacher_key_hash", String(HASH_LENGTH), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    # pacing: where the teacher sends the class, and whether students may leave it or see anything at all
    Column("page", String(PAGE_LIMIT), nullable=True),
    Column("navigation_locked", Boolean, nullable=False, default=False),
    Column("paused", Boolean, nullable=False, default=False),
    Column("hide_nicknames", Boolean, nullable=False, default=False),
    # the last "Student N" given out: one UPDATE numbers a joining student, with no race between replicas
    Column("members_joined", Integer, nullable=False, default=0),
)

members = Table(
    "members", metadata,
    Column("id", Integer, primary_key=True),
    Column("class_id", ForeignKey("classes.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("token_hash", String(HASH_LENGTH), nullable=False, unique=True),
    Column("number", Integer, nullable=False),
    Column("nickname", String(NICKNAME_LIMIT), nullable=True),
    Column("joined_at", UtcDateTime, nullable=False),
    UniqueConstraint("class_id", "number"),
)

questions = Table(
    "questions", metadata,
    Column("id", Integer, primary_key=True),
    Column("class_id", ForeignKey("classes.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("page", String(PAGE_LIMIT), nullable=False),
    Column("question_id", String(QUESTION_ID_LIMIT), nullable=False),  # which of the page's ready questions
    Column("options", JSON, nullable=False),  # the answers a student may give, in order
    Column("state", String(8), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    CheckConstraint("state IN ('open', 'revealed')", name="state"),
)

answers = Table(
    "answers", metadata,
    Column("id", Integer, primary_key=True),
    Column("question_id", ForeignKey("questions.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("choice", String(CHOICE_LIMIT), nullable=False),
    Column("answered_at", UtcDateTime, nullable=False),
    UniqueConstraint("question_id", "member_id"),  # one answer per student per question
)

gallery = Table(
    "gallery", metadata,
    Column("id", Integer, primary_key=True),
    Column("class_id", ForeignKey("classes.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    # a drawing: the 28x28 image as PNG or raw grey bytes, the digit asked for, and the model's reading
    Column("image", LargeBinary, nullable=True),
    Column("label", String(LABEL_LIMIT), nullable=True),
    Column("reading", String(LABEL_LIMIT), nullable=True),
    Column("confidence", Float, nullable=True),
    # a name: the surname and the model's top languages as [[language, confidence], ...]
    Column("surname", String(SURNAME_LIMIT), nullable=True),
    Column("languages", JSON, nullable=True),
    CheckConstraint("kind IN ('drawing', 'name')", name="kind"),
)

# Wrong class codes, one row each, for the limit per address (docs/decisions/021-wrong-code-limits.md): the
# address only as an HMAC-SHA256 under address_key's secret, the row deleted once it is out of the limit's window.
wrong_codes = Table(
    "wrong_codes", metadata,
    Column("id", Integer, primary_key=True),
    Column("address_hash", String(HASH_LENGTH), nullable=False, index=True),
    Column("typed_at", UtcDateTime, nullable=False, index=True),
)

# One row: the random key of the addresses' hashes, made when the database is migrated, so that every replica
# on the database hashes an address alike.
address_key = Table(
    "address_key", metadata,
    Column("id", Integer, primary_key=True),
    Column("secret", String(HASH_LENGTH), nullable=False),
)

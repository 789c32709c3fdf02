"""Alembic's entry: runs the class store's migrations on a connection.

The store hands its own connection in (config.attributes["connection"]) when it opens; the command line
(alembic.ini at the repository root) gets one from the store's setting, never from alembic.ini, so the two
always migrate the same database.
"""
from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection, create_engine, text

from classroom.schema import metadata
from classroom.store import database_url

# Any fixed number: every replica takes the same lock, so only one of them migrates a fresh database.
MIGRATION_LOCK = 7_301_029

config = context.config
if config.config_file_name is not None and config.attributes.get("connection") is None:
    fileConfig(config.config_file_name)  # only from the command line: the app keeps its own logging


def migrate(connection: Connection) -> None:
    # SQLite alters a table by copying it ("batch" mode): the only way it can drop or change a column.
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        context.run_migrations()


def run() -> None:
    given = config.attributes.get("connection")
    if given is not None:
        migrate(given)
        return
    engine = create_engine(database_url())
    try:
        with engine.connect() as connection:
            migrate(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("The class store migrates a live database only: run without --sql.")
run()

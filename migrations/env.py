"""Alembic's entry point: the database URL comes from ``Settings`` (``TICKETBOT_DATABASE_URL``),
unless the caller hands over a URL or a connection (``service.storage.migrate`` and the tests)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import pool
from sqlalchemy.engine import Connection

from service.settings import Settings
from service.storage.database import make_engine, normalise_url
from service.storage.tables import Base

config = context.config
target_metadata = config.attributes.get("target_metadata", Base.metadata)  # tests hand over a changed copy


def _url() -> str:
    return config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url") or Settings().database_url


def _sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    """SQLite alters a table by copying it, dropping the old one and renaming the copy; with
    foreign keys enforced, dropping ``conversations`` would cascade and delete every booking
    and turn. So they are off while migrations run (the PRAGMA only takes effect outside a
    transaction: it is sent on the driver's own autocommit connection), and checked after."""
    driver = connection.connection.driver_connection
    if not on:
        driver.execute("PRAGMA foreign_keys = OFF")
        return
    broken = driver.execute("PRAGMA foreign_key_check").fetchall()
    driver.execute("PRAGMA foreign_keys = ON")
    if broken:
        raise RuntimeError(f"the migration left rows whose foreign keys point nowhere: {broken[:5]}")


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite" and not connection.in_transaction()
    if sqlite:
        _sqlite_foreign_keys(connection, on=False)
    try:
        _migrate(connection)
    finally:
        if sqlite:
            _sqlite_foreign_keys(connection, on=True)


def _migrate(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_offline() -> None:
    context.configure(url=normalise_url(_url()), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url(), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            _run(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_offline()
else:
    run_online()

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


def _run(connection: Connection) -> None:
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

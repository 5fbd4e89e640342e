"""The service's configuration: one typed object, read from ``TICKETBOT_*`` environment variables.

Nothing else in ticketbot reads ``os.environ``: every component is handed a ``Settings``
(or the values it needs), so tests build their own instead of patching the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

__all__ = ["DEFAULT_DATABASE_URL", "Settings"]

DEFAULT_DATABASE_URL = "sqlite:///./ticketbot.db"


class Settings(BaseSettings):
    """Every setting, with the default the product runs on out of the box."""

    model_config = SettingsConfigDict(env_prefix="TICKETBOT_", extra="ignore", frozen=True)

    database_url: Annotated[
        str,
        Field(description="SQLAlchemy URL: a SQLite file by default, or postgresql://user@host/db (psycopg 3)."),
    ] = DEFAULT_DATABASE_URL
    model_path: Annotated[
        Path | None, Field(description="Tagger checkpoint; default: the model shipped in the package.")
    ] = None
    device: Annotated[str, Field(description="Where the tagger runs: auto (CUDA when available), cpu or cuda.")] = (
        "auto"
    )

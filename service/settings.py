"""The service's configuration: one typed object, read from ``TICKETBOT_*`` environment variables.

Nothing else in ticketbot reads ``os.environ``: every component is handed a ``Settings``
(or the values it needs), so tests build their own instead of patching the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["DEFAULT_DATABASE_URL", "Settings"]

DEFAULT_DATABASE_URL = "sqlite:///./ticketbot.db"


class Settings(BaseSettings):
    """Every setting, with the default the product runs on out of the box."""

    model_config = SettingsConfigDict(env_prefix="TICKETBOT_", extra="ignore", frozen=True)

    database_url: Annotated[
        str,
        Field(description="SQLAlchemy URL: a SQLite file by default, or postgresql://user@host/db (psycopg 3)."),
    ] = DEFAULT_DATABASE_URL
    sqlite_synchronous: Annotated[
        Literal["FULL", "NORMAL"],
        Field(
            description="SQLite only. FULL: every commit reaches the disk (fsync) before the customer hears "
            "'booked'. NORMAL: no fsync per commit; a crash of the process loses nothing, a power cut may lose "
            "the last commits."
        ),
    ] = "FULL"
    model_path: Annotated[
        Path | None, Field(description="Tagger checkpoint; default: the model shipped in the package.")
    ] = None
    device: Annotated[str, Field(description="Where the tagger runs: auto (CUDA when available), cpu or cuda.")] = (
        "auto"
    )

    # --- the HTTP service -------------------------------------------------------------------
    host: Annotated[str, Field(description="Address `ticketbot serve` listens on.")] = "127.0.0.1"
    port: Annotated[int, Field(ge=1, le=65535, description="Port `ticketbot serve` listens on.")] = 8000
    workers: Annotated[int, Field(ge=1, description="Server processes; each loads its own tagger.")] = 1
    admin_key: Annotated[
        SecretStr | None,
        Field(
            description="Operators' key (header X-Admin-Key) for `GET /api/v1/bookings` and erasing a "
            "conversation's personal data; unset disables it."
        ),
    ] = None
    cors_origins: Annotated[
        list[str],
        NoDecode,
        Field(description="Comma-separated origins whose pages may embed the widget and call the API."),
    ] = []
    rate_limit_client: Annotated[
        str, Field(description="Requests allowed per client address (limits syntax, e.g. 120/minute).")
    ] = "120/minute"
    rate_limit_conversation: Annotated[str, Field(description="Messages allowed per conversation (limits syntax).")] = (
        "30/minute"
    )
    rate_limit_storage: Annotated[
        str, Field(description="Where rate-limit counters live: memory:// (per process) or redis://host:port.")
    ] = "memory://"
    batch_max: Annotated[int, Field(ge=1, description="Most messages the tagger reads in one call.")] = 32
    batch_wait_ms: Annotated[
        float, Field(ge=0, description="Longest a message waits for others to share its tagger call.")
    ] = 2.0
    torch_threads: Annotated[
        int | None, Field(ge=1, description="CPU threads for the tagger; default: PyTorch's choice.")
    ] = None
    log_level: Annotated[str, Field(description="DEBUG, INFO, WARNING or ERROR.")] = "INFO"
    forwarded_allow_ips: Annotated[
        str, Field(description="Proxies trusted for X-Forwarded-For (uvicorn's --forwarded-allow-ips).")
    ] = "127.0.0.1"

    @field_validator("admin_key", mode="before")
    @classmethod
    def _blank_key_is_no_key(cls, value: object) -> object:
        """``TICKETBOT_ADMIN_KEY=""`` disables the admin API; it must never open it to an empty header."""
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _split_origins(cls, value: object) -> object:
        if isinstance(value, str):
            return [origin.strip().rstrip("/") for origin in value.split(",") if origin.strip()]
        return value

    @field_validator("rate_limit_client", "rate_limit_conversation")
    @classmethod
    def _check_limit(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError as error:
            raise ValueError(f"not a rate limit such as '120/minute': {value!r}") from error
        return value

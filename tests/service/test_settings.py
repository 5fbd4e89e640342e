"""Settings: defaults, and ``TICKETBOT_*`` environment variables (the only place the environment is read)."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.settings import DEFAULT_DATABASE_URL, Settings
from service.storage import normalise_url


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("TICKETBOT_DATABASE_URL", "TICKETBOT_MODEL_PATH", "TICKETBOT_DEVICE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", "postgresql://somewhere/else")  # not ours: ignored
    settings = Settings()
    assert settings.database_url == DEFAULT_DATABASE_URL == "sqlite:///./ticketbot.db"
    assert settings.model_path is None and settings.device == "auto"


def test_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKETBOT_DATABASE_URL", "postgresql://postgres@127.0.0.1/ticketbot")
    monkeypatch.setenv("TICKETBOT_MODEL_PATH", "/models/better.pt")
    settings = Settings()
    assert settings.database_url == "postgresql://postgres@127.0.0.1/ticketbot"
    assert settings.model_path == Path("/models/better.pt")
    assert Settings(database_url="sqlite://").database_url == "sqlite://"  # explicit values win


def test_postgres_urls_use_psycopg_3() -> None:
    assert normalise_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"

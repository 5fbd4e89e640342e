"""The README's deployment section: its settings table is the one Settings makes, and the
commands it gives name what the files define."""

from __future__ import annotations

import importlib.util
import re

from .support import PROFILES, ROOT

README = (ROOT / "README.md").read_text()


def _settings_table():
    spec = importlib.util.spec_from_file_location("settings_table", ROOT / "deploy" / "settings_table.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_settings_table_is_generated_from_settings() -> None:
    table = _settings_table()
    assert table.render(README) == README, "run: python deploy/settings_table.py --write"
    block = README.split(table.START, 1)[1].split(table.END, 1)[0]
    assert block == "\n" + table.settings_table()


def test_every_setting_has_a_row_with_a_description() -> None:
    from service.settings import Settings

    rows = re.findall(r"^\| `TICKETBOT_(\w+)` \| [^|]+ \| (.+) \|$", _settings_table().settings_table(), re.M)
    assert [name.lower() for name, _ in rows] == list(Settings.model_fields)
    assert all(meaning.strip() for _, meaning in rows)


def test_readme_tells_how_to_deploy_scale_use_a_gpu_and_back_up() -> None:
    deployment = README.split("## Deployment", 1)[1]
    for command in (
        "docker build -t ticketbot .",
        "docker compose up -d --wait",
        "docker compose --profile proxy up -d --wait --scale app=3",
        "docker compose --profile gpu up -d --wait",
        "pg_dump -U ticketbot -d ticketbot --format=custom",
        "pg_restore -U ticketbot -d ticketbot --clean --if-exists --no-owner",
        "sqlite3 ticketbot.db \".backup 'ticketbot-backup.db'\"",
    ):
        assert command in deployment, command
    assert all(f"--profile {profile}" in deployment for profile in PROFILES)

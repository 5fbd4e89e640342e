"""The ``ticketbot`` command as a whole, run as users run it: the tagger's commands (``model/cli.py``,
tested in tests/model/test_cli.py) and the service's (tests/service/test_cli.py) under one name."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from model import TrainConfig
from service.cli import app

ROOT = Path(__file__).resolve().parents[1]
runner = CliRunner()
COMMANDS = ["tag", "train", "evaluate", "ensemble", "card", "calibrate", "unseen-cities", "chat", "serve", "db"]


def test_help_lists_every_command() -> None:
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert result.exit_code == 0, result.output
    listed = [line.split()[1] for line in result.output.splitlines() if line.startswith("│ ") and len(line.split()) > 2]
    assert sorted(c for c in listed if c in COMMANDS) == sorted(COMMANDS)
    assert "tagger" not in listed  # merged at the top level, not a group of its own


def test_the_tagger_commands_keep_their_names_and_options() -> None:
    for command in COMMANDS[:7]:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, (command, result.output)
        assert f"ticketbot {command}" in result.output
    result = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert f"[default: {TrainConfig().epochs}]" in result.output and "--city-swap" in result.output
    result = runner.invoke(app, ["card", "--model", str(ROOT / "nowhere.pt")])
    assert result.exit_code == 2 and "no such checkpoint file" in result.output


def test_help_loads_no_pytorch() -> None:
    """The tagger's commands import their heavy modules when they run: ``ticketbot --help``,
    ``ticketbot db current`` stay quick."""
    code = (
        "import sys, service.cli\nsys.argv = ['ticketbot', '--help']\n"
        "try: service.cli.main()\nexcept SystemExit: pass\n"
        "assert 'torch' not in sys.modules and 'seqeval' not in sys.modules, 'loaded'"
    )
    completed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert completed.returncode == 0, completed.stderr


def test_tag_with_the_bundled_model_as_a_console_script() -> None:
    """The README's first command, through the installed ``ticketbot`` entry point; ``--json``
    prints JSON Lines, one object per sentence on a line of its own."""
    sentences = ["i want to arrive in taipei on november 2nd", "leave taipei tomorrow", "hello"]
    completed = subprocess.run(
        [sys.executable, "-m", "service.cli", "tag", "--json", *sentences],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    lines = completed.stdout.splitlines()
    assert len(lines) == len(sentences), completed.stdout
    parses = [json.loads(line) for line in lines]
    assert [" ".join(p["tokens"]) for p in parses] == sentences
    slots = {span["slot"]: span["text"] for span in parses[0]["spans"]}
    assert slots["toloc.city_name"] == "taipei"
    assert slots["arrive_date.month_name"] == "november" and slots["arrive_date.day_number"] == "2nd"
    assert parses[0]["intent"] == "atis_flight"
    assert {span["slot"]: span["text"] for span in parses[1]["spans"]}["fromloc.city_name"] == "taipei"

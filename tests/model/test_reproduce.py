"""Reproducibility: the card names the command and the environment; retraining is compared."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from typer.testing import CliRunner

from model import load_checkpoint
from model.card import render_card
from model.cli import app
from model.provenance import code_version, environment, processor
from model.reproduce import compare, provenance_differences

runner = CliRunner()


def _recipe(folder: Path, data: Path, seed: int = 4) -> Path:
    recipe = folder / "tiny.recipe.toml"
    recipe.write_text(
        f'data = "{data}"\nout = "unused.pt"\ncell = "gru"\nhidden = 16\nepochs = 2\nbatch-size = 8\n'
        f"lr = 0.005\nseed = {seed}\ncity-swap = 0.0\ndate-swap = 0.3\n"
    )
    return recipe


@pytest.fixture(scope="module")
def reference(flights_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(recipe, checkpoint) of a tiny model trained from a recipe by ``ticketbot train``."""
    folder = tmp_path_factory.mktemp("reproduce")
    recipe, out = _recipe(folder, flights_dir), folder / "reference.pt"
    result = runner.invoke(app, ["train", "--config", str(recipe), "--out", str(out), "--device", "cpu"])
    assert result.exit_code == 0, result.output
    return recipe, out


def test_the_card_names_the_command_code_version_and_environment(reference: tuple[Path, Path]) -> None:
    recipe, path = reference
    card = load_checkpoint(path).card
    assert card["command"] == f"ticketbot train --config {recipe} --out {path} --device cpu"
    assert card["code_version"] == code_version() and card["code_version"].startswith("0")
    assert card["environment"]["threads"] == 1  # the tests run on one thread (tests/conftest.py)
    assert card["environment"]["libraries"]["torch"]
    assert card["environment"]["processor"] == processor() != ""  # a recipe trains differently on another CPU
    assert "city_list" not in card["environment"]  # no city swap in this recipe
    rendered = render_card(load_checkpoint(path))
    assert f"**Reproduce:** `{card['command']}` with ticketbot {card['code_version']}" in rendered
    assert "1 CPU thread" in rendered


def test_the_city_list_is_fingerprinted_when_cities_are_swapped() -> None:
    first = environment(threads=2, city_names=[("taipei",), ("lyon",)])
    assert first["city_list"]["names"] == 2 and len(first["city_list"]["sha256"]) == 16
    assert environment(threads=2, city_names=[("taipei",), ("nice",)])["city_list"] != first["city_list"]


def test_reproduce_retrains_the_recipe_exactly(reference: tuple[Path, Path], tmp_path: Path) -> None:
    recipe, path = reference
    result = runner.invoke(app, ["reproduce", "--config", str(recipe), "--against", str(path), "--work", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "reproduced exactly; weights identical" in result.output
    report = (tmp_path / "reproduce.json").read_text()
    assert '"exact": true' in report and '"weights_identical": true' in report
    # the threads came from the reference card: 1 here
    assert load_checkpoint(tmp_path / "retrained.pt").card["environment"]["threads"] == 1


def test_another_seed_is_not_a_reproduction_and_says_what_differs(
    reference: tuple[Path, Path], flights_dir: Path, tmp_path: Path
) -> None:
    recipe, path = reference
    other = tmp_path / "other.pt"
    trained = runner.invoke(
        app, ["train", "--config", str(recipe), "--seed", "9", "--out", str(other), "--device", "cpu"]
    )
    assert trained.exit_code == 0, trained.output
    comparison = compare(load_checkpoint(path), load_checkpoint(other))
    assert comparison.weights_identical is False
    assert not comparison.exact
    gap = max(abs(row.difference) for row in comparison.rows)
    assert not comparison.reproduced or gap == 0
    assert compare(load_checkpoint(path), load_checkpoint(other), tolerance=gap).reproduced
    with pytest.raises(ValueError, match="percentage points"):
        compare(load_checkpoint(path), load_checkpoint(other), tolerance=-1)


def test_provenance_differences_name_the_entries_that_differ() -> None:
    a = {"code_version": "0.1.0+gabc", "environment": {"threads": 2, "libraries": {"torch": "2.13.0"}}}
    b = {"code_version": "0.1.0+gabc", "environment": {"threads": 1, "libraries": {"torch": "2.13.0"}}}
    assert provenance_differences(a, b) == {"environment.threads": (2, 1)}
    assert provenance_differences({}, b)["environment.threads"] == (None, 1)  # a card from before it was recorded


def test_a_reference_without_dev_figures_is_refused(reference: tuple[Path, Path]) -> None:
    bare = load_checkpoint(reference[1])
    with pytest.raises(ValueError, match="no dev figures"):
        compare(replace(bare, card={}), bare)

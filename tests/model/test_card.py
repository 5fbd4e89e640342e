"""The model card: measured figures recorded in a checkpoint's card, and the card rendered."""

from __future__ import annotations

from pathlib import Path

from model import evaluate_tagger, load_checkpoint, read_split
from model.card import record_dev_metrics, record_evaluation, render_card


def test_record_evaluation_adds_a_row_to_a_copy(trained, flights_dir: Path) -> None:
    tagger, path = trained
    original = load_checkpoint(path)
    figures = evaluate_tagger(tagger, read_split(flights_dir / "dev"))
    recorded = record_evaluation(original, "held out", figures, data="dev/")
    assert "evaluations" not in original.card  # the original is left alone
    entry = recorded.card["evaluations"]["held out"]
    assert entry == {**{k: v for k, v in figures.items() if k != "per_slot"}, "data": "dev/"}
    assert recorded.card["dev_metrics"] == original.card["dev_metrics"]
    again = record_evaluation(record_evaluation(recorded, "other", figures, data="x/"), "held out", figures, data="y/")
    assert list(again.card["evaluations"]) == ["held out", "other"]  # one of the same name is replaced
    assert again.card["evaluations"]["held out"]["data"] == "y/"
    assert f"| held out | {figures['sentences']} |" in render_card(again)


def test_record_dev_metrics_sets_the_dev_row(trained, flights_dir: Path) -> None:
    tagger, path = trained
    figures = evaluate_tagger(tagger, read_split(flights_dir / "dev"))
    checkpoint = load_checkpoint(path)
    checkpoint.card = {"members": [{}, {}]}  # as an ensemble's card starts
    recorded = record_dev_metrics(checkpoint, figures)
    assert recorded.card["members"] == [{}, {}] and "per_slot" not in recorded.card["dev_metrics"]
    assert recorded.card["dev_metrics"]["slot_f1"] == figures["slot_f1"]
    assert "dev_metrics" not in checkpoint.card
    assert f"| dev | {figures['sentences']} |" in render_card(recorded)

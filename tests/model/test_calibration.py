"""Span confidences as probabilities: ECE, temperature fitting, stored in the checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import Tagger, load_checkpoint, read_split, save_checkpoint
from model.calibration import (
    Calibration,
    calibrate,
    expected_calibration_error,
    fit_temperature,
    log_loss,
    span_outcomes,
    with_temperature,
)
from model.card import render_card


def test_expected_calibration_error_by_hand() -> None:
    perfect = [(0.75, True)] * 3 + [(0.75, False)] + [(0.25, True)] + [(0.25, False)] * 3
    assert expected_calibration_error(perfect) == pytest.approx(0.0)
    overconfident = [(0.95, True)] * 5 + [(0.95, False)] * 5  # says 95%, right 50%
    assert expected_calibration_error(overconfident) == pytest.approx(0.45)
    with pytest.raises(ValueError):
        expected_calibration_error([])


def test_fitted_temperature_lowers_log_loss(small_tagger: Tagger, flights_dir: Path) -> None:
    dev = read_split(flights_dir / "dev")
    outcomes = span_outcomes(small_tagger, dev)
    assert outcomes and all(0 <= c <= 1 for c, _ in outcomes)
    temperature = fit_temperature(small_tagger, dev)
    assert small_tagger.temperature == 1.0  # fitting sets nothing
    tags_before = [p.tags for p in small_tagger.parse([e.tokens for e in dev])]
    small_tagger.temperature = temperature
    try:
        assert log_loss(span_outcomes(small_tagger, dev)) <= log_loss(outcomes)
        # the temperature changes confidences only, never the tags
        assert [p.tags for p in small_tagger.parse([e.tokens for e in dev])] == tags_before
    finally:
        small_tagger.temperature = 1.0


def test_calibrate_cross_validates_and_sets_nothing(small_tagger: Tagger, flights_dir: Path) -> None:
    dev = read_split(flights_dir / "dev")
    small_tagger.temperature = 2.5  # whatever the tagger had, it is measured at 1 and left as it was
    try:
        fit = calibrate(small_tagger, dev)
        assert small_tagger.temperature == 2.5
    finally:
        small_tagger.temperature = 1.0
    at_one = span_outcomes(small_tagger, dev)
    assert fit.spans == len(at_one) and fit.right == pytest.approx(sum(r for _, r in at_one) / len(at_one))
    assert fit.ece_before == pytest.approx(expected_calibration_error(at_one))
    assert fit.log_loss_before == pytest.approx(log_loss(at_one))
    assert fit.temperature == fit_temperature(small_tagger, dev)
    assert 0.0 <= fit.ece_after <= 1.0 and fit.log_loss_after > 0


def test_with_temperature_stores_it_in_a_copy(trained, tmp_path: Path) -> None:
    _, path = trained
    original = load_checkpoint(path)
    fit = Calibration(
        temperature=1.3, spans=10, right=0.9, ece_before=0.05, log_loss_before=0.3, ece_after=0.02, log_loss_after=0.25
    )
    calibrated = with_temperature(original, fit, data="dev/")
    assert original.temperature == 1.0 and "calibration" not in original.card  # the original is left alone
    assert calibrated.temperature == 1.3
    assert calibrated.card["calibration"] == {
        "temperature": 1.3, "span_ece_uncalibrated": 0.05, "span_ece_cross_validated": 0.02, "data": "dev/",
    }  # fmt: skip
    assert {k: v for k, v in calibrated.card.items() if k != "calibration"} == original.card
    save_checkpoint(calibrated, tmp_path / "calibrated.pt")
    loaded = Tagger.load(tmp_path / "calibrated.pt", device="cpu")
    assert loaded.temperature == 1.3 and loaded.card["calibration"]["data"] == "dev/"
    assert "temperature 1.3 fitted on `dev/`" in render_card(load_checkpoint(tmp_path / "calibrated.pt"))

"""Span confidences as probabilities: ECE, temperature fitting, stored in the checkpoint."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from model import Tagger, read_split
from model.calibration import expected_calibration_error, fit_temperature, log_loss, span_outcomes
from service.cli import app


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


def test_calibrate_command_writes_the_temperature(trained, flights_dir: Path, tmp_path: Path) -> None:
    _, path = trained
    copy = tmp_path / "calibrated.pt"
    copy.write_bytes(path.read_bytes())
    result = CliRunner().invoke(app, ["calibrate", "--data", str(flights_dir / "dev"), "--model", str(copy), "--write"])
    assert result.exit_code == 0, result.output
    assert "cross-validated after fitting: ECE" in result.output
    loaded = Tagger.load(copy, device="cpu")
    assert loaded.temperature == loaded.card["calibration"]["temperature"]
    assert 0.5 <= loaded.temperature <= 4.0

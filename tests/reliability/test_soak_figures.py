"""The soak's arithmetic (``bench/soak.py``): percentiles from raw latencies and from the
server's Prometheus histogram. The soak itself is a ten-minute benchmark, not a test."""

from __future__ import annotations

import importlib.util
import math
import sys

import pytest

from .processes import ROOT

BENCH = ROOT / "bench"
spec = importlib.util.spec_from_file_location("bench_soak", BENCH / "soak.py")
assert spec is not None and spec.loader is not None
soak = importlib.util.module_from_spec(spec)
sys.path.insert(0, str(BENCH))  # soak.py imports its neighbours (servers.py, ports.py), as when run as a script
try:
    spec.loader.exec_module(soak)
finally:
    sys.path.remove(str(BENCH))


def test_nearest_rank_percentiles() -> None:
    values = [float(v) for v in range(1, 101)]
    assert soak.percentile(values, 0.99) == 99.0
    assert soak.percentile(values, 0.50) == 50.0
    assert soak.percentile([7.0], 0.99) == 7.0
    assert soak.percentile([], 0.99) is None


def test_histogram_quantile_interpolates_like_prometheus() -> None:
    # 100 requests: 90 under 10 ms, 9 between 10 and 50 ms, 1 between 50 and 100 ms (cumulative counts)
    buckets = {0.01: 90.0, 0.05: 99.0, 0.1: 100.0, math.inf: 100.0}
    assert soak.histogram_quantile(0.5, buckets) == pytest.approx(1000 * 0.01 * 50 / 90)
    assert soak.histogram_quantile(0.99, buckets) == pytest.approx(50.0)
    assert soak.histogram_quantile(0.995, buckets) == pytest.approx(75.0)
    assert soak.histogram_quantile(0.99, {0.01: 0.0, math.inf: 0.0}) is None
    assert soak.histogram_quantile(0.99, {0.01: 0.0, 5.0: 0.0, math.inf: 3.0}) == 5000.0  # beyond the last bound

"""The probe set: four error classes and unseen cities, made from sentences we may look at, scored per class."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from model import DataFormatError, Example, read_corpus
from model.bio import bio_spans
from model.cities import is_held_out
from model.cli import app
from model.probes import CLASSES, make_probes, read_probes, score_probes, write_probes

runner = CliRunner()


@pytest.fixture(scope="module")
def probes(flights_dir: Path):
    corpus = read_corpus(flights_dir)
    return make_probes(corpus.dev, per_class=25, seed=1, vocabulary=corpus.train), corpus


def test_every_class_is_made_and_its_targets_are_gold_spans(probes) -> None:
    made, corpus = probes
    assert Counter(p.kind for p in made) == dict.fromkeys(CLASSES, 25)
    words = {t for e in [*corpus.train, *corpus.dev] for t in e.tokens}
    known_cities = {
        e.tokens[a:b] for e in [*corpus.train, *corpus.dev] for s, a, b in bio_spans(e.tags) if s.endswith("city_name")
    }
    for probe in made:
        spans = set(bio_spans(probe.example.tags))
        for slot, a, b in probe.targets:
            assert slot == "O" or (slot, a, b) in spans, probe
        slot, a, b = probe.targets[0]
        value = probe.example.tokens[a:b]
        if probe.kind == "unknown_word":
            assert slot == "O" and value[0] not in words and probe.example.tags[a] == "O"
        if probe.kind == "airport_code":
            assert slot in ("fromloc.airport_code", "toloc.airport_code") and is_held_out(value)
            assert value[0] not in words
        if probe.kind == "state_name":
            assert slot.endswith(".state_name") and probe.example.tags[a - 1].endswith("city_name")
        if probe.kind == "depart_arrive":
            assert all(s.split(".")[0] in ("depart_time", "arrive_time", "depart_date", "arrive_date")
                       for s, _, _ in probe.targets)  # fmt: skip
        if probe.kind == "unseen_city":
            cities = [(s, a, b) for s, a, b in spans if s.endswith("city_name")]
            assert set(probe.targets) == set(cities) and all(
                is_held_out(probe.example.tokens[a:b]) and probe.example.tokens[a:b] not in known_cities
                for _, a, b in cities
            )


def test_a_class_added_later_leaves_the_earlier_classes_probes_alone(
    probes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Studies scored before ``unseen_city`` existed keep comparable probe figures."""
    import model.probes

    made, corpus = probes
    monkeypatch.setattr(model.probes, "CLASSES", CLASSES[:-1])
    before = make_probes(corpus.dev, per_class=25, seed=1, vocabulary=corpus.train)
    assert before == [p for p in made if p.kind != CLASSES[-1]]


def test_probes_repeat_for_a_seed(probes) -> None:
    made, corpus = probes
    assert make_probes(corpus.dev, per_class=25, seed=1, vocabulary=corpus.train) == made
    assert make_probes(corpus.dev, per_class=25, seed=2, vocabulary=corpus.train) != made


class _Gold:
    """Answers every probe with its gold tags: what a perfect tagger would say."""

    def __init__(self, probes) -> None:
        self.answers = {p.example.tokens: p.example for p in probes}

    def predict(self, sentences):
        found = [self.answers[tuple(s)] for s in sentences]
        return [list(e.tags) for e in found], [e.intent for e in found]


def test_scores_per_class(probes, small_tagger) -> None:
    made, _ = probes
    perfect = score_probes(_Gold(made), made)
    assert all(v == {"items": 25, "accuracy": 1.0, "slot_f1": 1.0} for v in perfect.values())
    real = score_probes(small_tagger, made)
    assert set(real) == set(CLASSES) and all(0 <= v["accuracy"] <= 1 for v in real.values())


def test_a_wrong_tag_on_the_target_counts_against_it(probes) -> None:
    made, _ = probes
    item = next(p for p in made if p.kind == "unknown_word")
    _, a, _ = item.targets[0]
    wrong = list(item.example.tags)
    wrong[a] = "B-toloc.city_name"
    bad = type(item)(item.kind, Example(item.example.tokens, tuple(wrong), item.example.intent), item.targets)
    gold = _Gold([item])
    gold.answers[item.example.tokens] = bad.example
    assert score_probes(gold, [item])["unknown_word"]["accuracy"] == 0.0


def test_probe_files_round_trip_and_bad_lines_are_named(probes, tmp_path: Path) -> None:
    made, _ = probes
    path = tmp_path / "probes.jsonl"
    write_probes(path, made)
    assert read_probes(path) == made
    path.write_text(path.read_text().splitlines()[0] + "\n{not json\n")
    with pytest.raises(DataFormatError, match=r"probes.jsonl:2: not a probe"):
        read_probes(path)


def test_probe_commands(flights_dir: Path, tmp_path: Path, trained) -> None:
    out = tmp_path / "p.jsonl"
    made = runner.invoke(app, ["probe", "make", "--data", str(flights_dir), "--split", "dev", "--out", str(out),
                               "--per-class", "10"])  # fmt: skip
    assert made.exit_code == 0, made.output
    assert f"wrote {10 * len(CLASSES)} probes" in made.output
    scored = runner.invoke(app, ["probe", "score", "--probes", str(out), "--model", str(trained[1]), "--device", "cpu"])
    assert scored.exit_code == 0, scored.output
    assert all(kind in scored.output for kind in CLASSES)
    refused = runner.invoke(app, ["probe", "make", "--data", str(flights_dir), "--split", "test", "--out", str(out)])
    assert refused.exit_code == 2 and "test split stays held back" in refused.output

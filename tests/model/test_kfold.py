"""Committed folds: deterministic, stratified, a partition, refused on other data."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest

from model import Example, FoldsError, read_corpus
from model.data import Corpus
from model.kfold import digest, load_folds, make_folds, save_folds

ROOT = Path(__file__).resolve().parents[2]


def test_folds_are_a_stratified_partition_and_repeat_for_a_seed(flights_dir: Path) -> None:
    corpus = read_corpus(flights_dir)
    folds = make_folds(corpus, k=4, seed=3, name="flights")
    examples = folds.examples(corpus)
    assert sorted(i for part in folds.folds for i in part) == list(range(len(examples)))
    assert max(map(len, folds.folds)) - min(map(len, folds.folds)) <= 1
    overall = Counter(e.intent for e in examples)
    for part in folds.folds:  # each intent is spread evenly: no fold has more than its share plus one
        counts = Counter(examples[i].intent for i in part)
        assert all(abs(counts[intent] - n / 4) <= 1 for intent, n in overall.items())
    assert make_folds(corpus, k=4, seed=3, name="flights") == folds
    assert make_folds(corpus, k=4, seed=4, name="flights").folds != folds.folds


def test_a_fold_splits_into_training_stopping_and_held_out(flights_dir: Path) -> None:
    corpus = read_corpus(flights_dir)
    folds = make_folds(corpus, k=3)
    examples = folds.examples(corpus)
    training, stopping, held_out = folds.split(1, examples, share=0.2)
    assert held_out == folds.folds[1]
    assert not set(training) & set(stopping) and not (set(training) | set(stopping)) & set(held_out)
    assert sorted(training + stopping + held_out) == list(range(len(examples)))
    assert abs(len(stopping) - 0.2 * (len(training) + len(stopping))) <= len(set(e.intent for e in examples))
    assert folds.split(1, examples, share=0.2) == (training, stopping, held_out)  # the same for every seed
    with pytest.raises(FoldsError, match="fold 3 does not exist"):
        folds.split(3, examples)


def test_folds_round_trip_as_indices_only(flights_dir: Path, tmp_path: Path) -> None:
    corpus = read_corpus(flights_dir)
    folds = make_folds(corpus, k=3, name="flights")
    path = tmp_path / "flights.json"
    save_folds(folds, path)
    assert load_folds(path) == folds
    text = path.read_text()
    assert corpus.train[0].tokens[0] not in text.replace('"ticketbot-folds"', "")  # no sentence is written
    assert json.loads(text)["sha256"]["train"] == digest(corpus.train)


def test_folds_for_other_data_are_refused(flights_dir: Path) -> None:
    corpus = read_corpus(flights_dir)
    folds = make_folds(corpus, k=3, name="flights")
    with pytest.raises(FoldsError, match="train split of 300 sentences; this one has 299"):
        folds.examples(Corpus(corpus.train[1:], corpus.dev))
    changed = Example(corpus.dev[0].tokens, corpus.dev[0].tags, "atis_other")
    with pytest.raises(FoldsError, match="dev split's sentences are not those"):
        folds.examples(Corpus(corpus.train, [changed, *corpus.dev[1:]]))


@pytest.mark.parametrize(
    "content, message",
    [
        ("not json", "cannot read folds"),
        ('{"format": "other"}', "not a ticketbot-folds file"),
        ("MISSING", "do not hold each"),
    ],
)
def test_bad_fold_files_are_refused(flights_dir: Path, tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "folds.json"
    if content == "MISSING":
        folds = make_folds(read_corpus(flights_dir), k=3)
        save_folds(replace(folds, folds=[folds.folds[0][1:], *folds.folds[1:]]), path)
    else:
        path.write_text(content)
    with pytest.raises(FoldsError, match=message):
        load_folds(path)


@pytest.mark.parametrize("name, train, dev", [("atis", 4478, 500), ("snips", 13084, 700)])
def test_the_committed_folds_are_five_and_partition_their_corpus(name: str, train: int, dev: int) -> None:
    """Whether they match the data itself is checked where the data is, each time they are used:
    ``ticketbot cv`` refuses folds whose checksums differ from the corpus read."""
    folds = load_folds(ROOT / "model" / "folds" / f"{name}.json")
    assert folds.k == 5 and folds.sizes == {"train": train, "dev": dev}
    indices = sorted(i for fold in folds.folds for i in fold)
    assert indices == list(range(train + dev))

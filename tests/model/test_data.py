"""Reading corpora: good folders load, bad lines are named by file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import DataFormatError, read_corpus, read_split, tokenize


def _write(folder: Path, seq_in: str, seq_out: str, label: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "seq.in").write_text(seq_in)
    (folder / "seq.out").write_text(seq_out)
    (folder / "label").write_text(label)
    return folder


def test_reads_a_split(tmp_path: Path) -> None:
    folder = _write(
        tmp_path,
        "fly to boston\nleave denver \n",
        "O O B-toloc.city_name\nO B-fromloc.city_name\n",
        "atis_flight\natis_flight\n",
    )
    examples = read_split(folder)
    assert [e.tokens for e in examples] == [("fly", "to", "boston"), ("leave", "denver")]
    assert examples[0].tags == ("O", "O", "B-toloc.city_name")
    assert examples[1].intent == "atis_flight"


def test_reads_a_corpus(flights_dir: Path) -> None:
    corpus = read_corpus(flights_dir)
    assert len(corpus.train) == 300 and len(corpus.dev) == 60


@pytest.mark.parametrize(
    ("seq_in", "seq_out", "label", "message"),
    [
        ("a b\nc d\n", "O O\nO\n", "x\nx\n", "seq.out:2: 1 tags for 2 tokens"),
        ("a b\nc d\n", "O O\n", "x\nx\n", "seq.out:2: has 1 lines but"),
        ("a b\nc d\n", "O O\nO O\n", "x\n", "label:2: has 1 lines but"),
        ("a b\n\n", "O O\n\n", "x\nx\n", "seq.in:2: empty sentence"),
        ("a b\nc d\n", "O O\nO X-city\n", "x\nx\n", "seq.out:2: malformed BIO tag 'X-city'"),
        ("a b\nc d\n", "O O\nO O\n", "x\ntwo labels\n", "label:2: expected one intent label"),
    ],
)
def test_malformed_lines_are_named(tmp_path: Path, seq_in: str, seq_out: str, label: str, message: str) -> None:
    _write(tmp_path, seq_in, seq_out, label)
    with pytest.raises(DataFormatError, match=message) as caught:
        read_split(tmp_path)
    assert str(tmp_path) in str(caught.value)


def test_missing_files_and_folders(tmp_path: Path) -> None:
    with pytest.raises(DataFormatError, match="not a directory"):
        read_split(tmp_path / "nowhere")
    (tmp_path / "seq.in").write_text("a\n")
    with pytest.raises(DataFormatError, match=r"seq\.out: file not found"):
        read_split(tmp_path)
    with pytest.raises(DataFormatError, match="train"):
        read_corpus(tmp_path)


def test_invalid_utf8_is_named(tmp_path: Path) -> None:
    _write(tmp_path, "a\n", "O\n", "x\n")
    (tmp_path / "seq.in").write_bytes(b"fine\nbad \xff\n")
    with pytest.raises(DataFormatError, match=r"seq.in:2: not valid UTF-8"):
        read_split(tmp_path)


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        (
            "I want to arrive in Taipei on Nov. 2nd!",
            ["i", "want", "to", "arrive", "in", "taipei", "on", "nov.", "2nd", "!"],
        ),
        ("leave St. Louis at 5pm, please", ["leave", "st.", "louis", "at", "5", "pm", ",", "please"]),
        ("by 10:30am or 5 p.m.", ["by", "10:30", "am", "or", "5", "pm"]),
        ("fares under $1,000?", ["fares", "under", "$", "1000", "?"]),
        ("what's on at O'Hare", ["what's", "on", "at", "o'hare"]),
        ("Hello. World", ["hello", ".", "world"]),
        ("I\u2019d fly", ["i'd", "fly"]),
        ("  São   Paulo ", ["são", "paulo"]),
        ("fly to \u202eboston\u202c \u200b now", ["fly", "to", "boston", "now"]),  # bidi, zero width: dropped
        ("lone \ud800 surrogate", ["lone", "?", "surrogate"]),
        ("", []),
    ],
)
def test_tokenizer_matches_the_corpora(text: str, tokens: list[str]) -> None:
    assert tokenize(text) == tokens

"""Read slot-filling corpora in the ATIS/SNIPS layout.

A split folder holds three aligned files: ``seq.in`` (tokens), ``seq.out`` (one BIO tag
per token) and ``label`` (the intent); a corpus folder holds ``train/`` and ``dev/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import DataFormatError

__all__ = ["Corpus", "Example", "read_corpus", "read_split", "write_predictions", "write_split"]

_TAG = re.compile(r"^(O|[BI]-\S+)$")
_FILES = ("seq.in", "seq.out", "label")


@dataclass(frozen=True, slots=True)
class Example:
    """One sentence: its tokens, their gold BIO tags and the sentence's intent."""

    tokens: tuple[str, ...]
    tags: tuple[str, ...]
    intent: str


@dataclass(frozen=True, slots=True)
class Corpus:
    """A training folder: the examples to learn from and those to select models on."""

    train: list[Example]
    dev: list[Example]


def _read_lines(path: Path) -> list[str]:
    if not path.is_file():
        raise DataFormatError("file not found", path=str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise DataFormatError("not valid UTF-8", path=str(path), line=line) from error
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def read_split(folder: str | Path) -> list[Example]:
    """Read one split; any misaligned or malformed line raises naming its file and line."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DataFormatError("not a directory holding seq.in, seq.out and label", path=str(folder))
    sentences, tag_lines, labels = (_read_lines(folder / name) for name in _FILES)
    seq_in, seq_out, label = (str(folder / name) for name in _FILES)
    for path, lines in ((seq_out, tag_lines), (label, labels)):
        if len(lines) != len(sentences):
            raise DataFormatError(
                f"has {len(lines)} lines but {seq_in} has {len(sentences)}",
                path=path,
                line=min(len(lines), len(sentences)) + 1,
            )
    examples = []
    for number, (sentence, tag_line, intent) in enumerate(zip(sentences, tag_lines, labels, strict=True), start=1):
        tokens, tags = sentence.split(), tag_line.split()
        if not tokens:
            raise DataFormatError("empty sentence", path=seq_in, line=number)
        if len(tags) != len(tokens):
            raise DataFormatError(f"{len(tags)} tags for {len(tokens)} tokens in {seq_in}", path=seq_out, line=number)
        bad = next((tag for tag in tags if not _TAG.match(tag)), None)
        if bad is not None:
            raise DataFormatError(f"malformed BIO tag {bad!r}", path=seq_out, line=number)
        intent = intent.strip()
        if not intent or len(intent.split()) != 1:
            raise DataFormatError(f"expected one intent label, got {intent!r}", path=label, line=number)
        examples.append(Example(tuple(tokens), tuple(tags), intent))
    return examples


def read_corpus(folder: str | Path) -> Corpus:
    """Read ``folder/train`` and ``folder/dev``."""
    folder = Path(folder)
    return Corpus(train=read_split(folder / "train"), dev=read_split(folder / "dev"))


def write_predictions(folder: str | Path, tags: Iterable[Iterable[str]], intents: Iterable[str]) -> None:
    """Write predicted ``seq.out`` and ``label`` files in the input layout."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "seq.out").write_text("".join(" ".join(t) + "\n" for t in tags), encoding="utf-8")
    (folder / "label").write_text("".join(f"{i}\n" for i in intents), encoding="utf-8")


def write_split(folder: str | Path, examples: Iterable[Example]) -> None:
    """Write examples as a split folder (``seq.in``, ``seq.out``, ``label``)."""
    examples = list(examples)
    write_predictions(folder, (e.tags for e in examples), (e.intent for e in examples))
    (Path(folder) / "seq.in").write_text("".join(" ".join(e.tokens) + "\n" for e in examples), encoding="utf-8")

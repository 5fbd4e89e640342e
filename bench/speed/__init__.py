"""The parts of ``bench/tagger_speed.py`` (the command line), one concept a module:

* ``peers``: the CRF and spaCy's NER, trained (or read from the cache) and tagging;
* ``timing``: the measuring subprocesses and what they time, round by round;
* ``reporting``: the table, the JSON and Markdown results, the targets judged;
* ``profiling``: where ours spends one sentence's time (``--profile``).

Here: what they all share. Heavy libraries (torch, spaCy, crfsuite) are imported where they
are used, so ``--render`` needs none of them and ``--systems ours`` no peer.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # measure this checkout's model/, not some other installed copy
    sys.path.insert(0, str(ROOT))

SYSTEMS = ("ours", "crf", "spacy")

Sentence = tuple[str, ...]


def load_splits(data: Path) -> tuple[list, list]:
    from model import read_split

    return read_split(data / "train"), read_split(data / "dev")


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def slot_f1(gold: list, tags: Sequence[Sequence[str]], intents: Sequence[str] | None = None) -> dict[str, float]:
    from model import score

    figures = score(gold, tags, list(intents) if intents is not None else [""] * len(gold))
    keep = ["slot_f1", "slot_precision", "slot_recall"]
    if intents is not None:
        keep += ["intent_accuracy", "sentence_accuracy"]
    return {k: figures[k] for k in keep}

"""ticketbot's slot tagger: the recurrent networks of the lecture, trained and served.

The public surface is re-exported here; everything else is an implementation detail.

Names from modules that need PyTorch, NumPy or seqeval load on first use (PEP 562): those
take seconds to import, and ``ticketbot db current``, ``ticketbot --help`` or reading a
``TrainConfig`` need none of them. ``from model import Tagger`` works as always.
"""

from __future__ import annotations

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

# the standard library only: cheap, so loaded with the package (``tokenize`` also has to be
# bound here, or the submodule of that name would shadow the function once it is imported)
from .config import CELLS, ENCODERS, TaggerConfig, TrainConfig
from .data import Corpus, Example, read_corpus, read_split, write_predictions, write_split
from .errors import CheckpointError, DataFormatError, FoldsError, MissingPackage, TaggerError
from .hashing import letter_trigrams, trigram_buckets
from .tokenize import tokenize, tokenize_with_offsets
from .vocab import LabelSet, Vocabulary

if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from .bio import allowed_transitions, bio_spans, is_valid_bio
    from .checkpoint import Checkpoint, load_checkpoint, save_checkpoint
    from .device import resolve_device
    from .metrics import score
    from .tagger import Parse, Span, Tagger, bundled_model_path
    from .trainer import EpochReport, TrainResult, evaluate_tagger, train

_LAZY = {
    "allowed_transitions": "bio",
    "bio_spans": "bio",
    "is_valid_bio": "bio",
    "Checkpoint": "checkpoint",
    "load_checkpoint": "checkpoint",
    "save_checkpoint": "checkpoint",
    "resolve_device": "device",
    "score": "metrics",
    "Parse": "tagger",
    "Span": "tagger",
    "Tagger": "tagger",
    "bundled_model_path": "tagger",
    "EpochReport": "trainer",
    "TrainResult": "trainer",
    "evaluate_tagger": "trainer",
    "train": "trainer",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __name__), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


try:
    __version__ = version("ticketbot")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"

__all__ = [
    "CELLS",
    "ENCODERS",
    "Checkpoint",
    "CheckpointError",
    "Corpus",
    "DataFormatError",
    "EpochReport",
    "Example",
    "FoldsError",
    "LabelSet",
    "MissingPackage",
    "Parse",
    "Span",
    "Tagger",
    "TaggerConfig",
    "TaggerError",
    "TrainConfig",
    "TrainResult",
    "Vocabulary",
    "allowed_transitions",
    "bio_spans",
    "bundled_model_path",
    "evaluate_tagger",
    "is_valid_bio",
    "letter_trigrams",
    "load_checkpoint",
    "read_corpus",
    "read_split",
    "resolve_device",
    "save_checkpoint",
    "score",
    "tokenize",
    "tokenize_with_offsets",
    "train",
    "trigram_buckets",
    "write_predictions",
    "write_split",
]

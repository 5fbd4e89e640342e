"""ticketbot's slot tagger: the recurrent networks of the lecture, trained and served.

The public surface is re-exported here; everything else is an implementation detail.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from .bio import allowed_transitions, bio_spans, is_valid_bio
from .checkpoint import Checkpoint, load_checkpoint, save_checkpoint
from .config import CELLS, ENCODERS, TaggerConfig, TrainConfig
from .data import Corpus, Example, read_corpus, read_split, write_predictions, write_split
from .device import resolve_device
from .errors import CheckpointError, DataFormatError, MissingExtra, TaggerError
from .hashing import letter_trigrams, trigram_buckets
from .metrics import score
from .tagger import Parse, Span, Tagger
from .tokenize import tokenize, tokenize_with_offsets
from .trainer import EpochReport, TrainResult, evaluate_tagger, train
from .vocab import LabelSet, Vocabulary

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
    "LabelSet",
    "MissingExtra",
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

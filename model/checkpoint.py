"""Self-describing checkpoints that load with ``torch.load(weights_only=True)``.

One file holds a format version, the configurations, the vocabularies and label lists as
plain lists, the weights and a model card; nothing in it is a pickled class, so loading
one cannot run code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch

from .config import TaggerConfig, TrainConfig
from .errors import CheckpointError

__all__ = ["FORMAT", "FORMAT_VERSION", "Checkpoint", "load_checkpoint", "save_checkpoint"]

FORMAT = "ticketbot-tagger"
FORMAT_VERSION = 2  # 2: a list of weight sets (an ensemble when longer than one); 1 is still read


@dataclass(slots=True)
class Checkpoint:
    config: TaggerConfig
    words: list[str]
    chars: list[str]
    tags: list[str]
    intents: list[str]
    state_dicts: list[dict[str, torch.Tensor]]  # one per member network; usually one
    train_config: TrainConfig | None = None
    card: dict[str, Any] = field(default_factory=dict)
    temperature: float = 1.0  # confidence calibration, fitted on dev


def save_checkpoint(checkpoint: Checkpoint, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tagger_config": checkpoint.config.to_dict(),
        "train_config": None if checkpoint.train_config is None else checkpoint.train_config.to_dict(),
        "words": list(checkpoint.words),
        "chars": list(checkpoint.chars),
        "tags": list(checkpoint.tags),
        "intents": list(checkpoint.intents),
        "state_dicts": [
            {k: v.detach().cpu().contiguous() for k, v in state.items()} for state in checkpoint.state_dicts
        ],
        "card": checkpoint.card,
        "temperature": float(checkpoint.temperature),
    }
    temporary = path.with_name(path.name + ".tmp")
    torch.save(payload, temporary)
    temporary.replace(path)  # never leave a half-written checkpoint behind


def load_checkpoint(path: str | Path) -> Checkpoint:
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"{path}: no such checkpoint file")
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # torch raises several unrelated types for a bad file
        raise CheckpointError(f"{path}: not a readable checkpoint ({error})") from error
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not a ticketbot tagger checkpoint")
    if payload.get("format_version") not in (1, FORMAT_VERSION):
        raise CheckpointError(
            f"{path}: format version {payload.get('format_version')}, this code reads {FORMAT_VERSION}"
        )
    try:
        return Checkpoint(
            config=TaggerConfig.from_dict(payload["tagger_config"]),
            train_config=None if payload["train_config"] is None else TrainConfig.from_dict(payload["train_config"]),
            words=payload["words"],
            chars=payload["chars"],
            tags=payload["tags"],
            intents=payload["intents"],
            state_dicts=payload["state_dicts"] if payload["format_version"] > 1 else [payload["state_dict"]],
            card=payload.get("card") or {},
            temperature=float(payload.get("temperature", 1.0)),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise CheckpointError(f"{path}: incomplete or invalid checkpoint ({error})") from error

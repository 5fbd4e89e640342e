"""A checkpoint's model card as Markdown: what it was trained on, how, and how well it does."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .checkpoint import Checkpoint

__all__ = ["record_dev_metrics", "record_evaluation", "render_card"]


def _totals(figures: Mapping[str, Any]) -> dict[str, Any]:
    # the card shows a split's totals; the per-slot table is for the terminal
    return {k: v for k, v in figures.items() if k != "per_slot"}


def record_evaluation(checkpoint: Checkpoint, name: str, figures: Mapping[str, Any], *, data: str) -> Checkpoint:
    """A copy whose card lists ``figures`` (``evaluate_tagger``'s) under ``name``, with the data
    they were measured on, beside earlier evaluations; one of the same name is replaced."""
    evaluations = {**checkpoint.card.get("evaluations", {}), name: {**_totals(figures), "data": data}}
    return replace(checkpoint, card={**checkpoint.card, "evaluations": evaluations})


def record_dev_metrics(checkpoint: Checkpoint, figures: Mapping[str, Any]) -> Checkpoint:
    """A copy whose card's dev row is ``figures``: for a tagger that was not trained as one (an
    ensemble), whose dev figures the trainer therefore never wrote."""
    return replace(checkpoint, card={**checkpoint.card, "dev_metrics": _totals(figures)})


def _percent(value: Any) -> str:
    return f"{100 * value:.2f}" if isinstance(value, (int, float)) else "—"


def _metrics_table(rows: dict[str, dict[str, Any]]) -> list[str]:
    lines = [
        "| split | sentences | slot F1 | intent accuracy | sentence accuracy | city-span F1 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, m in rows.items():
        lines.append(
            f"| {name} | {m.get('sentences', '—')} | {_percent(m.get('slot_f1'))} | "
            f"{_percent(m.get('intent_accuracy'))} | {_percent(m.get('sentence_accuracy'))} | "
            f"{_percent(m.get('city_span_f1'))} |"
        )
    return lines


def _provenance(card: Mapping[str, Any]) -> str:
    """How to repeat the run, and what else it depended on (``model.provenance``)."""
    found = card.get("environment") or {}
    libraries = found.get("libraries") or {}
    parts = [f"{name} {release}" for name, release in libraries.items() if release]
    if "threads" in found:
        on = f" of an {found['processor']}" if found.get("processor") else ""
        parts.append(f"{found['threads']} CPU thread{'s' if found['threads'] != 1 else ''}{on}")
    if found.get("city_list"):
        parts.append(f"{found['city_list']['names']:,} swap cities (list {found['city_list']['sha256']})")
    command = f"`{card['command']}`" if card.get("command") else "the training settings above"
    text = f"**Reproduce:** {command} with ticketbot {card.get('code_version', '?')}"
    text += f" ({', '.join(parts)})" if parts else ""
    return text + "; `ticketbot reproduce --config RECIPE --against THIS.pt` retrains it and compares."


def render_card(checkpoint: Checkpoint, title: str = "ticketbot tagger") -> str:
    card = checkpoint.card
    config = checkpoint.config
    members = len(checkpoint.state_dicts)
    architecture = (
        f"{'bidirectional' if config.bidirectional else 'unidirectional'} {config.cell.upper()}, "
        f"{config.layers} layer(s) of {config.hidden_size} units per direction, encoders "
        f"{' + '.join(config.encoders)}, {'CRF' if config.crf else 'softmax'} slot head"
        f"{' gated by the pooled sentence' if config.slot_gate else ''} with BIO-constrained Viterbi decoding, "
        "joint intent head"
    )
    ensemble = f"; an ensemble of {members}." if members > 1 else "."
    lines = [f"# {title}", "", f"**Architecture:** {architecture}{ensemble}"]
    lines += [
        "",
        f"**Labels:** {len(checkpoint.tags)} slot tags, {len(checkpoint.intents)} intents; "
        f"vocabulary of {len(checkpoint.words)} words and {len(checkpoint.chars)} characters.",
    ]
    training = checkpoint.train_config
    if training is not None:
        lines += [
            "",
            f"**Training:** `{card.get('data', '?')}` ({card.get('train_sentences', '?')} sentences; "
            f"selected on dev), seed {training.seed}, up to {training.epochs} epochs with early stopping "
            f"(patience {training.patience}), batch {training.batch_size}, learning rate {training.learning_rate}, "
            f"city swap {training.city_swap}, date swap {training.date_swap}"
            + (f", slot-value swap {training.span_swap}" if training.span_swap else "")
            + (f", airport swap {training.airport_swap}" if training.airport_swap else "")
            + (f", state swap {training.state_swap}" if training.state_swap else "")
            + (f", unknown words {training.unknown_word}" if training.unknown_word else "")
            + (" (intent cues kept)" if training.keep_intent_cues and training.unknown_word else "")
            + (f", cities as airport codes {training.city_code}" if training.city_code else "")
            + (f", distilled with weight {training.distill_weight}" if training.distill_weight else "")
            + (f", a budget of {training.max_seconds / 60:g} minutes" if training.max_seconds else "")
            + f". Best epoch {card.get('best_epoch', '?')} of {card.get('epochs_run', '?')}"
            + (f" (stopped by {card['stopped_by']})" if "stopped_by" in card else "")
            + ", "
            f"{card.get('training_seconds', '?')} s on {card.get('trained_on', '?')}, "
            f"{card.get('parameters', '?'):,} parameters. Trained {card.get('date', '?')} by ticketbot "
            f"{card.get('code_version', '?')}.",
        ]
    if card.get("command") or card.get("environment"):
        lines += ["", _provenance(card)]
    evaluations = {"dev": card["dev_metrics"]} if "dev_metrics" in card else {}
    evaluations.update(card.get("evaluations", {}))
    if evaluations:
        lines += ["", "**Measured** (in %):", "", *_metrics_table(evaluations)]
    calibration = card.get("calibration")
    if calibration:
        lines += [
            "",
            f"**Confidence:** temperature {calibration['temperature']} fitted on `{calibration.get('data', 'dev')}`; "
            f"span expected calibration error {_percent(calibration['span_ece_uncalibrated'])}% before, "
            f"{_percent(calibration['span_ece_cross_validated'])}% after (cross-validated on dev halves).",
        ]
    if card.get("notes"):
        lines += ["", str(card["notes"])]
    return "\n".join(lines) + "\n"

"""The benchmark's figures: clean and eventual success by kind of conversation, and mean turns."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import mean

from .goals import KINDS
from .model import Outcome

__all__ = ["summary", "table"]


def summary(outcomes: Sequence[Outcome]) -> dict:
    """The figures as plain data (for ``--json-out``)."""
    kinds = {}
    for kind in KINDS:
        mine = [o for o in outcomes if o.goal.kind == kind]
        if not mine:
            continue
        booked = [o for o in mine if o.eventual]
        kinds[kind] = {
            "goals": len(mine),
            "clean": sum(o.clean for o in mine) / len(mine),
            "eventual": len(booked) / len(mine),
            "mean_turns": mean(o.turns for o in booked) if booked else None,
        }
    return {
        "goals": len(outcomes),
        "clean": sum(o.clean for o in outcomes) / len(outcomes),
        "eventual": sum(o.eventual for o in outcomes) / len(outcomes),
        "kinds": kinds,
    }


def table(figures: dict) -> str:
    """The per-kind table, in Markdown."""
    lines = ["| kind | goals | clean | eventual | mean turns |", "|---|---:|---:|---:|---:|"]
    for kind, row in figures["kinds"].items():
        turns = "—" if row["mean_turns"] is None else f"{row['mean_turns']:.2f}"
        lines.append(f"| {KINDS[kind]} | {row['goals']} | {100 * row['clean']:.0f}% | {100 * row['eventual']:.0f}% "
                     f"| {turns} |")  # fmt: skip
    lines.append(f"| **all** | {figures['goals']} | **{100 * figures['clean']:.1f}%** | "
                 f"**{100 * figures['eventual']:.1f}%** | |")  # fmt: skip
    return "\n".join(lines)

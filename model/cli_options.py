"""The training options ``train`` and ``cv`` share: one spelling, one help text, one reading.

``ticketbot train`` trains one model and ``ticketbot cv`` trains one per fold and seed of
the same recipe, so both take the same options (a recipe's keys), read a recipe file the
same way, and build their configurations with ``training_configs``. The defaults are the
configurations' own (``model/config.py``), written in each command's signature.
"""

from __future__ import annotations

import shlex
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from .config import CELLS, TaggerConfig, TrainConfig

__all__ = [
    "ARCHITECTURE",
    "ENCODERS",
    "TRAINING",
    "fail",
    "invoked_command",
    "recipe_reader",
    "set_threads",
    "training_configs",
]

ARCHITECTURE = TaggerConfig()
TRAINING = TrainConfig()
ENCODERS = ",".join(ARCHITECTURE.encoders)  # --encoders' default, as typed
errors = Console(stderr=True, soft_wrap=True)

Cell = Annotated[str, typer.Option(help="lstm, gru, elman or jordan.")]
Bidirectional = Annotated[bool, typer.Option("--bidirectional/--unidirectional")]
Layers = Annotated[int, typer.Option(min=1, help="Stacked recurrent layers.")]
Encoders = Annotated[str, typer.Option(help="Comma-separated: onehot, hash, char.")]
Crf = Annotated[bool, typer.Option("--crf/--softmax", help="CRF or per-token softmax slot head.")]
SlotGate = Annotated[
    bool, typer.Option("--slot-gate/--no-slot-gate", help="The pooled sentence (the intent's view) gates each slot.")
]
Epochs = Annotated[int, typer.Option(min=1)]
Hidden = Annotated[int, typer.Option("--hidden", min=1, help="Hidden units per direction.")]
Dropout = Annotated[float, typer.Option(min=0.0, max=0.95)]
BatchSize = Annotated[int, typer.Option("--batch-size", min=1)]
LearningRate = Annotated[float, typer.Option("--lr", min=0.0)]
Patience = Annotated[int, typer.Option(min=1, help="Epochs without dev improvement before stopping.")]


def _chance(flag: str, text: str) -> Any:
    return typer.Option(flag, min=0.0, max=1.0, help=text)


CitySwap = Annotated[float, _chance("--city-swap", "Chance a sentence's cities become world cities.")]
DateSwap = Annotated[float, _chance("--date-swap", "Chance a sentence's dates are written as typed.")]
SpanSwap = Annotated[float, _chance("--span-swap", "Chance a sentence's slot values become others of the same slot.")]
AirportSwap = Annotated[
    float, _chance("--airport-swap", "Chance a sentence's airport codes and names become others (airportsdata).")
]
StateSwap = Annotated[
    float, _chance("--state-swap", "Chance a sentence's state names and codes become others (pycountry).")
]
UnknownWord = Annotated[
    float, _chance("--unknown-word", "Chance one of a sentence's slot-less words becomes a made-up or rare word.")
]
CityCode = Annotated[
    float, _chance("--city-code", "Chance a sentence's origin and destination cities become airport codes.")
]
KeepIntentCues = Annotated[
    bool,
    typer.Option("--keep-intent-cues", help='--unknown-word never replaces a word that says the intent ("fare").'),
]
MaxMinutes = Annotated[
    float | None,
    typer.Option("--max-minutes", help="Time budget: stop before an epoch that would end past it (best kept)."),
]
Threads = Annotated[
    int | None,
    typer.Option(
        "--threads", min=1, help="CPU threads for PyTorch (default: its own choice). A CPU run repeats exactly only "
        "with the same count.",
    ),
]  # fmt: skip


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr; raise what it returns, which exits with code 2."""
    # the message is text, not markup: "[train]" or a path with brackets must print as written
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)  # paths stay greppable
    return typer.Exit(code=2)


def training_configs(
    *,
    cell: str,
    bidirectional: bool,
    layers: int,
    encoders: str,
    crf: bool,
    hidden: int,
    dropout: float,
    epochs: int,
    seed: int,
    batch_size: int,
    learning_rate: float,
    patience: int,
    city_swap: float,
    date_swap: float,
    span_swap: float,
    airport_swap: float,
    state_swap: float,
    unknown_word: float,
    max_minutes: float | None,
    city_code: float = 0.0,
    keep_intent_cues: bool = False,
    distill_weight: float = 0.0,
    slot_gate: bool = False,
) -> tuple[TaggerConfig, TrainConfig]:
    """The configurations the options name; a clean exit for a bad combination."""
    if cell not in CELLS[:4]:
        raise fail(f"--cell must be one of {', '.join(CELLS[:4])}, not {cell!r}")
    if max_minutes is not None and max_minutes <= 0:
        raise fail(f"--max-minutes must be positive, not {max_minutes:g}")
    try:
        config = TaggerConfig(
            encoders=tuple(e.strip() for e in encoders.split(",") if e.strip()),
            cell=cell,  # type: ignore[arg-type]
            bidirectional=bidirectional,
            layers=layers,
            crf=crf,
            slot_gate=slot_gate,
            hidden_size=hidden,
            dropout=dropout,
        )
        train_config = TrainConfig(
            epochs=epochs,
            seed=seed,
            batch_size=batch_size,
            learning_rate=learning_rate,
            patience=patience,
            city_swap=city_swap,
            date_swap=date_swap,
            span_swap=span_swap,
            airport_swap=airport_swap,
            state_swap=state_swap,
            unknown_word=unknown_word,
            city_code=city_code,
            keep_intent_cues=keep_intent_cues,
            distill_weight=distill_weight,
            max_seconds=None if max_minutes is None else 60 * max_minutes,
        )
    except ValueError as error:
        raise fail(str(error)) from error
    return config, train_config


def set_threads(threads: int | None) -> None:
    """Give PyTorch ``threads`` intra-op threads (None: leave its choice)."""
    if threads is not None:
        import torch

        torch.set_num_threads(threads)


def recipe_reader(ignored: frozenset[str] = frozenset()) -> Callable[[typer.Context, Any, Path | None], Path | None]:
    """A ``--config`` callback that makes a recipe file's values the command's defaults (Click's
    ``default_map``), so that options given on the command line still win over it.

    A key is an option's long name without ``--`` (``city-swap = 0.5``, ``bidirectional =
    false``, ``lr = 0.002``); a value is written as on the command line, paths relative to the
    working directory. A key that names no option is refused, not ignored: a misspelt
    setting would otherwise train a different model without a word. ``ignored`` keys are
    accepted and dropped: ``cv`` reads ``train``'s recipes, whose ``out`` and ``seed`` it
    replaces with its own ``--out`` folder and ``--seeds``.
    """

    def read(ctx: typer.Context, param: Any, recipe: Path | None) -> Path | None:
        if recipe is None:
            return None
        try:
            values = tomllib.loads(recipe.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise fail(f"{recipe}: cannot read it ({error})") from error
        except tomllib.TOMLDecodeError as error:
            raise fail(f"{recipe}: not a TOML file ({error})") from error
        names = {
            option.opts[0].removeprefix("--"): option.name
            for option in ctx.command.params
            if option.param_type_name == "option" and option.name != param.name
        }
        unknown = sorted(set(values) - set(names) - ignored)
        if unknown:
            raise fail(
                f"{recipe}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
                f"a recipe holds these options of `{ctx.command.name}`: {', '.join(sorted(names))}"
            )
        for key, value in values.items():
            if isinstance(value, dict | list):
                raise fail(f"{recipe}: {key} must be one value, written as on the command line")
        chosen = {names[key]: value for key, value in values.items() if key in names}
        ctx.default_map = {**(ctx.default_map or {}), **chosen}
        return recipe

    return read


def invoked_command(ctx: typer.Context, program: str = "ticketbot") -> str:
    """The command as typed, rebuilt from what came from the command line (not from a recipe or a
    default): ``ticketbot train --config model/bundled/atis.recipe.toml --seed 3``."""
    words = [program, ctx.info_name or ctx.command.name or ""]
    # a recipe (an eager option) first, as people write it; then the options in their order
    for parameter in sorted(ctx.command.params, key=lambda p: not getattr(p, "is_eager", False)):
        source = ctx.get_parameter_source(parameter.name)
        # by name: Typer carries its own copy of Click, whose enum is not click's
        if source is None or source.name != "COMMANDLINE":
            continue
        value = ctx.params[parameter.name]
        if parameter.param_type_name == "argument":
            words.extend(str(v) for v in (value if isinstance(value, list | tuple) else [value]))
        elif getattr(parameter, "is_flag", False):
            if parameter.secondary_opts:
                words.append(parameter.opts[0] if value else parameter.secondary_opts[0])
            elif value:
                words.append(parameter.opts[0])
        else:
            words.extend([parameter.opts[0], str(value)])
    return shlex.join(words)

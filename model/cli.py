"""The tagger's commands: tag, train, evaluate, ensemble, card, calibrate, unseen-cities;
and, from ``model.cli_select``, reproduce, cv and probe.

``service.cli`` mounts this app at the top of ``ticketbot`` (``ticketbot train ...``); it
also runs alone as ``python -m model.cli``. The commands only parse, call ``model``'s
functions and print: figures come from ``evaluate_tagger``, card and temperature edits
from ``model.card`` and ``model.calibration``, the training options' defaults from
``TaggerConfig`` and ``TrainConfig``. Heavy imports wait inside the commands, so
``ticketbot --help`` does not load PyTorch.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from . import cli_options as options
from .cli_options import fail, invoked_command, recipe_reader, set_threads, training_configs

if TYPE_CHECKING:
    from .tagger import Tagger

__all__ = ["DeviceOption", "ModelOption", "app", "fail", "load_tagger"]

app = typer.Typer(  # no name: service.cli merges these commands into its own
    help="Train, evaluate and try the slot tagger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(soft_wrap=True)

ModelOption = Annotated[
    Path | None, typer.Option("--model", help="Checkpoint file; default: the model shipped in the package.")
]
DeviceOption = Annotated[str, typer.Option("--device", help="auto (CUDA when available), cpu or cuda.")]

# The training options' defaults are these configurations' own: change one in model/config.py
# and `ticketbot train` (and its --help) follows.
_ARCHITECTURE = options.ARCHITECTURE
_TRAINING = options.TRAINING
# TrainConfig's distill_weight defaults to 0 (no teacher, no distillation); this is the share
# a --teacher gets when it is given without --distill-weight
_TEACHER_SHARE = 0.5


def load_tagger(model: Path | None, device: str) -> Tagger:
    """The tagger of ``--model`` (the bundled one for None), or a clean exit saying what is wrong."""
    from model import Tagger, TaggerError

    try:
        return Tagger.load(model, device=device)
    except (TaggerError, ValueError) as error:
        raise fail(str(error)) from error


@app.command()
def tag(
    texts: Annotated[list[str], typer.Argument(help="Sentences to tag.")],
    model: ModelOption = None,
    device: DeviceOption = "auto",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON Lines: one JSON object per sentence, one per line.")
    ] = False,
) -> None:
    """Tag sentences: print each word's slot tag, the slot values and the intent."""
    tagger = load_tagger(model, device)
    for parse in tagger.parse(texts):
        if as_json:  # JSON Lines, so `ticketbot tag --json A B | jq` and line-by-line readers both work
            print(json.dumps(parse.to_dict(), ensure_ascii=False))
            continue
        table = Table(show_header=True, header_style="bold", box=None)
        table.add_column("token")
        table.add_column("tag")
        for token, tag_ in zip(parse.tokens, parse.tags, strict=True):
            table.add_row(token, tag_ if tag_ != "O" else "[dim]O[/]")
        console.print(table)
        for span in parse.spans:
            console.print(f"  {span.slot} = [bold]{span.text}[/] (confidence {span.confidence:.2f})", highlight=False)
        console.print(f"  intent: [bold]{parse.intent}[/] ({parse.intent_confidence:.2f})\n", highlight=False)


@app.command()
def train(
    ctx: typer.Context,
    data: Annotated[Path, typer.Option("--data", help="Folder holding train/ and dev/ splits.")],
    out: Annotated[Path, typer.Option("--out", help="Checkpoint file to write.")],
    recipe: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="A TOML recipe of these options (city-swap = 0.5, ...); options given here override it.",
            is_eager=True,  # read before the other options, whose defaults it sets
            callback=recipe_reader(),
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    cell: options.Cell = _ARCHITECTURE.cell,
    bidirectional: options.Bidirectional = _ARCHITECTURE.bidirectional,
    layers: options.Layers = _ARCHITECTURE.layers,
    encoders: options.Encoders = options.ENCODERS,
    crf: options.Crf = _ARCHITECTURE.crf,
    slot_gate: options.SlotGate = _ARCHITECTURE.slot_gate,
    epochs: options.Epochs = _TRAINING.epochs,
    seed: int = _TRAINING.seed,
    hidden: options.Hidden = _ARCHITECTURE.hidden_size,
    dropout: options.Dropout = _ARCHITECTURE.dropout,
    batch_size: options.BatchSize = _TRAINING.batch_size,
    learning_rate: options.LearningRate = _TRAINING.learning_rate,
    patience: options.Patience = _TRAINING.patience,
    city_swap: options.CitySwap = _TRAINING.city_swap,
    date_swap: options.DateSwap = _TRAINING.date_swap,
    span_swap: options.SpanSwap = _TRAINING.span_swap,
    airport_swap: options.AirportSwap = _TRAINING.airport_swap,
    state_swap: options.StateSwap = _TRAINING.state_swap,
    unknown_word: options.UnknownWord = _TRAINING.unknown_word,
    city_code: options.CityCode = _TRAINING.city_code,
    keep_intent_cues: options.KeepIntentCues = _TRAINING.keep_intent_cues,
    teacher: Annotated[
        Path | None, typer.Option("--teacher", help="A trained tagger (e.g. an ensemble) to learn from as well.")
    ] = None,
    distill_weight: Annotated[
        float, typer.Option("--distill-weight", min=0.0, max=1.0, help="Share of the loss that follows the teacher.")
    ] = _TEACHER_SHARE,
    max_minutes: options.MaxMinutes = None if _TRAINING.max_seconds is None else _TRAINING.max_seconds / 60,
    threads: options.Threads = None,
    device: DeviceOption = "auto",
) -> None:
    """Train a tagger; early stopping on dev slot F1; writes one self-describing checkpoint.

    The card records the command as typed and what the run depended on (code version,
    library releases, threads), so ``ticketbot reproduce`` can repeat it.
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from model import Tagger, TaggerError, read_corpus, resolve_device, save_checkpoint
    from model import train as train_tagger

    config, train_config = training_configs(
        cell=cell, bidirectional=bidirectional, layers=layers, encoders=encoders, crf=crf, hidden=hidden,
        dropout=dropout, epochs=epochs, seed=seed, batch_size=batch_size, learning_rate=learning_rate,
        patience=patience, city_swap=city_swap, date_swap=date_swap, span_swap=span_swap, airport_swap=airport_swap,
        state_swap=state_swap, unknown_word=unknown_word, max_minutes=max_minutes, city_code=city_code,
        slot_gate=slot_gate, keep_intent_cues=keep_intent_cues,
        distill_weight=distill_weight if teacher is not None else 0.0,
    )  # fmt: skip
    set_threads(threads)
    try:
        corpus = read_corpus(data)
        if city_swap > 0:  # its list of the world's cities comes from an extra: say so before training
            from model.cities import world_cities

            world_cities()
        torch_device = resolve_device(device)
        teacher_tagger = None if teacher is None else Tagger.load(teacher, device=torch_device)
    except (TaggerError, ValueError) as error:
        raise fail(str(error)) from error
    console.print(f"training on {len(corpus.train)} sentences, selecting on {len(corpus.dev)}, device {torch_device}")
    with Progress(
        TextColumn("epoch {task.fields[epoch]}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.4f}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("train", total=None, epoch=1, loss=0.0)

        def on_batch(number: int, total: int, loss: float) -> None:
            progress.update(task, completed=number, total=total, loss=loss)

        def on_epoch(report) -> None:
            progress.console.print(
                f"epoch {report.epoch:3d}  loss {report.loss:.4f}  dev slot F1 {100 * report.dev_slot_f1:.2f}  "
                f"intent {100 * report.dev_intent_accuracy:.2f}  sentence {100 * report.dev_sentence_accuracy:.2f}  "
                f"({report.seconds:.1f} s)",
                highlight=False,
            )
            progress.update(task, epoch=report.epoch + 1, completed=0)

        try:
            result = train_tagger(
                corpus, config, train_config, torch_device, data_name=str(data), on_batch=on_batch,
                on_epoch=on_epoch, teacher=teacher_tagger,
            )  # fmt: skip
        except (TaggerError, ValueError) as error:
            raise fail(str(error)) from error
    result.tagger.card["command"] = invoked_command(ctx)
    save_checkpoint(result.tagger.to_checkpoint(train_config=train_config), out)
    dev = result.dev_metrics
    console.print(
        f"best epoch {result.best_epoch} of {len(result.history)} (stopped by {result.stopped_by}): "
        f"dev slot F1 {100 * dev['slot_f1']:.2f}, intent accuracy "
        f"{100 * dev['intent_accuracy']:.2f}, sentence accuracy {100 * dev['sentence_accuracy']:.2f}; "
        f"{result.seconds:.0f} s; wrote {out} ({out.stat().st_size / 1e6:.1f} MB)",
        highlight=False,
    )


def _summary(figures: dict[str, Any]) -> str:
    return (
        f"slot F1 {100 * figures['slot_f1']:.2f}, intent accuracy {100 * figures['intent_accuracy']:.2f}, "
        f"sentence accuracy {100 * figures['sentence_accuracy']:.2f}"
    )


@app.command()
def evaluate(
    data: Annotated[Path, typer.Option("--data", help="Folder holding seq.in, seq.out and label.")],
    model: ModelOption = None,
    device: DeviceOption = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="End with one JSON object of the figures.")] = False,
    predictions: Annotated[
        Path | None, typer.Option("--predictions", help="Write predicted seq.out and label here.")
    ] = None,
    record: Annotated[
        str | None, typer.Option("--record", help="Store the figures under this name in the --model's card.")
    ] = None,
) -> None:
    """Score a tagger: slot F1 (conlleval), intent and sentence accuracy, per-slot figures."""
    from model import TaggerError, evaluate_tagger, load_checkpoint, read_split, save_checkpoint, write_predictions
    from model.card import record_evaluation

    try:
        examples = read_split(data)
    except TaggerError as error:
        raise fail(str(error)) from error
    if record is not None and model is None:  # before the work, not after it
        raise fail("--record writes into the checkpoint: give it with --model")
    tagger = load_tagger(model, device)
    figures = evaluate_tagger(tagger, examples)
    if predictions is not None:  # a second pass over the split, only when the predictions are wanted
        write_predictions(predictions, *tagger.predict([e.tokens for e in examples]))
    if record is not None and model is not None:
        save_checkpoint(record_evaluation(load_checkpoint(model), record, figures, data=str(data)), model)
    table = Table("slot", "precision", "recall", "F1", "support", box=None, header_style="bold")
    for slot, values in figures["per_slot"].items():
        table.add_row(slot, *(f"{100 * values[k]:.1f}" for k in ("precision", "recall", "f1")), str(values["support"]))
    if not as_json:
        console.print(table)
    city = f", city-span F1 {100 * figures['city_span_f1']:.2f}" if "city_span_f1" in figures else ""
    console.print(f"{figures['sentences']} sentences: {_summary(figures)}{city}", highlight=False)
    if as_json:
        keys = ("slot_f1", "intent_accuracy", "sentence_accuracy", "sentences", "per_slot", "city_span_f1")
        print(json.dumps({k: figures[k] for k in keys if k in figures}))


@app.command()
def ensemble(
    models: Annotated[list[Path], typer.Argument(help="Checkpoints trained alike (other seeds) to combine.")],
    out: Annotated[Path, typer.Option("--out", help="Checkpoint file to write.")],
    data: Annotated[
        Path | None, typer.Option("--data", help="Dev split folder: score the ensemble and record it in its card.")
    ] = None,
) -> None:
    """Combine taggers into one that averages their probabilities."""
    from model import Tagger, TaggerError, evaluate_tagger, load_checkpoint, read_split, save_checkpoint
    from model.card import record_dev_metrics
    from model.ensemble import combine

    try:
        combined = combine([load_checkpoint(m) for m in models])
        examples = read_split(data) if data is not None else None
    except (TaggerError, ValueError) as error:
        raise fail(str(error)) from error
    if examples is not None:
        figures = evaluate_tagger(Tagger.from_checkpoint(combined, device="cpu"), examples)
        combined = record_dev_metrics(combined, figures)
        console.print(f"ensemble of {len(models)}: dev {_summary(figures)}", highlight=False)
    save_checkpoint(combined, out)
    console.print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


@app.command()
def card(model: ModelOption = None) -> None:
    """Print a tagger's model card (Markdown): data, training, measured figures, calibration."""
    from model import CheckpointError, bundled_model_path, load_checkpoint
    from model.card import render_card

    try:
        checkpoint = load_checkpoint(model or bundled_model_path())
    except CheckpointError as error:
        raise fail(str(error)) from error
    typer.echo(render_card(checkpoint), nl=False)


@app.command()
def calibrate(
    data: Annotated[Path, typer.Option("--data", help="Dev split folder (seq.in, seq.out, label).")],
    model: Annotated[Path, typer.Option("--model", help="Checkpoint to calibrate.")],
    write: Annotated[bool, typer.Option("--write", help="Store the fitted temperature in the checkpoint.")] = False,
) -> None:
    """Measure span-confidence calibration (ECE) and fit a temperature on dev.

    The figure after fitting is cross-validated: fitted on one half of the sentences,
    measured on the other, both ways round; so it is not graded on its own training data.
    """
    from model import Tagger, TaggerError, load_checkpoint, read_split, save_checkpoint
    from model.calibration import calibrate as measure
    from model.calibration import with_temperature

    try:
        examples = read_split(data)
        fit = measure(Tagger.load(model, device="cpu"), examples)
    except (TaggerError, ValueError) as error:
        raise fail(str(error)) from error
    console.print(
        f"{fit.spans} spans, {100 * fit.right:.1f}% right. "
        f"ECE {100 * fit.ece_before:.2f}% (log-loss {fit.log_loss_before:.4f}) at temperature 1; "
        f"cross-validated after fitting: ECE {100 * fit.ece_after:.2f}% "
        f"(log-loss {fit.log_loss_after:.4f}); temperature fitted on all of it: {fit.temperature}",
        highlight=False,
    )
    if write:
        save_checkpoint(with_temperature(load_checkpoint(model), fit, data=str(data)), model)
        console.print(f"wrote temperature {fit.temperature} into {model}")


@app.command("unseen-cities")
def unseen_cities(
    data: Annotated[Path, typer.Option("--data", help="Corpus folder holding train/ and dev/.")],
    out: Annotated[Path, typer.Option("--out", help="Folder to write seq.in, seq.out and label to.")],
    split: Annotated[str, typer.Option(help="Which split's sentences to rewrite.")] = "dev",
    seed: int = 0,
) -> None:
    """Write a split with every city replaced by one absent from training and from augmentation."""
    from model import TaggerError, read_split, write_split
    from model.augment import unseen_city_split

    try:
        train_examples, examples = read_split(data / "train"), read_split(data / split)
    except TaggerError as error:
        raise fail(str(error)) from error
    try:
        rewritten = unseen_city_split(examples, train_examples, seed=seed)
    except TaggerError as error:  # the held-out names come from the train extra
        raise fail(str(error)) from error
    write_split(out, rewritten)
    console.print(f"wrote {len(rewritten)} sentences to {out}")


# the commands that judge recipes (reproduce, cv, probe) join this app
from . import cli_select  # noqa: E402, F401

if __name__ == "__main__":  # `python -m model.cli`: run the package's copy, which cli_select extended
    from model.cli import app as registered

    registered()

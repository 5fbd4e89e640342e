"""The tagger's commands: tag, train, evaluate, ensemble, card, calibrate, unseen-cities.

``service.cli`` mounts this app at the top of ``ticketbot`` (``ticketbot train ...``); it
also runs alone as ``python -m model.cli``. The commands only parse, call ``model``'s
functions and print: figures come from ``evaluate_tagger``, card and temperature edits
from ``model.card`` and ``model.calibration``, the training options' defaults from
``TaggerConfig`` and ``TrainConfig``. Heavy imports wait inside the commands, so
``ticketbot --help`` does not load PyTorch.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from .config import CELLS, TaggerConfig, TrainConfig

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
errors = Console(stderr=True, soft_wrap=True)

ModelOption = Annotated[
    Path | None, typer.Option("--model", help="Checkpoint file; default: the model shipped in the package.")
]
DeviceOption = Annotated[str, typer.Option("--device", help="auto (CUDA when available), cpu or cuda.")]

# The training options' defaults are these configurations' own: change one in model/config.py
# and `ticketbot train` (and its --help) follows.
_ARCHITECTURE = TaggerConfig()
_TRAINING = TrainConfig()
# TrainConfig's distill_weight defaults to 0 (no teacher, no distillation); this is the share
# a --teacher gets when it is given without --distill-weight
_TEACHER_SHARE = 0.5


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on stderr; raise what it returns, which exits with code 2."""
    # the message is text, not markup: "[train]" or a path with brackets must print as written
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)  # paths stay greppable
    return typer.Exit(code=2)


def load_tagger(model: Path | None, device: str) -> Tagger:
    """The tagger of ``--model`` (the bundled one for None), or a clean exit saying what is wrong."""
    from model import Tagger, TaggerError

    try:
        return Tagger.load(model, device=device)
    except (TaggerError, ValueError) as error:
        raise fail(str(error)) from error


def _read_recipe(ctx: typer.Context, param: typer.CallbackParam, recipe: Path | None) -> Path | None:
    """Make a recipe file's values this command's defaults (Click's ``default_map``), so that
    options given on the command line still win over it.

    A key is an option's long name without ``--`` (``city-swap = 0.5``, ``bidirectional =
    false``, ``lr = 0.002``); a value is written as on the command line, paths relative to the
    working directory. A key that names no option is refused, not ignored: a misspelt
    setting would otherwise train a different model without a word.
    """
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
    unknown = sorted(set(values) - set(names))
    if unknown:
        raise fail(
            f"{recipe}: unknown key{'s' if len(unknown) > 1 else ''} {', '.join(unknown)}; "
            f"a recipe holds these options of `train`: {', '.join(sorted(names))}"
        )
    for key, value in values.items():
        if isinstance(value, dict | list):
            raise fail(f"{recipe}: {key} must be one value, written as on the command line")
    ctx.default_map = {**(ctx.default_map or {}), **{names[key]: value for key, value in values.items()}}
    return recipe


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
    data: Annotated[Path, typer.Option("--data", help="Folder holding train/ and dev/ splits.")],
    out: Annotated[Path, typer.Option("--out", help="Checkpoint file to write.")],
    recipe: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="A TOML recipe of these options (city-swap = 0.5, ...); options given here override it.",
            is_eager=True,  # read before the other options, whose defaults it sets
            callback=_read_recipe,
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    cell: Annotated[str, typer.Option(help="lstm, gru, elman or jordan.")] = _ARCHITECTURE.cell,
    bidirectional: Annotated[bool, typer.Option("--bidirectional/--unidirectional")] = _ARCHITECTURE.bidirectional,
    layers: Annotated[int, typer.Option(min=1, help="Stacked recurrent layers.")] = _ARCHITECTURE.layers,
    encoders: Annotated[str, typer.Option(help="Comma-separated: onehot, hash, char.")] = ",".join(
        _ARCHITECTURE.encoders
    ),
    crf: Annotated[
        bool, typer.Option("--crf/--softmax", help="CRF or per-token softmax slot head.")
    ] = _ARCHITECTURE.crf,
    epochs: Annotated[int, typer.Option(min=1)] = _TRAINING.epochs,
    seed: int = _TRAINING.seed,
    hidden: Annotated[
        int, typer.Option("--hidden", min=1, help="Hidden units per direction.")
    ] = _ARCHITECTURE.hidden_size,
    dropout: Annotated[float, typer.Option(min=0.0, max=0.95)] = _ARCHITECTURE.dropout,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = _TRAINING.batch_size,
    learning_rate: Annotated[float, typer.Option("--lr", min=0.0)] = _TRAINING.learning_rate,
    patience: Annotated[
        int, typer.Option(min=1, help="Epochs without dev improvement before stopping.")
    ] = _TRAINING.patience,
    city_swap: Annotated[
        float, typer.Option("--city-swap", min=0.0, max=1.0, help="Chance a sentence's cities become world cities.")
    ] = _TRAINING.city_swap,
    date_swap: Annotated[
        float, typer.Option("--date-swap", min=0.0, max=1.0, help="Chance a sentence's dates are written as typed.")
    ] = _TRAINING.date_swap,
    span_swap: Annotated[
        float,
        typer.Option(
            "--span-swap", min=0.0, max=1.0, help="Chance a sentence's slot values become others of the same slot."
        ),
    ] = _TRAINING.span_swap,
    teacher: Annotated[
        Path | None, typer.Option("--teacher", help="A trained tagger (e.g. an ensemble) to learn from as well.")
    ] = None,
    distill_weight: Annotated[
        float, typer.Option("--distill-weight", min=0.0, max=1.0, help="Share of the loss that follows the teacher.")
    ] = _TEACHER_SHARE,
    max_minutes: Annotated[
        float | None,
        typer.Option("--max-minutes", help="Time budget: stop before an epoch that would end past it (best kept)."),
    ] = None if _TRAINING.max_seconds is None else _TRAINING.max_seconds / 60,
    device: DeviceOption = "auto",
) -> None:
    """Train a tagger; early stopping on dev slot F1; writes one self-describing checkpoint."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from model import Tagger, TaggerError, read_corpus, resolve_device, save_checkpoint
    from model import train as train_tagger

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
            distill_weight=distill_weight if teacher is not None else 0.0,
            max_seconds=None if max_minutes is None else 60 * max_minutes,
        )
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
        except ValueError as error:
            raise fail(str(error)) from error
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


if __name__ == "__main__":
    app()

"""The ``ticketbot`` command: train, evaluate and try the tagger, chat with the bot, migrate the database."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(
    name="ticketbot",
    help="A conversational flight-booking service built on a recurrent slot tagger.",
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


def _fail(message: str) -> typer.Exit:
    # the message is text, not markup: "[train]" or a path with brackets must print as written
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)  # paths stay greppable
    return typer.Exit(code=2)


def _load_tagger(model: Path | None, device: str):
    from model import Tagger, TaggerError

    try:
        return Tagger.load(model, device=device)
    except (TaggerError, ValueError) as error:
        raise _fail(str(error)) from error


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
    tagger = _load_tagger(model, device)
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
    cell: Annotated[str, typer.Option(help="lstm, gru, elman or jordan.")] = "lstm",
    bidirectional: Annotated[bool, typer.Option("--bidirectional/--unidirectional")] = True,
    layers: Annotated[int, typer.Option(min=1, help="Stacked recurrent layers.")] = 1,
    encoders: Annotated[str, typer.Option(help="Comma-separated: onehot, hash, char.")] = "onehot,hash,char",
    crf: Annotated[bool, typer.Option("--crf/--softmax", help="CRF or per-token softmax slot head.")] = False,
    epochs: Annotated[int, typer.Option(min=1)] = 30,
    seed: int = 13,
    hidden: Annotated[int, typer.Option("--hidden", min=1, help="Hidden units per direction.")] = 128,
    dropout: Annotated[float, typer.Option(min=0.0, max=0.95)] = 0.3,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1)] = 32,
    learning_rate: Annotated[float, typer.Option("--lr", min=0.0)] = 2e-3,
    patience: Annotated[int, typer.Option(min=1, help="Epochs without dev improvement before stopping.")] = 8,
    city_swap: Annotated[
        float, typer.Option("--city-swap", min=0.0, max=1.0, help="Chance a sentence's cities become world cities.")
    ] = 0.0,
    date_swap: Annotated[
        float, typer.Option("--date-swap", min=0.0, max=1.0, help="Chance a sentence's dates are written as typed.")
    ] = 0.0,
    span_swap: Annotated[
        float,
        typer.Option(
            "--span-swap", min=0.0, max=1.0, help="Chance a sentence's slot values become others of the same slot."
        ),
    ] = 0.0,
    teacher: Annotated[
        Path | None, typer.Option("--teacher", help="A trained tagger (e.g. an ensemble) to learn from as well.")
    ] = None,
    distill_weight: Annotated[
        float, typer.Option("--distill-weight", min=0.0, max=1.0, help="Share of the loss that follows the teacher.")
    ] = 0.5,
    max_minutes: Annotated[
        float | None,
        typer.Option(
            "--max-minutes", help="Time budget: stop before an epoch that would end past it (best kept)."
        ),
    ] = None,
    device: DeviceOption = "auto",
) -> None:
    """Train a tagger; early stopping on dev slot F1; writes one self-describing checkpoint."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from model import (
        CELLS,
        Tagger,
        TaggerConfig,
        TaggerError,
        TrainConfig,
        read_corpus,
        resolve_device,
        save_checkpoint,
    )  # fmt: skip
    from model import train as train_tagger

    if cell not in CELLS[:4]:
        raise _fail(f"--cell must be one of {', '.join(CELLS[:4])}, not {cell!r}")
    if max_minutes is not None and max_minutes <= 0:
        raise _fail(f"--max-minutes must be positive, not {max_minutes:g}")
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
        raise _fail(str(error)) from error
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
            raise _fail(str(error)) from error
    save_checkpoint(result.tagger.to_checkpoint(train_config=train_config), out)
    dev = result.dev_metrics
    console.print(
        f"best epoch {result.best_epoch} of {len(result.history)} (stopped by {result.stopped_by}): "
        f"dev slot F1 {100 * dev['slot_f1']:.2f}, intent accuracy "
        f"{100 * dev['intent_accuracy']:.2f}, sentence accuracy {100 * dev['sentence_accuracy']:.2f}; "
        f"{result.seconds:.0f} s; wrote {out} ({out.stat().st_size / 1e6:.1f} MB)",
        highlight=False,
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
    from model import TaggerError, load_checkpoint, read_split, save_checkpoint, score, write_predictions

    try:
        examples = read_split(data)
    except TaggerError as error:
        raise _fail(str(error)) from error
    tagger = _load_tagger(model, device)
    tags, intents = tagger.predict([e.tokens for e in examples])
    figures = score(examples, tags, intents)
    if predictions is not None:
        write_predictions(predictions, tags, intents)
    if record is not None:
        if model is None:
            raise _fail("--record writes into the checkpoint: give it with --model")
        checkpoint = load_checkpoint(model)
        summary = {k: v for k, v in figures.items() if k != "per_slot"}
        evaluations = {**checkpoint.card.get("evaluations", {}), record: {**summary, "data": str(data)}}
        checkpoint.card = {**checkpoint.card, "evaluations": evaluations}
        save_checkpoint(checkpoint, model)
    table = Table("slot", "precision", "recall", "F1", "support", box=None, header_style="bold")
    for slot, values in figures["per_slot"].items():
        table.add_row(slot, *(f"{100 * values[k]:.1f}" for k in ("precision", "recall", "f1")), str(values["support"]))
    if not as_json:
        console.print(table)
    city = f", city-span F1 {100 * figures['city_span_f1']:.2f}" if "city_span_f1" in figures else ""
    console.print(
        f"{figures['sentences']} sentences: slot F1 {100 * figures['slot_f1']:.2f}, intent accuracy "
        f"{100 * figures['intent_accuracy']:.2f}, sentence accuracy {100 * figures['sentence_accuracy']:.2f}{city}",
        highlight=False,
    )
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
    from model import Tagger, TaggerError, load_checkpoint, read_split, save_checkpoint, score
    from model.ensemble import combine

    try:
        combined = combine([load_checkpoint(m) for m in models])
        examples = read_split(data) if data is not None else None
    except (TaggerError, ValueError) as error:
        raise _fail(str(error)) from error
    if examples is not None:
        tagger = Tagger.from_checkpoint(combined, device="cpu")
        tags, intents = tagger.predict([e.tokens for e in examples])
        figures = score(examples, tags, intents)
        combined.card["dev_metrics"] = {k: v for k, v in figures.items() if k != "per_slot"}
        console.print(
            f"ensemble of {len(models)}: dev slot F1 {100 * figures['slot_f1']:.2f}, intent accuracy "
            f"{100 * figures['intent_accuracy']:.2f}, sentence accuracy {100 * figures['sentence_accuracy']:.2f}",
            highlight=False,
        )
    save_checkpoint(combined, out)
    console.print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB)")


@app.command()
def card(model: ModelOption = None) -> None:
    """Print a tagger's model card (Markdown): data, training, measured figures, calibration."""
    from model import CheckpointError, load_checkpoint
    from model.card import render_card
    from model.tagger import _bundled_path

    try:
        checkpoint = load_checkpoint(model or _bundled_path())
    except CheckpointError as error:
        raise _fail(str(error)) from error
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
    from model.calibration import expected_calibration_error, fit_temperature, log_loss, span_outcomes

    try:
        examples = read_split(data)
        tagger = Tagger.load(model, device="cpu")
    except TaggerError as error:
        raise _fail(str(error)) from error
    tagger.temperature = 1.0
    before = span_outcomes(tagger, examples)
    halves = examples[0::2], examples[1::2]
    after = []
    for fit_on, measure_on in (halves, halves[::-1]):
        tagger.temperature = fit_temperature(tagger, fit_on)
        after.extend(span_outcomes(tagger, measure_on))
    temperature = fit_temperature(tagger, examples)
    console.print(
        f"{len(before)} spans, {100 * sum(r for _, r in before) / len(before):.1f}% right. "
        f"ECE {100 * expected_calibration_error(before):.2f}% (log-loss {log_loss(before):.4f}) at temperature 1; "
        f"cross-validated after fitting: ECE {100 * expected_calibration_error(after):.2f}% "
        f"(log-loss {log_loss(after):.4f}); temperature fitted on all of it: {temperature}",
        highlight=False,
    )
    if write:
        checkpoint = load_checkpoint(model)
        checkpoint.temperature = temperature
        checkpoint.card = {
            **checkpoint.card,
            "calibration": {
                "temperature": temperature,
                "span_ece_uncalibrated": expected_calibration_error(before),
                "span_ece_cross_validated": expected_calibration_error(after),
                "data": str(data),
            },
        }
        save_checkpoint(checkpoint, model)
        console.print(f"wrote temperature {temperature} into {model}")


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
        raise _fail(str(error)) from error
    try:
        rewritten = unseen_city_split(examples, train_examples, seed=seed)
    except TaggerError as error:  # the held-out names come from the train extra
        raise _fail(str(error)) from error
    write_split(out, rewritten)
    console.print(f"wrote {len(rewritten)} sentences to {out}")


db = typer.Typer(help="The database: apply and inspect migrations.", no_args_is_help=True)
app.add_typer(db, name="db")

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL; default: TICKETBOT_DATABASE_URL, else ./ticketbot.db."),
]


def _settings(database_url: str | None = None, **overrides: object):
    from service.settings import Settings

    given = {k: v for k, v in {"database_url": database_url, **overrides}.items() if v is not None}
    return Settings(**given)


@db.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    database_url: DatabaseOption = None,
) -> None:
    """Create or update the database's tables (Alembic migrations)."""
    from service.storage import migrate

    settings = _settings(database_url)
    migrate.upgrade(settings.database_url, revision)
    console.print(f"database at revision {migrate.current(settings.database_url)}", highlight=False)


@db.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision: -1 for one step, base for none.")],
    database_url: DatabaseOption = None,
) -> None:
    """Undo migrations down to a revision."""
    from service.storage import migrate

    settings = _settings(database_url)
    migrate.downgrade(settings.database_url, revision)
    console.print(f"database at revision {migrate.current(settings.database_url)}", highlight=False)


@db.command("current")
def db_current(database_url: DatabaseOption = None) -> None:
    """Print the database's revision and the newest one."""
    from service.storage import migrate

    settings = _settings(database_url)
    console.print(f"current {migrate.current(settings.database_url)}, head {migrate.head()}", highlight=False)


def _clock(now: str | None):
    if now is None:
        return None
    try:
        fixed = dt.datetime.fromisoformat(now.replace("Z", "+00:00"))
    except ValueError as error:
        raise _fail(f"--now must be an ISO date-time, not {now!r}") from error
    fixed = fixed if fixed.tzinfo else fixed.replace(tzinfo=dt.UTC)
    return lambda: fixed


@app.command()
def chat(
    database_url: DatabaseOption = None,
    model: ModelOption = None,
    device: DeviceOption = "auto",
    now: Annotated[
        str | None, typer.Option("--now", help="Fix the conversation's clock (ISO date-time), for demos and tests.")
    ] = None,
) -> None:
    """Chat with the booking bot in the terminal (one message per line; stdin may be piped)."""
    from service.manager import DialogueManager
    from service.storage import make_engine, make_sessions, migrate

    settings = _settings(database_url, model_path=model, device=device)
    clock = _clock(now)
    migrate.upgrade(settings.database_url)
    tagger = _load_tagger(settings.model_path, settings.device)
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    options = {"clock": clock} if clock else {}
    manager = DialogueManager(sessions=make_sessions(engine), **options)
    started = manager.start()
    typer.echo(f"bot> {started.reply}")
    interactive = sys.stdin.isatty()
    try:
        while True:
            try:
                line = input("you> ") if interactive else sys.stdin.readline()
            except (EOFError, KeyboardInterrupt):
                break
            if not interactive and not line:
                break
            text = line.strip()
            if not text:
                continue
            if text in {"/quit", "/exit"}:
                break
            if not interactive:
                typer.echo(f"you> {text}")
            began = time.perf_counter()
            [parse] = tagger.parse([text])
            result = manager.reply(
                conversation_id=started.conversation_id, token=started.token, text=text, parse=parse,
                tagger_ms=1000 * (time.perf_counter() - began),
            )  # fmt: skip
            typer.echo(f"bot> {result.reply}")
    finally:
        engine.dispose()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on; default TICKETBOT_HOST or 127.0.0.1.")] = None,
    port: Annotated[int | None, typer.Option(help="Port; default TICKETBOT_PORT or 8000.")] = None,
    workers: Annotated[int | None, typer.Option(help="Processes; default TICKETBOT_WORKERS or 1.")] = None,
    migrate_first: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Bring the database's tables up to date first.")
    ] = True,
) -> None:
    """Run the chat API, the demo page and the widget (settings from TICKETBOT_* variables)."""
    import uvicorn

    from service.api.logs import configure_logging
    from service.storage import migrate

    settings = _settings(host=host, port=port, workers=workers)
    configure_logging(settings.log_level)
    if migrate_first:
        migrate.upgrade(settings.database_url)
    uvicorn.run(
        "service.api:serve_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_config=None,
        access_log=False,
        server_header=False,
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()

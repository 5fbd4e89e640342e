"""The commands that judge recipes: reproduce, cv (cross-validation) and probe.

They join ``model.cli``'s app (``ticketbot reproduce ...``), which imports this module
once its own commands and helpers exist. As there, heavy imports wait inside the commands.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from . import cli_options as options
from .cli import DeviceOption, ModelOption, app, console, load_tagger
from .cli_options import ARCHITECTURE, TRAINING, fail, invoked_command, recipe_reader, training_configs

__all__: list[str] = []  # commands only, registered on model.cli.app


@app.command()
def reproduce(
    recipe: Annotated[Path, typer.Option("--config", help="The recipe to retrain from.", exists=True, dir_okay=False)],
    against: Annotated[
        Path | None, typer.Option("--against", help="The checkpoint to reproduce; default: the bundled model.")
    ] = None,
    tolerance: Annotated[
        float, typer.Option("--tolerance", min=0.0, help="Percentage points each dev figure may differ by (0: exact).")
    ] = 0.0,
    threads: Annotated[
        int | None,
        typer.Option("--threads", min=1, help="CPU threads; default: the count the reference card records, if any."),
    ] = None,
    work: Annotated[
        Path | None, typer.Option("--work", help="Folder for the retrained checkpoint and the report (kept).")
    ] = None,
    device: DeviceOption = "cpu",
) -> None:
    """Retrain from a recipe and compare the dev figures with the reference card's.

    Exits 0 when every figure is within the tolerance, 1 when not; the report says whether the
    weights came out identical and which recorded versions, thread counts or lists differed.
    """
    from model import CheckpointError, bundled_model_path, load_checkpoint
    from model.reproduce import compare

    reference_path = against or bundled_model_path()
    try:
        reference = load_checkpoint(reference_path)
    except CheckpointError as error:
        raise fail(str(error)) from error
    if threads is None:
        threads = (reference.card.get("environment") or {}).get("threads")
    folder = work or Path(tempfile.mkdtemp(prefix="reproduce-"))
    folder.mkdir(parents=True, exist_ok=True)
    retrained_path = folder / "retrained.pt"
    command = [sys.executable, "-m", "model", "train", "--config", str(recipe), "--out", str(retrained_path)]
    command += ["--device", device, *([] if threads is None else ["--threads", str(threads)])]
    console.print(f"retraining: {' '.join(command[2:])}", highlight=False)
    if subprocess.run(command, check=False).returncode != 0:
        raise fail("retraining failed (its error is above)")
    try:
        comparison = compare(reference, load_checkpoint(retrained_path), tolerance)
    except (CheckpointError, ValueError) as error:
        raise fail(str(error)) from error
    table = Table("dev figure", "card", "retrained", "difference", box=None, header_style="bold")
    for row in comparison.rows:
        table.add_row(row.figure, f"{row.card:.2f}", f"{row.retrained:.2f}", f"{row.difference:+.2f}")
    console.print(table)
    for key, (was, now) in comparison.differences.items():
        console.print(f"  differs: {key}: {was} (reference) vs {now} (retrained)", highlight=False)
    report = {"recipe": str(recipe), "reference": str(reference_path), "retrained": str(retrained_path)}
    (folder / "reproduce.json").write_text(json.dumps({**report, **comparison.to_dict()}, indent=1) + "\n")
    verdict = "exactly" if comparison.exact else f"within {tolerance:g} points" if comparison.reproduced else "NOT"
    weights = {True: "identical", False: "different", None: "of another shape"}[comparison.weights_identical]
    console.print(f"reproduced {verdict}; weights {weights}; report {folder / 'reproduce.json'}", highlight=False)
    if not comparison.reproduced:
        raise typer.Exit(code=1)


@app.command()
def folds(
    data: Annotated[Path, typer.Option("--data", help="Corpus folder holding train/ and dev/.")],
    out: Annotated[Path, typer.Option("--out", help="JSON file to write (model/folds/NAME.json).")],
    k: Annotated[int, typer.Option("--k", min=2, help="Number of folds.")] = 5,
    seed: int = 0,
) -> None:
    """Make k folds over train+dev, stratified by intent: indices and a checksum, never sentences."""
    from model import TaggerError, read_corpus
    from model.kfold import make_folds, save_folds

    try:
        made = make_folds(read_corpus(data), k=k, seed=seed, name=data.resolve().name)
    except (TaggerError, ValueError) as error:
        raise fail(str(error)) from error
    save_folds(made, out)
    sizes = ", ".join(str(len(part)) for part in made.folds)
    console.print(f"wrote {k} folds of {sizes} sentences to {out}", highlight=False)


def _whole_numbers(option: str, text: str) -> list[int]:
    try:
        return [int(s) for s in text.split(",") if s.strip()]
    except ValueError as error:
        raise fail(f"{option} takes comma-separated whole numbers, not {text!r}") from error


@app.command()
def cv(
    ctx: typer.Context,
    data: Annotated[Path, typer.Option("--data", help="Folder holding train/ and dev/ splits.")],
    folds_file: Annotated[
        Path, typer.Option("--folds", help="Folds of this data (model/folds/NAME.json).", exists=True, dir_okay=False)
    ],
    out: Annotated[Path, typer.Option("--out", help="Study folder: runs/, summary.md, summary.json.")],
    recipe: Annotated[
        Path | None,
        typer.Option(
            "--config",
            help="A `train` recipe (its out and seed are not used); options given here override it.",
            is_eager=True,
            callback=recipe_reader(ignored=frozenset({"out", "seed"})),
            exists=True,
            dir_okay=False,
        ),
    ] = None,
    seeds: Annotated[str, typer.Option("--seeds", help="Comma-separated seeds, each run on every fold.")] = "1,2,3,4,5",
    jobs: Annotated[int, typer.Option("--jobs", min=1, help="Runs side by side, one process each.")] = 1,
    threads: Annotated[
        int | None, typer.Option("--threads", min=1, help="CPU threads per run; default: the cores shared out.")
    ] = None,
    stopping_share: Annotated[
        float,
        typer.Option("--stopping-share", min=0.01, max=0.5, help="Training share kept for stopping."),
    ] = 0.1,
    probes: Annotated[
        int, typer.Option("--probes", min=0, help="Probes per class made from each held-out fold (0: none).")
    ] = 300,
    keep_models: Annotated[bool, typer.Option("--keep-models", help="Also save each run's checkpoint.")] = False,
    only_folds: Annotated[
        str | None, typer.Option("--only-folds", help="Comma-separated folds to run now (default: all).")
    ] = None,
    ensemble: Annotated[
        int | None,
        typer.Option(
            "--ensemble",
            min=2,
            help="Also score ensembles of N seeds' kept models per fold (seeds dealt in order into groups of N).",
        ),
    ] = None,
    teacher_study: Annotated[
        Path | None,
        typer.Option(
            "--teacher-study",
            help="Distil: each fold's teacher is this study's kept models of that fold, averaged.",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    teacher_seeds: Annotated[
        str, typer.Option("--teacher-seeds", help="The teacher study's seeds whose models make each teacher.")
    ] = "1,2,3,4,5",
    distill_weight: Annotated[
        float, typer.Option("--distill-weight", min=0.0, max=1.0, help="With a teacher: share of the loss it gets.")
    ] = 0.5,
    cell: options.Cell = ARCHITECTURE.cell,
    bidirectional: options.Bidirectional = ARCHITECTURE.bidirectional,
    layers: options.Layers = ARCHITECTURE.layers,
    encoders: options.Encoders = options.ENCODERS,
    crf: options.Crf = ARCHITECTURE.crf,
    slot_gate: options.SlotGate = ARCHITECTURE.slot_gate,
    epochs: options.Epochs = TRAINING.epochs,
    hidden: options.Hidden = ARCHITECTURE.hidden_size,
    dropout: options.Dropout = ARCHITECTURE.dropout,
    batch_size: options.BatchSize = TRAINING.batch_size,
    learning_rate: options.LearningRate = TRAINING.learning_rate,
    patience: options.Patience = TRAINING.patience,
    city_swap: options.CitySwap = TRAINING.city_swap,
    date_swap: options.DateSwap = TRAINING.date_swap,
    span_swap: options.SpanSwap = TRAINING.span_swap,
    airport_swap: options.AirportSwap = TRAINING.airport_swap,
    state_swap: options.StateSwap = TRAINING.state_swap,
    unknown_word: options.UnknownWord = TRAINING.unknown_word,
    city_code: options.CityCode = TRAINING.city_code,
    keep_intent_cues: options.KeepIntentCues = TRAINING.keep_intent_cues,
    max_minutes: options.MaxMinutes = None,
    device: DeviceOption = "auto",
) -> None:
    """Cross-validate a recipe: a run per fold and seed, then mean ± spread over seeds.

    Resumable: runs whose result is in --out are not run again. Several --jobs run side by
    side (on a GPU they share it); each gets --threads CPU threads, the cores shared out.
    """
    from model import TaggerError
    from model.crossval import (
        Study,
        default_threads,
        kept_models,
        pending_jobs,
        render_summary,
        run_jobs,
        score_ensembles,
        summarize,
    )

    chosen = _whole_numbers("--seeds", seeds)
    subset = None if only_folds is None else _whole_numbers("--only-folds", only_folds)
    taught_by = tuple(_whole_numbers("--teacher-seeds", teacher_seeds)) if teacher_study else ()
    if not chosen or len(set(chosen)) != len(chosen):
        raise fail("--seeds must name at least one seed, each once")
    config, train_config = training_configs(
        cell=cell, bidirectional=bidirectional, layers=layers, encoders=encoders, crf=crf, hidden=hidden,
        dropout=dropout, epochs=epochs, seed=chosen[0], batch_size=batch_size, learning_rate=learning_rate,
        patience=patience, city_swap=city_swap, date_swap=date_swap, span_swap=span_swap, airport_swap=airport_swap,
        state_swap=state_swap, unknown_word=unknown_word, max_minutes=max_minutes, city_code=city_code,
        slot_gate=slot_gate, keep_intent_cues=keep_intent_cues,
        distill_weight=distill_weight if teacher_study is not None else 0.0,
    )  # fmt: skip
    study = Study(
        data=str(data), folds=str(folds_file), config=config, train_config=train_config, out=str(out),
        device=device, threads=threads or default_threads(jobs), stopping_share=stopping_share, probes=probes,
        keep_models=keep_models, teacher=None if teacher_study is None else str(teacher_study), teacher_seeds=taught_by,
    )  # fmt: skip
    try:
        from model import read_corpus, resolve_device
        from model.kfold import load_folds

        resolve_device(device)  # "cuda" without a GPU: said now, not in every run
        committed = load_folds(folds_file)
        committed.examples(read_corpus(data))  # folds made for other data: refused before any run
        if teacher_study is not None:
            if not taught_by:
                raise ValueError("--teacher-seeds must name at least one seed")
            for fold in range(committed.k):
                kept_models(teacher_study, fold, taught_by)  # a missing teacher: said now, not in the runs
        every, todo = pending_jobs(study, chosen, subset)
    except (TaggerError, ValueError) as error:
        raise fail(str(error)) from error
    (out / "command.txt").write_text(invoked_command(ctx) + "\n", encoding="utf-8")
    console.print(
        f"{len(every)} runs ({len(every) // len(chosen)} folds x {len(chosen)} seeds): {len(every) - len(todo)} done, "
        f"{len(todo)} to run, {jobs} at a time, {study.threads} thread(s) each, device {device}",
        highlight=False,
    )

    def done(job, record) -> None:
        held = record["held_out"]
        console.print(
            f"{job.name}: slot F1 {100 * held['slot_f1']:.2f}, intent {100 * held['intent_accuracy']:.2f}, "
            f"sentence {100 * held['sentence_accuracy']:.2f} (best epoch {record['best_epoch']}, "
            f"{record['seconds'] / 60:.1f} min)",
            highlight=False,
        )

    try:
        run_jobs(todo, jobs, done)
    finally:  # an interrupted study still summarizes what it finished
        summary = summarize(study, chosen)
        if ensemble is not None and len(summary["seeds_complete"]) >= ensemble:
            try:
                summary["ensemble"] = score_ensembles(study, summary["seeds_complete"], ensemble)
            except (TaggerError, ValueError) as error:
                console.print(f"no ensemble scored: {error}", highlight=False)
        (out / "summary.json").write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
        title = f"Cross-validation: {recipe or 'options'} on {data}"
        (out / "summary.md").write_text(render_summary(summary, title), encoding="utf-8")
    console.print(render_summary(summary, title), highlight=False)


probe_app = typer.Typer(help="The probe set (four error classes, unseen cities): make it, score a tagger on it.")
app.add_typer(probe_app, name="probe")


@probe_app.command("make")
def probe_make(
    data: Annotated[Path, typer.Option("--data", help="Corpus folder holding train/ (and dev/).")],
    out: Annotated[Path, typer.Option("--out", help="JSON Lines file to write.")],
    split: Annotated[str, typer.Option(help="The split to make probes from: train or dev, never test.")] = "train",
    per_class: Annotated[int, typer.Option("--per-class", min=1, help="Probes of each class, at most.")] = 300,
    seed: int = 0,
) -> None:
    """Write probes of unknown words, airport codes, bare states and depart/arrive, from a split."""
    from model import TaggerError, read_split
    from model.probes import make_probes, write_probes

    if split == "test":
        raise fail("probes are made from train or dev: the test split stays held back")
    try:
        examples = read_split(data / split)
        vocabulary = read_split(data / "train") if split != "train" else []
        probes = make_probes(examples, per_class=per_class, seed=seed, vocabulary=vocabulary)
    except TaggerError as error:
        raise fail(str(error)) from error
    write_probes(out, probes)
    counts = Counter(p.kind for p in probes)
    console.print(f"wrote {len(probes)} probes to {out}: {dict(counts)}", highlight=False)


@probe_app.command("score")
def probe_score(
    probes_file: Annotated[Path, typer.Option("--probes", help="A file of `ticketbot probe make`.")],
    model: ModelOption = None,
    device: DeviceOption = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object of the figures.")] = False,
) -> None:
    """Score a tagger per probe class: accuracy on the probed spans, slot F1 on the sentences."""
    from model import TaggerError
    from model.probes import read_probes, score_probes

    try:
        probes = read_probes(probes_file)
    except TaggerError as error:
        raise fail(str(error)) from error
    figures = score_probes(load_tagger(model, device), probes)
    if as_json:
        print(json.dumps(figures))
        return
    table = Table("class", "items", "accuracy", "slot F1", box=None, header_style="bold")
    for kind, values in figures.items():
        table.add_row(kind, str(values["items"]), f"{100 * values['accuracy']:.2f}", f"{100 * values['slot_f1']:.2f}")
    console.print(table)

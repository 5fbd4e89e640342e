"""Cross-validation of a recipe: one training run per fold and seed, resumable, side by side.

``ticketbot cv`` plans a run for every (fold, seed), skips the runs whose result file is
already in the output folder (an interrupted study resumes where it stopped), and trains
the rest, several at once with ``jobs`` (one process each; on a GPU they share it). Each
run trains on the other folds less an early-stopping slice, scores the held-out fold, and
writes ``runs/fold{F}-seed{S}.json.gz``: its figures, its predictions (so figures can be
pooled), and its provenance. Gzipped, a study is small enough to commit and resume on
another machine (SNIPS's rows outlast a session); the plain ``.json`` of older studies reads
the same. ``summarize`` pools each seed's predictions over all folds
(one slot F1 over every sentence of train+dev) and reports the mean, standard deviation
and range over seeds: the figure a recipe is judged by.

A study folder belongs to one recipe: ``study.json`` records its settings' fingerprint, and
runs of another recipe are refused rather than mixed in.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import FIGURES, TaggerConfig, TrainConfig
from .errors import FoldsError
from .provenance import fingerprint

if TYPE_CHECKING:
    from .data import Example
    from .tagger import Tagger

__all__ = [
    "FIGURES",
    "Job",
    "Study",
    "fold_ensemble",
    "kept_models",
    "paired_difference",
    "pending_jobs",
    "run_job",
    "score_ensembles",
    "summarize",
]

# training options added after studies were run, with the value that leaves training as it
# was: left out of a study's settings at that value, so those studies keep their fingerprint
_ADDED_LATER: dict[str, Any] = {"city_code": 0.0, "keep_intent_cues": False}
_ADDED_LATER_ARCHITECTURE: dict[str, Any] = {"slot_gate": False}


def _without_later(settings: dict[str, Any], later: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in settings.items() if not (k in later and v == later[k])}


@dataclass(frozen=True, slots=True)
class Study:
    """What every run of one study shares: the recipe, the data, the folds, where results go."""

    data: str
    folds: str
    config: TaggerConfig
    train_config: TrainConfig  # its seed is replaced by each run's
    out: str
    device: str = "auto"
    threads: int | None = None
    stopping_share: float = 0.1
    probes: int = 0  # probes per class made from each held-out fold (model.probes); 0: none
    keep_models: bool = False
    # distillation: each fold's teacher is the ensemble of another study's kept models of that
    # fold (trained on the same training folds, so the held-out fold stays unseen)
    teacher: str | None = None
    teacher_seeds: tuple[int, ...] = ()

    def settings(self, folds_digest: str) -> dict[str, Any]:
        """What makes two studies the same study (the seed, device and threads do not)."""
        training = _without_later(self.train_config.to_dict(), _ADDED_LATER)
        del training["seed"]
        settings = {
            "data": self.data,
            "folds": folds_digest,
            "config": _without_later(self.config.to_dict(), _ADDED_LATER_ARCHITECTURE),
            "train_config": training,
            "stopping_share": self.stopping_share,
            "probes": self.probes,
        }
        if self.teacher is not None:  # absent otherwise, so studies made before teachers keep their fingerprint
            settings["teacher"] = {"study": _study_fingerprint(self.teacher), "seeds": list(self.teacher_seeds)}
        return settings


@dataclass(frozen=True, slots=True)
class Job:
    study: Study
    fold: int
    seed: int

    @property
    def name(self) -> str:
        return f"fold{self.fold}-seed{self.seed}"

    def path(self) -> Path:
        """Where this run's result is written."""
        return Path(self.study.out) / "runs" / f"{self.name}.json.gz"

    def done(self) -> Path | None:
        """Its result file, if the run has finished: gzipped, or plain as studies wrote them before."""
        packed = self.path()
        plain = packed.with_suffix("")
        return packed if packed.is_file() else plain if plain.is_file() else None

    def result(self) -> dict[str, Any] | None:
        path = self.done()
        if path is None:
            return None
        with gzip.open(path, "rt", encoding="utf-8") if path.suffix == ".gz" else path.open(encoding="utf-8") as file:
            return json.load(file)


def _study_fingerprint(folder: str) -> str:
    record = Path(folder) / "study.json"
    if not record.is_file():
        raise FoldsError(f"{folder} is not a cross-validation study (no study.json)")
    return json.loads(record.read_text(encoding="utf-8"))["fingerprint"]


def kept_models(folder: str | Path, fold: int, seeds: Sequence[int]) -> list[Path]:
    """The checkpoints a study kept (``--keep-models``) for one fold, one per seed, or an error
    naming what is missing."""
    paths = [Path(folder) / "models" / f"fold{fold}-seed{seed}.pt" for seed in seeds]
    missing = [p.name for p in paths if not p.is_file()]
    if missing:
        raise FoldsError(
            f"{folder} kept no model {', '.join(missing)}: run its study with --keep-models and these seeds"
        )
    return paths


def fold_ensemble(folder: str | Path, fold: int, seeds: Sequence[int], device: Any = "cpu") -> Tagger:
    """One fold's ensemble: the study's kept models of that fold, their probabilities averaged."""
    from .checkpoint import load_checkpoint
    from .ensemble import combine
    from .tagger import Tagger

    checkpoints = [load_checkpoint(p) for p in kept_models(folder, fold, seeds)]
    return Tagger.from_checkpoint(checkpoints[0] if len(checkpoints) == 1 else combine(checkpoints), device=device)


def _folds_digest(path: str) -> str:
    from .kfold import load_folds

    folds = load_folds(path)
    return fingerprint((folds.sha256, folds.folds))


def pending_jobs(
    study: Study, seeds: Sequence[int], only_folds: Sequence[int] | None = None
) -> tuple[list[Job], list[Job]]:
    """(all jobs, those still to run), after writing or checking ``study.json`` in the folder;
    ``only_folds`` plans those folds alone (a share of a study, the rest left for later)."""
    from .kfold import load_folds

    folds = load_folds(study.folds)
    settings = json.loads(json.dumps(study.settings(_folds_digest(study.folds))))  # as study.json holds it
    key = fingerprint(settings)
    out = Path(study.out)
    record = out / "study.json"
    if record.is_file():
        found = json.loads(record.read_text(encoding="utf-8"))
        if found.get("fingerprint") != key:
            changed = sorted(k for k in settings if found.get("settings", {}).get(k) != settings[k])
            raise FoldsError(
                f"{out} holds runs of another study (it differs in {', '.join(changed) or 'its settings'}); "
                "give this one another --out folder"
            )
    else:
        out.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps({"fingerprint": key, "settings": settings}, indent=1) + "\n", encoding="utf-8")
    wanted = range(folds.k) if only_folds is None else only_folds
    unknown = sorted(set(wanted) - set(range(folds.k)))
    if unknown:
        raise FoldsError(f"no fold {', '.join(map(str, unknown))}: the folds are 0 to {folds.k - 1}")
    jobs = [Job(study, fold, seed) for seed in seeds for fold in wanted]
    return jobs, [job for job in jobs if job.done() is None]


def _totals(figures: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in figures.items() if k != "per_slot"}


def _score_fold_probes(
    study: Study, fold: int, held_out: Sequence[Example], training: Sequence[Example], tagger: Tagger
) -> dict[str, Any]:
    """Probes made from a held-out fold (never trained on), the same for every seed and for
    the fold's ensembles, scored with ``tagger``."""
    from .probes import make_probes, score_probes

    probes = make_probes(held_out, per_class=study.probes, seed=fold, vocabulary=training)
    return score_probes(tagger, probes)


def _probe_spread(probes: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Each probe class's accuracy, in %, spread over the scorings that have it."""
    classes = sorted({c for p in probes for c in p})
    return {c: _spread([100 * p[c]["accuracy"] for p in probes if c in p]) for c in classes}


def run_job(job: Job) -> dict[str, Any]:
    """Train and score one (fold, seed); write its result file last, so a file means a finished run."""
    import torch

    from .data import Corpus, read_corpus
    from .device import resolve_device
    from .kfold import load_folds
    from .metrics import score
    from .trainer import train

    study = job.study
    if study.threads is not None:
        torch.set_num_threads(study.threads)
    folds = load_folds(study.folds)
    examples = folds.examples(read_corpus(study.data))
    training, stopping, held_out = folds.split(job.fold, examples, study.stopping_share)
    corpus = Corpus([examples[i] for i in training], [examples[i] for i in stopping])
    train_config = TrainConfig.from_dict({**study.train_config.to_dict(), "seed": job.seed})
    device = resolve_device(study.device)
    teacher = fold_ensemble(study.teacher, job.fold, study.teacher_seeds, device) if study.teacher else None
    result = train(
        corpus, study.config, train_config, device, data_name=f"{study.data} (cv {job.name})", teacher=teacher
    )
    gold = [examples[i] for i in held_out]
    tags, intents = result.tagger.predict([e.tokens for e in gold])
    figures = score(gold, tags, intents)
    record: dict[str, Any] = {
        "fold": job.fold,
        "seed": job.seed,
        "held_out": _totals(figures),
        "stopping": _totals(result.dev_metrics),
        "sentences": {"training": len(training), "stopping": len(stopping), "held_out": len(held_out)},
        "best_epoch": result.best_epoch,
        "epochs_run": len(result.history),
        "stopped_by": result.stopped_by,
        "seconds": round(result.seconds, 1),
        "device": str(device),
        "code_version": result.tagger.card.get("code_version"),
        "environment": result.tagger.card.get("environment"),
        "predictions": {"indices": held_out, "tags": [" ".join(t) for t in tags], "intents": intents},
    }
    if study.probes:
        record["probe"] = _score_fold_probes(study, job.fold, gold, corpus.train, result.tagger)
    if study.keep_models:
        from .checkpoint import save_checkpoint

        save_checkpoint(
            result.tagger.to_checkpoint(train_config=train_config), Path(study.out) / "models" / f"{job.name}.pt"
        )
    path = job.path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    with gzip.open(temporary, "wt", encoding="utf-8") as file:
        file.write(json.dumps(record) + "\n")
    temporary.replace(path)
    return record


def run_jobs(jobs: Sequence[Job], workers: int, on_done: Callable[[Job, dict[str, Any]], None]) -> None:
    """Run ``jobs``, ``workers`` at a time in their own processes (1: here, one after another).

    Processes are spawned, not forked: CUDA cannot be used in a forked child, and a fresh
    interpreter per run starts from the same state as ``ticketbot train`` does.
    """
    if workers <= 1:
        for job in jobs:
            on_done(job, run_job(job))
        return
    with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(run_job, job): job for job in jobs}
        for future in as_completed(futures):
            on_done(futures[future], future.result())


def default_threads(workers: int) -> int:
    """The machine's cores shared out between the side-by-side runs, one at least."""
    return max(1, (os.cpu_count() or 1) // max(1, workers))


def _spread(values: Sequence[float]) -> dict[str, float]:
    return {
        "mean": statistics.fmean(values),
        "std": statistics.stdev(values) if len(values) > 1 else 0.0,
        "min": min(values),
        "max": max(values),
        "n": len(values),
    }


def summarize(study: Study, seeds: Sequence[int]) -> dict[str, Any]:
    """Pooled figures per seed (over every fold's held-out sentences), then their spread over
    seeds; also the spread over single runs, per fold, and of the probe classes."""
    from .data import read_corpus
    from .kfold import load_folds
    from .metrics import score

    folds = load_folds(study.folds)
    examples = folds.examples(read_corpus(study.data))
    runs: dict[tuple[int, int], dict[str, Any]] = {}
    for seed in seeds:
        for fold in range(folds.k):
            record = Job(study, fold, seed).result()
            if record is not None:
                runs[fold, seed] = record
    pooled: dict[int, dict[str, Any]] = {}
    for seed in seeds:
        if not all((fold, seed) in runs for fold in range(folds.k)):
            continue  # a seed counts once all its folds are in
        gold: list[Example] = []
        tags: list[list[str]] = []
        intents: list[str] = []
        for fold in range(folds.k):
            predictions = runs[fold, seed]["predictions"]
            gold.extend(examples[i] for i in predictions["indices"])
            tags.extend(line.split() for line in predictions["tags"])
            intents.extend(predictions["intents"])
        pooled[seed] = _totals(score(gold, tags, intents))
    figures = [f for f in FIGURES if any(f in p for p in pooled.values())]
    summary: dict[str, Any] = {
        "folds": folds.k,
        "seeds_complete": sorted(pooled),
        "runs": len(runs),
        "runs_planned": folds.k * len(seeds),
        "pooled_per_seed": {str(s): {f: pooled[s][f] for f in figures} for s in sorted(pooled)},
        "over_seeds": {f: _spread([100 * p[f] for p in pooled.values()]) for f in figures} if pooled else {},
        "over_runs": {
            f: _spread([100 * r["held_out"][f] for r in runs.values()])
            for f in FIGURES
            if runs and all(f in r["held_out"] for r in runs.values())
        },
        "per_fold": {
            str(fold): _spread([100 * r["held_out"]["slot_f1"] for (f, _), r in runs.items() if f == fold])
            for fold in range(folds.k)
            if any(f == fold for f, _ in runs)
        },
        "epochs": _spread([r["best_epoch"] for r in runs.values()]) if runs else {},
        "minutes_per_run": _spread([r["seconds"] / 60 for r in runs.values()]) if runs else {},
    }
    probes = [r["probe"] for r in runs.values() if "probe" in r]
    if probes:
        summary["probe"] = _probe_spread(probes)
    return summary


def score_ensembles(study: Study, seeds: Sequence[int], size: int) -> dict[str, Any]:
    """Each fold's kept models averaged, ``size`` seeds to an ensemble, scored like a seed.

    The seeds are dealt in order into disjoint groups of ``size`` (1-5 and 6-10 of ten; a
    remainder is left out), so each group is an independent ensemble and the spread over
    groups means what the spread over seeds means. Needs the study run with ``--keep-models``;
    nothing is trained.
    """
    from .data import read_corpus
    from .kfold import load_folds
    from .metrics import score

    if size < 2:
        raise ValueError("an ensemble needs two members at least")
    groups = [list(seeds[i : i + size]) for i in range(0, len(seeds) - size + 1, size)]
    if not groups:
        raise ValueError(f"{len(seeds)} seed(s) make no ensemble of {size}")
    folds = load_folds(study.folds)
    examples = folds.examples(read_corpus(study.data))
    pooled: dict[str, dict[str, Any]] = {}
    probes: list[dict[str, Any]] = []
    for group in groups:
        gold, tags, intents = [], [], []
        for fold in range(folds.k):
            training, _, held_out = folds.split(fold, examples, study.stopping_share)
            tagger = fold_ensemble(study.out, fold, group)
            held = [examples[i] for i in held_out]
            fold_tags, fold_intents = tagger.predict([e.tokens for e in held])
            gold += held
            tags += fold_tags
            intents += fold_intents
            if study.probes:  # the very probes each single run was scored on
                probes.append(_score_fold_probes(study, fold, held, [examples[i] for i in training], tagger))
        pooled["+".join(map(str, group))] = _totals(score(gold, tags, intents))
    figures = [f for f in FIGURES if all(f in p for p in pooled.values())]
    result: dict[str, Any] = {
        "size": size,
        "groups": groups,
        "pooled_per_group": {g: {f: p[f] for f in figures} for g, p in pooled.items()},
        "over_groups": {f: _spread([100 * p[f] for p in pooled.values()]) for f in figures},
    }
    if probes:
        result["probe"] = _probe_spread(probes)
    return result


def paired_difference(row: dict[str, Any], base: dict[str, Any], figure: str = "slot_f1") -> dict[str, Any]:
    """The row's figure minus the baseline's, seed by seed, over the seeds both have complete.

    Rows run with the same seeds share each seed's initialization and early-stopping slice,
    so the seed-to-seed spread (about as large as the effects judged) mostly cancels in the
    difference: its mean ± std, and in how many seeds the row did better, say more than the
    difference of two means. Empty where the two have no complete seed in common.
    """
    mine, theirs = row.get("pooled_per_seed", {}), base.get("pooled_per_seed", {})
    common = sorted((s for s in mine if s in theirs and figure in mine[s] and figure in theirs[s]), key=int)
    if not common:
        return {}
    deltas = [100 * (mine[s][figure] - theirs[s][figure]) for s in common]
    return {**_spread(deltas), "seeds": [int(s) for s in common], "better": sum(d > 0 for d in deltas)}


def render_summary(summary: dict[str, Any], title: str) -> str:
    """The summary as Markdown: the table a recipe is judged by, then the diagnostics."""

    def cell(s: dict[str, float]) -> str:
        return f"{s['mean']:.2f} ± {s['std']:.2f} | {s['min']:.2f} to {s['max']:.2f}"

    lines = [
        f"# {title}",
        "",
        f"{summary['folds']}-fold cross-validation over train+dev; {len(summary['seeds_complete'])} seed(s) complete "
        f"({', '.join(map(str, summary['seeds_complete'])) or 'none'}), {summary['runs']} of "
        f"{summary['runs_planned']} runs. Each seed's figure pools its held-out predictions over all folds; "
        "mean ± standard deviation and range over seeds, in %.",
        "",
        "| figure | mean ± std over seeds | min-max over seeds | single runs: mean ± std |",
        "|---|---:|---:|---:|",
    ]
    names = {
        "slot_f1": "slot F1",
        "intent_accuracy": "intent accuracy",
        "sentence_accuracy": "sentence accuracy",
        "city_span_f1": "city-span F1",
    }
    for figure in [f for f in FIGURES if f in summary["over_seeds"] or f in summary["over_runs"]]:
        spread, runs = summary["over_seeds"].get(figure), summary["over_runs"].get(figure)
        seeds = cell(spread) if spread else "— | —"  # no seed has all its folds yet
        single = f"{runs['mean']:.2f} ± {runs['std']:.2f}" if runs else "—"
        lines.append(f"| {names.get(figure, figure)} | {seeds} | {single} |")
    if summary.get("ensemble"):
        ensemble = summary["ensemble"]
        groups = "; ".join("+".join(map(str, g)) for g in ensemble["groups"])
        lines += [
            "",
            f"Ensembles of {ensemble['size']} (each fold's kept models, probabilities averaged; seeds {groups}), "
            "pooled over all folds like a seed:",
            "",
            "| figure | mean ± std over ensembles | min-max |",
            "|---|---:|---:|",
        ]
        lines += [f"| {names.get(f, f)} | {cell(spread)} |" for f, spread in ensemble["over_groups"].items()]
        probes = ensemble.get("probe", {})
        lines += [f"| probe: {name} (every fold) | {cell(spread)} |" for name, spread in probes.items()]
    if summary.get("probe"):
        lines += ["", "| probe class (accuracy, every run) | mean ± std | min-max |", "|---|---:|---:|"]
        lines += [f"| {name} | {cell(spread)} |" for name, spread in summary["probe"].items()]
    if summary.get("per_fold"):
        lines += ["", "| fold | slot F1 mean ± std over seeds | min-max |", "|---|---:|---:|"]
        lines += [f"| {fold} | {cell(spread)} |" for fold, spread in summary["per_fold"].items()]
    if summary.get("epochs"):
        e, m = summary["epochs"], summary["minutes_per_run"]
        lines += [
            "",
            f"Best epoch {e['mean']:.1f} on average ({e['min']:g} to {e['max']:g}); {m['mean']:.1f} min a run.",
        ]
    return "\n".join(lines) + "\n"

"""Every recipe choice judged by cross-validation: one ``ticketbot cv`` study per row, one table.

Each row is a baseline recipe (``bench/cv_baseline.recipe.toml``, the bundled recipe before
issue 17) plus a change (an augmentation on, a layer more, a CRF);
each study runs the committed folds with the same seeds (``ticketbot cv``: resumable, so
an interrupted run of this script picks up where it stopped, and rows already done cost
nothing). The table gives each row's cross-validated figures as mean ± standard deviation
over seeds (each seed pooled over all folds), its difference to the baseline row seed by
seed (paired: the same seed's runs share their initialization and early-stopping slice, so
the seed spread mostly cancels), and the probe classes.

    python bench/cv_ablation.py --jobs 8 --device cuda                 # every row, on a GPU
    python bench/cv_ablation.py --rows bundled unknown-word --seeds 1,2  # a few, fewer seeds
    python bench/cv_ablation.py --render                               # only the table, from the studies
    python bench/cv_ablation.py --rows crf --baseline-from bench/results/cv_unseen_city.json \
        --md-out bench/results/cv_crf.md --json-out bench/results/cv_crf.json  # baseline studied elsewhere
    python bench/cv_ablation.py --corpus snips --rows recipe one-layer   # SNIPS (bench/cv_snips.recipe.toml)

``--corpus`` picks the baseline, the folds, the study folder and the table files together
(each can still be given on its own). Studies go under ``--out``: ATIS's under
``artifacts/cv/atis/ROW``, not committed (a row takes two hours on two cores); SNIPS's under
``bench/results/cv/snips/ROW``, committed (a row takes some ten CPU hours, more than a
session has, so its finished runs travel with the repository and the next machine resumes
where the last stopped; a gzipped run is 25 kB). The table goes to ``--md-out`` and
``--json-out`` (by default, with every row, the committed table; with ``--rows``, only where
asked: a few rows must not overwrite the whole table).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

from model.crossval import paired_difference

# name -> options added to the recipe (a row's recipe is the baseline's, with these on top)
PLACES = ["--airport-swap", "0.3", "--state-swap", "0.3", "--unknown-word", "0.2"]
ROWS: dict[str, list[str]] = {
    "bundled": [],  # ATIS: the baseline is the bundled recipe before issue 17
    "recipe": [],  # the baseline recipe itself, by a name that fits any corpus
    "one-layer": ["--layers", "1"],
    "no-city-swap": ["--city-swap", "0"],
    "airport-swap": ["--airport-swap", "0.3"],
    "state-swap": ["--state-swap", "0.3"],
    "unknown-word": ["--unknown-word", "0.2"],
    "places+unknown": PLACES,
    "city-code": ["--city-code", "0.15"],
    "places+unknown+codes": [*PLACES, "--city-code", "0.15"],
    "places+unknown+codes+cues": [*PLACES, "--city-code", "0.15", "--keep-intent-cues"],
    "places+unknown+cues": [*PLACES, "--keep-intent-cues"],
    # one network taught by each fold's ensemble of a row's five seeds (that row run with --keep-models)
    "distilled": ["--teacher-study", "{out}/bundled", "--teacher-seeds", "1,2,3,4,5"],
    "places+unknown distilled": [*PLACES, "--teacher-study", "{out}/places+unknown", "--teacher-seeds", "1,2,3,4,5"],
    # the candidate recipe (bench/candidate.recipe.toml), taught by each fold's ensemble of that row's first three seeds
    "places+unknown+codes+cues distilled": [*PLACES, "--city-code", "0.15", "--keep-intent-cues",
                                            "--teacher-study", "{out}/places+unknown+codes+cues",
                                            "--teacher-seeds", "1,2,3"],
    "slot-gate": ["--slot-gate"],  # the intent informs the slots (model/network.py)
    "two-layers": ["--layers", "2"],
    "crf": ["--crf"],
}
# --corpus NAME: (baseline recipe, folds, study folder, table name, baseline row)
CORPORA = {
    "atis": ("bench/cv_baseline.recipe.toml", "model/folds/atis.json", "artifacts/cv/atis", "cv_ablation", "bundled"),
    "snips": ("bench/cv_snips.recipe.toml", "model/folds/snips.json", "bench/results/cv/snips", "cv_snips", "recipe"),
}
FIGURES = {
    "slot_f1": "slot F1",
    "intent_accuracy": "intent",
    "sentence_accuracy": "sentence",
    "city_span_f1": "city-span F1",
}


def run_row(name: str, args: argparse.Namespace) -> None:
    command = [
        sys.executable, "-m", "model", "cv", "--config", str(args.config), "--folds", str(args.folds),
        "--seeds", args.seeds, "--jobs", str(args.jobs), "--device", args.device, "--out", str(args.out / name),
        "--probes", str(args.probes), *(["--data", str(args.data)] if args.data else []),
        *(["--threads", str(args.threads)] if args.threads else []), *(["--keep-models"] if args.keep_models else []),
        *(["--ensemble", str(args.ensemble)] if args.ensemble else []),
        *(option.format(out=args.out) for option in ROWS[name]),
    ]  # fmt: skip
    print(f"== {name}: {' '.join(command[2:])}", flush=True)
    subprocess.run(command, check=True)


def _spread_cells(spreads: dict, keys: Iterable[str], digits: int) -> list[str]:
    return [f"{spreads[k]['mean']:.{digits}f} ± {spreads[k]['std']:.{digits}f}" if k in spreads else "—" for k in keys]


def load_summaries(rows: list[str], args: argparse.Namespace) -> dict[str, dict]:
    """Each row's study summary, the corpus' baseline first: a row's Δ is against it. Where the
    baseline's study is not here (another machine ran it), ``--baseline-from`` names a table this
    script wrote there, whose row stands in for it (same machine, same seeds: the pairing holds).
    """
    baseline = args.baseline
    summaries = {}
    for name in [baseline, *(r for r in rows if r != baseline)]:
        path = args.out / name / "summary.json"
        if path.is_file():
            summaries[name] = json.loads(path.read_text())
        elif name == baseline and args.baseline_from:
            summaries[name] = json.loads(args.baseline_from.read_text())["rows"][baseline]
    return summaries


def render(rows: list[str], args: argparse.Namespace) -> str:
    summaries = load_summaries(rows, args)
    baseline = args.baseline
    folds = next((s["folds"] for s in summaries.values()), "k")
    lines = [
        f"# Cross-validated ablation: `{args.config}` on the folds `{args.folds}`",
        "",
        f"Each row: {folds}-fold cross-validation over train+dev (`ticketbot cv`); a seed's figure pools its held-out "
        "predictions over all folds; mean ± standard deviation over the seeds, in %. Δ slot F1: the row's minus the "
        "baseline's (first row) seed by seed, over the seeds both have, mean ± std, and in how many of them the row "
        "did better. Probes: accuracy on each class, made from each held-out fold (`model/probes.py`). An "
        "*ensembles* row averages each fold's kept models of that row (`--ensemble`): nothing more is trained.",
        "",
    ]
    probe_classes = sorted({c for s in summaries.values() for c in s.get("probe", {})})
    header = ["row", "options", "seeds", *FIGURES.values(), "Δ slot F1", *probe_classes]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * 2 + "---:|" * (len(header) - 2)]
    base = summaries.get(baseline, {})
    for name, summary in summaries.items():
        over = summary.get("over_seeds", {})
        options = " ".join(option.format(out=args.out) for option in ROWS[name]) or "the recipe"
        cells = [name, options, str(len(summary["seeds_complete"]))]
        cells += _spread_cells(over, FIGURES, 2)
        delta = paired_difference(summary, base) if name != baseline else {}
        cells.append(f"{delta['mean']:+.2f} ± {delta['std']:.2f} ({delta['better']} of {delta['n']})" if delta else "—")
        probes = summary.get("probe", {})
        cells += _spread_cells(probes, probe_classes, 1)
        lines.append("| " + " | ".join(cells) + " |")
        ensemble = summary.get("ensemble")
        if ensemble:  # the row's kept models averaged per fold: no training, no Δ (no seed to pair with)
            over, probes = ensemble["over_groups"], ensemble.get("probe", {})
            groups = "; ".join("+".join(map(str, g)) for g in ensemble["groups"])
            cells = [f"{name}, ensembles of {ensemble['size']}", f"seeds {groups}", str(len(ensemble["groups"]))]
            cells += [*_spread_cells(over, FIGURES, 2), "—", *_spread_cells(probes, probe_classes, 1)]
            lines.append("| " + " | ".join(cells) + " |")
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        paired = {name: paired_difference(summaries[name], base) for name in summaries if name != baseline}
        args.json_out.write_text(json.dumps({"rows": summaries, "paired_slot_f1": paired}, indent=1) + "\n")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", choices=list(CORPORA), default="atis", help="sets the four defaults below")
    parser.add_argument("--config", type=Path, default=None, help="the baseline recipe")
    parser.add_argument("--folds", type=Path, default=None)
    parser.add_argument("--data", type=Path, default=None, help="the corpus, where not at the recipe's path")
    parser.add_argument("--rows", nargs="+", choices=list(ROWS), default=None, help="default: every ATIS row")
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--probes", type=int, default=300)
    parser.add_argument("--threads", type=int, default=None, help="CPU threads per run (default: cores shared out)")
    parser.add_argument("--keep-models", action="store_true", help="keep each run's model (teachers, ensembles)")
    parser.add_argument("--ensemble", type=int, default=None, help="also score ensembles of N seeds' kept models")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--md-out", type=Path, default=None,
                        help="default, with the corpus' default rows only: bench/results/cv_ablation.md (ATIS)")
    parser.add_argument("--json-out", type=Path, default=None)
    parser.add_argument("--baseline-from", type=Path, default=None,
                        help="a table's JSON whose baseline row stands in where the baseline study is not here")
    parser.add_argument("--render", action="store_true", help="only write the table from the studies there are")
    args = parser.parse_args()
    config, folds, out, table_name, args.baseline = CORPORA[args.corpus]
    args.config = args.config or Path(config)
    args.folds = args.folds or Path(folds)
    args.out = args.out or Path(out)
    if args.rows is None:  # every row: the committed table is written unless told otherwise
        atis = [r for r in ROWS if r not in ("recipe", "one-layer")]
        args.rows = atis if args.corpus == "atis" else ["recipe", "one-layer", "slot-gate", "crf"]
        args.md_out = args.md_out or Path(f"bench/results/{table_name}.md")
        args.json_out = args.json_out or Path(f"bench/results/{table_name}.json")
    if not args.render:
        for name in args.rows:
            run_row(name, args)
    table = render(args.rows, args)  # a few rows: printed, and written only where asked
    if args.md_out:
        args.md_out.parent.mkdir(parents=True, exist_ok=True)
        args.md_out.write_text(table)
    print(table)


if __name__ == "__main__":
    main()

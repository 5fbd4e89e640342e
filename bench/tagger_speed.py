"""Speed and accuracy, side by side: our shipped tagger vs a word-feature CRF vs spaCy's NER.

All three are trained (or, for ours, loaded) on the same ATIS train split and measured in one
run, on the same machine, on ATIS dev:

* **ours**: the bundled BiLSTM (``Tagger.load()``), or ``--model FILE``;
* **crf**: ``sklearn-crfsuite`` with the usual word features (lower-cased word, prefixes and
  suffixes, is-digit, shape, the same for the words at +-1 and +-2, BOS/EOS), L-BFGS, c1 = c2 = 0.1;
* **spacy**: a blank English pipeline with only the ``ner`` component, trained from scratch on
  Docs built from the corpus' own tokens (``Doc(vocab, words=tokens)``), so tokenization is
  identical for all three; the epoch with the best dev F1 is kept.

For each system and each thread count (``--threads 1 2``): dev slot F1 (conlleval, via
``model.score``), batched throughput (sentences/s over the whole dev set, best of the rounds) and
single-sentence latency p50/p99 in ms (one sentence at a time over all of dev, after a warm-up;
the round with the lowest value is reported). Every thread count runs in a fresh subprocess
(``--worker``) whose BLAS/OpenMP thread variables are set before anything is imported; systems
are measured interleaved, round by round, so a burst of load on a shared machine hits all of
them alike. With a CUDA GPU (``--device auto|cuda``) ours is also measured on it.

The trained peers are cached under ``bench/.cache/`` (keyed by the data and the settings);
``--retrain`` trains them again. Results go to ``--json-out`` and ``--md-out``.

    python bench/tagger_speed.py --data ../shared/data/atis
    python bench/tagger_speed.py --profile          # where ours spends a single sentence's time
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from speed import SYSTEMS, load_splits  # bench/speed/, beside this file: the parts of this benchmark
from speed.peers import SPACY_SETTINGS, prepare_peers
from speed.profiling import run_profile
from speed.reporting import load_average, run_meta, write_report
from speed.timing import run_worker, spawn_worker


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=Path("../shared/data/atis"), help="holds train/ and dev/")
    parser.add_argument("--model", type=Path, default=None, help="our checkpoint (default: the bundled model)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="CPU thread counts to measure")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="add a GPU run of ours")
    parser.add_argument(
        "--systems",
        nargs="+",
        choices=SYSTEMS,
        default=list(SYSTEMS),
        help="what to measure (ours always): '--systems ours' skips training the peers, e.g. for a GPU machine",
    )
    parser.add_argument("--rounds", type=int, default=5, help="interleaved measuring rounds (best is reported)")
    parser.add_argument("--warmup", type=int, default=100, help="single-sentence calls before measuring")
    parser.add_argument("--batch-size", type=int, default=256, help="batch size for ours and spaCy's pipe")
    parser.add_argument(
        "--round-budget", type=float, default=60.0, help="seconds; a system slower than this per round is not repeated"
    )
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the measuring subprocesses, e.g. OMP_WAIT_POLICY=PASSIVE (repeatable)",
    )
    parser.add_argument("--seed", type=int, default=13, help="spaCy's training seed")
    parser.add_argument("--spacy-epochs", type=int, default=SPACY_SETTINGS["epochs"], help="spaCy training epochs")
    parser.add_argument("--cache", type=Path, default=Path("bench/.cache"), help="trained peers live here")
    parser.add_argument("--retrain", action="store_true", help="train the CRF and spaCy again")
    parser.add_argument("--json-out", type=Path, default=Path("bench/results/tagger_speed.json"))
    parser.add_argument("--md-out", type=Path, default=Path("bench/results/tagger_speed.md"))
    parser.add_argument("--profile", action="store_true", help="only profile ours' single-sentence parse()")
    parser.add_argument("--render", action="store_true", help="only re-render --md-out and the table from --json-out")
    parser.add_argument("--profile-top", type=int, default=30, help="functions listed by --profile")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--peers", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--worker-out", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    SPACY_SETTINGS["epochs"] = args.spacy_epochs
    if args.worker:
        args.threads = args.threads[0]
    return args


def measure_all(args: argparse.Namespace) -> None:
    """Train or load the peers, measure every setting in its own process, write and print the results."""
    if not (args.data / "train").is_dir() or not (args.data / "dev").is_dir():
        sys.exit(f"{args.data}: no train/ and dev/ split folders here; pass --data DIR (from the repo root)")
    import torch

    load_before = load_average()
    train, dev = load_splits(args.data)
    peers = prepare_peers(args, train, dev)
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(peers, handle)
        peers_file = Path(handle.name)
    script = Path(__file__)
    runs = [spawn_worker(args, script, peers_file, threads, "cpu") for threads in args.threads]
    if args.device in ("auto", "cuda"):
        if torch.cuda.is_available():
            runs.append(spawn_worker(args, script, peers_file, 1, "cuda"))
        else:
            print(f"note: --device {args.device}: no CUDA GPU here (torch {torch.__version__}); GPU run skipped")
    peers_file.unlink()
    report = {"meta": run_meta(args, load_before, train, dev), "peers": peers, "runs": runs}
    write_report(report, args.json_out, args.md_out)
    print(f"\nwrote {args.json_out} and {args.md_out}")


def main(argv: Sequence[str] | None = None) -> None:
    args = parse_args(argv)
    if "ours" not in args.systems:
        args.systems = ["ours", *args.systems]
    if args.worker:
        run_worker(args)
    elif args.profile:
        run_profile(args)
    elif args.render:
        write_report(json.loads(args.json_out.read_text()), None, args.md_out)
    else:
        measure_all(args)


if __name__ == "__main__":
    main()

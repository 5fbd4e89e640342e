"""Where ours spends a sentence (``--profile``): each step of ``parse([tokens])`` timed on its own,
then cProfile tables of single-sentence ``parse`` and of a batched ``predict`` pass.

The steps are the tagger's own (``Tagger.stages()``): nothing here re-enacts the model.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import Sentence, load_splits
from .reporting import load_average


def _profile_table(profiler, calls: int, top: int, title: str) -> list[str]:
    """cProfile's entries as microseconds per call of the profiled operation (cumulative and own)."""
    import pstats

    entries = []
    for (file, line, function), (_, ncalls, tottime, cumtime, _) in pstats.Stats(profiler).stats.items():
        where = f"{Path(file).parent.name}/{Path(file).name}:{line}({function})" if line else function
        entries.append((cumtime / calls * 1e6, tottime / calls * 1e6, ncalls / calls, where))
    lines = [title, "", f"{'cum us':>9} {'own us':>9} {'calls':>7}  function (per {title.split(':')[0]})"]
    for cum, own, n, where in sorted(entries, reverse=True)[:top]:
        lines.append(f"{cum:9.1f} {own:9.1f} {n:7.1f}  {where}")
    return lines


def stage_breakdown(tagger, sentences: list[Sentence], rounds: int) -> list[tuple[str, float, float]]:
    """Median microseconds (CPU time, wall time) per sentence of each step of ``parse([tokens])``.

    Each step runs alone, without a profiler's overhead; indented steps are parts of the step
    above or alternatives to it, for comparison. ``parse`` runs the network's steps fused (word
    vectors cached, ONNX Runtime on the CPU), so the eager steps add up to more than it takes.
    """
    import numpy as np
    import torch

    from model import bio_spans

    stages = tagger.stages()
    labels = len(tagger.tags)
    cpu_times: dict[str, list[list[float]]] = {}
    wall_times: dict[str, list[list[float]]] = {}
    perf, cpu = time.perf_counter, time.process_time

    def timed(r: int, name: str, function: Callable, *arguments: Any, **options: Any) -> Any:
        started, started_cpu = perf(), cpu()
        value = function(*arguments, **options)
        used, wall = cpu() - started_cpu, perf() - started
        cpu_times.setdefault(name, [[] for _ in range(rounds)])[r].append(1e6 * used)
        wall_times.setdefault(name, [[] for _ in range(rounds)])[r].append(1e6 * wall)
        return value

    for r in range(rounds):
        for s in sentences:
            tagger.parse([s])  # as warm as in a loop of requests
            timed(r, "parse([tokens]), the whole call", tagger.parse, [s])
            with torch.inference_mode():
                batch = timed(r, "featurize (Featurizer: word ids, trigram buckets, char ids)", stages.featurize, [s])
                x = timed(
                    r, f"encoders, all {len(stages.encoders)}, placed (parse caches word vectors)", stages.embed, batch
                )
                for name in stages.encoders:
                    timed(r, f"  encoder {name}", stages.encode, name, batch)
                hidden = timed(r, "recurrent layers (one sentence: no packing)", stages.recurrent, x, batch)
                scores, _ = timed(r, "heads: slot + pooled intent, softmaxes, to NumPy", stages.heads, hidden, batch)
                if stages.onnx is not None:
                    embedded = x.numpy()
                    timed(r, "  recurrent + heads on ONNX Runtime (what parse runs)", stages.onnx, embedded)
            emissions = scores[0, : len(s)].astype(np.float64)
            path, _ = timed(
                r, f"decode, path only (pruned Viterbi, keep={tagger.keep})", stages.decode, emissions,
                confidences=False,
            )  # fmt: skip
            timed(r, "decode, path + confidences (what parse runs)", stages.decode, emissions)
            timed(r, f"  the same on the full {labels}-label lattice", stages.decode, emissions, keep=labels)
            timed(r, "spans (bio_spans over the tags)", bio_spans, [tagger.tags[j] for j in path])

    def best_median(values: list[list[float]]) -> float:
        return min(float(np.median(per_round)) for per_round in values)

    return [(name, best_median(cpu_times[name]), best_median(wall_times[name])) for name in cpu_times]


def run_profile(args: argparse.Namespace) -> None:
    """Where ours spends a sentence: a step-by-step timing, then cProfile of single and batched calls."""
    import cProfile

    import torch

    torch.set_num_threads(1)
    from model import Tagger

    tagger = Tagger.load(args.model, device="cpu")
    _, dev = load_splits(args.data)
    sentences = [e.tokens for e in dev]
    for sentence in sentences:
        tagger.parse([sentence])
    lines = [
        f"Ours, one thread, {len(sentences)} ATIS dev sentences (mean {sum(map(len, sentences)) / len(sentences):.1f}"
        f" tokens); load average {load_average()}",
        "",
        f"Steps of parse([tokens]), median us per sentence (best of {args.rounds} rounds), no profiler:",
        "",
        f"{'CPU us':>9} {'wall us':>9}  step",
    ]
    for name, used, wall in stage_breakdown(tagger, sentences, args.rounds):
        lines.append(f"{used:9.1f} {wall:9.1f}  {name}")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.rounds):
        for sentence in sentences:
            tagger.parse([sentence])
    profiler.disable()
    lines += [
        "",
        *_profile_table(profiler, args.rounds * len(sentences), args.profile_top, "sentence: parse([tokens])"),
    ]
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.rounds):
        tagger.predict(sentences, batch_size=args.batch_size)
    profiler.disable()
    title = f"pass: predict(all {len(sentences)} dev sentences, batch_size={args.batch_size})"
    lines += ["", *_profile_table(profiler, args.rounds, args.profile_top, title)]
    text = "\n".join(lines)
    print(text)
    out = args.md_out.with_name("tagger_speed_profile.txt")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n")
    print(f"\nwrote {out}")

"""Regenerate the README's ablation table: the lecture's variants compared on ATIS dev.

Each variant changes one thing from the reference (a bidirectional one-layer LSTM over
1-of-N + word hashing + characters, softmax head): the cell (Elman, Jordan, GRU), the
direction, the depth, the encoders, the CRF. Every run uses the same data, seed and
epoch budget, on the CPU. Columns: dev slot F1, intent accuracy, parameters, training
time, batched inference throughput. Writes a Markdown table, a JSON file and a PNG chart.

    python bench/ablation.py --data ../shared/data/atis --out bench/results
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import torch

from model import TaggerConfig, TrainConfig, read_corpus, train

VARIANTS: dict[str, dict] = {
    "LSTM, bidirectional (reference)": {},
    "Elman (nn.RNN)": {"cell": "elman"},
    "Jordan (ours)": {"cell": "jordan"},
    "GRU": {"cell": "gru"},
    "LSTM, unidirectional": {"bidirectional": False},
    "LSTM, 2 layers": {"layers": 2},
    "1-of-N only": {"encoders": ("onehot",)},
    "1-of-N + word hashing": {"encoders": ("onehot", "hash")},
    "1-of-N + characters": {"encoders": ("onehot", "char")},
    "+ CRF": {"crf": True},
    "memoryless (per-word feed-forward)": {"cell": "feedforward"},
}


def throughput(tagger, sentences: list[tuple[str, ...]], repeats: int = 3) -> float:
    """Sentences per second, batched, best of a few passes."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        tagger.predict(sentences)
        best = min(best, time.perf_counter() - started)
    return len(sentences) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--only", nargs="*", help="Run only these variant names.")
    parser.add_argument(
        "--speed-only", action="store_true",
        help="Re-measure sentences/s of every variant in one quiet pass (speed does not depend on the weights).",
    )
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    corpus = read_corpus(args.data)
    args.out.mkdir(parents=True, exist_ok=True)
    results_file = args.out / "ablation.json"
    results = json.loads(results_file.read_text()) if results_file.exists() else {}
    dev_sentences = [e.tokens for e in corpus.dev]
    if args.speed_only:
        remeasure(results, corpus, dev_sentences)
        results_file.write_text(json.dumps(results, indent=2))
        write_table(results, args.out / "ablation.md")
        return
    for name, options in VARIANTS.items():
        if args.only and name not in args.only:
            continue
        config = TaggerConfig(**options)
        result = train(corpus, config, TrainConfig(epochs=args.epochs, patience=6, seed=args.seed), torch.device("cpu"))
        row = {
            "slot_f1": result.dev_metrics["slot_f1"],
            "intent_accuracy": result.dev_metrics["intent_accuracy"],
            "sentence_accuracy": result.dev_metrics["sentence_accuracy"],
            "parameters": sum(p.numel() for p in result.tagger.network.parameters()),
            "training_seconds": result.seconds,
            "epochs": len(result.history),
            "sentences_per_second": throughput(result.tagger, dev_sentences),
        }
        results[name] = row
        print(json.dumps({name: row}), flush=True)
        results_file.write_text(json.dumps(results, indent=2))
    write_table(results, args.out / "ablation.md")
    write_chart(results, args.out / "ablation.png")


def remeasure(results: dict[str, dict], corpus, dev_sentences: list) -> None:
    """Batched throughput of each variant's architecture, untrained, all in one run."""
    from model import LabelSet, Tagger, Vocabulary
    from model.features import Featurizer
    from model.network import SlotIntentNetwork

    words = Vocabulary.build(t.lower() for e in corpus.train for t in e.tokens)
    chars = Vocabulary.build(c for e in corpus.train for t in e.tokens for c in t)
    tags = LabelSet.build((t for e in corpus.train for t in e.tags), first=["O"])
    intents = LabelSet.build(e.intent for e in corpus.train)
    for name, options in VARIANTS.items():
        if name not in results:
            continue
        config = TaggerConfig(**options)
        network = SlotIntentNetwork(
            config, words=len(words), chars=len(chars), tags=tags.labels(), intents=len(intents)
        )
        tagger = Tagger(network, Featurizer(config, words, chars), tags, intents, torch.device("cpu"))
        results[name]["sentences_per_second"] = throughput(tagger, dev_sentences)
        print(f"{name}: {results[name]['sentences_per_second']:,.0f} sentences/s", flush=True)


def write_table(results: dict[str, dict], path: Path) -> None:
    lines = [
        "| variant | dev slot F1 | dev intent acc. | parameters | training time | sentences/s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in VARIANTS:
        if name not in results:
            continue
        row = results[name]
        lines.append(
            f"| {name} | {100 * row['slot_f1']:.2f} | {100 * row['intent_accuracy']:.2f} | "
            f"{row['parameters'] / 1e6:.2f} M | {row['training_seconds'] / 60:.1f} min ({row['epochs']} epochs) | "
            f"{row['sentences_per_second']:,.0f} |"
        )
    path.write_text("\n".join(lines) + "\n")


def write_chart(results: dict[str, dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [n for n in VARIANTS if n in results]
    f1 = [100 * results[n]["slot_f1"] for n in names]
    intent = [100 * results[n]["intent_accuracy"] for n in names]
    figure, axis = plt.subplots(figsize=(9, 0.45 * len(names) + 1.5))
    positions = range(len(names))
    axis.barh([p + 0.2 for p in positions], f1, height=0.4, label="dev slot F1")
    axis.barh([p - 0.2 for p in positions], intent, height=0.4, label="dev intent accuracy")
    axis.set_yticks(list(positions), names)
    axis.invert_yaxis()
    low = min(min(f1), min(intent))
    axis.set_xlim(max(0, low - 5), 100)
    axis.set_xlabel("%")
    axis.set_title("The lecture's variants on ATIS dev")
    axis.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(path, dpi=120)


if __name__ == "__main__":
    main()

"""The peers: what a user might pick instead of ours, trained on the same ATIS train split.

* **crf**: ``sklearn-crfsuite`` with the usual word features (lower-cased word, prefixes and
  suffixes, is-digit, shape, the same for the words at +-1 and +-2, BOS/EOS), L-BFGS, c1 = c2 = 0.1;
* **spacy**: a blank English pipeline with only the ``ner`` component, trained from scratch on
  Docs built from the corpus' own tokens (``Doc(vocab, words=tokens)``), so tokenization is
  identical for all three; the epoch with the best dev F1 is kept.

Trained peers are cached (keyed by the data, the settings and the library's version);
``crf_tagger`` and ``spacy_tagger`` load one and return what is timed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import Sentence, package_version, slot_f1

CRF_SETTINGS = {"algorithm": "lbfgs", "c1": 0.1, "c2": 0.1, "max_iterations": 100, "all_possible_transitions": True}
SPACY_SETTINGS = {"epochs": 25, "dropout": 0.2, "batch_start": 4.0, "batch_stop": 32.0, "batch_compound": 1.001}

# (all of dev at once, one sentence): each returns BIO tags
Taggers = tuple[Callable[[list[Sentence]], Any], Callable[[Sentence], Any]]


def fingerprint(data: Path, settings: dict[str, Any], library: str) -> str:
    """Cache key: the train and dev files, the settings and the library's version."""
    digest = hashlib.sha1()
    for split in ("train", "dev"):
        for name in ("seq.in", "seq.out"):
            digest.update((data / split / name).read_bytes())
    digest.update(json.dumps(settings, sort_keys=True).encode())
    digest.update(library.encode())
    return digest.hexdigest()[:12]


# the CRF ----------------------------------------------------------------------------------------
def _shape(word: str) -> str:
    """``Boston`` -> ``Xx``, ``10:30`` -> ``d:d``, ``o'hare`` -> ``x'x``: character classes, runs collapsed."""
    out: list[str] = []
    for char in word:
        kind = "X" if char.isupper() else "x" if char.isalpha() else "d" if char.isdigit() else char
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)


def crf_features(tokens: Sentence) -> list[dict[str, Any]]:
    """The usual CRF word features (as in the sklearn-crfsuite tutorial), with a +-2 window."""
    n = len(tokens)
    lowered = [t.lower() for t in tokens]
    shapes = [_shape(t) for t in tokens]
    features = []
    for i, word in enumerate(lowered):
        f: dict[str, Any] = {
            "bias": 1.0,
            "w": word,
            "p2": word[:2],
            "p3": word[:3],
            "s2": word[-2:],
            "s3": word[-3:],
            "digit": word.isdigit(),
            "shape": shapes[i],
            "len": min(len(word), 8),
        }
        for offset in (-2, -1, 1, 2):
            j = i + offset
            if 0 <= j < n:
                f[f"{offset}:w"] = lowered[j]
                f[f"{offset}:digit"] = lowered[j].isdigit()
                f[f"{offset}:shape"] = shapes[j]
                if abs(offset) == 1:
                    f[f"{offset}:s3"] = lowered[j][-3:]
                    f[f"{offset}:w|w"] = f"{lowered[j]}|{word}" if offset < 0 else f"{word}|{lowered[j]}"
        if i == 0:
            f["BOS"] = True
        if i == n - 1:
            f["EOS"] = True
        features.append(f)
    return features


def train_crf(train: list, dev: list, path: Path) -> dict[str, Any]:
    import sklearn_crfsuite

    started = time.perf_counter()
    crf = sklearn_crfsuite.CRF(model_filename=str(path), **CRF_SETTINGS)
    crf.fit([crf_features(e.tokens) for e in train], [list(e.tags) for e in train])
    seconds = time.perf_counter() - started
    predicted = crf.predict([crf_features(e.tokens) for e in dev])
    return {"train_seconds": seconds, "dev": slot_f1(dev, predicted), "settings": CRF_SETTINGS}


def crf_tagger(path: str) -> Taggers:
    """A trained CRF: feature extraction + ``predict_single`` per sentence (crfsuite has no batch mode)."""
    import sklearn_crfsuite

    crf = sklearn_crfsuite.CRF(model_filename=path)
    return (
        lambda s: [crf.predict_single(crf_features(tokens)) for tokens in s],
        lambda s: crf.predict_single(crf_features(s)),
    )


# spaCy's NER ------------------------------------------------------------------------------------
def spacy_tags(doc) -> list[str]:
    return ["O" if t.ent_iob_ in ("O", "") else f"{t.ent_iob_}-{t.ent_type_}" for t in doc]


def spacy_examples(nlp, examples: list) -> list:
    from spacy.tokens import Doc, Span
    from spacy.training import Example

    from model import bio_spans

    out = []
    for example in examples:
        words = list(example.tokens)
        reference = Doc(nlp.vocab, words=words)
        reference.ents = [Span(reference, a, b, label=slot) for slot, a, b in bio_spans(example.tags)]
        out.append(Example(Doc(nlp.vocab, words=words), reference))
    return out


def _dev_tags(nlp, dev: list) -> list[list[str]]:
    from spacy.tokens import Doc

    return [spacy_tags(d) for d in nlp.pipe(Doc(nlp.vocab, words=list(e.tokens)) for e in dev)]


def train_spacy(train: list, dev: list, folder: Path, seed: int) -> dict[str, Any]:
    import spacy
    from spacy.util import compounding, fix_random_seed, minibatch

    fix_random_seed(seed)
    nlp = spacy.blank("en")
    nlp.add_pipe("ner")
    examples = spacy_examples(nlp, train)
    started = time.perf_counter()
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(seed)
    history, best = [], -1.0
    for epoch in range(1, SPACY_SETTINGS["epochs"] + 1):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        settings = SPACY_SETTINGS
        sizes = compounding(settings["batch_start"], settings["batch_stop"], settings["batch_compound"])
        for batch in minibatch(examples, size=sizes):
            nlp.update(batch, drop=SPACY_SETTINGS["dropout"], sgd=optimizer, losses=losses)
        f1 = slot_f1(dev, _dev_tags(nlp, dev))["slot_f1"]
        history.append({"epoch": epoch, "loss": round(float(losses.get("ner", 0.0)), 2), "dev_slot_f1": f1})
        print(f"  spacy epoch {epoch:2d}: loss {losses.get('ner', 0.0):9.1f}  dev slot F1 {100 * f1:.2f}", flush=True)
        if f1 > best:
            best = f1
            nlp.to_disk(folder)
    seconds = time.perf_counter() - started
    nlp = spacy.load(folder)
    return {
        "train_seconds": seconds,
        "dev": slot_f1(dev, _dev_tags(nlp, dev)),
        "best_epoch": max(history, key=lambda h: h["dev_slot_f1"])["epoch"],
        "history": history,
        "settings": {**SPACY_SETTINGS, "seed": seed, "pipeline": "spacy.blank('en') + ner (default model)"},
    }


def spacy_tagger(path: str, batch_size: int) -> Taggers:
    """A trained pipeline: ``Doc(vocab, words=tokens)`` + the pipeline (``nlp.pipe`` batched)."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.load(path)
    vocab = nlp.vocab
    return (
        lambda s: [spacy_tags(d) for d in nlp.pipe((Doc(vocab, words=list(t)) for t in s), batch_size=batch_size)],
        lambda s: spacy_tags(nlp(Doc(vocab, words=list(s)))),
    )


# training or the cache --------------------------------------------------------------------------
def prepare_peers(args: argparse.Namespace, train: list, dev: list) -> dict[str, dict[str, Any]]:
    """Train the CRF and spaCy's NER, or reuse the cached ones; returns their paths and training facts."""
    args.cache.mkdir(parents=True, exist_ok=True)
    peers: dict[str, dict[str, Any]] = {}
    crf_key = fingerprint(args.data, CRF_SETTINGS, package_version("python-crfsuite"))
    spacy_key = fingerprint(args.data, {**SPACY_SETTINGS, "seed": args.seed}, package_version("spacy"))
    jobs: dict[str, tuple[Path, Callable[[Path], dict[str, Any]]]] = {
        "crf": (
            args.cache / f"crf-{crf_key}.crfsuite",
            lambda path: train_crf(train, dev, path),
        ),
        "spacy": (
            args.cache / f"spacy-{spacy_key}",
            lambda path: train_spacy(train, dev, path, args.seed),
        ),
    }
    for name, (path, trainer) in jobs.items():
        if name not in args.systems:
            continue
        meta_file = path.with_name(path.name + ".json")
        if meta_file.exists() and path.exists() and not args.retrain:
            meta = json.loads(meta_file.read_text())
            print(f"{name}: cached {path} (trained in {meta['train_seconds']:.0f} s)", flush=True)
        else:
            print(f"{name}: training on {len(train)} sentences ...", flush=True)
            meta = trainer(path)
            meta_file.write_text(json.dumps(meta, indent=2))
            print(f"{name}: trained in {meta['train_seconds']:.0f} s, dev slot F1 {100 * meta['dev']['slot_f1']:.2f}")
        peers[name] = {"path": str(path), **meta}
    return peers

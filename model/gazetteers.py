"""Airport codes, airport names and state names from maintained lists, for augmentation and probes.

ATIS names a few dozen airports and states, so a tagger trained on it learns those words,
not the places where an airport or a state goes: "dca", "lga" or a bare "montana" were
among the test errors. Like ``model.cities``, these lists come from maintained packages
(``airportsdata`` for IATA codes and airport names, ``pycountry`` for the states of the
United States and the provinces of Canada), tokenized like customer text, and a fixed
tenth of each (by a hash of the name, ``cities.is_held_out``) is kept out of augmentation,
so the probe set (``model.probes``) asks about names the tagger met in no list.
"""

from __future__ import annotations

from functools import lru_cache

from .cities import _clean, is_held_out

__all__ = ["airport_codes", "airport_names", "state_codes", "state_names", "split_held_out"]

Name = tuple[str, ...]
_STATE_COUNTRIES = ("US", "CA")  # ATIS's customers name American states and Canadian provinces


@lru_cache(maxsize=1)
def airport_codes() -> tuple[Name, ...]:
    """Every IATA airport code, lower-cased as typed ("dca"), sorted."""
    import airportsdata

    return tuple(sorted((code.lower(),) for code in airportsdata.load("IATA") if code.isalpha() and len(code) == 3))


@lru_cache(maxsize=1)
def airport_names() -> tuple[Name, ...]:
    """Every distinct cleaned airport name ("general mitchell international airport"), sorted."""
    import airportsdata

    cleaned = {_clean(airport["name"]) for airport in airportsdata.load("IATA").values()}
    cleaned.discard(None)
    return tuple(sorted(name for name in cleaned if name is not None and len(name) <= 5))


def _subdivisions() -> list:
    import pycountry

    found = []
    for country in _STATE_COUNTRIES:
        found.extend(pycountry.subdivisions.get(country_code=country) or [])
    return sorted(found, key=lambda s: s.code)


@lru_cache(maxsize=1)
def state_names() -> tuple[Name, ...]:
    """The states, districts and territories of the US and the provinces of Canada, tokenized."""
    cleaned = {_clean(s.name) for s in _subdivisions()}
    cleaned.discard(None)
    return tuple(sorted(name for name in cleaned if name is not None))


@lru_cache(maxsize=1)
def state_codes() -> tuple[Name, ...]:
    """Their two-letter postal codes, lower-cased ("ma", "dc", "on")."""
    return tuple(sorted({(s.code.split("-")[1].lower(),) for s in _subdivisions() if len(s.code) == 5}))


def split_held_out(names: tuple[Name, ...], *, held_out: bool, exclude: frozenset[str] = frozenset()) -> list[Name]:
    """The held-out tenth of ``names`` (``held_out=True``) or the rest, minus any name with a
    word of ``exclude`` (words that are something else in the corpus: "in", "me", "or")."""
    return [n for n in names if is_held_out(n) == held_out and not exclude.intersection(n)]

"""Place names as keys: one spelling for a name however it is typed, and the names inside
an airport's records ("Raleigh/Durham" is two cities, "Heathrow" is an airport's own name)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pycountry

from ._airports import COUNTRY_ALIASES
from ._sources import Airport

__all__ = ["airport_name_keys", "country_names", "filed_names", "normalise"]

# Words written several ways in place names: the shortest spelling is the key.
_SPELLINGS = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt", "and": "&"}
_GENERIC = frozenset({
    "airport", "airports", "international", "intl", "regional", "municipal", "national", "ntl", "domestic", "field",
    "aerodrome", "airfield", "county", "metropolitan", "metro", "air", "terminal", "the", "city", "airpark",
})
_SUFFIXES = (" city", " island", " islands")


# ASCII text, the common case, is cleaned with one translation table instead of regular expressions.
_ASCII_CLEAN = {i: " " for i in range(128) if not (chr(i).isalnum() or chr(i) == "&")}
_ASCII_CLEAN.update({ord("."): None, ord("'"): None})
_ASCII_CLEAN.update({ord(c): ord(c.lower()) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"})


@lru_cache(maxsize=1 << 16)
def normalise(text: str) -> str:
    """The lookup key of a place name: lower case, no accents or punctuation, one spelling of
    "st"/"ft"/"mt" ("St. Louis", "saint louis" and "st louis" are one key)."""
    if text.isascii():
        words = text.translate(_ASCII_CLEAN).split()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
        plain = re.sub(r"[.'\u2019]", "", plain)
        words = re.sub(r"[^a-z0-9&]+", " ", plain).split()
    return " ".join(_SPELLINGS.get(word, word) for word in words)


def country_names(code: str) -> tuple[str, list[str]]:
    """The display name of a country and every name it is looked up by."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code, []
    display = getattr(country, "common_name", None) or country.name
    names = [country.name, display, *COUNTRY_ALIASES.get(code, ())]
    if "," in country.name:  # "Korea, Republic of" is also said "Korea"
        names.append(country.name.split(",")[0])
    return display, names


def filed_names(city: str) -> set[str]:
    """The keys of the name an airport is filed under: "Raleigh/Durham" is both, "Denpasar-Bali
    Island" is Denpasar and Bali, "Kaohsiung City" is Kaohsiung."""
    keys = {normalise(city)}
    parts = re.split(r"\s*/\s*|\s+-\s+", city)
    for part in list(parts):
        left, dash, right = part.partition("-")
        if dash and " " in right.strip():  # "Denpasar-Bali Island", not "Winston-Salem" or "Shangri-La"
            parts += [left, right]
    for part in parts:
        key = normalise(part)
        keys.add(key)
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix) + 2:
                keys.add(key[: -len(suffix)])
    keys.discard("")
    return keys


def airport_name_keys(airport: Airport) -> set[str]:
    """What people call an airport rather than its city: "heathrow", "charles de gaulle", "logan"."""
    city_words = {w for key in filed_names(airport.city) for w in key.split()}
    keys: set[str] = set()
    for name in {airport.name, airport.other_name} - {""}:
        named = [w for w in normalise(name).split() if w not in city_words]
        words = [w for w in named if w not in _GENERIC]
        while words and words[0] in {"de", "la", "of", "da", "di"}:
            words.pop(0)
        if not words:
            continue
        if len(words) > 1 or len(words[0]) >= 5:
            keys.add(" ".join(words))
        elif named[named.index(words[0]) + 1 :][:1] == ["field"]:
            keys.add(f"{words[0]} field")  # "Dallas Love Field": "love field" ("love" alone is a word)
        if len(words) > 1 and len(words[-1]) >= 5:
            keys.add(words[-1])  # "General Edward Lawrence Logan": "Logan"
    return keys

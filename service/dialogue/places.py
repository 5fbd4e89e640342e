"""Cities: from the words a customer says to a canonical name, its airports and its time zone.

The data is ``airportsdata`` (every airport with an IATA code, its city, subdivision,
country and time zone), grouped by (city, subdivision, country). ``airportsdata`` has no
traffic figures, so which airports serve a city, and which of two same-named cities is
meant, follow a documented heuristic of three tiers:

* tier 3, a *hub*: one of the ~150 busiest passenger airports, or a metropolitan area
  (``_airports.METROS``, after IATA's city codes: "New York" is JFK, LGA and EWR);
* tier 2, an *international* airport: "International" in its name;
* tier 1, any other airport with an IATA code; military bases, heliports and seaplane
  bases without scheduled international service are left out entirely.

A city's airports are those of its best tier (Seattle is SEA, not Boeing Field beside it;
cities with several big airports are metropolitan areas or list them all as hubs). A
name several cities share goes to the one of the best tier; when more than one city has
that tier, the customer is asked ("Portland, Oregon or Portland, Maine?"). A region
("Texas", "Japan") is recognised as such, so the bot can ask which city there.
"""

from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import cache

import airportsdata
import pycountry

from ._airports import COUNTRY_ALIASES, HUBS, METROS
from .domain import City

__all__ = [
    "Ambiguous",
    "Gazetteer",
    "Place",
    "Region",
    "Resolution",
    "Resolved",
    "Unknown",
    "gazetteer",
    "normalise",
]

_NOT_AN_AIRLINE_AIRPORT = re.compile(
    r"\b(air (force )?base|afb|space force|army|heliport|seaplane|sea plane|naval|nas|air station|"
    r"coast guard|joint base|raf|training)\b",
    re.IGNORECASE,
)
_INTERNATIONAL = re.compile(r"\b(international|intl|intcntl|intercontinental)\b", re.IGNORECASE)
# Words written several ways in place names: the shortest spelling is the key.
_SPELLINGS = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt", "and": "&"}
# Countries whose subdivision is what people add to a city's name ("Portland, Maine").
_BY_REGION = frozenset({"US", "CA", "AU", "GB", "BR", "MX", "IN"})
MAX_OPTIONS = 4
SAME_CITY_KM = 100.0
"""Namesakes in one country closer than this are one city whose airports straddle a border
of subdivisions (San José, Costa Rica: SJO in Alajuela, SYQ in San José)."""


def normalise(text: str) -> str:
    """The lookup key of a place name: lower case, no accents or punctuation, one spelling of
    "st"/"ft"/"mt" ("St. Louis", "saint louis" and "st louis" are one key)."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = re.sub(r"[.'\u2019]", "", plain)
    words = re.sub(r"[^a-z0-9&]+", " ", plain).split()
    return " ".join(_SPELLINGS.get(word, word) for word in words)


@dataclass(frozen=True, slots=True)
class Place:
    """A city as the gazetteer knows it: the ``City`` value plus what tells it apart from namesakes."""

    name: str
    region: str
    country: str
    country_name: str
    airports: tuple[str, ...]
    timezone: str
    tier: int
    hint: str = ""
    """Added to the label when namesakes would otherwise read the same."""

    @property
    def city(self) -> City:
        return City(city=self.name, airports=self.airports, timezone=self.timezone)

    @property
    def label(self) -> str:
        """The name with what a customer would add to tell it apart: "Portland, Maine", "Paris, France"."""
        where = self.region if self.country in _BY_REGION and self.region else self.country_name
        label = f"{self.name}, {where}" if where and where != self.name else self.name
        return f"{label} ({self.hint})" if self.hint else label


@dataclass(frozen=True, slots=True)
class Resolved:
    place: Place


@dataclass(frozen=True, slots=True)
class Ambiguous:
    """Several cities of the same standing share the name: ask which."""

    name: str
    options: tuple[Place, ...]


@dataclass(frozen=True, slots=True)
class Region:
    """A state, province or country rather than a city: ask which city there."""

    name: str


@dataclass(frozen=True, slots=True)
class Unknown:
    """Nothing of that name; ``suggestion`` is a well-known city spelled almost the same ("bostn")."""

    words: str
    suggestion: Place | None = None


Resolution = Resolved | Ambiguous | Region | Unknown


def _country_names(code: str) -> tuple[str, list[str]]:
    """The display name of a country and every name it is looked up by."""
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code, []
    display = getattr(country, "common_name", None) or country.name
    names = [country.name, display, *COUNTRY_ALIASES.get(code, ())]
    if "," in country.name:  # "Korea, Republic of" is also said "Korea"
        names.append(country.name.split(",")[0])
    return display, names


def _km(a: dict, b: dict) -> float:
    """Great-circle distance between two airports."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _tier(code: str, name: str) -> int:
    if code in HUBS:
        return 3
    if _INTERNATIONAL.search(name):
        return 2
    return 0 if _NOT_AN_AIRLINE_AIRPORT.search(name) else 1


class Gazetteer:
    """Looks places up by name; build it once (``gazetteer()``), it is immutable afterwards."""

    def __init__(self, airports: dict[str, dict]) -> None:
        self._airports = airports
        self._cities: dict[str, list[Place]] = defaultdict(list)
        self._regions: dict[str, str] = {}
        self._countries: dict[str, str] = {}
        self._known: list[str] | None = None
        self._build_regions()
        self._build_cities()

    # construction ------------------------------------------------------------------
    def _build_regions(self) -> None:
        for record in self._airports.values():
            if record["subd"]:
                self._regions.setdefault(normalise(record["subd"]), record["subd"])
            code = record["country"]
            if code not in self._countries.values():
                display, names = _country_names(code)
                for name in names:
                    self._regions.setdefault(normalise(name), display)
                    self._countries.setdefault(normalise(name), code)

    def _build_cities(self) -> None:
        groups: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
        for code, record in self._airports.items():
            if record["city"] and code and _tier(code, record["name"]) > 0:
                groups[(normalise(record["city"]), record["subd"], record["country"])].append(record)
        metro_keys: set[tuple[str, str]] = set()
        for name, country, listed, aliases in METROS:
            codes = tuple(code for code in listed if code in self._airports)
            if not codes:
                continue  # an airport data release without them
            first = self._airports[codes[0]]
            place = self._place(name, first["subd"], country, codes, first["tz"], tier=3)
            for key in {normalise(name), *map(normalise, aliases)}:
                self._cities[key].append(place)
                metro_keys.add((key, country))
        clusters: dict[tuple[str, str], list[list[dict]]] = defaultdict(list)
        for (key, _region, country), records in groups.items():
            if (key, country) in metro_keys:
                continue  # the metropolitan area replaces the city of the same name
            for cluster in clusters[(key, country)]:
                if _km(cluster[0], records[0]) < SAME_CITY_KM:
                    cluster.extend(records)
                    break
            else:
                clusters[(key, country)].append(list(records))
        for (key, country), found in clusters.items():
            for records in found:
                tiers = {r["iata"]: _tier(r["iata"], r["name"]) for r in records}
                best = max(tiers.values())
                chosen = [r for r in records if tiers[r["iata"]] >= best]
                codes = tuple(r["iata"] for r in chosen)
                timezone = Counter(r["tz"] for r in chosen).most_common(1)[0][0]
                name = Counter(r["city"] for r in chosen).most_common(1)[0][0]
                region = chosen[0]["subd"]
                self._cities[key].append(self._place(name, region, country, codes, timezone, tier=best))

    def _place(self, name: str, region: str, country: str, codes: Iterable[str], timezone: str, tier: int) -> Place:
        display, _ = _country_names(country)
        return Place(name, region, country, display, tuple(codes), timezone, tier)

    # look-ups ------------------------------------------------------------------------
    def resolve(self, text: str) -> Resolution:
        """What the words name: a city, a choice of cities, a region, or nothing we know.

        A region may follow the city ("portland maine", "paris, france", "austin texas").
        """
        key = normalise(text)
        if not key:
            return Unknown(text)
        if key in self._cities:
            return self._best(key, self._cities[key])
        words = key.split()
        for cut in range(len(words) - 1, 0, -1):
            city, where = " ".join(words[:cut]), " ".join(words[cut:])
            if city in self._cities and where in self._regions:
                matching = [p for p in self._cities[city] if self._is_in(p, where)]
                if matching:
                    return self._best(city, matching)
        if key in self._regions:
            return Region(self._regions[key])
        return Unknown(text.strip(), self._suggest(key))

    def _suggest(self, key: str) -> Place | None:
        """A close spelling among cities with an international airport, if exactly one is close."""
        if len(key) < 4:
            return None
        if self._known is None:
            self._known = sorted(k for k, places in self._cities.items() if max(p.tier for p in places) >= 2)
        close = difflib.get_close_matches(key, self._known, n=2, cutoff=0.8)
        if len(close) != 1:
            return None
        resolution = self._best(close[0], self._cities[close[0]])
        return resolution.place if isinstance(resolution, Resolved) else None

    def airport(self, code: str) -> Place | None:
        """The city an IATA airport code serves, for "to JFK"."""
        record = self._airports.get(code.upper())
        if record is None:
            return None
        candidates = [p for places in self._cities.values() for p in places if record["iata"] in p.airports]
        if candidates:
            return max(candidates, key=lambda p: p.tier)
        return self._place(record["city"] or record["name"], record["subd"], record["country"], [record["iata"]],
                           record["tz"], tier=_tier(record["iata"], record["name"]))

    def is_place(self, text: str) -> bool:
        key = normalise(text)
        return key in self._cities or key in self._regions

    def is_region(self, text: str) -> bool:
        return normalise(text) in self._regions

    def find(self, tokens: Sequence[str], longest: int = 4) -> list[tuple[int, int]]:
        """Token ranges ``[start, end)`` that name a city or a region, longest first, not overlapping."""
        found: list[tuple[int, int]] = []
        words = [normalise(token) for token in tokens]  # punctuation and placeholders become "" and end a name
        start = 0
        while start < len(words):
            for end in range(min(len(words), start + longest), start, -1):
                if all(words[start:end]) and self.is_place(" ".join(words[start:end])):
                    found.append((start, end))
                    start = end
                    break
            else:
                start += 1
        return found

    def matches(self, place: Place, words: str) -> bool:
        """Whether words said in answer to "which one?" point at this place (region, country, airport)."""
        key = normalise(words)
        if not key:
            return False
        said = f" {key} "
        names = {normalise(place.label), normalise(place.region), *(code.lower() for code in place.airports)}
        names |= {name for name, code in self._countries.items() if code == place.country}
        return any(name and f" {name} " in said for name in names)

    # helpers -------------------------------------------------------------------------
    def _is_in(self, place: Place, where: str) -> bool:
        return normalise(place.region) == where or self._countries.get(where) == place.country

    @staticmethod
    def _best(name: str, places: list[Place]) -> Resolution:
        top = max(p.tier for p in places)
        best = [p for p in places if p.tier == top]
        if len(best) == 1:
            return Resolved(best[0])
        best.sort(key=lambda p: p.label)
        labels = Counter(p.label for p in best)
        best = [replace(p, hint=p.airports[0]) if labels[p.label] > 1 else p for p in best]
        return Ambiguous(best[0].name, tuple(best[:MAX_OPTIONS]))


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer over the installed ``airportsdata``, built on first use (a fraction of a second)."""
    return Gazetteer(airportsdata.load("IATA"))

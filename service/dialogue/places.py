"""Cities: from the words a customer says to a canonical name, its airports and its time zone.

The gazetteer joins three maintained lists (``_sources``): GeoNames' cities (their names in
many languages, their population), ``airportsdata``'s airports (the city each is filed
under) and OurAirports' data (which airports have scheduled service, and how large they are).

* A city's airports are those filed under one of its names within 60 km, of the best tier
  among them; a city whose own airports are all smaller than a large airport within 45 km
  flies from that one instead (Cincinnati is CVG, across the river in Kentucky, not the
  Lunken field). Metropolitan areas (``_airports.METROS``, after IATA's city codes) are all
  their airports ("New York" is JFK, LGA and EWR).
* A name many places share goes to the one of highest *standing*: its population, weighted by
  the size of its airports. Only a true near-tie (the runner-up has at least ``NEAR_TIE`` of
  the leader's standing) is asked about: "Paris" is Paris, France, "Springfield" is a question.
* Names are a city's own and GeoNames' other names for it ("Firenze", "Saigon", "Philly"),
  the name its airports are filed under ("Bali" for Denpasar), a short table of colloquial
  names GeoNames lacks, and the distinctive words of airport names ("Heathrow", "O'Hare"),
  which book that airport alone. A region ("Texas", "Japan") is recognised as such, so the bot
  can ask which city there; "Seattle, WA" and "Florence, Italy" narrow a name to a region.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache

from . import _sources
from ._names import country_names, normalise
from ._sources import Airport
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

# Countries whose subdivision is what people add to a city's name ("Portland, Maine").
_BY_REGION = frozenset({"US", "CA", "AU", "GB", "BR", "MX", "IN"})
MAX_OPTIONS = 4
SAME_CITY_KM = 100.0
"""Namesakes in one country closer than this are one city whose airports straddle a border
of subdivisions (San José, Costa Rica: SJO in Alajuela, SYQ in San José)."""
OWN_KM = 60.0
NEAR_KM = 45.0
NEAR_TIE = 0.4
TIER_WEIGHT = {3: 1.0, 2: 0.6, 1: 0.3, 0: 0.0}
BORROWED = 0.5
"""The weight of a city flying from another place's airport (Cincinnati from CVG in Kentucky)."""
NAMESAKE = 0.2
"""The weight of a name a city's airport is filed under that is another city's own name nearby
("Raleigh/Durham" makes Raleigh-Durham airport Durham's too, but "Durham" means Durham)."""
SMALL_PLACE = 100_000
"""A place of less standing loses its name to a large airport of that name."""
SMALL_TOWN = 5_000
"""The population assumed for a place GeoNames does not list (under 15,000 people)."""
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
    population: int = 0
    named: bool = True
    """Its airports are filed under its name; False: it flies from a large airport nearby."""
    hint: str = ""
    """Added to the label when namesakes would otherwise read the same."""

    @property
    def city(self) -> City:
        return City(city=self.name, airports=self.airports, timezone=self.timezone)

    @property
    def standing(self) -> float:
        """Population, weighted by the size of its airports and whether they are its own."""
        return max(self.population, SMALL_TOWN) * TIER_WEIGHT[self.tier] * (1.0 if self.named else BORROWED)

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
    """Several cities of nearly the same standing share the name: ask which."""

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


Weighted = list[tuple[Place, float]]


_AIRPORT_SUFFIXES = (" international airport", " airport", " intl", " international", " national")
"""Words after an airport's or city's name that say "its airport": "logan airport", "reagan national"."""


class Gazetteer:
    """Looks places up by name; build it once (``gazetteer()``), it is immutable afterwards."""

    def __init__(
        self,
        airports: Sequence[Airport],
        cities: Sequence[_sources.City] = (),
        region_codes: Iterable[tuple[str, str, str]] = (),
    ) -> None:
        self._airports = {a.code: a for a in airports}
        self._names: dict[str, Weighted] = defaultdict(list)
        """Own names (weight 1) and names a place's airports are filed under (``BORROWED``)."""
        self._others: dict[str, list[Place]] = defaultdict(list)
        """GeoNames' other names, for words that are no place's own name ("firenze", "philly")."""
        self._airport_names: dict[str, list[str]] = defaultdict(list)
        """Airports' own names that no place is called ("heathrow", "o'hare")."""
        self._all_airport_names: dict[str, list[str]] = defaultdict(list)
        """Every airport's own name, for "logan airport" where a town is called Logan."""
        self._regions: dict[str, str] = {}
        self._countries: dict[str, str] = {}
        self._codes: dict[str, dict[str, str]] = defaultdict(dict)  # country -> region code -> region
        self._region_countries: dict[str, set[str]] = defaultdict(set)
        self._region_airports: dict[str, list[str]] = defaultdict(list)
        """The large airports of a region or country."""
        self._known: list[str] | None = None
        self._serving: dict[str, Place] | None = None
        from ._build import build

        build(self, list(airports), list(cities), list(region_codes))

    # a cache of the built indexes (``_cache``) ------------------------------------------
    def to_tables(self) -> dict:
        """The indexes as plain JSON data: rebuilding them takes seconds, reading them a fraction."""
        places: dict[int, int] = {}
        rows: list[list] = []

        def number(place: Place) -> int:
            if id(place) not in places:
                places[id(place)] = len(rows)
                rows.append([getattr(place, f.name) for f in fields(Place)])
            return places[id(place)]

        return {
            "airports": [[getattr(a, f.name) for f in fields(Airport)] for a in self._airports.values()],
            "names": {k: [[number(p), w] for p, w in found] for k, found in self._names.items()},
            "others": {k: [number(p) for p in found] for k, found in self._others.items()},
            "places": rows,
            "airport_names": self._airport_names,
            "all_airport_names": self._all_airport_names,
            "regions": self._regions,
            "countries": self._countries,
            "codes": self._codes,
            "region_countries": {k: sorted(v) for k, v in self._region_countries.items()},
            "region_airports": self._region_airports,
        }

    @classmethod
    def from_tables(cls, tables: dict) -> Gazetteer:
        world = cls.__new__(cls)
        world._airports = {row[0]: Airport(*row) for row in tables["airports"]}
        places = [Place(*(tuple(v) if isinstance(v, list) else v for v in row)) for row in tables["places"]]
        world._names = {k: [(places[i], w) for i, w in found] for k, found in tables["names"].items()}
        world._others = {k: [places[i] for i in found] for k, found in tables["others"].items()}
        world._airport_names = tables["airport_names"]
        world._all_airport_names = tables["all_airport_names"]
        world._regions, world._countries = tables["regions"], tables["countries"]
        world._codes = defaultdict(dict, tables["codes"])
        world._region_countries = defaultdict(set, {k: set(v) for k, v in tables["region_countries"].items()})
        world._region_airports = tables["region_airports"]
        world._known = None
        world._serving = None
        return world

    # look-ups ------------------------------------------------------------------------
    def resolve(self, text: str) -> Resolution:
        """What the words name: a city, a choice of cities, a region, or nothing we know.

        A region may follow the city ("portland maine", "paris, france", "seattle, wa",
        "florence in italy"); an airport's own name books that airport ("heathrow").
        """
        key = normalise(text)
        key = key[4:] if key.startswith("the ") else key
        if not key:
            return Unknown(text)
        for suffix in _AIRPORT_SUFFIXES:
            if key.endswith(suffix) and key[: -len(suffix)] in self._all_airport_names:  # "logan airport"
                return Resolved(self._airport_place(self._all_airport_names[key[: -len(suffix)]][0]))
        region = self._state_of(key)
        if region is not None:  # "washington state", "the state of washington": not the city
            return Region(region)
        found = self._lookup(key)
        if found is not None:
            return found
        code = self.city_airport(key)
        if code is not None:  # "london heathrow", "new york jfk": that airport of the city
            return Resolved(self._airport_place(code))
        words = key.split()
        for cut in range(len(words) - 1, 0, -1):
            city, where = " ".join(words[:cut]), " ".join(words[cut:]).removeprefix("in ")
            candidates = self._candidates(city)
            if candidates:
                matching = [(p, w) for p, w in candidates if self._is_in(p, where)]
                if matching:
                    return self._best(city, matching)
        for suffix in _AIRPORT_SUFFIXES:
            if key.endswith(suffix) and len(key) > len(suffix):
                found = self._lookup(key[: -len(suffix)])
                if found is not None:
                    return found
        if "-" in text or "/" in text:  # "minneapolis-st paul", "dallas/fort worth": the first city named
            found = self._lookup(normalise(re.split(r"[-/]", text, maxsplit=1)[0]))
            if isinstance(found, Resolved):
                return found
        return Unknown(text.strip(), self._suggest(key))

    def _candidates(self, key: str) -> Weighted:
        if key in self._names:
            return self._names[key]
        return [(p, BORROWED) for p in self._others.get(key, ())]

    def _lookup(self, key: str) -> Resolution | None:
        """A place's own name, then an airport's name, then a region, then another name of a place.

        A large airport's own name beats a small place of that name ("Logan" is Boston's airport,
        not the neighbourhood of Philadelphia; "Midway" Chicago's, not the town in Florida), and
        a region beats small places of its name elsewhere ("Florida" is the state, not the town
        in Colombia; "Tuscany" not a part of Calgary).
        """
        if key in self._names and not self._small_namesakes_of_region(key):
            towns = max(p.standing * w for p, w in self._names[key]) < SMALL_PLACE
            airports = self._all_airport_names.get(key, [])
            if towns and airports and self._airports[airports[0]].tier == 3:
                return Resolved(self._airport_place(airports[0]))
            if towns and key in self._others:  # "NOLA" is New Orleans before Nola, a town near Naples
                return self._best(key, self._names[key] + [(p, 1.0) for p in self._others[key]])
            return self._best(key, self._names[key])
        if key in self._airport_names:
            return Resolved(self._airport_place(self._airport_names[key][0]))
        if key in self._regions:
            others = [p for p in self._others.get(key, ()) if p.country in self._region_countries.get(key, ())]
            if others and max(p.standing for p in others) >= SMALL_PLACE:  # "Praha", "Lisboa": the capital
                return self._best(key, [(p, 1.0) for p in others])
            served = self._region_airports.get(key, ())
            if len(served) == 1:  # "Mauritius", "Malta": one large airport, no question
                return Resolved(self._airport_place(served[0]))
            return Region(self._regions[key])
        if key in self._others:
            return self._best(key, [(p, 1.0) for p in self._others[key]])
        return None

    def _small_namesakes_of_region(self, key: str) -> bool:
        """Whether the name is a region's with large airports, and every place of that name is small,
        outside it, and without a large airport of its own. A town in the region it is named for
        ("Limón") keeps its name, and so does one with its own airport ("Liberia", Costa Rica).
        A country's name beats a namesake abroad of any size that flies from another city's
        airport ("Jamaica", a part of Queens that is JFK's)."""
        country = self._countries.get(key)
        return bool(self._region_airports.get(key)) and all(
            (p.standing * w < SMALL_PLACE or (country is not None and p.country != country and not p.named))
            and normalise(p.region) != key and not (p.named and p.tier == 3)
            for p, w in self._names[key]
        )

    def _suggest(self, key: str) -> Place | None:
        """A close spelling among well-known cities, if exactly one is close."""
        if len(key) < 4:
            return None
        if self._known is None:
            self._known = sorted(k for k, found in self._names.items() if max(p.standing for p, _ in found) >= 1e5)
        close = difflib.get_close_matches(key, self._known, n=3, cutoff=0.8)
        if not close:
            return None
        if len(close) > 1:  # two spellings as close: only a clearly closer one, or a far better known one
            ratio = [difflib.SequenceMatcher(None, key, c).ratio() for c in close[:2]]
            standing = [max(p.standing for p, _ in self._names[c]) for c in close[:2]]
            if ratio[0] - ratio[1] < 0.05 and standing[0] < 10 * standing[1]:
                return None
        resolution = self._best(close[0], self._names[close[0]])
        return resolution.place if isinstance(resolution, Resolved) else None

    def airport(self, code: str) -> Place | None:
        """The airport of an IATA code, as a place of its own ("to JFK": New York (JFK)); None for
        codes of no airport with scheduled service."""
        airport = self._airports.get(code.upper())
        if airport is None or airport.tier == 0:
            return None
        return self._airport_place(airport.code)

    def serving(self) -> dict[str, Place]:
        """Each airport's city: its own before those it serves too, then the one of most standing.
        Worked out once (every place's airports), not on each look-up."""
        if self._serving is None:
            best: dict[str, Place] = {}
            for found in self._names.values():
                for place, _ in found:
                    for code in place.airports:
                        if code not in best or (place.named, place.standing) > (best[code].named, best[code].standing):
                            best[code] = place
            self._serving = best
        return self._serving

    def _airport_place(self, code: str) -> Place:
        city = self.serving().get(code)
        if city is not None:
            return replace(city, airports=(code,), hint="")
        airport = self._airports[code]
        display, _ = country_names(airport.country)
        return Place(airport.city or airport.name, airport.region, airport.country, display, (code,),
                     airport.timezone, airport.tier)  # fmt: skip

    def is_place(self, text: str) -> bool:
        key = normalise(text)
        return key in self._names or key in self._others or key in self._regions or key in self._airport_names \
            or self._state_of(key) is not None or self.city_airport(key) is not None  # fmt: skip

    def _state_of(self, key: str) -> str | None:
        """The region of "<region> state" or "state of <region>" ("washington state")."""
        key = key.removeprefix("the ")
        name = key[:-6] if key.endswith(" state") else key[9:] if key.startswith("state of ") else None
        return self._regions.get(name) if name else None

    def city_airport(self, key: str) -> str | None:
        """The code of the airport a city is named with ("london heathrow", "chicago o'hare airport",
        "new york jfk"): the airport's name or code after the city's, one of that city's airports."""
        key = normalise(key)
        key = next((key.removesuffix(s) for s in (" international airport", " airport") if key.endswith(s)), key)
        words = key.split()
        for cut in range(len(words) - 1, 0, -1):
            city, rest = " ".join(words[:cut]), " ".join(words[cut:])
            codes = self._all_airport_names.get(rest, []) + ([rest.upper()] if len(rest) == 3 else [])
            codes += [c for place, _ in self._names.get(rest, ()) for c in place.airports]  # "orly", a town
            served = {code for place, _ in self._candidates(city) for code in place.airports}
            code = next((c for c in codes if c in served), None)
            if code is not None:
                return code
        return None

    def is_region(self, text: str) -> bool:
        return normalise(text) in self._regions

    def well_known(self, text: str) -> bool:
        """Whether the words name a city of some standing (its own name, not another name of it)."""
        found = self._names.get(normalise(text), ())
        return any(p.standing * w >= SMALL_PLACE for p, w in found)

    def region_elsewhere(self, text: str) -> bool:
        """Whether the words are also a region's name that is not where the city of that name is:
        "Ontario" (a city in California, a province of Canada), but not "Lisbon" (city and district)."""
        key = normalise(text)
        if key not in self._regions:
            return False
        resolution = self.resolve(text)
        if not isinstance(resolution, Resolved):
            return True
        place = resolution.place
        countries = self._region_countries.get(key, set())
        return bool(countries - {place.country}) and normalise(place.region) != key

    def region_code(self, city: str, code: str) -> bool:
        """Whether ``code`` ("WA", "or", "BC") is the subdivision of a city of that name ("Portland, OR")."""
        return any(self._codes[p.country].get(code.upper()) == p.region for p, _ in self._candidates(normalise(city)))

    def find(self, tokens: Sequence[str], longest: int = 4) -> list[tuple[int, int]]:
        """Token ranges ``[start, end)`` that name a place or a region, longest first, not overlapping.

        Other names and airport names count only from four letters on ("vegas", not "las"),
        so common short words are not read as places."""
        found: list[tuple[int, int]] = []
        words = [normalise(token) for token in tokens]  # punctuation and placeholders become "" and end a name
        start = 0
        while start < len(words):
            for end in range(min(len(words), start + longest), start, -1):
                key = " ".join(words[start:end])
                if all(words[start:end]) and self._findable(key):
                    found.append((start, end))
                    start = end
                    break
            else:
                start += 1
        return found

    def _findable(self, key: str) -> bool:
        if key in self._names or key in self._regions or self._state_of(key) is not None:
            return True
        return (key in self._others or key in self._airport_names) and len(key) >= 4

    def matches(self, place: Place, words: str) -> bool:
        """Whether words said in answer to "which one?" point at this place (region, country, airport)."""
        key = normalise(words)
        if not key:
            return False
        said = f" {key} "
        names = {normalise(place.label), normalise(place.region), *(code.lower() for code in place.airports)}
        names |= {name for name, code in self._countries.items() if code == place.country}
        names |= {code.lower() for code, region in self._codes.get(place.country, {}).items() if region == place.region}
        return any(name and f" {name} " in said for name in names)

    # helpers -------------------------------------------------------------------------
    def _is_in(self, place: Place, where: str) -> bool:
        if normalise(place.region) == where or self._countries.get(where) == place.country:
            return True
        return self._codes.get(place.country, {}).get(where.upper()) == place.region

    @staticmethod
    def _best(name: str, found: Weighted) -> Resolution:
        weights: dict[tuple[str, tuple[str, ...]], tuple[Place, float]] = {}
        for place, weight in found:  # one entry per city and airports, its strongest
            key = (place.name, place.airports)
            if key not in weights or weights[key][0].standing * weights[key][1] < place.standing * weight:
                weights[key] = (place, weight)
        ranked = sorted(weights.values(), key=lambda pw: pw[0].standing * pw[1], reverse=True)
        top = ranked[0][0].standing * ranked[0][1]
        close = [p for p, w in ranked if p.standing * w >= NEAR_TIE * top]
        if len(close) == 1:
            return Resolved(close[0])
        close.sort(key=lambda p: p.label)
        labels = Counter(p.label for p in close)
        close = [replace(p, hint=p.airports[0]) if labels[p.label] > 1 else p for p in close]
        return Ambiguous(close[0].name, tuple(close[:MAX_OPTIONS]))


def build_gazetteer() -> Gazetteer:
    """The gazetteer over the installed data, built from the sources (several seconds)."""
    return Gazetteer(_sources.airports(), _sources.cities(), _sources.region_codes())


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer over the installed data: read from the user's cache when it was built there
    before for the same data and code (``_cache``), else built and written there."""
    from ._cache import cached

    return cached(build_gazetteer, Gazetteer.to_tables, Gazetteer.from_tables)

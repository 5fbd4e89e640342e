"""Places: canonical names, airports and time zones from airportsdata, ambiguity, regions, unknown words."""

from __future__ import annotations

import pytest

from model import tokenize
from service.dialogue.places import Ambiguous, Gazetteer, Region, Resolved, Unknown, gazetteer, normalise


@pytest.mark.parametrize(
    ("said", "city", "airports", "timezone"),
    [
        ("denver", "Denver", ("DEN",), "America/Denver"),
        ("Taipei", "Taipei", ("TPE", "TSA"), "Asia/Taipei"),
        ("new york", "New York", ("JFK", "LGA", "EWR"), "America/New_York"),  # a metropolitan area
        ("NYC", "New York", ("JFK", "LGA", "EWR"), "America/New_York"),
        ("st. louis", "St Louis", ("STL",), "America/Chicago"),
        ("saint louis", "St Louis", ("STL",), "America/Chicago"),
        ("london", "London", ("LHR", "LGW", "STN", "LTN", "LCY", "SEN"), "Europe/London"),  # not London, Ontario
        ("paris", "Paris", ("CDG", "ORY"), "Europe/Paris"),  # not Paris, Texas
        ("paris, texas", "Paris", ("PRX",), "America/Chicago"),
        ("portland maine", "Portland", ("PWM",), "America/New_York"),
        ("portland, oregon", "Portland", ("PDX",), "America/Los_Angeles"),
        ("austin texas", "Austin", ("AUS",), "America/Chicago"),
        ("seattle", "Seattle", ("SEA",), "America/Los_Angeles"),  # not Boeing Field beside it
        ("São Paulo", "Sao Paulo", ("GRU", "CGH", "VCP"), "America/Sao_Paulo"),
        ("dallas-fort worth", "Dallas", ("DFW", "DAL"), "America/Chicago"),
    ],
)
def test_cities_resolve_to_name_airports_and_zone(said: str, city: str, airports: tuple, timezone: str) -> None:
    resolution = gazetteer().resolve(said)
    assert isinstance(resolution, Resolved), resolution
    assert resolution.place.city.model_dump() == {"city": city, "airports": airports, "timezone": timezone}


def test_cities_of_equal_standing_are_a_choice() -> None:
    resolution = gazetteer().resolve("portland")
    assert isinstance(resolution, Ambiguous)
    assert sorted(o.label for o in resolution.options) == ["Portland, Maine", "Portland, Oregon"]
    assert {o.airports for o in resolution.options} == {("PDX",), ("PWM",)}
    springfield = gazetteer().resolve("springfield")
    assert isinstance(springfield, Ambiguous) and 2 <= len(springfield.options) <= 4


def test_regions_and_unknown_words() -> None:
    assert gazetteer().resolve("texas") == Region("Texas")
    assert gazetteer().resolve("japan") == Region("Japan")
    assert gazetteer().resolve("blorptown") == Unknown("blorptown")
    for word in ("the", "to", "please", "yes", "june", "fly"):
        assert isinstance(gazetteer().resolve(word), Unknown), word


def test_near_misses_suggest_a_well_known_city() -> None:
    near_misses = [("bostn", "Boston, Massachusetts"), ("lodnon", "London, England"), ("chicgo", "Chicago, Illinois")]
    for typo, label in near_misses:
        resolution = gazetteer().resolve(typo)
        assert isinstance(resolution, Unknown) and resolution.suggestion is not None
        assert resolution.suggestion.label == label
    for word in ("weather", "purple", "xyzzy", "bos"):
        assert gazetteer().resolve(word).suggestion is None, word


def test_airport_codes_and_choice_answers() -> None:
    assert gazetteer().airport("jfk").name == "New York"
    assert gazetteer().airport("EWR").name == "New York"  # the metropolitan area, not only Newark
    assert gazetteer().airport("ZZZ") is None
    options = gazetteer().resolve("portland").options  # type: ignore[union-attr]
    maine = next(o for o in options if o.region == "Maine")
    assert gazetteer().matches(maine, "the one in maine")
    assert gazetteer().matches(maine, "pwm please")
    assert not gazetteer().matches(maine, "oregon")


def test_find_names_in_tokens() -> None:
    tokens = tokenize("leave salt lake city and go to new york please")
    assert gazetteer().find(tokens) == [(1, 4), (7, 9)]


def test_normalise() -> None:
    assert normalise("St. Louis") == normalise("saint louis") == "st louis"
    assert normalise("Zürich") == "zurich"
    assert normalise("Fort Lauderdale") == normalise("ft. lauderdale")


def test_namesakes_close_together_are_one_city() -> None:
    resolution = gazetteer().resolve("san jose")
    assert isinstance(resolution, Ambiguous)
    assert [o.label for o in resolution.options] == ["San Jose, California", "San Jose, Costa Rica"]
    assert set(resolution.options[1].airports) == {"SJO", "SYQ"}  # in two provinces, one city


def _airport(code: str, name: str, city: str, subd: str, lat: float, lon: float, country: str = "US") -> dict:
    return {"icao": "", "iata": code, "name": name, "city": city, "subd": subd, "country": country,
            "elevation": 0.0, "lat": lat, "lon": lon, "tz": "America/Chicago", "lid": ""}


def test_tiers_on_a_small_world() -> None:
    world = Gazetteer({
        "AAA": _airport("AAA", "Lakeside International Airport", "Lakeside", "Ohio", 40.0, -82.0),
        "AAB": _airport("AAB", "Lakeside Municipal Airport", "Lakeside", "Ohio", 40.1, -82.1),
        "BBB": _airport("BBB", "Lakeside International Airport", "Lakeside", "Iowa", 42.0, -93.0),
        "CCC": _airport("CCC", "Lakeside Army Heliport", "Lakeside", "Texas", 31.0, -97.0),
        "DDD": _airport("DDD", "Far Field", "Lakeside", "Ohio", 41.5, -84.5),
    })
    resolution = world.resolve("lakeside")
    assert isinstance(resolution, Ambiguous)  # two international airports: ask (not the heliport, not Far Field)
    assert [(o.label, o.airports) for o in resolution.options] == [
        ("Lakeside, Iowa", ("BBB",)),
        ("Lakeside, Ohio", ("AAA",)),  # its best tier only: not the municipal airport beside it
    ]
    assert isinstance(world.resolve("lakeside texas"), Unknown)  # a heliport is not an airline airport


def test_namesakes_that_read_the_same_get_their_airport() -> None:
    world = Gazetteer({
        "AAA": _airport("AAA", "San Jose Airport", "San Jose", "Mimaropa", 12.4, 121.0, country="PH"),
        "DDD": _airport("DDD", "Evelio Javier Airport", "San Jose", "Western Visayas", 10.8, 121.9, country="PH"),
        "EEE": _airport("EEE", "Other Airport", "San Jose", "Luzon", 12.45, 121.05, country="PH"),
    })
    resolution = world.resolve("san jose")
    assert isinstance(resolution, Ambiguous)  # 200 km apart: two cities; EEE, 7 km from AAA, is AAA's city
    assert [o.label for o in resolution.options] == ["San Jose, Philippines (AAA)", "San Jose, Philippines (DDD)"]
    assert resolution.options[0].airports == ("AAA", "EEE")

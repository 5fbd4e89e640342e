"""Places: the names people use, from GeoNames, airportsdata and OurAirports; standing, regions, unknown words.

The first tests read the installed data (as the service does); the small worlds at the end
build gazetteers of their own, so each rule is shown on data made for it.
"""

from __future__ import annotations

import pytest

from model import tokenize
from service.dialogue import _sources
from service.dialogue.places import Ambiguous, Gazetteer, Region, Resolved, Unknown, gazetteer, normalise


def _resolved(said: str):
    resolution = gazetteer().resolve(said)
    assert isinstance(resolution, Resolved), (said, resolution)
    return resolution.place


@pytest.mark.parametrize(
    ("said", "city", "airports", "timezone"),
    [
        ("denver", "Denver", ("DEN",), "America/Denver"),
        ("Taipei", "Taipei", ("TPE", "TSA"), "Asia/Taipei"),
        ("new york", "New York", ("JFK", "LGA", "EWR"), "America/New_York"),  # a metropolitan area
        ("NYC", "New York", ("JFK", "LGA", "EWR"), "America/New_York"),
        ("the big apple", "New York", ("JFK", "LGA", "EWR"), "America/New_York"),  # GeoNames' other name
        ("st. louis", "St. Louis", ("STL",), "America/Chicago"),
        ("saint louis", "St. Louis", ("STL",), "America/Chicago"),
        ("london", "London", ("LHR", "LGW", "STN", "LTN", "LCY", "SEN"), "Europe/London"),  # not London, Ontario
        ("paris", "Paris", ("CDG", "ORY"), "Europe/Paris"),  # not Paris, Texas
        ("portland", "Portland", ("PDX",), "America/Los_Angeles"),  # ten times Portland, Maine
        ("portland maine", "Portland", ("PWM",), "America/New_York"),
        ("portland, oregon", "Portland", ("PDX",), "America/Los_Angeles"),
        ("austin texas", "Austin", ("AUS",), "America/Chicago"),
        ("seattle", "Seattle", ("SEA",), "America/Los_Angeles"),  # named for it: not Boeing Field beside it
        ("São Paulo", "Sao Paulo", ("GRU", "CGH", "VCP"), "America/Sao_Paulo"),
        ("dallas-fort worth", "Dallas", ("DFW", "DAL"), "America/Chicago"),
    ],
)
def test_cities_resolve_to_name_airports_and_zone(said: str, city: str, airports: tuple, timezone: str) -> None:
    assert _resolved(said).city.model_dump() == {"city": city, "airports": airports, "timezone": timezone}


@pytest.mark.parametrize(
    ("said", "airports"),
    [
        # filed under other names in airportsdata: "Kaohsiung City", "Denpasar-Bali Island", "Firenze", "Covington"
        ("kaohsiung", ("KHH",)), ("bali", ("DPS",)), ("florence", ("FLR",)), ("firenze", ("FLR",)),
        ("cincinnati", ("CVG",)),  # across the river in Kentucky, not the Lunken field
        ("oakland", ("OAK",)), ("raleigh", ("RDU",)),
        # local, old and colloquial names
        ("münchen", ("MUC",)), ("bombay", ("BOM",)), ("saigon", ("SGN",)), ("peking", ("PEK", "PKX")),
        ("vegas", ("LAS",)), ("philly", ("PHL",)), ("LA", ("LAX",)), ("SF", ("SFO",)), ("nola", ("MSY",)),
        ("chi-town", ("ORD", "MDW")), ("cdmx", ("MEX", "NLU")),
        # a state or province code, or "in" a country
        ("seattle, wa", ("SEA",)), ("vancouver, bc", ("YVR",)), ("portland, or", ("PDX",)),
        ("portland, ME", ("PWM",)), ("florence, italy", ("FLR",)), ("florence in italy", ("FLR",)),
        ("london ontario", ("YXU",)),
        # islands and resorts (_airports.AREAS), named for no town: the airports that serve them
        ("maui", ("OGG",)), ("the big island", ("KOA", "ITO")), ("martha's vineyard", ("MVY",)),
        ("majorca", ("PMI",)), ("vail", ("EGE",)), ("cabo", ("SJD",)), ("disney world", ("MCO",)),
        ("crete", ("HER", "CHQ")),  # the island's, not the Sitia field filed as "Crete Island"
        ("antigua", ("ANU",)),  # the island, not the town in Guatemala, which flies from Guatemala City
        ("park city", ("SLC",)),  # the resort in Utah, not a nickname of Bridgeport
        ("palma", ("PMI",)), ("jackson", ("JAN",)),  # the towns keep their own names
        ("the bay area", ("SFO", "OAK", "SJC")), ("twin cities", ("MSP",)), ("kc", ("MCI",)),
    ],
)  # fmt: skip
def test_the_names_people_use(said: str, airports: tuple) -> None:
    assert _resolved(said).airports == airports


@pytest.mark.parametrize(
    ("said", "airport", "city"),
    [
        ("heathrow", "LHR", "London"), ("o'hare", "ORD", "Chicago"), ("schiphol", "AMS", "Amsterdam"),
        ("changi", "SIN", "Singapore"), ("charles de gaulle", "CDG", "Paris"), ("haneda", "HND", "Tokyo"),
        ("laguardia", "LGA", "New York"), ("dulles", "IAD", "Washington"), ("gatwick", "LGW", "London"),
        ("logan", "BOS", "Boston"),  # a large airport's name beats a small place of that name
        ("logan airport", "BOS", "Boston"), ("newark airport", "EWR", "Newark"), ("incheon", "ICN", "Incheon"),
        ("love field", "DAL", "Dallas"),  # "Dallas Love Field": the name less its city, "field" kept
        ("reagan national", "DCA", "Washington"),  # "Ronald Reagan Washington Ntl Airport"
    ],
)  # fmt: skip
def test_an_airport_named_books_that_airport(said: str, airport: str, city: str) -> None:
    place = _resolved(said)
    assert (place.name, place.airports) == (city, (airport,))


@pytest.mark.parametrize(
    ("said", "airport", "city"),
    [
        ("london heathrow", "LHR", "London"), ("chicago midway", "MDW", "Chicago"), ("new york jfk", "JFK", "New York"),
        ("paris orly", "ORY", "Paris"),  # Orly is also a town: its airport is the one meant
        ("tokyo narita airport", "NRT", "Tokyo"), ("chicago o'hare international airport", "ORD", "Chicago"),
        ("dallas love field", "DAL", "Dallas"),
    ],
)  # fmt: skip
def test_a_city_with_one_of_its_airports_books_that_airport(said: str, airport: str, city: str) -> None:
    place = _resolved(said)
    assert (place.name, place.airports) == (city, (airport,))
    assert gazetteer().city_airport("boston jfk") is None  # not Boston's: no airport of the city
    assert gazetteer().city_airport("london") is None


def test_other_names_that_are_everyday_words_name_no_town() -> None:
    # GeoNames files "ever" under Evere, "part" under Perth, "from" under Frome, "okay" under Les Cayes
    for word in ("ever", "part", "from", "market", "okay"):
        assert not isinstance(gazetteer().resolve(word), Resolved), word
    # a word of the name, its initials, and names of several words stay
    for said, city in [("vegas", "Las Vegas"), ("la", "Los Angeles"), ("philly", "Philadelphia"),
                       ("big apple", "New York")]:  # fmt: skip
        assert _resolved(said).name == city


@pytest.mark.parametrize("said", ["washington state", "the state of washington", "state of washington"])
def test_a_state_said_as_one_is_the_state_not_its_namesake_city(said: str) -> None:
    assert gazetteer().resolve(said) == Region("Washington")  # was Washington, D.C.
    assert gazetteer().is_place(said)


def test_codes_book_their_airport_and_scheduled_service_is_required() -> None:
    jfk = gazetteer().airport("jfk")
    assert jfk is not None and (jfk.name, jfk.airports) == ("New York", ("JFK",))
    assert gazetteer().airport("EWR").airports == ("EWR",)  # type: ignore[union-attr]
    assert gazetteer().airport("ZZZ") is None


def test_only_true_near_ties_are_asked() -> None:
    springfield = gazetteer().resolve("springfield")
    assert isinstance(springfield, Ambiguous)
    assert [o.label for o in springfield.options] == [
        "Springfield, Illinois", "Springfield, Massachusetts", "Springfield, Missouri",
    ]  # fmt: skip
    for famous in ("columbus", "birmingham", "manchester", "athens", "sydney", "santiago", "san jose"):
        assert isinstance(gazetteer().resolve(famous), Resolved), famous


def test_choice_answers() -> None:
    springfield = gazetteer().resolve("springfield")
    assert isinstance(springfield, Ambiguous)
    missouri = next(o for o in springfield.options if o.region == "Missouri")
    assert gazetteer().matches(missouri, "the one in missouri")
    assert gazetteer().matches(missouri, "sgf please")
    assert gazetteer().matches(missouri, "MO")
    assert not gazetteer().matches(missouri, "illinois")


def test_regions_and_unknown_words() -> None:
    assert gazetteer().resolve("texas") == Region("Texas")
    assert gazetteer().resolve("japan") == Region("Japan")
    assert gazetteer().resolve("blorptown") == Unknown("blorptown")
    for word in ("the", "to", "please", "yes", "june", "fly"):
        assert isinstance(gazetteer().resolve(word), Unknown), word


def test_a_region_beats_small_places_of_its_name_elsewhere() -> None:
    world = gazetteer()
    for said, region in [
        ("florida", "Florida"),
        ("puerto rico", "Puerto Rico"),
        ("tuscany", "Tuscany"),
        ("costa rica", "Costa Rica"),
        ("jamaica", "Jamaica"),
    ]:  # towns in Colombia, Bolivia, Calgary, Mexico; a part of Queens of 200,000 people flying from JFK
        assert world.resolve(said) == Region(region), said
    assert _resolved("jamaica, new york").airports == ("JFK",)  # said with its state, still the place
    for said, airports in [("lebanon", ("BEY",)), ("jordan", ("AMM",)), ("montenegro", ("TGD",))]:
        resolved = world.resolve(said)  # a country of one large airport, not a town flying from another's
        assert isinstance(resolved, Resolved) and resolved.place.airports == airports, said
    for said, airports in [("ontario", ("ONT",)), ("liberia", ("LIR",)), ("limon", ("LIO",)), ("quebec", ("YQB",))]:
        resolved = world.resolve(said)  # a city of standing, with its own airport or in its namesake region
        assert isinstance(resolved, Resolved) and resolved.place.airports == airports, said


def test_near_misses_suggest_a_well_known_city() -> None:
    near_misses = [("bostn", "Boston, Massachusetts"), ("lodnon", "London, England"), ("chicgo", "Chicago, Illinois")]
    for typo, label in near_misses:
        resolution = gazetteer().resolve(typo)
        assert isinstance(resolution, Unknown) and resolution.suggestion is not None
        assert resolution.suggestion.label == label
    for word in ("weather", "purple", "xyzzy"):
        resolution = gazetteer().resolve(word)
        assert isinstance(resolution, Unknown) and resolution.suggestion is None, word


def test_find_names_in_tokens() -> None:
    tokens = tokenize("leave salt lake city and go to new york please")
    assert gazetteer().find(tokens) == [(1, 4), (7, 9)]
    assert gazetteer().find(tokenize("las vegas, not las cruces")) == [(0, 2), (4, 6)]


def test_normalise() -> None:
    assert normalise("St. Louis") == normalise("saint louis") == "st louis"
    assert normalise("Zürich") == "zurich"
    assert normalise("Fort Lauderdale") == normalise("ft. lauderdale")
    assert normalise("O'Hare") == "ohare" and normalise("Chi-town") == "chi town"


def test_the_cache_reads_back_the_same_gazetteer() -> None:
    built = gazetteer()
    read = Gazetteer.from_tables(built.to_tables())
    for said in ("florence", "springfield", "heathrow", "texas", "seattle, wa", "bostn"):
        assert read.resolve(said) == built.resolve(said), said
    assert read.airport("cvg") == built.airport("cvg")


# --- small worlds ---------------------------------------------------------------------------


def _airport(code: str, name: str, city: str, subd: str, lat: float, lon: float, country: str = "US") -> dict:
    return {"icao": "", "iata": code, "name": name, "city": city, "subd": subd, "country": country,
            "elevation": 0.0, "lat": lat, "lon": lon, "tz": "America/Chicago", "lid": ""}  # fmt: skip


def _city(name: str, lat: float, lon: float, population: int, others: tuple[str, ...] = (), region: str = "OH"):
    return _sources.City(name, "US", lat, lon, population, "America/Chicago", region, others)


def test_tiers_come_from_scheduled_service_and_size() -> None:
    service = {
        "AAA": _sources.Service("large_airport", True), "AAB": _sources.Service("medium_airport", True),
        "BBB": _sources.Service("small_airport", True), "CCC": _sources.Service("heliport", False),
    }  # fmt: skip
    world = Gazetteer(_sources.airports({
        "AAA": _airport("AAA", "Lakeside International Airport", "Lakeside", "Ohio", 40.0, -82.0),
        "AAB": _airport("AAB", "Lakeside Municipal Airport", "Lakeside", "Ohio", 40.1, -82.1),
        "BBB": _airport("BBB", "Lakeside Regional Airport", "Lakeside", "Iowa", 42.0, -93.0),
        "CCC": _airport("CCC", "Lakeside Army Heliport", "Lakeside", "Texas", 31.0, -97.0),
        "DDD": _airport("DDD", "Lakeside Air Force Base", "Lakeside", "Nevada", 36.0, -115.0),
    }, service))  # fmt: skip
    resolution = world.resolve("lakeside")
    assert isinstance(resolution, Resolved)  # the large airport's town: no question
    assert resolution.place.airports == ("AAA",)  # its best tier only: not the municipal field beside it
    assert world.resolve("lakeside iowa").place.airports == ("BBB",)  # type: ignore[union-attr]
    assert isinstance(world.resolve("lakeside texas"), Unknown)  # no scheduled service: no place
    assert isinstance(world.resolve("lakeside nevada"), Unknown)  # not in OurAirports, and a military base


def test_population_decides_and_a_city_flies_from_the_large_airport_near_it() -> None:
    service = {code: _sources.Service("large_airport", True) for code in ("BIG", "TWN")} | {
        "LUK": _sources.Service("medium_airport", True)
    }
    world = Gazetteer(
        _sources.airports({
            "BIG": _airport("BIG", "Riverside International Airport", "Kenton", "Kentucky", 39.05, -84.66),
            "LUK": _airport("LUK", "Riverside Municipal Airport", "Riverside", "Ohio", 39.10, -84.42),
            "TWN": _airport("TWN", "Riverside Airport", "Riverside", "Oregon", 45.0, -120.0),
        }, service),
        [_city("Riverside", 39.10, -84.51, 300_000), _city("Riverside", 45.01, -120.01, 20_000, region="OR"),
         _city("Kenton", 39.06, -84.50, 40_000, region="KY")],
    )  # fmt: skip
    big = world.resolve("riverside")
    assert isinstance(big, Resolved)  # 300,000 people against 20,000: no question
    assert big.place.airports == ("BIG",)  # the large airport 14 km away, not its own medium field


def test_namesakes_of_nearly_equal_standing_are_a_choice_told_apart() -> None:
    service = {code: _sources.Service("large_airport", True) for code in ("AAA", "DDD", "EEE")}
    world = Gazetteer(_sources.airports({
        "AAA": _airport("AAA", "San Jose Airport", "San Jose", "Mimaropa", 12.4, 121.0, country="PH"),
        "DDD": _airport("DDD", "Evelio Javier Airport", "San Jose", "Western Visayas", 10.8, 121.9, country="PH"),
        "EEE": _airport("EEE", "Other Airport", "San Jose", "Luzon", 12.45, 121.05, country="PH"),
    }, service))  # fmt: skip
    resolution = world.resolve("san jose")
    assert isinstance(resolution, Ambiguous)  # 200 km apart: two cities; EEE, 7 km from AAA, is AAA's city
    assert [o.label for o in resolution.options] == ["San Jose, Philippines (AAA)", "San Jose, Philippines (DDD)"]
    assert resolution.options[0].airports == ("AAA", "EEE")

"""The readers of the booking's other values (trip, travellers, cabin, airline, nonstop) and of the name."""

from __future__ import annotations

import pytest

from model.tokenize import tokenize
from service.dialogue import Airline, Travellers
from service.dialogue.form import READERS
from service.dialogue.names import MAX_NAME, valid_name
from service.dialogue.preferences import Count, Uncounted, Words, read_all


def values(text: str, asked: str | None = None) -> dict[str, object]:
    found = read_all(Words(tuple(tokenize(text)), text=text, asked=asked), READERS)  # type: ignore[arg-type]
    return {f.slot: f.value for f in found}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a round trip to lisbon", {"trip": "round_trip"}),
        ("return ticket please", {"trip": "round_trip"}),
        ("one way to denver", {"trip": "one_way"}),  # "one" is no traveller count
        ("for two", {"travellers": Travellers(adults=2)}),
        ("for 2 people", {"travellers": Travellers(adults=2)}),
        ("two tickets", {"travellers": Travellers(adults=2)}),
        ("me and my wife", {"travellers": Travellers(adults=2)}),
        ("my wife and i", {"travellers": Travellers(adults=2)}),
        ("3 adults and a child", {"travellers": Travellers(adults=3, children=1)}),
        ("me and my husband and our two kids", {"travellers": Travellers(adults=2, children=2)}),
        ("with my wife and 3 kids", {"travellers": Travellers(adults=2, children=3)}),
        ("and our two kids", {"travellers": Travellers(adults=0, children=2)}),  # the form keeps its adults
        ("the four of us", {"travellers": Travellers(adults=4)}),
        ("party of five", {"travellers": Travellers(adults=5)}),
        ("just me", {"travellers": Travellers(adults=1)}),
        ("because my daughter had a baby", {}),  # why the trip is, not who flies
        # a child said by its age (was nobody, or one child for two)
        ("me and my 5 year old", {"travellers": Travellers(adults=1, children=1)}),
        ("with a 3-year-old and a baby", {"travellers": Travellers(adults=1, children=2)}),
        ("me and my 12-year-old son", {"travellers": Travellers(adults=1, children=1)}),
        ("me and my two 5 year olds", {"travellers": Travellers(adults=1, children=2)}),
        ("with my wife and our 7 yr old", {"travellers": Travellers(adults=2, children=1)}),
        # whom the trip is to see: no traveller (were counted one each)
        ("my daughter lives in austin and i want to visit her", {}), ("i want to visit my sister", {}),
        ("i want to see my parents", {}), ("i'd like to surprise my mom", {}), ("i'm seeing my brother", {}),
        ("i'm going to my cousin who lives there", {}),
        ("we are expecting a baby", {}),
        ("me and a baby", {"travellers": Travellers(adults=1, children=1)}),
        ("me plus 2 kids", {"travellers": Travellers(adults=1, children=2)}),  # was "no adult"
        ("me + 2 kids", {"travellers": Travellers(adults=1, children=2)}),
        ("with 3 friends", {"travellers": Travellers(adults=4)}),  # was no count: one adult
        ("with my two colleagues", {"travellers": Travellers(adults=3)}),
        ("with my grandparents", {"travellers": Travellers(adults=3)}),
        ("me, my wife and the baby", {"travellers": Travellers(adults=2, children=1)}),  # the baby was left out
        ("for 5 days", {}),
        ("for 2 pm", {}),
        ("in business class", {"cabin": "business"}),
        ("i'm on a business trip", {}),
        ("first class please", {"cabin": "first"}),
        ("premium economy", {"cabin": "premium_economy"}),
        ("coach", {"cabin": "economy"}),
        ("on united", {"airline": Airline(code="UA", name="United Airlines")}),
        ("united states", {}),  # an airline word beside no airline word is no airline
        ("singapore airlines", {"airline": Airline(code="SQ", name="Singapore Airlines")}),
        ("continental airlines", {"airline": Airline(code="UA", name="United Airlines")}),  # merged into United
        ("any airline is fine", {"airline": None}),
        ("nonstop if possible", {"nonstop": True}),
        ("a direct flight", {"nonstop": True}),
        ("stops are fine", {"nonstop": False}),
        ("for two in business, nonstop, on lufthansa", {"travellers": Travellers(adults=2), "cabin": "business",
                                                        "nonstop": True,
                                                        "airline": Airline(code="LH", name="Lufthansa")}),
    ],
)
def test_readers(text: str, expected: dict[str, object]) -> None:
    assert values(text) == expected


@pytest.mark.parametrize(
    ("text", "party"),
    [
        ("me and my friends", Uncounted(adults=1, children=0, asking="people")),  # was 2 adults: a guess
        ("a trip with friends", Uncounted(adults=1, children=0, asking="people")),
        ("with my colleagues", Uncounted(adults=1, children=0, asking="people")),
        ("with my kids", Uncounted(adults=1, children=0, asking="children")),
        ("me, my wife and the kids", Uncounted(adults=2, children=0, asking="children")),
        ("me, my husband, our 2 kids and my parents", Travellers(adults=4, children=2)),  # all counted
        ("with my 3 kids", Travellers(adults=1, children=3)),
    ],
)
def test_a_party_named_without_its_number_is_to_be_counted(text: str, party: object) -> None:
    assert values(text)["travellers"] == party


@pytest.mark.parametrize(
    ("text", "asked", "count"),
    [("4", "travellers", Count(4)), ("five of us", "travellers", Count(5)), ("5 in total", "travellers", Count(5)),
     ("4", "traveller", None), ("4", None, None), ("4 to boston", "travellers", None)],
)  # fmt: skip
def test_a_number_alone_counts_only_when_asked_how_many(text: str, asked: str | None, count: Count | None) -> None:
    found = values(text, asked).get("travellers")
    assert (found if isinstance(found, Count) else None) == count


@pytest.mark.parametrize(
    ("text", "asked", "name"),
    [
        ("Ana María O'Neill-Sousa", "traveller", "Ana María O'Neill-Sousa"),
        ("my name is Siobhán O\u2019Brien please", "traveller", "Siobhán O'Brien"),  # a typographic apostrophe
        ("it's 李小龍", "traveller", "李小龍"),
        ("Ms. Anne Smith", "traveller", "Anne Smith"),
        ("O'Hara, Scarlett", "traveller", "Scarlett O'Hara"),
        ("Paris Jackson", "traveller", "Paris Jackson"),  # asked for a name, a name
        ("change the name to Jean-Luc Moreau", None, "Jean-Luc Moreau"),  # said on purpose, asked or not
        ("the traveller is Kwame Mensah", None, "Kwame Mensah"),
        ("Ana Sousa", None, None),  # not asked, not said on purpose: not read as a name
        ("to denver", "traveller", None),
        ("yes", "traveller", None),
        ("tomorrow", "traveller", None),
        ("Charlotte please", "traveller", None),  # a lone well-known city: the city
    ],
)
def test_the_name_is_read_when_asked_or_said_on_purpose(text: str, asked: str | None, name: str | None) -> None:
    assert values(text, asked).get("traveller") == name


def test_a_passport_name_is_letters_spaces_hyphens_and_apostrophes() -> None:
    for good in ("Ana Sousa", "Nguyễn Thị Lan", "محمد علي", "Olúwaseun Adébáyọ̀", "O'Neill-Sousa", "Ng"):
        assert valid_name(good), good
    for bad in ("R2-D2", "@@@", "Ana  Sousa", "-Ana", "Ana-", "Ana--Sousa", "", "x" * (MAX_NAME + 1), "Ana_Sousa"):
        assert not valid_name(bad), bad

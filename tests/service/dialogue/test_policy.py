"""The pure policy, table-tested on hand-built parses: no tagger, no database, a fixed clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest

from service.dialogue import Book, CancelBooking, DialogueState, Say, next_turn, opening
from service.dialogue.domain import Return, Travellers
from service.dialogue.form import Problem, check_return
from service.dialogue.state import Choice, DidYouMean
from tests.service.conftest import NOW, tagged


@dataclass
class Conversation:
    state: DialogueState
    reply: str = ""
    actions: list = field(default_factory=list)


NAME = "Ana Sousa"  # the answer to "Who is travelling?"
REFERENCE = "B00K1NG2"  # what a booking made in these turns is called (the manager draws a fresh one)


def converse(*messages: str, state: DialogueState | None = None, now: dt.datetime = NOW) -> Conversation:
    """Run messages (markup, see ``tagged``) through the policy from a fresh or given state."""
    conversation = Conversation(state or opening()[0])
    for message in messages:
        conversation.state, conversation.actions = next_turn(
            conversation.state, tagged(message), now, reference=REFERENCE
        )
        conversation.reply = " ".join(a.text for a in conversation.actions if isinstance(a, Say))
    return conversation


def city(conversation: Conversation, slot: str) -> str | None:
    value = getattr(conversation.state.slots, slot)
    return None if value is None else value.city


def arrival(conversation: Conversation) -> tuple | None:
    value = conversation.state.slots.arrival
    return None if value is None else (value.date.isoformat(), value.time and value.time.strftime("%H:%M"),
                                        value.qualifier)


# A table of one-message cases from the greeting: message -> expected slots, status, and words of the reply.
ONE_MESSAGE = [
    # bare answers to "Where do you want to fly to?", tagged or not
    ("taipei", {"destination": "Taipei"}, "collecting", "When do you need to arrive in Taipei?"),
    ("to taipei please", {"destination": "Taipei"}, "collecting", "arrive in Taipei"),
    ("[boston|fromloc.city_name]", {"destination": "Boston"}, "collecting", "arrive in Boston"),
    ("[boston|toloc.city_name] please", {"destination": "Boston"}, "collecting", "arrive in Boston"),
    # direction from cue words and tags
    ("from [boston|fromloc.city_name]", {"origin": "Boston"}, "collecting", "Where do you want to fly to?"),
    ("leave taipei on nov. [2nd|depart_time.end_time|0.26]", {"origin": "Taipei", "departure": "2027-11-02"},
     "collecting", "Where do you want to fly to?"),
    ("[boston|fromloc.city_name] to [denver|toloc.city_name]", {"origin": "Boston", "destination": "Denver"},
     "collecting", "arrive in Denver"),
    # a code the tagger missed still says which end the other place is: neither is dropped
    ("fly [lga|fromloc.city_name] to dca", {"origin": "New York", "destination": "Washington"}, "collecting",
     "arrive in Washington"),
    ("fly lga to dca", {"origin": "New York", "destination": "Washington"}, "collecting", "arrive in Washington"),
    ("taipei to [boston|toloc.city_name]", {"origin": "Taipei", "destination": "Boston"}, "collecting",
     "arrive in Boston"),
    ("to [denver|toloc.city_name] for a wedding", {"destination": "Denver"}, "collecting", "arrive in Denver"),
    ("to [boston|toloc.city_name] with my cat", {"destination": "Boston"}, "collecting", "arrive in Boston"),
    # two destinations tagged, one the lists know: that one ("the marathon in Boston")
    ("the [marathon|toloc.city_name] in [boston|toloc.city_name]", {"destination": "Boston"}, "collecting",
     "When do you need to arrive in Boston?"),
    ("to [blorp|toloc.city_name] or [atlantis|toloc.city_name]", {}, "collecting",
     'know a place called "blorp"'),  # neither known: the first, as before
    # a span run on past the city: the well-known city it began with
    ("to [st. louis because|toloc.city_name] of a funeral", {"destination": "St. Louis"}, "collecting",
     "When do you need to arrive in St. Louis?"),
    ("[she|fromloc.city_name|0.75] has to fly to [boston|toloc.city_name]", {"destination": "Boston"}, "collecting",
     "arrive in Boston"),  # not from Shenyang (SHE)
    ("i want to arrive in taipei on [november|arrive_date.month_name] [2nd|arrive_date.day_number]",
     {"destination": "Taipei", "arrival": ("2027-11-02", None, None)}, "collecting", "Who is travelling?"),
    # an undirected flight date (ATIS says depart_date) is the arrival; a departure needs a departure word
    ("fly to [denver|toloc.city_name] on [december|depart_date.month_name] [5th|depart_date.day_number]",
     {"destination": "Denver", "arrival": ("2026-12-05", None, None)}, "collecting", "Saturday, December 5, 2026"),
    ("i want to fly from [boston|fromloc.city_name] to [denver|toloc.city_name] arriving [by|arrive_time.time_relative]"
     " [5 pm|arrive_time.time] on [june|arrive_date.month_name] [fourteenth|arrive_date.day_number]",
     {"origin": "Boston", "destination": "Denver", "arrival": ("2027-06-14", "17:00", "by")}, "collecting",
     "arriving by 5:00 pm on Monday, June 14, 2027"),
    ("leave [pittsburgh|fromloc.city_name] on december 3rd and arrive in [atlanta|toloc.city_name] before 6 pm on "
     "december 4th", {"origin": "Pittsburgh", "departure": "2026-12-03", "destination": "Atlanta",
                      "arrival": ("2026-12-04", "18:00", "before")}, "collecting", "leaving on Thursday, December 3"),
    ("fly to [jfk|toloc.airport_code] tomorrow", {"destination": "New York", "arrival": ("2026-11-27", None, None)},
     "collecting", "New York (JFK)"),
    # no airport has that code: the words are read as a place's name instead
    ("to [sf|toloc.airport_code] tomorrow", {"destination": "San Francisco", "arrival": ("2026-11-27", None, None)},
     "collecting", "San Francisco (SFO)"),
    ("my origin is [reno|airport_code] and my destination is [omaha|airport_code]",
     {"origin": "Reno", "destination": "Omaha"}, "collecting", "Omaha"),
    ("to [blorp|toloc.airport_code]", {}, "collecting", 'I don\'t know a place called "blorp"'),
    # a word the tagger is unsure is a place, no list knows, beside a place the lists know: not a place
    ("one [more|fromloc.city_name|0.45] please: austin on feb 6th", {"destination": "Austin",
     "arrival": ("2027-02-06", None, None)}, "collecting", "Who is travelling?"),
    ("one [more|fromloc.city_name|0.45] please", {}, "collecting", 'I don\'t know a place called "more"'),
    ("one [more|fromloc.city_name] please: austin on feb 6th", {"destination": "Austin",
     "arrival": ("2027-02-06", None, None)}, "collecting", 'I don\'t know a place called "more"'),
    # a vague count of days or weeks, tagged a city: no place, and no date either, so the date is asked
    ("to [boston|toloc.city_name] in a couple of [weeks|city_name]", {"destination": "Boston"}, "collecting",
     "When do you need to arrive in Boston?"),
    # an unsure place after "a" is a noun, beside a place the lists know: no "Did you mean Surprise, Arizona?"
    ("to [phoenix|toloc.city_name] on december 5th, a [surprise|fromloc.city_name|0.3] for my wife",
     {"destination": "Phoenix", "arrival": ("2026-12-05", None, None)}, "collecting", "Who is travelling?"),
    # an arrow points to the destination; "son" is no airport code (SON: Luganville)
    ("sfo -> jfk on the 12th", {"origin": "San Francisco", "destination": "New York",
     "arrival": ("2026-12-12", None, None)}, "collecting", "to New York (JFK), from San Francisco (SFO)"),
    ("my [son|fromloc.city_name] needs to get back to [ann arbor|toloc.city_name] on the 12th",
     {"destination": "Ann Arbor", "arrival": ("2026-12-12", None, None)}, "collecting", "Who is travelling?"),
    # an airport called home is the origin; "myself" is no place
    ("my home airport is den, going to [austin|toloc.city_name] on the 12th", {"origin": "Denver",
     "destination": "Austin", "arrival": ("2026-12-12", None, None)}, "collecting", "from Denver (DEN)"),
    ("to [austin|toloc.city_name] for [myself|toloc.city_name] and my partner", {"destination": "Austin"},
     "collecting", "2 adults"),
    ("[family|fromloc.city_name] trip to [austin|toloc.city_name]", {"destination": "Austin"}, "collecting",
     "When do you need to arrive in Austin?"),
    # the tagger found the state code, not the city before it
    ("seattle [wa|toloc.state_code|0.19]", {"destination": "Seattle"}, "collecting", "arrive in Seattle"),
    ("to austin [texas|toloc.state_name|0.49]", {"destination": "Austin"}, "collecting", "arrive in Austin"),
    ("portland maine", {"destination": "Portland"}, "collecting", "arrive in Portland"),
    ("stop in [denver|stoploc.city_name]", {}, "collecting", "Where do you want to fly to?"),
    # validation
    ("to texas", {}, "collecting", "Which city in Texas do you want to fly to?"),
    ("fly to blorptown", {}, "collecting", 'I don\'t know a place called "blorptown"'),
    ("to [atlantis|toloc.city_name]", {}, "collecting", 'I don\'t know a place called "atlantis"'),
    ("from [blorp|fromloc.city_name] to [atlantis|toloc.city_name]", {}, "collecting",
     'Sorry, I don\'t know places called "blorp" or "atlantis". Did you mean Atlanta'),  # one apology for both
    ("to denver yesterday", {"destination": "Denver"}, "collecting", "Wednesday, November 25, 2026 has already passed"),
    ("to denver on december 5th 2027", {"destination": "Denver"}, "collecting", "too far ahead"),
    ("to london today at 9 am", {"destination": "London"}, "collecting", "9:00 am today has already passed"),
    ("to denver today at 9 am", {"destination": "Denver", "arrival": ("2026-11-26", "09:00", "at")}, "collecting",
     "Thursday, November 26"),  # 03:00 in Denver: 9 am is still ahead there
    ("", {}, "collecting", "Sorry, I didn't get that."),
    ("hello", {}, "collecting", "Hello! Where do you want to fly to?"),
    ("help", {}, "collecting", "I book flights"),
]


@pytest.mark.parametrize(("message", "slots", "status", "reply"), ONE_MESSAGE)
def test_one_message(message: str, slots: dict, status: str, reply: str) -> None:
    conversation = converse(message)
    for slot in ("destination", "origin"):
        assert city(conversation, slot) == slots.get(slot), slot
    assert arrival(conversation) == slots.get("arrival")
    departure = conversation.state.slots.departure
    assert (departure.date.isoformat() if departure and departure.date else None) == slots.get("departure")
    assert conversation.state.status == status
    assert reply in conversation.reply
    needed = ("destination",) if "departure" in slots else ("destination", "arrival")  # a day said is enough
    assert conversation.state.missing() == [s for s in needed if s not in slots] + ["traveller"]


def test_bare_answers_follow_the_question() -> None:
    conversation = converse("to denver", "the 3rd")
    assert arrival(conversation) == ("2026-12-03", None, None)
    conversation = converse("to denver", "[5 pm|depart_time.time]")  # a time first: kept until the date comes
    assert arrival(conversation) is None and "On what date" in conversation.reply
    conversation = converse("to denver", "5 pm", "[december|depart_date.month_name] [3rd|depart_date.day_number]")
    assert arrival(conversation) == ("2026-12-03", "17:00", "at")


@pytest.mark.parametrize(
    ("correction", "changed"),
    [
        ("no, to [denver|toloc.city_name]", {"destination": "Denver"}),
        ("actually the 5th", {"arrival": ("2026-12-05", "17:00", "by")}),  # the month and time stay
        ("make it 9 am", {"arrival": ("2026-12-10", "09:00", "by")}),  # the date and "by" stay
        ("around noon", {"arrival": ("2026-12-10", "12:00", "around")}),
        ("from [pittsburgh|fromloc.city_name]", {"origin": "Pittsburgh"}),
        ("denver", {"destination": "Denver"}),  # a bare city while confirming corrects the destination
    ],
)
def test_a_correction_changes_only_its_slot(correction: str, changed: dict) -> None:
    before = converse("to boston by 5 pm on december 10th", NAME)
    assert before.state.status == "confirming"
    after = converse(correction, state=before.state)
    expected = {"destination": "Boston", "origin": None, "arrival": ("2026-12-10", "17:00", "by"), **changed}
    assert city(after, "destination") == expected["destination"]
    assert city(after, "origin") == expected["origin"]
    assert arrival(after) == expected["arrival"]
    assert after.state.status == "confirming" and "Shall I book it?" in after.reply
    assert not any(isinstance(a, Book) for a in after.actions)


@pytest.mark.parametrize("text", ["looks good", "all good 👍", "👍", "that works", "sounds great, thanks"])
def test_everyday_yes_books(text: str) -> None:
    confirming = converse("to boston on december 10th", NAME)
    assert converse(text, state=confirming.state).state.status == "booked"  # "looks good" was a place unknown


def test_yes_books_and_no_asks_what_to_change() -> None:
    confirming = converse("to boston on december 10th", NAME)
    no = converse("no", state=confirming.state)
    assert no.state.status == "confirming" and "What would you like to change?" in no.reply
    assert no.actions == [Say(no.reply)]
    yes = converse("yes please", state=no.state)
    assert yes.state.status == "booked"
    assert yes.actions == [Book(confirming.state.slots, REFERENCE)]
    assert yes.state.bookings == (REFERENCE,)  # the state lists it before it is stored: exactly as stored
    unclear = converse("purple", state=confirming.state)
    assert unclear.state.status == "confirming" and 'didn\'t understand "purple"' in unclear.reply


def test_cancel_and_start_over() -> None:
    cancelled = converse("to boston on december 10th", "cancel")
    assert cancelled.state.status == "cancelled"
    assert cancelled.state.slots.destination is None and "nothing was booked" in cancelled.reply
    assert not any(isinstance(a, Book) for a in cancelled.actions)
    again = converse("to denver", state=cancelled.state)
    assert again.state.status == "collecting" and city(again, "destination") == "Denver"
    restarted = converse("to boston on december 10th", "start over")
    assert restarted.state.status == "collecting" and restarted.state.slots.destination is None
    assert "start over" in restarted.reply and "Where do you want to fly to?" in restarted.reply


def test_ambiguous_city_asks_which() -> None:
    asked = converse("to [springfield|toloc.city_name]")
    assert isinstance(asked.state.pending, Choice)
    assert "Which Springfield do you mean" in asked.reply and "Springfield, Missouri" in asked.reply
    assert "Springfield, Illinois" in asked.reply
    for answer, airports in [("missouri", ("SGF",)), ("illinois please", ("SPI",)), ("sgf", ("SGF",)),
                             ("the one in missouri", ("SGF",)), ("MO", ("SGF",))]:
        answered = converse(answer, state=asked.state)
        assert answered.state.pending is None
        assert answered.state.slots.destination.airports == airports, answer
    first = converse("the first one", state=asked.state)
    assert first.state.slots.destination.airports == asked.state.pending.options[0].city.airports
    unclear = converse("hmm", state=asked.state)
    assert unclear.state.pending == asked.state.pending and "which one" in unclear.reply
    other = converse("to denver", state=asked.state)
    assert other.state.pending is None and city(other, "destination") == "Denver"


def test_a_region_for_each_end_is_asked_about_in_turn() -> None:
    both = converse("fly out of [ohio|fromloc.state_name] to [texas|toloc.state_name] on december 10th")
    assert both.state.regions == {"origin": "Ohio", "destination": "Texas"}
    assert both.reply.endswith("Which city in Texas do you want to fly to?")
    assert both.state.requested == "destination" and arrival(both) == ("2026-12-10", None, None)
    dallas = converse("dallas", state=both.state)
    assert city(dallas, "destination") == "Dallas" and dallas.state.regions == {"origin": "Ohio"}
    assert dallas.reply.endswith("Which city in Ohio do you want to fly from?") and dallas.state.requested == "origin"
    columbus = converse("columbus", state=dallas.state)  # a bare answer fills the end asked about
    assert city(columbus, "origin") == "Columbus" and city(columbus, "destination") == "Dallas"
    assert columbus.state.regions == {} and "Who is travelling?" in columbus.reply
    from_austin = converse("from [ohio|fromloc.state_name] to [austin|toloc.city_name] on december 10th")
    assert city(from_austin, "destination") == "Austin"
    assert from_austin.reply.endswith("Which city in Ohio do you want to fly from?")  # not the name first


def test_the_city_answered_is_read_within_its_region() -> None:
    for region, answer, airports in [("maine", "portland", ("PWM",)), ("oregon", "portland", ("PDX",)),
                                     ("missouri", "springfield", ("SGF",)), ("illinois", "springfield", ("SPI",))]:
        asked = converse(f"to boston from [{region}|fromloc.state_name] on december 10th")
        answered = converse(answer, state=asked.state)
        assert answered.state.slots.origin.airports == airports, (region, answer)
    elsewhere = converse("from [texas|fromloc.state_name] to boston", "from denver")  # changed their mind
    assert city(elsewhere, "origin") == "Denver" and elsewhere.state.regions == {}


def test_a_region_is_let_go_on_no_or_after_answers_without_a_city() -> None:
    asked = converse("to boston on december 10th from [ohio|fromloc.state_name]")
    refused = converse("no", state=asked.state)
    assert refused.state.regions == {} and refused.state.slots.origin is None
    assert "OK." in refused.reply and "Who is travelling?" in refused.reply
    tries = [converse(*["blorp"] * n, state=asked.state) for n in (1, 2, 3)]
    assert all("Which city in Ohio" in t.reply for t in tries[:2])
    assert tries[2].state.regions == {} and "Who is travelling?" in tries[2].reply
    round_trip = converse("a round trip to boston on december 10th back on the 20th from [ohio|fromloc.state_name]",
                          "blorp", "blorp", "blorp")  # fmt: skip
    assert "Where are you flying from?" in round_trip.reply  # required: the form asks its own question
    restarted = converse("start over", state=asked.state)
    assert restarted.state.regions == {}


def test_low_confidence_asks_did_you_mean() -> None:
    asked = converse("[ontario|fromloc.city_name|0.3]")
    assert isinstance(asked.state.pending, DidYouMean)
    assert asked.reply == "Did you mean Ontario, California?"
    assert asked.state.slots.destination is None
    yes = converse("yes", state=asked.state)
    assert city(yes, "destination") == "Ontario" and yes.state.pending is None
    no = converse("no", state=asked.state)
    assert no.state.slots.destination is None and "Where do you want to fly to?" in no.reply
    sure = converse("to [ontario|toloc.city_name|0.3]")  # "to" says it: no need to check
    assert city(sure, "destination") == "Ontario"
    bare = converse("[chicago|fromloc.city_name|0.46]")  # a bare city that is no region: the question says it
    assert city(bare, "destination") == "Chicago" and bare.state.pending is None
    unsure = converse("hmm [austin|toloc.city_name|0.3] perhaps")  # neither a cue nor a bare answer
    assert isinstance(unsure.state.pending, DidYouMean) and unsure.reply == "Did you mean Austin, Texas?"


def test_a_near_miss_is_suggested() -> None:
    asked = converse("fly to bostn")
    assert 'don\'t know a place called "bostn"' in asked.reply and "Did you mean Boston, Massachusetts?" in asked.reply
    assert city(converse("yes", state=asked.state), "destination") == "Boston"
    bare = converse("chicgo")  # untagged leftover words get the same help
    assert "Did you mean Chicago, Illinois?" in bare.reply


def test_re_asks_then_explains_with_an_example() -> None:
    replies = [converse(*["blorp"] * n).reply for n in (1, 2, 3, 4)]
    assert all('I don\'t know a place called "blorp"' in r for r in replies)
    assert "Where do you want to fly to?" in replies[0] and "Where do you want to fly to?" in replies[1]
    assert 'for example "Denver"' in replies[2] and 'for example "Denver"' in replies[3]
    recovered = converse("blorp", "blorp", "blorp", "denver", "blorp")
    assert "When do you need to arrive in Denver?" in recovered.reply  # the count restarts per question
    dates = converse("to denver", "purple", "purple", "purple")
    assert 'couldn\'t find a date in "purple"' in dates.reply and 'for example "December 5th"' in dates.reply


def test_same_city_both_ends_and_departure_after_arrival_are_refused() -> None:
    same = converse("from boston", "to boston")
    assert city(same, "destination") is None and "can't be your destination too" in same.reply
    late = converse("to denver on december 5th", "leaving on december 8th")
    assert late.state.slots.departure is None and "You'd leave after you arrive" in late.reply


def test_booking_references_in_the_chat() -> None:
    booked = converse("to boston on december 10th", NAME, "yes")
    state = booked.state.model_copy(update={"bookings": ("K7QX4MPA",)})
    cancelled = converse("cancel booking k7qx4mpa", state=state)
    assert cancelled.actions[0] == CancelBooking("K7QX4MPA")
    unknown = converse("cancel 2b4c6d8f", state=state)
    assert unknown.actions == [Say(unknown.reply)] and "can't find a booking 2B4C6D8F" in unknown.reply
    other = converse("cancel AB2CD3EF", state=state)
    assert "can't find a booking AB2CD3EF" in other.reply
    mistyped = converse("to denver", "cancel ab12cd34")  # a wrong reference does not abandon the request
    assert "can't find a booking AB12CD34" in mistyped.reply and city(mistyped, "destination") == "Denver"
    flight = converse("flight dl1234 to denver")  # reference-like words beside values are not a cancellation
    assert city(flight, "destination") == "Denver"
    plain_cancel = converse("cancel", state=state)
    assert plain_cancel.state.status == "booked" and 'say "cancel K7QX4MPA"' in plain_cancel.reply


def test_a_new_request_after_a_booking_starts_a_new_form() -> None:
    booked = converse("to boston on december 10th", NAME, "yes")
    state = booked.state.model_copy(update={"bookings": ("K7QX4MPA",)})
    thanks = converse("thanks", state=state)
    assert thanks.state.status == "booked" and "You're welcome" in thanks.reply
    second = converse("to miami on december 20th", state=state)  # a new form: the name is asked again
    assert second.state.status == "collecting" and city(second, "destination") == "Miami"
    assert second.state.missing() == ["traveller"] and "Who is travelling?" in second.reply
    assert second.state.bookings == ("K7QX4MPA",)


def test_dates_follow_the_destination_time_zone() -> None:
    evening = dt.datetime(2026, 11, 26, 20, 0, tzinfo=dt.UTC)  # Friday 05:00 in Tokyo
    tokyo = converse("to tokyo tomorrow", now=evening)
    assert arrival(tokyo) == ("2026-11-28", None, None)
    later = converse("tomorrow", "tokyo", now=evening)  # said before the destination: read again there
    assert later.state.slots.destination.city == "Tokyo" and arrival(later) == ("2026-11-28", None, None)


def test_the_state_round_trips_through_json() -> None:
    conversation = converse("from boston", "to [portland|toloc.city_name]")
    assert DialogueState.from_json(conversation.state.to_json()) == conversation.state
    regions = converse("from [ohio|fromloc.state_name] to [texas|toloc.state_name]").state
    assert DialogueState.from_json(regions.to_json()) == regions and regions.to_json()["regions"]["origin"] == "Ohio"
    older = {k: v for k, v in regions.to_json().items() if k != "regions"}  # a state stored before regions
    assert DialogueState.from_json(older).regions == {}
    # unused, the fields added later are not stored: the release before them reads the state
    assert not {"regions", "partial_date"} & conversation.state.to_json().keys()
    week = converse("to boston next week").state
    stored = {"slot": "arrival", "unit": "week", "start": "2026-11-30", "said": "next week"}
    assert week.to_json()["partial_date"] == stored
    assert DialogueState.from_json(week.to_json()) == week
    assert conversation.state.turns == 2


def test_the_policy_is_pure() -> None:
    state = converse("to boston").state
    first = next_turn(state, tagged("december 10th"), NOW)
    second = next_turn(state, tagged("december 10th"), NOW)
    assert first == second and state == converse("to boston").state


def _moment(value) -> tuple | None:
    if value is None:
        return None
    return (value.date and value.date.isoformat(), value.time and value.time.strftime("%H:%M"), value.period)


def test_parts_of_the_day() -> None:
    said = converse(
        "leave [boston|fromloc.city_name] tomorrow morning and arrive in [denver|toloc.city_name] on december 5th"
        " in the evening"
    )
    assert _moment(said.state.slots.departure) == ("2026-11-27", None, "morning")
    assert _moment(said.state.slots.arrival) == ("2026-12-05", None, "evening")
    assert "leaving in the morning on Friday, November 27, 2026" in said.reply
    assert "arriving in the evening on Saturday, December 5, 2026" in said.reply
    # a part of the day corrects the time, and a time the part of the day; the date stays
    later = converse("actually in the afternoon", state=said.state)
    assert _moment(later.state.slots.arrival) == ("2026-12-05", None, "afternoon")
    assert _moment(later.state.slots.departure) == ("2026-11-27", None, "morning")
    timed = converse("make it by 5 pm", state=later.state)
    assert _moment(timed.state.slots.arrival) == ("2026-12-05", "17:00", None)
    assert "arriving by 5:00 pm on Saturday" in timed.reply
    moved = converse("actually the 6th", state=said.state)  # a new day keeps the part of the day
    assert _moment(moved.state.slots.arrival) == ("2026-12-06", None, "evening")


def test_a_part_of_the_day_before_its_date_is_kept() -> None:
    asked = converse("to denver", "in the morning")
    assert asked.state.slots.arrival is None and "On what date" in asked.reply
    dated = converse("december 3rd", state=asked.state)
    assert _moment(dated.state.slots.arrival) == ("2026-12-03", None, "morning")


def test_a_part_of_the_day_that_has_passed() -> None:
    # 10:00 UTC is 18:00 in Taipei: its morning is over, its night is not
    morning = converse("to [taipei|toloc.city_name] this morning")
    assert morning.state.slots.arrival is None and "This morning has already passed." in morning.reply
    tonight = converse("to [taipei|toloc.city_name] tonight")
    assert _moment(tonight.state.slots.arrival) == ("2026-11-26", None, "night")
    assert "arriving at night on Thursday, November 26, 2026" in tonight.reply


def test_a_week_without_its_day_asks_the_day_and_reads_the_answer_within_that_week() -> None:
    asked = converse("to boston the week after next")
    assert asked.state.slots.arrival is None
    assert asked.reply == "Which day the week after next do you need to arrive in Boston?"
    answered = converse("wednesday", state=asked.state)  # the coming Wednesday is December 2
    assert arrival(answered) == ("2026-12-09", None, None) and answered.state.partial_date is None
    assert converse("december 20th", state=asked.state).state.slots.arrival.date == dt.date(2026, 12, 20)
    refused = converse("no", state=asked.state)  # the week goes; the form asks its own question
    assert refused.state.partial_date is None and refused.reply == "OK. When do you need to arrive in Boston?"
    morning = converse("to boston next week in the morning", "friday")
    assert morning.state.slots.arrival.date == dt.date(2026, 12, 4) and morning.state.slots.arrival.period == "morning"


def test_a_return_said_as_a_week_asks_its_day() -> None:
    asked = converse("a round trip from denver to boston on saturday, coming back next week")
    assert asked.reply.endswith("Which day next week do you want to come back?")
    answered = converse("friday", state=asked.state)
    assert answered.state.slots.returning.date == dt.date(2026, 12, 4)
    assert converse("make it one way", state=asked.state).state.partial_date is None


def test_a_month_without_its_day_asks_the_day_and_reads_the_answer_in_that_month() -> None:
    asked = converse("to boston sometime in february")
    assert asked.reply == "Which day in February do you need to arrive in Boston?"
    assert converse("the 3rd", state=asked.state).state.slots.arrival.date == dt.date(2027, 2, 3)  # not December 3
    weekend = converse("to boston this weekend", "sunday")
    assert weekend.state.slots.arrival.date == dt.date(2026, 11, 29)


def test_a_return_counted_from_the_arrival() -> None:
    said = converse("from denver to boston on december 5th, back two weeks later")
    assert said.state.slots.returning.date == dt.date(2026, 12, 19) and said.state.slots.trip == "round_trip"
    assert "can't move it" not in said.reply
    fortnight = converse("to boston on saturday, coming back a fortnight later")
    assert fortnight.state.slots.returning.date == dt.date(2026, 12, 12)
    nothing = converse("to boston", "back a week later")  # no arrival to count from: nothing is guessed
    assert nothing.state.slots.returning is None and "can't move it" in nothing.reply


def test_two_days_offered_for_one_moment_are_asked_about_not_picked() -> None:
    either = converse("to boston on the 12th or 13th")
    assert either.state.slots.arrival is None
    assert either.reply.startswith("You said Saturday, December 12, 2026 or Sunday, December 13, 2026")
    assert either.reply.endswith("When do you need to arrive in Boston?")
    assert converse("the 13th", state=either.state).state.slots.arrival.date == dt.date(2026, 12, 13)
    ranged = converse("to boston between the 12th and the 15th")
    assert ranged.state.slots.arrival is None and "between Saturday, December 12" in ranged.reply
    # a second date that replaces the first, or a departure beside the arrival, is no choice
    assert converse("to boston on the 12th, sorry, the 13th").state.slots.arrival.date == dt.date(2026, 12, 13)
    both = converse("leave on december 3rd and arrive in boston on december 4th")
    assert both.state.slots.arrival.date == dt.date(2026, 12, 4)


@pytest.mark.parametrize("span", ["dec 5 to dec 12", "from the 5th to the 12th", "dec 5-12", "dec 5 - 12"])
def test_a_span_of_two_dates_is_the_way_out_and_the_return(span: str) -> None:
    trip = converse(f"to miami from jfk {span}")
    slots = trip.state.slots
    assert slots.arrival.date == dt.date(2026, 12, 5) and slots.returning.date == dt.date(2026, 12, 12)
    assert slots.trip == "round_trip" and trip.reply.endswith("Who is travelling? The name as on the passport, please.")
    leaving = converse("leaving boston friday to sunday for denver").state.slots  # the first date's cue
    assert leaving.departure.date == dt.date(2026, 11, 27) and leaving.arrival is None
    assert leaving.returning.date == dt.date(2026, 11, 29)


def test_the_people_a_trip_is_to_see_are_no_travellers_and_a_verb_is_no_place() -> None:
    visit = converse("my daughter lives in [austin|toloc.city_name] and i want to visit her on the 19th")
    assert city(visit, "destination") == "Austin" and visit.state.slots.travellers is None
    # "surprise" (tagged, and Surprise is a town by Phoenix) is a verb before its person: Tampa is meant
    surprise = converse("i want to [surprise|toloc.city_name|0.6] my mom in [tampa|fromloc.city_name|0.49] on dec 14")
    assert city(surprise, "destination") == "Tampa" and city(surprise, "origin") is None
    assert surprise.state.slots.travellers is None
    party = converse("from dallas to [austin|toloc.city_name|0.7] my wife and i on dec 5")  # who flies, not a verb
    assert city(party, "destination") == "Austin" and party.state.slots.travellers == Travellers(adults=2)


def test_a_party_named_without_its_number_is_asked_how_many() -> None:
    friends = converse("me and my friends want to fly to vegas on dec 12")
    assert friends.state.slots.travellers is None
    assert friends.reply.endswith("How many people are travelling, you included?")
    assert converse("5", state=friends.state).state.slots.travellers == Travellers(adults=5)
    assert converse("there are 4 of us", state=friends.state).state.slots.travellers == Travellers(adults=4)
    assert converse("me and 2 friends", state=friends.state).state.slots.travellers == Travellers(adults=3)
    kids = converse("me, my wife and the kids to orlando dec 20")
    assert kids.reply.endswith("How many children are travelling?")
    counted = converse("3", state=kids.state)
    assert counted.state.slots.travellers == Travellers(adults=2, children=3) and counted.state.counting is None
    assert counted.reply.endswith("Who is travelling? The name as on the passport, please.")
    refused = converse("no", state=kids.state)  # those counted so far are booked
    assert refused.state.slots.travellers == Travellers(adults=2) and refused.state.counting is None
    assert "counting" not in counted.state.to_json()  # stored only while in use (a rolling deploy)


@pytest.mark.parametrize(
    ("said", "date", "time"),
    [
        ("push it back a day", dt.date(2026, 12, 11), dt.time(9, 0)),
        ("move it up a day", dt.date(2026, 12, 9), dt.time(9, 0)),
        ("move the flight back two days", dt.date(2026, 12, 12), dt.time(9, 0)),
        ("bring it forward a day", dt.date(2026, 12, 9), dt.time(9, 0)),
        ("delay it by an hour", dt.date(2026, 12, 10), dt.time(10, 0)),
        ("push it back half an hour", dt.date(2026, 12, 10), dt.time(9, 30)),
    ],
)
def test_a_moment_moved_with_a_verb(said: str, date: dt.date, time: dt.time) -> None:
    booked = converse("to boston on dec 10 at 9 am")
    moved = converse(said, state=booked.state).state.slots.arrival
    assert (moved.date, moved.time) == (date, time)
    asked = converse("round trip to boston dec 10, back dec 15")
    shrug = converse("it doesn't matter", state=asked.state)  # no place called "matter": the question again
    assert shrug.reply == "Where are you flying from?"
    renamed = converse("change the destination to miami", state=booked.state)  # "destination" is no place
    assert city(renamed, "destination") == "Miami" and "know a place" not in renamed.reply


def test_as_soon_as_possible_is_leaving_today_and_a_price_question_is_answered_plainly() -> None:
    for text in ("get me to boston asap", "to boston as soon as possible", "to boston, first available"):
        soon = converse(text)
        assert soon.state.slots.departure.date == NOW.date() and soon.state.slots.arrival is None, text
        assert soon.state.missing() == ["traveller"]
    price = converse("to boston on dec 10", "how much is it?")
    assert price.reply.startswith("I can't see fares or timetables")
    assert price.reply.endswith("Who is travelling? The name as on the passport, please.")


def test_a_date_that_passed_days_ago_is_not_booked_next_year_unasked() -> None:
    slip = converse("to boston on nov 20")
    assert slip.state.slots.arrival is None
    assert slip.reply.startswith('Friday, November 20, 2026 has already passed. If you mean next year\'s, say "Nove')
    assert converse("nov 20 2027", state=slip.state).state.slots.arrival.date == dt.date(2027, 11, 20)
    assert converse("to boston on oct 1").state.slots.arrival.date == dt.date(2027, 10, 1)  # long past: next year's


def test_an_arrival_said_beside_a_departure_counts_from_its_day() -> None:
    """Said with a dated departure, an arrival with no date of its own is kept, not dropped."""
    night = converse("from boston to london leaving dec 10 in the evening, arriving the next morning").state.slots
    assert _moment(night.arrival) == ("2026-12-11", None, "morning") and night.departure.date == dt.date(2026, 12, 10)
    same = converse("from seattle to denver, leaving friday at 6 pm and arriving by 10 pm").state.slots
    assert (same.arrival.date, same.arrival.time, same.arrival.qualifier) == (dt.date(2026, 11, 27), dt.time(22), "by")
    overnight = converse("from seattle to boston, leaving friday at 11 pm and arriving at 7 am").state.slots
    assert (overnight.arrival.date, overnight.arrival.time) == (dt.date(2026, 11, 28), dt.time(7))
    later = converse("to denver by 10 pm", "leaving friday").state.slots  # the time waited for the day
    assert (later.arrival.date, later.arrival.time) == (dt.date(2026, 11, 27), dt.time(22))
    weekend = converse("boston to denver for the weekend, leaving friday")  # no "Which day this weekend?"
    assert weekend.state.partial_date is None and weekend.reply.endswith("The name as on the passport, please.")
    back = converse("to denver dec 10, back the same day").state.slots
    assert back.returning.date == dt.date(2026, 12, 10) and back.trip == "round_trip"


def test_a_holiday_weekend_asks_its_day_and_reads_it_within() -> None:
    asked = converse("boston to miami memorial day weekend")
    assert asked.state.slots.arrival is None
    assert asked.reply.endswith("Which day of the weekend of Memorial Day do you need to arrive in Miami?")
    for day, date in (("saturday", dt.date(2027, 5, 29)), ("sunday", dt.date(2027, 5, 30)),
                      ("monday", dt.date(2027, 5, 31))):  # fmt: skip
        assert converse(day, state=asked.state).state.slots.arrival.date == date
    assert converse("to boston on memorial day").state.slots.arrival.date == dt.date(2027, 5, 31)


def test_a_dated_departure_is_day_enough_and_the_return_counts_from_it() -> None:
    leaving = converse("denver to boston, depart the 3rd")
    assert leaving.state.missing() == ["traveller"] and leaving.state.slots.arrival is None
    back = converse("back a week later", state=leaving.state).state.slots
    assert back.returning.date == dt.date(2026, 12, 10) and back.trip == "round_trip"
    early = check_return(Return(date=dt.date(2026, 12, 2)), leaving.state.slots, NOW)
    assert early == Problem("before_departure", dt.date(2026, 12, 3))
    timed = converse("to boston leaving at 8 am")  # a time alone is no day: the arrival is still asked
    assert timed.state.missing() == ["arrival", "traveller"]


def test_an_answer_the_tagger_sends_to_the_other_end_follows_the_question() -> None:
    asked = converse("a round trip to boston on december 12th, back on the 20th")
    assert asked.reply.endswith("Where are you flying from?")
    answered = converse("my home town, [denver|toloc.city_name]", state=asked.state)  # was: to Denver
    assert city(answered, "origin") == "Denver" and city(answered, "destination") == "Boston"
    moved = converse("[to|O] [denver|toloc.city_name]", state=asked.state)  # a cue word still moves the other end
    assert city(moved, "destination") == "Denver" and city(moved, "origin") is None


def test_how_long_the_trip_lasts_sets_the_return_from_the_arrival() -> None:
    week = converse("from denver to boston on december 5th for a week")
    assert week.state.slots.returning.date == dt.date(2026, 12, 12) and week.state.slots.trip == "round_trip"
    nights = converse("from denver to boston on december 5th, back on the 7th, actually for 3 nights")
    assert nights.state.slots.returning.date == dt.date(2026, 12, 8)  # the stay counts from the arrival
    later = converse("from denver to boston for a week")  # no arrival yet: a round trip, its return asked
    assert later.state.slots.trip == "round_trip" and later.state.slots.returning is None
    assert converse("from denver to boston on december 5th, back the next day").state.slots.returning.date \
        == dt.date(2026, 12, 6)  # fmt: skip


def test_a_second_place_for_one_end_by_the_words_between() -> None:
    # a change of mind: the later one (both were Boston before)
    assert city(converse("to boston on the 12th, no wait, to new york"), "destination") == "New York"
    assert city(converse("to boston, sorry, to new york on the 12th"), "destination") == "New York"
    # a choice: asked, and the answer picks by name or position
    either = converse("to boston or new york on the 12th")
    assert city(either, "destination") is None
    assert either.reply == "Which one do you mean: Boston, Massachusetts or New York?"
    assert city(converse("new york", state=either.state), "destination") == "New York"
    assert city(converse("the first", state=either.state), "destination") == "Boston"
    # a second flight: the first now, and said so
    onward = converse("to boston then on to new york on the 12th")
    assert city(onward, "destination") == "Boston" and "I book one flight at a time" in onward.reply


def test_a_question_about_the_flight_is_no_new_destination() -> None:
    asked = converse("to boston on december 12th", "how much is it?")  # was: to Much (CGN), Germany
    assert city(asked, "destination") == "Boston"


def test_people_added_join_those_on_the_form() -> None:
    added = converse("to boston on december 12th", "add my wife")  # "add" was Addis Ababa (ADD)
    assert added.state.slots.travellers == Travellers(adults=2) and city(added, "destination") == "Boston"
    more = converse("to boston on december 12th for two", "and my husband is coming too")
    assert more.state.slots.travellers == Travellers(adults=3)
    kids = converse("to boston on december 12th", "my 2 kids are coming too")  # with the adult, not alone
    assert kids.state.slots.travellers == Travellers(adults=1, children=2)
    alone = converse("for 2 children to boston on december 12th")  # children alone are still refused
    assert alone.state.slots.travellers is None and "At least one adult" in alone.reply
    assert converse("hola! to boston on december 12th").reply.startswith("Noted: to Boston")  # no place "hola"

"""Whatever a customer types and however the tagger labels it, the policy answers and never raises."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import Parse, Span, bio_spans, tokenize
from service.dialogue import Book, DialogueState, Say, next_turn, opening
from tests.service.conftest import NOW

WORDS = [
    "to", "from", "leave", "arrive", "in", "on", "at", "by", "before", "after", "around", "the", "a", "of", "next",
    "this", "tomorrow", "today", "yesterday", "noon", "midnight", "pm", "am", "5", "9", "12", "17:30", "3rd",
    "31st", "2nd", "0", "99", "2026", "2027", "13/45", "12/24", "2026-12-24", "2026-13-45", "june", "december",
    "nov.", "fourteenth", "twenty", "first", "second", "friday", "fri", "mon", "yes", "no", "cancel", "start",
    "over", "please", "portland", "maine", "oregon", "boston", "denver", "taipei", "new", "york", "texas",
    "ontario", "jfk", "blorp", ",", ".", "?", "-", "'", "st.", "o'clock", "5:75", "25:00", "ab2cd3ef", "k7qx4mpa",
    "make", "it", "actually", "stop", "via", "out",
]
TAGS = ["O", "B-toloc.city_name", "I-toloc.city_name", "B-fromloc.city_name", "B-arrive_date.day_number",
        "B-depart_date.month_name", "B-arrive_time.time", "I-arrive_time.time", "B-toloc.airport_code",
        "B-stoploc.city_name", "B-city_name", "B-toloc.state_name"]

messages = st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=8)), max_size=12).map(" ".join)


@st.composite
def parses(draw: st.DrawFn) -> Parse:
    tokens = tokenize(draw(messages))
    tags = [draw(st.sampled_from(TAGS)) for _ in tokens]
    confidence = draw(st.floats(0, 1))
    spans = [Span(slot, " ".join(tokens[a:b]), a, b, confidence) for slot, a, b in bio_spans(tags)]
    return Parse(tokens, tags, spans, "atis_flight" if tokens else "", 0.5)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(parses(), min_size=1, max_size=5))
def test_the_policy_always_answers(turns: list[Parse]) -> None:
    state = opening()[0]
    for parse in turns:
        state, actions = next_turn(state, parse, NOW, reference="R0BUST01")
        assert any(isinstance(a, (Say, Book)) for a in actions)
        assert all(a.text.strip() for a in actions if isinstance(a, Say))
        assert DialogueState.from_json(state.to_json()) == state
        assert state.status in ("collecting", "confirming", "booked", "cancelled")
        if state.status == "confirming":
            assert state.missing() == []

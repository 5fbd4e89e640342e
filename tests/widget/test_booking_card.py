"""The booking card's every row, in English, French and German: trip and return, travellers,
cabin, airline, nonstop and the passenger's name (issue 18).

The bookings come from real conversations with the live service. Two tests alter the real
server's answer on its way to the page (``route.fetch`` then ``route.fulfill``): the counts,
cabins and airline that no short conversation books all at once, and a name that the dialogue
would refuse (markup): the card must show whatever it is given as text, whatever the server
checked first.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Dialog, Locator, Page, Route, expect

from .chat import (
    ASK_NAME_TAIPEI,
    CONFIRM_TAIPEI,
    DEEP_ELEMENTS_JS,
    GREETING,
    TAIPEI,
    TRAVELLER,
    Chat,
    contrast_failures,
    server_view,
)
from .conftest import Ticketbot

ROUND_TRIP = (
    "a round trip from Chicago to Lisbon for two in business, arriving by 9 am on the 12th and back on the 20th,"
    " nonstop if possible"
)
NAME = "Ana Sousa"
PAYLOAD = "<img src=x onerror=alert(1)>"
REFERENCE = re.compile(r"^[A-Z0-9]{8}$")

# What each language's card says; the reference, the cities and the name are the booking's own.
LABELS = {
    "en": {
        "title": "✓ Booking confirmed", "ref": "Reference", "passenger": "Passenger", "destination": "Destination",
        "arrival": "Arrival", "origin": "From", "departure": "Departure", "trip": "Trip", "return": "Return",
        "travellers": "Travellers",
        "cabin": "Cabin", "airline": "Airline", "stops": "Stops",
    },
    "fr": {
        "title": "✓ Réservation confirmée", "ref": "Référence", "passenger": "Passager", "destination": "Destination",
        "arrival": "Arrivée", "origin": "Départ de", "departure": "Départ", "trip": "Trajet", "return": "Retour",
        "travellers": "Voyageurs",
        "cabin": "Classe", "airline": "Compagnie", "stops": "Escales",
    },
    "de": {
        "title": "✓ Buchung bestätigt", "ref": "Buchungsnummer", "passenger": "Fluggast", "destination": "Ziel",
        "arrival": "Ankunft", "origin": "Von", "departure": "Abflug", "trip": "Reise", "return": "Rückflug",
        "travellers": "Reisende",
        "cabin": "Reiseklasse", "airline": "Fluggesellschaft", "stops": "Zwischenstopps",
    },
}  # fmt: skip
DEFAULTS = {  # TAIPEI, booked as it is: one-way, one adult, economy
    "en": {"arrival": "Tuesday, November 2, 2027", "trip": "One-way", "travellers": "1 adult", "cabin": "Economy"},
    "fr": {"arrival": "mardi 2 novembre 2027", "trip": "Aller simple", "travellers": "1 adulte", "cabin": "Économique"},
    "de": {"arrival": "Dienstag, 2. November 2027", "trip": "Nur Hinflug", "travellers": "1 Erwachsener",
           "cabin": "Economy Class"},
}  # fmt: skip
BOOKED_ROUND_TRIP = {  # ROUND_TRIP, then NAME, then "yes"
    "en": {
        "arrival": "Saturday, December 12, 2026, by 9:00 AM", "trip": "Round trip",
        "return": "Sunday, December 20, 2026", "travellers": "2 adults", "cabin": "Business", "stops": "Nonstop",
    },
    "fr": {
        "arrival": "samedi 12 décembre 2026, au plus tard à 9:00", "trip": "Aller-retour",
        "return": "dimanche 20 décembre 2026", "travellers": "2 adultes", "cabin": "Affaires", "stops": "Sans escale",
    },
    "de": {
        "arrival": "Samstag, 12. Dezember 2026, spätestens um 9:00", "trip": "Hin- und Rückflug",
        "return": "Sonntag, 20. Dezember 2026", "travellers": "2 Erwachsene", "cabin": "Business Class",
        "stops": "Ohne Zwischenstopp",
    },
}  # fmt: skip
# The same words in English and in French: not an English leftover.
COGNATES = {"fr": {"Destination"}, "de": set()}


def card_rows(card: Locator) -> list[tuple[str, str, str]]:
    """(class of the value, term, definition) for each row, in order; every term has its definition."""
    rows = card.evaluate(
        """card => [...card.querySelectorAll("dl > *")].map((e) => [e.localName, e.className, e.textContent])"""
    )
    assert [kind for kind, _, _ in rows] == ["dt", "dd"] * (len(rows) // 2), rows
    text = [(kind, name, value.replace("\u202f", " ")) for kind, name, value in rows]  # ICU's "9:00 AM" varies
    return [(text[i + 1][1], text[i][2], text[i + 1][2]) for i in range(0, len(text), 2)]


def assert_card(card: Locator, lang: str, values: dict[str, str]) -> None:
    """The card has exactly these rows (class: value), labelled in ``lang``, and no English
    word where the language has its own."""
    expect(card.locator(".card-title")).to_have_text(LABELS[lang]["title"])
    rows = card_rows(card)
    assert {name: value for name, _, value in rows} == values
    assert [term for _, term, _ in rows] == [LABELS[lang][name] for name, _, _ in rows]
    if lang != "en":
        english = {*LABELS["en"].values(), *DEFAULTS["en"].values(), *BOOKED_ROUND_TRIP["en"].values()}
        leftovers = [text for _, term, value in rows for text in (term, value) if text in english]
        assert [text for text in leftovers if text not in COGNATES[lang]] == []
        assert card.evaluate("card => card.closest('[lang]').lang") == lang


def open_chat(page: Page, ticketbot: Ticketbot, host_site: str, lang: str) -> Chat:
    page.goto(f"{host_site}/embed.html?data-lang={lang}")
    chat = Chat(page)
    chat.open()
    expect(chat.bot).to_have_text([GREETING])
    return chat


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_a_booking_with_the_defaults(page: Page, ticketbot: Ticketbot, host_site: str, lang: str) -> None:
    """Nothing said about the trip: the card says one-way, one adult, economy, the name, and
    shows no return, airline or stops rows."""
    chat = open_chat(page, ticketbot, host_site, lang)
    assert chat.say(TAIPEI) == ASK_NAME_TAIPEI
    assert chat.say(TRAVELLER) == CONFIRM_TAIPEI
    assert chat.say("yes").startswith("Booked!")
    expect(chat.card).to_have_count(1)
    reference = chat.card.locator(".ref").inner_text()
    assert REFERENCE.match(reference), reference
    assert_card(chat.card, lang, {
        "ref": reference, "passenger": TRAVELLER, "destination": "Taipei (TPE, TSA)", **DEFAULTS[lang],
    })  # fmt: skip
    [booking] = server_view(ticketbot.url, chat.stored(ticketbot.url))["bookings"]
    assert booking["trip"] == "one_way" and booking["returning"] is None and booking["nonstop"] is False
    assert booking["travellers"] == {"adults": 1, "children": 0} and booking["cabin"] == "economy"


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_a_round_trip_for_two_in_business(
    page: Page, ticketbot: Ticketbot, host_site: str, lang: str, screenshot
) -> None:
    """Issue 18's conversation, every part on the card, as booked and again after a reload (from
    the stored booking); the card stays readable (contrast) and its rows are term/definition pairs."""
    chat = open_chat(page, ticketbot, host_site, lang)
    asked = chat.say(ROUND_TRIP)
    assert "Who is travelling?" in asked, asked
    confirm = chat.say(NAME)
    assert NAME in confirm and "Shall I book it?" in confirm, confirm
    assert chat.say("yes").startswith("Booked!")
    expect(chat.card).to_have_count(1)
    reference = chat.card.locator(".ref").inner_text()
    expected = {
        "ref": reference, "passenger": NAME, "destination": "Lisbon (LIS)", "origin": "Chicago (ORD, MDW)",
        **BOOKED_ROUND_TRIP[lang],
    }  # fmt: skip
    assert_card(chat.card, lang, expected)
    assert [name for name, _, _ in card_rows(chat.card)] == [
        "ref", "passenger", "destination", "arrival", "origin", "trip", "return", "travellers", "cabin", "stops",
    ]  # fmt: skip
    assert contrast_failures(page) == []
    expect(chat.card).to_have_attribute("role", "group")
    expect(page.get_by_role("group", name=LABELS[lang]["title"][2:])).to_be_visible()
    expect(chat.card.get_by_role("term")).to_have_count(len(expected))
    expect(chat.card.get_by_role("definition")).to_have_count(len(expected))
    screenshot(page, "booked")

    page.reload()  # the card again, from what the server stored
    expect(chat.card).to_have_count(1)
    assert_card(chat.card, lang, expected)
    [booking] = server_view(ticketbot.url, chat.stored(ticketbot.url))["bookings"]
    assert booking["trip"] == "round_trip" and booking["returning"]["date"] == "2026-12-20"
    assert booking["travellers"] == {"adults": 2, "children": 0} and booking["cabin"] == "business"
    assert booking["nonstop"] is True and booking["airline"] is None and booking["traveller"] == NAME


LEAVING = "from Chicago to Lisbon, leaving on the 12th"
DEPARTURE = {"en": "Saturday, December 12, 2026", "fr": "samedi 12 décembre 2026", "de": "Samstag, 12. Dezember 2026"}


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_a_booking_by_its_departure_alone(page: Page, ticketbot: Ticketbot, host_site: str, lang: str) -> None:
    """Said only when they leave: the customer is not asked when they arrive, and the card has a
    departure row and no arrival row (the booking's arrival is null)."""
    chat = open_chat(page, ticketbot, host_site, lang)
    asked = chat.say(LEAVING)
    assert "Who is travelling?" in asked and "arrive" not in asked, asked
    assert "Shall I book it?" in chat.say(NAME)
    assert chat.say("yes").startswith("Booked!")
    expect(chat.card).to_have_count(1)
    reference = chat.card.locator(".ref").inner_text()
    assert_card(chat.card, lang, {
        "ref": reference, "passenger": NAME, "destination": "Lisbon (LIS)", "origin": "Chicago (ORD, MDW)",
        "departure": DEPARTURE[lang], **{k: v for k, v in DEFAULTS[lang].items() if k != "arrival"},
    })  # fmt: skip
    assert [name for name, _, _ in card_rows(chat.card)][:5] == ["ref", "passenger", "destination", "origin",
                                                                 "departure"]  # fmt: skip
    [booking] = server_view(ticketbot.url, chat.stored(ticketbot.url))["bookings"]
    assert booking["arrival"] is None and booking["departure"]["date"] == "2026-12-12"


def alter_bookings(page: Page, change: Callable[[dict[str, Any]], None]) -> list[dict[str, Any]]:
    """Let each message go to the real server; apply ``change`` to the booking in its answer."""
    sent: list[dict[str, Any]] = []

    def handle(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        if body.get("booking"):
            change(body["booking"])
            sent.append(body["booking"])
        route.fulfill(response=response, json=body)

    page.route("**/messages", handle)
    return sent


PLURALS = {  # for each of CHANGES: the travellers and the cabin as each language says them
    "en": [("2 adults, 1 child", "Premium economy"), ("1 adult, 2 children", "First")],
    "fr": [("2 adultes, 1 enfant", "Premium économique"), ("1 adulte, 2 enfants", "Première")],
    "de": [("2 Erwachsene, 1 Kind", "Premium Economy Class"), ("1 Erwachsener, 2 Kinder", "First Class")],
}
CHANGES = [
    {"travellers": {"adults": 2, "children": 1}, "cabin": "premium_economy",
     "airline": {"code": "TP", "name": "TAP Air Portugal"}},
    {"travellers": {"adults": 1, "children": 2}, "cabin": "first", "nonstop": False},
]  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "fr", "de"])
def test_plurals_cabins_and_the_airline(page: Page, ticketbot: Ticketbot, host_site: str, lang: str) -> None:
    """Singular and plural of adults and children, the cabins the other tests don't book, and
    the airline's row, which shows only when one was asked for."""
    pending = list(CHANGES)
    alter_bookings(page, lambda booking: booking.update(pending.pop(0)))
    chat = open_chat(page, ticketbot, host_site, lang)
    for count, ((travellers, cabin), change) in enumerate(zip(PLURALS[lang], CHANGES, strict=True), start=1):
        assert chat.say(TAIPEI) == ASK_NAME_TAIPEI
        assert chat.say(TRAVELLER) == CONFIRM_TAIPEI
        assert chat.say("yes").startswith("Booked!")
        expect(chat.card).to_have_count(count)
        card = chat.card.nth(count - 1)
        values = {name: value for name, _, value in card_rows(card)}
        assert values["travellers"] == travellers and values["cabin"] == cabin
        assert values.get("airline") == (change.get("airline") or {}).get("name")
        assert "stops" not in values
    assert pending == []


def test_the_passenger_name_and_airline_are_shown_as_text(page: Page, ticketbot: Ticketbot, host_site: str) -> None:
    """The name is the customer's own input: markup in it is shown, never parsed or run."""
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    alter_bookings(page, lambda booking: booking.update(traveller=PAYLOAD, airline={"code": "XX", "name": PAYLOAD}))
    chat = open_chat(page, ticketbot, host_site, "en")
    for message in (TAIPEI, TRAVELLER, "yes"):
        chat.say(message)
    expect(chat.card.locator(".passenger")).to_have_text(PAYLOAD)
    expect(chat.card.locator(".airline")).to_have_text(PAYLOAD)
    images = page.evaluate(
        "() => {" + DEEP_ELEMENTS_JS + "return deepElements(document).filter((e) => e.localName === 'img').length; }"
    )
    assert images == 0 and dialogs == []
    shadow = page.evaluate("() => document.querySelector('ticketbot-widget').shadowRoot.innerHTML")
    assert "<img" not in shadow and "&lt;img src=x onerror=alert(1)&gt;" in shadow

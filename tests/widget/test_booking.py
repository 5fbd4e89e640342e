"""Booking in the browser: by typing, across a reload and another page, and starting over."""

from __future__ import annotations

import re

from playwright.sync_api import Page, Route, expect

from .chat import ASK_NAME_TAIPEI, CONFIRM_TAIPEI, GREETING, TAIPEI, TRAVELLER, Chat, server_view
from .conftest import Ticketbot


def test_book_a_flight_by_typing(page: Page, ticketbot: Ticketbot, screenshot) -> None:
    page.goto(ticketbot.url + "/")  # the demo page: the widget with its one script tag
    chat = Chat(page)
    expect(chat.panel).to_be_hidden()
    expect(chat.launcher).to_have_attribute("aria-expanded", "false")
    chat.open()
    expect(chat.launcher).to_have_attribute("aria-expanded", "true")
    expect(chat.bot).to_have_text([GREETING])
    expect(chat.input).to_be_focused()

    typing_while_waiting: list[bool] = []

    def watch(route: Route) -> None:  # runs while the message is on its way
        typing_while_waiting.append(chat.typing.is_visible())
        route.continue_()

    page.route("**/messages", watch)
    chat.input.fill(TAIPEI)
    chat.input.press("Enter")  # Enter sends
    expect(chat.user).to_have_text([TAIPEI])
    expect(chat.input).to_have_value("")
    chat.wait_for_bot(2)
    assert typing_while_waiting == [True], "the typing indicator did not show while the bot was answering"
    page.unroute("**/messages")
    expect(chat.typing).to_be_hidden()
    expect(chat.bot.nth(1)).to_have_text(ASK_NAME_TAIPEI)
    expect(chat.quick).to_be_hidden()  # a name is no yes or no
    assert chat.say(TRAVELLER) == CONFIRM_TAIPEI

    # confirming: the quick replies
    expect(chat.quick).to_be_visible()
    expect(chat.quick.get_by_role("button")).to_have_text(["Yes", "No", "Start over"])
    screenshot(page, "confirming")

    booked = chat.say("yes")
    assert booked.startswith("Booked! Your reference is ")
    expect(chat.quick).to_be_hidden()
    expect(chat.card).to_have_count(1)
    expect(chat.card.locator(".card-title")).to_have_text("✓ Booking confirmed")
    reference = chat.card.locator(".ref").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{8}", reference), reference
    assert reference in booked
    expect(chat.card.locator(".destination")).to_have_text("Taipei (TPE, TSA)")
    expect(chat.card.locator(".arrival")).to_have_text("Tuesday, November 2, 2027")
    expect(chat.card.locator(".passenger")).to_have_text(TRAVELLER)
    screenshot(page, "booked")

    view = server_view(ticketbot.url, chat.stored(ticketbot.url))
    assert [b["reference"] for b in view["bookings"]] == [reference]
    assert [t["user"] for t in view["turns"]] == [None, TAIPEI, TRAVELLER, "yes"]


def test_reload_and_another_page_continue_the_conversation(page: Page, ticketbot: Ticketbot, host_site: str) -> None:
    """On a stranger's site (the endpoint defaults to the script's own origin): the id and token
    stay in localStorage, and the transcript comes back from the server."""
    page.goto(host_site + "/a.html")
    chat = Chat(page)
    chat.open()
    chat.wait_for_bot(1)
    assert chat.say(TAIPEI) == ASK_NAME_TAIPEI
    assert chat.say(TRAVELLER) == CONFIRM_TAIPEI
    stored = chat.stored(ticketbot.url)

    page.reload()
    expect(chat.panel).to_be_visible()  # it was open in this tab: it opens again
    expect(chat.bot).to_have_text([GREETING, ASK_NAME_TAIPEI, CONFIRM_TAIPEI])
    expect(chat.user).to_have_text([TAIPEI, TRAVELLER])
    expect(chat.quick).to_be_visible()
    assert chat.stored(ticketbot.url) == stored

    page.goto(host_site + "/b.html")  # another page of the same site
    expect(chat.bot).to_have_text([GREETING, ASK_NAME_TAIPEI, CONFIRM_TAIPEI])
    chat.quick_reply("Yes").click()
    expect(chat.card).to_have_count(1)
    expect(chat.user).to_have_text([TAIPEI, TRAVELLER, "yes"])
    assert chat.stored(ticketbot.url) == stored
    reference = chat.card.locator(".ref").inner_text()

    page.reload()  # a booked conversation comes back with its booking card
    expect(chat.bot).to_have_count(4)
    expect(chat.card.locator(".ref")).to_have_text(reference)
    view = server_view(ticketbot.url, stored)
    assert view["status"] == "booked" and [b["reference"] for b in view["bookings"]] == [reference]


def test_new_conversation_and_start_over(page: Page, ticketbot: Ticketbot) -> None:
    page.goto(ticketbot.url + "/")
    chat = Chat(page)
    chat.open()
    chat.wait_for_bot(1)
    chat.say(TAIPEI)
    chat.say(TRAVELLER)
    chat.quick_reply("Start over").click()  # the bot empties the form
    expect(chat.user).to_have_text([TAIPEI, TRAVELLER, "start over"])
    chat.wait_for_bot(4)
    expect(chat.quick).to_be_hidden()
    expect(chat.input).to_be_focused()
    first = chat.stored(ticketbot.url)

    chat.new_conversation.click()  # a new conversation altogether
    expect(chat.bot).to_have_text([GREETING])
    expect(chat.user).to_have_count(0)
    second = chat.stored(ticketbot.url)
    assert second["id"] != first["id"]
    assert len(server_view(ticketbot.url, first)["turns"]) == 4  # the old one is still on the server

    chat.close_button.click()
    expect(chat.panel).to_be_hidden()
    chat.open()
    expect(chat.bot).to_have_text([GREETING])  # reopening shows the same conversation, not another
    assert chat.stored(ticketbot.url) == second


def test_data_attributes_open_on_load_and_language(page: Page, ticketbot: Ticketbot, host_site: str) -> None:
    chat = Chat(page)
    page.goto(f"{host_site}/embed.html?data-open=true&data-lang=de")
    expect(chat.panel).to_be_visible()  # open on load...
    expect(chat.bot).to_have_text([GREETING])  # ...with the bot's reply as the server sends it
    assert page.evaluate("() => document.activeElement === document.body")  # ...without taking the focus
    expect(chat.launcher).to_have_attribute("aria-label", "Chat schließen")
    expect(chat.title).to_have_text("Flug buchen")
    expect(chat.input).to_have_attribute("placeholder", "Nachricht eingeben…")
    chat.close_button.click()
    page.reload()  # closed by the customer: it stays closed in this tab, data-open notwithstanding
    expect(chat.launcher).to_have_attribute("aria-label", "Chat öffnen")
    expect(chat.panel).to_be_hidden()

    page.goto(f"{host_site}/embed.html?data-lang=xx")  # a language the widget does not have: English
    expect(chat.launcher).to_have_attribute("aria-label", "Open chat")


def test_one_tag_one_widget_one_global(page: Page, host_site: str) -> None:
    page.goto(f"{host_site}/embed.html?tags=0")
    before = set(page.evaluate("() => Object.keys(window)"))
    page.goto(f"{host_site}/embed.html?tags=2")  # the tag twice: still one widget
    expect(Chat(page).launcher).to_be_visible()
    assert page.locator("ticketbot-widget").count() == 1
    assert set(page.evaluate("() => Object.keys(window)")) - before == {"Ticketbot"}
    page.evaluate("() => window.Ticketbot.open()")
    expect(Chat(page).panel).to_be_visible()
    expect(Chat(page).bot).to_have_text([GREETING])


def test_parts_of_the_day_on_the_booking_card(page: Page, ticketbot: Ticketbot) -> None:
    page.goto(ticketbot.url + "/")
    chat = Chat(page)
    chat.open()
    expect(chat.bot).to_have_text([GREETING])
    chat.say("leave boston tomorrow morning and arrive in denver on december 5th in the evening")
    confirm = chat.say(TRAVELLER)
    assert "leaving in the morning on Friday, November 27, 2026" in confirm, confirm
    assert "arriving in the evening on Saturday, December 5, 2026" in confirm, confirm
    assert chat.say("yes").startswith("Booked!")
    expect(chat.card.locator(".arrival")).to_have_text("Saturday, December 5, 2026, in the evening")
    expect(chat.card.locator(".departure")).to_have_text("Friday, November 27, 2026, in the morning")

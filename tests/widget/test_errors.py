"""Failures shown politely, with a retry that works and never books twice.

Route interception stands in for the network and the server: a 429 with Retry-After, a 503,
a dropped connection, an answer lost after the server booked, and a conversation the server
no longer knows (e.g. after its database was reset).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route, expect

from .chat import ASK_NAME_TAIPEI, GREETING, TAIPEI, TRAVELLER, Chat, contrast_failures, server_view
from .conftest import Ticketbot

NETWORK = "We couldn't reach ticketbot. Check your connection, then try again."
EXPIRED = "Your previous conversation is no longer available, so a new one has started."


def _error(status: int, code: str, retry_after: str | None = None) -> Callable[[Route], None]:
    headers = {"Retry-After": retry_after} if retry_after else {}
    return lambda route: route.fulfill(
        status=status, headers=headers, json={"error": {"code": code, "message": "from the test"}}
    )


FAILURES: dict[str, tuple[Callable[[Route], None], str]] = {
    "429": (
        _error(429, "rate_limited", "7"),
        "You're sending messages a little too fast. Please wait 7 s, then try again.",
    ),
    "503": (_error(503, "unavailable", "2"), "ticketbot is briefly unavailable. Please try again in a moment."),
    "network": (lambda route: route.abort("internetdisconnected"), NETWORK),
}


def _started(page: Page, ticketbot: Ticketbot) -> Chat:
    page.goto(ticketbot.url + "/")
    chat = Chat(page)
    chat.open()
    chat.wait_for_bot(1)
    return chat


@pytest.mark.parametrize("failure", list(FAILURES))
def test_failure_is_polite_and_retry_sends_the_same_message(
    page: Page, ticketbot: Ticketbot, failure: str, screenshot
) -> None:
    chat = _started(page, ticketbot)
    fail, message = FAILURES[failure]
    keys: list[str | None] = []

    def first_fails(route: Route) -> None:
        keys.append(route.request.headers.get("idempotency-key"))
        if len(keys) == 1:
            fail(route)
        else:
            route.continue_()

    page.route("**/messages", first_fails)
    chat.input.fill(TAIPEI)
    chat.input.press("Enter")
    expect(chat.error).to_be_visible()
    expect(chat.error).to_have_attribute("role", "alert")
    expect(chat.error.locator("p")).to_have_text(message)
    expect(chat.host.locator(".msg.user .flag")).to_have_text("Not sent")
    expect(chat.typing).to_be_hidden()
    expect(chat.bot).to_have_count(1)
    assert contrast_failures(page) == []
    screenshot(page, "error")

    chat.retry.click()
    chat.wait_for_bot(2)
    expect(chat.bot.nth(1)).to_have_text(ASK_NAME_TAIPEI)
    expect(chat.error).to_be_hidden()
    expect(chat.host.locator(".msg.user .flag")).to_have_count(0)
    expect(chat.user).to_have_text([TAIPEI])
    assert len(keys) == 2 and keys[0] and keys[0] == keys[1], keys  # the retry is the same message


def test_retry_after_a_lost_answer_books_once(page: Page, ticketbot: Ticketbot) -> None:
    """The server booked, but its answer was lost: the retry carries the same Idempotency-Key,
    so the server answers with the booking it made instead of making another."""
    chat = _started(page, ticketbot)
    chat.say(TAIPEI)
    chat.say(TRAVELLER)
    lost: list[int] = []

    def lose_first_answer(route: Route) -> None:
        if not lost:
            lost.append(route.fetch().status)  # the server books...
            route.abort("connectionreset")  # ...but the answer never reaches the page
        else:
            route.continue_()

    page.route("**/messages", lose_first_answer)
    chat.quick_reply("Yes").click()
    expect(chat.error.locator("p")).to_have_text(NETWORK)
    assert lost == [200]
    stored = chat.stored(ticketbot.url)
    assert len(server_view(ticketbot.url, stored)["bookings"]) == 1

    chat.retry.click()
    expect(chat.card).to_have_count(1)
    view = server_view(ticketbot.url, stored)
    assert [b["reference"] for b in view["bookings"]] == [chat.card.locator(".ref").inner_text()]
    assert [t["user"] for t in view["turns"]] == [None, TAIPEI, TRAVELLER, "yes"]


def test_failed_start_can_be_retried(page: Page, ticketbot: Ticketbot) -> None:
    calls: list[str] = []

    def first_fails(route: Route) -> None:
        calls.append(route.request.method)
        if len(calls) == 1:
            _error(503, "unavailable", "2")(route)
        else:
            route.continue_()

    page.route("**/api/v1/conversations", first_fails)
    page.goto(ticketbot.url + "/")
    chat = Chat(page)
    chat.open()
    expect(chat.error.locator("p")).to_have_text("ticketbot is briefly unavailable. Please try again in a moment.")
    expect(chat.bot).to_have_count(0)
    chat.retry.click()
    expect(chat.bot).to_have_text([GREETING])
    expect(chat.error).to_be_hidden()
    assert calls == ["POST", "POST"]


def test_unknown_conversation_starts_a_new_one(page: Page, ticketbot: Ticketbot) -> None:
    """The stored conversation is gone (say, the database was reset): a new one starts, politely."""
    page.goto(ticketbot.url + "/")
    page.evaluate(
        "([key, value]) => window.localStorage.setItem(key, value)",
        [f"ticketbot:{ticketbot.url}", json.dumps({"id": "0" * 32, "token": "A" * 43})],
    )
    page.reload()
    chat = Chat(page)
    chat.open()
    expect(chat.notes).to_have_text([EXPIRED])
    expect(chat.bot).to_have_text([GREETING])
    first = chat.stored(ticketbot.url)
    assert first["id"] != "0" * 32

    # gone in the middle of a conversation: the message is put back in the text box, not lost
    page.route("**/messages", _error(404, "not_found"), times=1)
    chat.input.fill(TAIPEI)
    chat.input.press("Enter")
    page.wait_for_function(  # a new conversation is stored
        "([key, old]) => { const id = (JSON.parse(window.localStorage.getItem(key) || '{}')).id;"
        " return id && id !== old; }",
        arg=[f"ticketbot:{ticketbot.url}", first["id"]],
    )
    expect(chat.notes).to_have_text([EXPIRED])
    expect(chat.user).to_have_count(0)
    expect(chat.input).to_have_value(TAIPEI)
    expect(chat.bot).to_have_text([GREETING])
    chat.input.press("Enter")
    chat.wait_for_bot(2)
    expect(chat.bot.nth(1)).to_have_text(ASK_NAME_TAIPEI)

"""Keyboard only, screen readers, focus and contrast; and a 360 px phone."""

from __future__ import annotations

from urllib.parse import quote

from playwright.sync_api import Page, expect

from .chat import (
    ASK_NAME_TAIPEI,
    CONFIRM_TAIPEI,
    GREETING,
    TAIPEI,
    TRAVELLER,
    Chat,
    accent_colours,
    contrast_failures,
    contrast_ratio,
)
from .conftest import Ticketbot


def tab_to(page: Page, chat: Chat, matches, *, backwards: bool = False, most: int = 12) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches; return it."""
    for _ in range(most):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        focused = chat.focused()
        if focused and matches(focused):
            return focused
    raise AssertionError(f"Tab never reached the element; the focus is on {chat.focused()}")


def test_keyboard_only_booking(page: Page, ticketbot: Ticketbot, screenshot) -> None:
    """Tab, Enter and Space only: no mouse from start to booking."""
    page.goto(ticketbot.url + "/")
    chat = Chat(page)
    launcher = tab_to(page, chat, lambda f: f["inWidget"] and "launcher" in f["cls"])
    assert launcher["label"] == "Open chat"
    # visible focus: a solid ring that stands out from the page (3:1)
    assert launcher["outlineStyle"] == "solid" and launcher["outlineWidth"] >= 2
    assert contrast_ratio(launcher["outlineColor"], "rgb(246, 248, 250)") >= 3

    page.keyboard.press("Enter")
    expect(chat.panel).to_be_visible()
    assert chat.focused()["id"] == "tb-input"  # straight to the text box
    chat.wait_for_bot(1)

    # screen readers: the conversation is a polite live log, the panel a labelled dialog
    expect(chat.log).to_have_attribute("role", "log")
    expect(chat.log).to_have_attribute("aria-live", "polite")
    expect(chat.panel).to_have_attribute("role", "dialog")
    expect(page.get_by_role("dialog", name="Book a flight")).to_be_visible()

    page.keyboard.type(TAIPEI)
    page.keyboard.press("Enter")
    chat.wait_for_bot(2)
    expect(chat.bot.nth(1)).to_have_text(ASK_NAME_TAIPEI)
    page.keyboard.type(TRAVELLER)
    page.keyboard.press("Enter")
    chat.wait_for_bot(3)
    expect(chat.bot.nth(2)).to_have_text(CONFIRM_TAIPEI)
    expect(chat.log.locator(".msg")).to_have_count(5)  # new messages land inside the live region
    expect(chat.quick).to_be_visible()
    assert contrast_failures(page) == []

    yes = tab_to(page, chat, lambda f: f["text"] == "Yes", backwards=True, most=6)
    assert yes["outlineStyle"] == "solid" and contrast_ratio(yes["outlineColor"], "rgb(255, 255, 255)") >= 3
    screenshot(page, "focus-on-yes")
    page.keyboard.press("Space")
    expect(chat.card).to_have_count(1)
    assert chat.focused()["id"] == "tb-input"  # the quick replies went away; the focus did not get lost
    assert contrast_failures(page) == []
    screenshot(page, "booked")

    page.keyboard.press("Escape")  # closes the panel and gives the focus back to the launcher
    expect(chat.panel).to_be_hidden()
    assert "launcher" in chat.focused()["cls"]
    page.keyboard.press("Space")
    expect(chat.panel).to_be_visible()
    expect(chat.card).to_have_count(1)


def test_accent_colour_keeps_text_readable(page: Page, host_site: str) -> None:
    """White text on the accent where it reads (4.5:1), black text where it would not."""
    expected = {
        "#1d4ed8": ("rgb(29, 78, 216)", "rgb(255, 255, 255)"),
        "#767676": ("rgb(118, 118, 118)", "rgb(255, 255, 255)"),  # white: 4.54
        "#777777": ("rgb(119, 119, 119)", "rgb(0, 0, 0)"),  # white: 4.48, too little
        "#ffd700": ("rgb(255, 215, 0)", "rgb(0, 0, 0)"),
        "rebeccapurple": ("rgb(102, 51, 153)", "rgb(255, 255, 255)"),
        "not a colour": ("rgb(29, 78, 216)", "rgb(255, 255, 255)"),  # ignored: the default
    }
    for accent, (background, text) in expected.items():
        page.goto(f"{host_site}/embed.html?data-accent={quote(accent)}")
        expect(Chat(page).launcher).to_be_visible()
        colours = accent_colours(page)
        assert colours == {"background": background, "color": text}, accent
        assert contrast_ratio(colours["background"], colours["color"]) >= 4.5, accent


def test_phone_360_by_640(phone: Page, ticketbot: Ticketbot, screenshot) -> None:
    phone.goto(ticketbot.url + "/")
    chat = Chat(phone)
    chat.launcher.tap()
    expect(chat.panel).to_be_visible()
    # a tap puts the focus in the panel, not in the text box: no keyboard popping over the greeting
    assert chat.focused()["cls"] == "scroller"
    chat.wait_for_bot(1)
    expect(chat.bot).to_have_text([GREETING])

    def fits() -> None:
        box = chat.panel.bounding_box()
        assert box is not None
        assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= 360 and box["y"] + box["height"] <= 640
        sizes = phone.evaluate(
            """() => {
              const root = document.querySelector("ticketbot-widget").shadowRoot;
              const scroller = root.querySelector(".scroller");
              return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                      scroller: scroller.scrollWidth, scrollerView: scroller.clientWidth};
            }"""
        )
        assert sizes["page"] <= sizes["view"] == 360, sizes  # no horizontal scrolling
        assert sizes["scroller"] <= sizes["scrollerView"], sizes

    fits()
    # the panel fills the small screen and the launcher steps aside; the text box takes 16 px text
    # (no zoom on focus) and the buttons are comfortable to tap
    expect(chat.launcher).to_be_hidden()
    assert chat.input.evaluate("e => getComputedStyle(e).fontSize") == "16px"
    chat.say(TAIPEI)
    chat.say(TRAVELLER)
    for button in [*chat.quick.get_by_role("button").all(), chat.send_button, chat.close_button]:
        box = button.bounding_box()
        assert box is not None and box["height"] >= 36 and box["width"] >= 36, box
    chat.quick_reply("Yes").tap()
    expect(chat.card).to_have_count(1)
    assert chat.focused()["cls"] == "scroller"
    fits()
    screenshot(phone, "booked")

    chat.say("x" * 300)  # one long word wraps instead of widening anything
    fits()
    chat.close_button.tap()
    expect(chat.panel).to_be_hidden()
    expect(chat.launcher).to_be_visible()

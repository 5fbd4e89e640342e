"""The widget cannot be turned against its page, and the page's CSS and ours never mix.

The hostile page lives on another origin (another loopback port) and embeds the widget from
ticketbot with ``data-endpoint``; ticketbot's CORS allow-list names that origin. The page's
CSP allows no inline styles and no eval, and its global CSS is as aggressive as it gets.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Dialog, Page, Request, expect

from .chat import (
    ASK_NAME_TAIPEI,
    CONFIRM_TAIPEI,
    DEEP_ELEMENTS_JS,
    TAIPEI,
    TRAVELLER,
    Chat,
    contrast_failures,
    contrast_ratio,
)
from .conftest import Ticketbot

PAYLOAD = "<img src=x onerror=alert(1)>"


def test_markup_is_shown_as_text_and_never_runs(page: Page, ticketbot: Ticketbot, screenshot) -> None:
    dialogs: list[str] = []
    requests: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_request(request: Request) -> None:
        requests.append(urlsplit(request.url).path)

    page.on("dialog", on_dialog)
    page.on("request", on_request)
    page.goto(ticketbot.url + "/")
    chat = Chat(page)
    chat.open()
    chat.wait_for_bot(1)
    reply = chat.say(PAYLOAD)
    expect(chat.user).to_have_text([PAYLOAD])
    # the bot may quote the text back: it is text there too
    assert "<img" not in reply or chat.bot.last.inner_text() == reply
    screenshot(page, "markup-as-text")

    images = page.evaluate(
        "() => {" + DEEP_ELEMENTS_JS + "return deepElements(document).filter((e) => e.localName === 'img').length; }"
    )
    assert images == 0, "an <img> element exists in the page or the widget's shadow root"
    assert (
        page.evaluate("() => document.querySelector('ticketbot-widget').shadowRoot.innerHTML.includes('<img')") is False
    )
    assert dialogs == [], f"script ran: {dialogs}"
    assert not [path for path in requests if path.endswith("/x")], "the browser tried to load the image"


def test_host_css_and_widget_css_do_not_leak_across_origins(
    page: Page, ticketbot: Ticketbot, host_site: str, screenshot
) -> None:
    page.goto(host_site + "/hostile.html")
    chat = Chat(page)

    # --- the page keeps its own look, untouched by the widget's classes (.msg, .panel) ---
    def style(selector: str, *properties: str) -> dict[str, str]:
        return page.evaluate(
            "([selector, properties]) => { const s = getComputedStyle(document.querySelector(selector));"
            " return Object.fromEntries(properties.map((p) => [p, s.getPropertyValue(p)])); }",
            [selector, list(properties)],
        )

    def page_looks_its_own() -> None:
        assert style("#host-text", "color", "font-size") == {"color": "rgb(255, 0, 0)", "font-size": "40px"}
        assert style("#host-button", "display") == {"display": "none"}
        for own in ("#host-msg", "#host-panel"):
            assert style(own, "background-color", "position", "border-radius", "padding-top") == {
                "background-color": "rgb(255, 255, 0)", "position": "static", "border-radius": "0px",
                "padding-top": "20px",
            }  # fmt: skip

    page_looks_its_own()

    # --- the widget keeps its look, untouched by the page's "*" and "button" rules ---
    expect(chat.launcher).to_be_visible()
    box = chat.launcher.bounding_box()
    assert box is not None and box["x"] < 100 and box["width"] == 56, box  # data-position="left"
    expect(chat.launcher).to_have_attribute("aria-label", "Ouvrir la discussion")  # data-lang="fr"
    chat.open()
    expect(chat.title).to_have_text("Voyages <b>Exemple</b>")  # data-title, as text
    expect(chat.input).to_have_attribute("placeholder", "Écrivez votre message…")
    chat.wait_for_bot(1)
    # the API is on another origin: this turn crossed it (CORS), to data-endpoint
    assert chat.say(TAIPEI) == ASK_NAME_TAIPEI
    assert chat.say(TRAVELLER) == CONFIRM_TAIPEI
    expect(chat.quick.get_by_role("button")).to_have_text(["Oui", "Non", "Recommencer"])
    for button in chat.quick.get_by_role("button").all():
        expect(button).to_be_visible()  # the page's `button { display: none }` does not reach them

    inside = page.evaluate(
        """() => {
          const root = document.querySelector("ticketbot-widget").shadowRoot;
          const pick = (selector, ...properties) => {
            const s = getComputedStyle(root.querySelector(selector));
            return Object.fromEntries(properties.map((p) => [p, s.getPropertyValue(p)]));
          };
          return {
            bot: pick(".msg.bot .text", "color", "font-size", "font-family", "letter-spacing", "line-height"),
            user: pick(".msg.user", "color", "background-color"),
            header: pick(".header", "color", "background-color"),
            input: pick("input", "font-size", "border-top-style", "box-sizing"),
            quick: pick(".quick button", "display", "font-size", "color"),
          };
        }"""
    )
    assert inside["bot"]["color"] == "rgb(31, 35, 40)"
    assert inside["bot"]["font-size"] == "15px"
    assert inside["bot"]["font-family"].startswith("system-ui")
    assert inside["bot"]["letter-spacing"] == "normal"
    assert inside["input"] == {"font-size": "16px", "border-top-style": "solid", "box-sizing": "border-box"}
    # flex items, so "block" (blockified), not the page's "none"
    assert inside["quick"] == {"display": "block", "font-size": "15px", "color": "rgb(31, 35, 40)"}
    # data-accent="#ffd700" (gold): white would be unreadable on it, so the text on it is black
    for part in ("user", "header"):
        assert inside[part] == {"color": "rgb(0, 0, 0)", "background-color": "rgb(255, 215, 0)"}, inside[part]
    assert contrast_ratio("rgb(255, 215, 0)", "rgb(0, 0, 0)") >= 4.5
    assert contrast_failures(page) == []

    page_looks_its_own()  # still, with the panel open and a conversation in it
    screenshot(page, "hostile-page")

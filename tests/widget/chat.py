"""The widget as a test sees it: locators into its shadow root, and measurements made in the page.

Playwright's CSS locators pierce open shadow roots, so ``ticketbot-widget .launcher`` finds
the launcher inside the widget's shadow DOM (and nothing on the host page).
"""

from __future__ import annotations

import json
from typing import Any

import httpx
from playwright.sync_api import Locator, Page, expect

TAIPEI = "I want to arrive in Taipei on Nov. 2nd"
GREETING = "Hi! I can book you a flight. Where do you want to fly to?"
ASK_NAME_TAIPEI = (
    "Noted: to Taipei (TPE, TSA), arriving on Tuesday, November 2, 2027. Who is travelling? The name as on the"
    " passport, please."
)  # the trip is complete: the bot asks for the traveller's name before it confirms
TRAVELLER = "Ana Sousa"
CONFIRM_TAIPEI = (
    "So that's a one-way flight to Taipei (TPE, TSA), arriving on Tuesday, November 2, 2027, for 1 adult in economy."
    " Traveller: Ana Sousa. Shall I book it?"
)


class Chat:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.host = page.locator("ticketbot-widget")
        self.launcher = self.host.locator(".launcher")
        self.panel = self.host.locator(".panel")
        self.title = self.host.locator(".title")
        self.new_conversation = self.host.locator(".header .new")
        self.close_button = self.host.locator(".header .close")
        self.log = self.host.locator(".log")
        self.bot = self.host.locator(".msg.bot .text")
        self.user = self.host.locator(".msg.user .text")
        self.notes = self.host.locator(".note")
        self.typing = self.host.locator(".typing")
        self.quick = self.host.locator(".quick")
        self.error = self.host.locator(".error")
        self.retry = self.host.locator(".error .retry")
        self.input = self.host.locator("input")
        self.send_button = self.host.locator(".composer .send")
        self.card = self.host.locator(".card")

    def quick_reply(self, label: str) -> Locator:
        return self.quick.get_by_role("button", name=label, exact=True)

    def open(self) -> None:
        self.launcher.click()
        expect(self.panel).to_be_visible()

    def wait_for_bot(self, count: int) -> None:
        expect(self.bot).to_have_count(count)

    def say(self, text: str) -> str:
        """Type a message, press Enter, wait for the bot's answer and return it."""
        before = self.bot.count()
        self.input.fill(text)
        self.input.press("Enter")
        self.wait_for_bot(before + 1)
        return self.bot.nth(before).inner_text()

    def stored(self, endpoint: str) -> dict[str, str]:
        """The conversation id and token the widget keeps in localStorage."""
        raw = self.page.evaluate("key => window.localStorage.getItem(key)", f"ticketbot:{endpoint}")
        assert raw, "the widget stored no conversation"
        return json.loads(raw)

    def focused(self) -> dict[str, Any]:
        return self.page.evaluate(FOCUSED_JS)


def server_view(endpoint: str, stored: dict[str, str]) -> dict[str, Any]:
    """The conversation as the API has it (transcript and bookings)."""
    response = httpx.get(
        f"{endpoint}/api/v1/conversations/{stored['id']}",
        headers={"Authorization": f"Bearer {stored['token']}"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    return response.json()


# The element that has the keyboard focus, looking inside shadow roots, with its focus ring.
FOCUSED_JS = """() => {
  let element = document.activeElement;
  while (element && element.shadowRoot && element.shadowRoot.activeElement) {
    element = element.shadowRoot.activeElement;
  }
  if (!element) return null;
  const style = getComputedStyle(element);
  return {
    tag: element.tagName.toLowerCase(), id: element.id, cls: element.getAttribute("class") || "",
    text: (element.textContent || "").trim(), label: element.getAttribute("aria-label") || "",
    inWidget: element.getRootNode() !== document,
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor,
  };
}"""

# Every element of the document and of every open shadow root inside it.
DEEP_ELEMENTS_JS = """
function deepElements(root) {
  const found = [];
  const walk = (node) => {
    for (const element of node.querySelectorAll("*")) {
      found.push(element);
      if (element.shadowRoot) walk(element.shadowRoot);
    }
  };
  walk(root);
  return found;
}
"""

# WCAG 2 contrast of every visible piece of text in the widget against its effective background,
# plus the placeholder, the text box's border and the icons (non-text contrast, 3:1).
CONTRAST_JS = """() => {
  const parse = (text) => {
    const m = /rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)/.exec(text);
    return m ? [+m[1], +m[2], +m[3], m[4] === undefined ? 1 : +m[4]] : null;
  };
  const over = (top, bottom) => [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat(1);
  const luminance = (rgb) => {
    const c = rgb.slice(0, 3).map((v) => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const ratio = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const background = (element) => {  // composite the backgrounds from the element up to the page
    const layers = [];
    for (let node = element; node; ) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (colour && colour[3] === 1) break;
      node = node.parentElement || (node.getRootNode().host || null);
    }
    return layers.reverse().reduce((below, layer) => over(layer, below), [255, 255, 255, 1]);
  };
  const host = document.querySelector("ticketbot-widget");
  const results = [];
  const visible = (el) => el.checkVisibility() && el.getBoundingClientRect().width > 1;
  for (const el of host.shadowRoot.querySelectorAll("*")) {
    if (!visible(el)) continue;
    const style = getComputedStyle(el);
    const bg = background(el);
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    if (ownText) {
      results.push({kind: "text", what: el.textContent.trim().slice(0, 40), fg: style.color,
                    bg: "rgb(" + bg.slice(0, 3).join(", ") + ")",
                    ratio: ratio(over(parse(style.color), bg), bg), needed: large ? 3 : 4.5});
    }
    if (el.tagName === "INPUT") {
      const placeholder = getComputedStyle(el, "::placeholder").color;
      results.push({kind: "placeholder", what: el.placeholder, fg: placeholder, ratio: ratio(parse(placeholder), bg),
                    needed: 4.5});
      results.push({kind: "border", what: "text box", fg: style.borderTopColor,
                    ratio: ratio(parse(style.borderTopColor), bg), needed: 3});
    }
    if (el.tagName === "svg") {  // an icon-only button (launcher, close) is known by its icon: 3:1
      results.push({kind: "icon", what: el.parentElement.getAttribute("aria-label"), fg: style.color,
                    ratio: ratio(parse(style.color), bg), needed: 3});
    }
  }
  return results;
}"""


def contrast_failures(page: Page) -> list[dict[str, Any]]:
    """The widget's colours that miss WCAG AA (text 4.5:1, large text and components 3:1), measured in the page."""
    report = page.evaluate(CONTRAST_JS)
    assert any(r["kind"] == "text" for r in report), "nothing was measured"
    return [r for r in report if r["ratio"] < r["needed"]]


def accent_colours(page: Page) -> dict[str, Any]:
    """The launcher's colours and their contrast ratio."""
    return page.evaluate(
        """() => {
          const launcher = document.querySelector("ticketbot-widget").shadowRoot.querySelector(".launcher");
          const style = getComputedStyle(launcher);
          return {background: style.backgroundColor, color: style.color};
        }"""
    )


def contrast_ratio(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``rgb(r, g, b)`` colours, computed in Python from the CSS values."""

    def luminance(colour: str) -> float:
        values = [int(v) for v in colour[colour.index("(") + 1 : colour.index(")")].split(",")[:3]]
        linear = [v / 255 / 12.92 if v / 255 <= 0.04045 else ((v / 255 + 0.055) / 1.055) ** 2.4 for v in values]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)

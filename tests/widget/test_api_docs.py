"""The API's documentation pages in a real browser: ``/docs`` and ``/redoc`` render offline.

Not the widget, but the same live server and Chromium (see conftest): the pages must show
every operation of ``/openapi.json`` under the service's own Content-Security-Policy, with
no CSP violation, no uncaught error and no request leaving the service's origin.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, expect

from .conftest import Ticketbot, open_page

# Chromium reports a blocked resource on the console, but only once per page and not for every
# kind of directive; the DOM event is the sure sign, so the pages collect it as well.
_RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation',
    (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _operations(ticketbot: Ticketbot) -> list[tuple[str, str, str]]:
    with urllib.request.urlopen(ticketbot.url + "/openapi.json", timeout=10) as answer:
        schema = json.load(answer)
    return [
        (method.upper(), path, operation["summary"])
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
    ]


@pytest.fixture
def docs_page(browser: Browser, ticketbot: Ticketbot) -> Iterator[tuple[Page, list[str]]]:
    """A page (failing on CSP violations and errors) and the requests it sent off the service's origin."""
    origin = urlsplit(ticketbot.url).netloc
    elsewhere: list[str] = []

    def watch(request: Request) -> None:
        if urlsplit(request.url.removeprefix("blob:")).netloc != origin:  # blob: is the page's own (ReDoc's worker)
            elsewhere.append(request.url)

    pages = open_page(browser)
    page = next(pages)
    page.add_init_script(_RECORD_VIOLATIONS)
    page.on("request", watch)
    yield page, elsewhere
    next(pages, None)  # closes the context and reports what the page logged


def test_swagger_ui_lists_every_operation(docs_page: tuple[Page, list[str]], ticketbot: Ticketbot, screenshot) -> None:
    page, elsewhere = docs_page
    operations = _operations(ticketbot)
    assert len(operations) >= 9, operations
    answer = page.goto(ticketbot.url + "/docs")
    assert answer is not None and answer.ok
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    blocks = page.locator(".opblock-summary")
    expect(blocks).to_have_count(len(operations))
    for method, path, summary in operations:
        block = page.locator(f".opblock-{method.lower()}").filter(has=page.get_by_text(path, exact=True))
        expect(block.first).to_contain_text(summary)
    screenshot(page, "swagger-ui")

    # the UI works, not only draws: an operation opens with its parameters and responses
    page.get_by_text("/api/v1/conversations/{conversation_id}/messages", exact=True).first.click()
    expect(page.locator(".opblock.is-open .responses-table").first).to_be_visible()
    assert page.evaluate("window.__violations") == []
    assert elsewhere == [], f"requests left the service's origin: {elsewhere}"


def test_redoc_lists_every_operation(docs_page: tuple[Page, list[str]], ticketbot: Ticketbot, screenshot) -> None:
    page, elsewhere = docs_page
    operations = _operations(ticketbot)
    answer = page.goto(ticketbot.url + "/redoc")
    assert answer is not None and answer.ok
    for _method, _path, summary in operations:
        expect(page.locator("h2", has_text=summary).first).to_be_attached()
    expect(page.locator("[role=search] input, input[placeholder='Search...']").first).to_be_visible()
    screenshot(page, "redoc")
    assert page.evaluate("window.__violations") == []
    assert elsewhere == [], f"requests left the service's origin: {elsewhere}"


@pytest.mark.parametrize("name", ["settings.py", "..%2F..%2Fsettings.py", "core.py"])
def test_only_the_known_assets_are_served(ticketbot: Ticketbot, name: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{ticketbot.url}/docs/assets/{name}", timeout=10)
    assert refused.value.code == 404
    assert json.loads(refused.value.read())["error"]["code"] == "not_found"

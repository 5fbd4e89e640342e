"""Browser tests of the chat widget: Debian's Chromium, driven by Playwright, against a live ticketbot.

Two servers run on loopback ports for the whole session:

- ``ticketbot``: the real service (uvicorn in a thread, SQLite, the bundled tagger on the
  CPU, the fixed clock of the service tests). Its ``/`` is the demo page, same origin as the API.
- ``host_site``: a stranger's web site on another port (so another origin) that embeds the
  widget from ticketbot with one script tag; the ticketbot server allows it in its CORS list.

Each test gets a fresh browser context (empty localStorage). Uncaught JavaScript errors and
Content Security Policy violations fail the test. Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import html
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import uvicorn

try:
    from playwright.sync_api import Browser, ConsoleMessage, Error, Page, expect, sync_playwright
except ModuleNotFoundError as missing:  # pragma: no cover - a set-up mistake, said plainly
    raise ImportError("the widget's browser tests need the playwright package: pip install -e '.[test]'") from missing

from model import Tagger
from service.api import create_app
from service.settings import Settings
from service.storage import migrate
from tests.ports import bound_socket
from tests.service.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
INSTALL_CHROMIUM = "apt-get update && apt-get install -y chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
]  # fmt: skip
WAIT_MS = 30_000  # a busy 2-core machine can be slow; no test sleeps, they wait for what they expect

expect.set_options(timeout=WAIT_MS)


# --- the ticketbot service --------------------------------------------------------------------


@dataclass
class Ticketbot:
    url: str


@pytest.fixture(scope="session")
def tagger() -> Tagger:
    return Tagger.load(device="cpu")


@pytest.fixture(scope="session")
def ticketbot(
    tagger: Tagger, host_server: ThreadingHTTPServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Ticketbot]:
    url = f"sqlite:///{tmp_path_factory.mktemp('widget') / 'ticketbot.db'}"
    migrate.upgrade(url)
    settings = Settings(
        database_url=url,
        rate_limit_client="100000/minute",
        rate_limit_conversation="100000/minute",
        cors_origins=[f"http://127.0.0.1:{host_server.server_port}"],
    )
    app = create_app(settings, tagger=tagger, clock=lambda: NOW)
    sock = bound_socket()  # bound until uvicorn listens on it: no other process can take the port
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:  # the same start-up wait as tests/service/api/conftest.py
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the ticketbot test server did not start")
        time.sleep(0.01)
    try:
        yield Ticketbot(f"http://127.0.0.1:{sock.getsockname()[1]}")
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


# --- a stranger's site that embeds the widget ------------------------------------------------

# Deliberately hostile global styles: nothing of this may reach the widget, and nothing of the
# widget's may reach these elements (they reuse class names the widget uses inside its shadow root).
HOST_CSS = """
* { color: red !important; font-size: 40px; font-family: "Comic Sans MS", cursive; line-height: 3;
    box-sizing: content-box; letter-spacing: 2px; }
button { display: none; }
div, section, form, input, p { border: 4px dotted green; padding: 20px; }
.msg, .panel, .launcher, .card, .header { background: yellow; position: static; }
"""

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>{head}</head>
<body><h1>{title}</h1>{body}
<script src="{api}/widget.js"{attributes} defer></script>
</body></html>
"""

_HOSTILE_BODY = """
<p id="host-text">Our own paragraph.</p>
<button id="host-button" type="button">Our own button</button>
<div class="msg" id="host-msg">Our own .msg</div>
<div class="panel" id="host-panel">Our own .panel</div>
"""


class _HostSite(BaseHTTPRequestHandler):
    """``/a.html`` and ``/b.html``: two plain pages of one site, the widget's endpoint left to default;
    ``/hostile.html``: hostile CSS, a strict CSP, and every data-* attribute;
    ``/embed.html?data-accent=...&data-lang=...``: the tag with the query's data-* attributes
    (``&tags=0`` leaves it out, ``&tags=2`` includes it twice)."""

    server: ThreadingHTTPServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        api = self.server.ticketbot_url  # type: ignore[attr-defined]
        headers = {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"}
        if parts.path == "/host.css":
            self._answer(HOST_CSS, {"Content-Type": "text/css; charset=utf-8"})
            return
        if parts.path in ("/a.html", "/b.html"):
            page = _PAGE.format(title=f"Travel shop, page {parts.path[1]}", head="", body="", api=api, attributes="")
        elif parts.path == "/hostile.html":
            attributes = {
                "data-endpoint": api, "data-title": "Voyages <b>Exemple</b>", "data-accent": "#ffd700",
                "data-position": "left", "data-lang": "fr",
            }  # fmt: skip
            # no 'unsafe-inline' styles and no eval: the widget must still look right
            headers["Content-Security-Policy"] = (
                f"default-src 'none'; script-src {api}; style-src 'self'; connect-src {api}; img-src 'none'"
            )
            page = _PAGE.format(
                title="Hostile travel shop", head='<link rel="stylesheet" href="/host.css">', body=_HOSTILE_BODY,
                api=api, attributes=_attributes(attributes),
            )  # fmt: skip
        elif parts.path == "/embed.html":
            query = {name: values[0] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
            attributes = {name: value for name, value in query.items() if name.startswith("data-")}
            page = _PAGE.format(title="Embed", head="", body="", api=api, attributes=_attributes(attributes))
            tag = page[page.index("<script") : page.index("</script>") + len("</script>")]
            page = page.replace(tag, tag * int(query.get("tags", "1")))
        else:
            self.send_error(404)
            return
        self._answer(page, headers)

    def _answer(self, text: str, headers: dict[str, str]) -> None:
        body = text.encode()
        self.send_response(200)
        for name, value in {**headers, "Content-Length": str(len(body))}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


def _attributes(values: dict[str, str]) -> str:
    return "".join(f' {name}="{html.escape(value, quote=True)}"' for name, value in values.items())


@pytest.fixture(scope="session")
def host_server() -> Iterator[ThreadingHTTPServer]:
    """Bound first, so the ticketbot server can name the site's origin in its CORS list; serves later."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HostSite)
    yield server
    server.server_close()


@pytest.fixture(scope="session")
def host_site(host_server: ThreadingHTTPServer, ticketbot: Ticketbot) -> Iterator[str]:
    """The stranger's site's origin (ticketbot's CORS list allows it)."""
    host_server.ticketbot_url = ticketbot.url  # type: ignore[attr-defined]
    thread = threading.Thread(target=host_server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{host_server.server_port}"
    host_server.shutdown()


# --- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = shutil.which(CHROMIUM) or shutil.which("chromium")
    if executable is None:
        pytest.fail(
            f"Chromium is not installed ({CHROMIUM} is missing); the widget's browser tests need Debian's "
            f"chromium package: {INSTALL_CHROMIUM}",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, timeout=60_000)
        except Error as error:
            pytest.fail(f"Chromium at {executable} did not start ({error}); reinstall it: {INSTALL_CHROMIUM}")
        yield launched
        launched.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest):
    """``screenshot(page, "name")`` saves artifacts/screenshots/<test>-<name>.png and returns its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    test = request.node.name.replace("[", "-").replace("]", "").replace("/", "-")

    def take(page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{test}-{name}.png"
        page.screenshot(path=str(path))
        return path

    return take


def open_page(browser: Browser, **context_options: object) -> Iterator[Page]:
    """A page in a fresh context; fails the test on uncaught errors and CSP violations."""
    context = browser.new_context(**{"viewport": {"width": 1100, "height": 760}, "locale": "en-US",
                                     **context_options})  # fmt: skip
    context.set_default_timeout(WAIT_MS)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"uncaught error: {error}"))

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            problems.append(f"CSP violation: {message.text}")

    page.on("console", on_console)
    yield page
    context.close()
    if problems:
        pytest.fail("the page reported problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    yield from open_page(browser)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """A 360x640 phone screen with touch."""
    yield from open_page(
        browser, viewport={"width": 360, "height": 640}, device_scale_factor=2, is_mobile=True, has_touch=True
    )

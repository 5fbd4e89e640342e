"""Hostile text through the API: markup, bidi controls, control characters, astral and odd Unicode.

Whatever a customer types, the service never answers 5xx; a message it accepts is stored
and returned as text, exactly (the JSON round trip changes nothing: no escaping, no
normalisation, no stripping beyond the documented trim of spaces, tabs and newlines); one
it refuses gets a 4xx that says why and stores nothing. The widget renders what it gets
with ``textContent``; its browser test belongs to the widget's harness (another branch).

Runs against real server processes (SQLite and PostgreSQL, which refuses some text that
SQLite takes, such as NUL) with hypothesis-generated strings.
"""

from __future__ import annotations

import json

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import Conversation, say, start_conversation, transcript
from .processes import ServerProcess

MARKUP = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</div><b>bold</b>", "<!--", "-->", "]]>",
    "&lt;b&gt;", "&amp;", "&#x3C;", "{{7*7}}", "${jndi:ldap://x/a}", "' OR 1=1 --", '"; DROP TABLE bookings; --',
    "%s%n%x", "\\u0000", "\\", '"', "`rm -rf /`", "javascript:alert(1)", "<svg/onload=alert(1)>", "[x](javascript:x)",
    "NaN", "null", "true", "[]", "{}", "1e999", "\u2028", "\u2029",
]  # fmt: skip
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f",
        "\u061c"]  # fmt: skip
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u034f"]
CONTROL = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
ODD = [
    "\U0001f600", "\U0001f1fa\U0001f1f8", "\U0001d54f", "\U000e0041", "\U0010fffd", "\ufffd", "\ufffe", "\uffff",
    "e\u0301", "A\u030a", "\u00c5", "\ufb01", "\u0130", "\u00df", "\u3000", "\u00a0", "\u2003", "\u0085",
    "\u0336" * 5, "Z\u0351\u0352\u0357\u035b", "\u05d0\u05d1", "\u0645\u0631\u062d\u0628\u0627", "\u4e2d\u6587",
]  # fmt: skip
WORDS = ["to", "denver", "boston", "yes", "no", "cancel", "on", "june", "5th", "arrive", "from", "taipei", " ", "\n",
         "\t"]  # fmt: skip

pieces = st.one_of(
    st.sampled_from(MARKUP), st.sampled_from(BIDI), st.sampled_from(INVISIBLE), st.sampled_from(CONTROL),
    st.sampled_from(ODD), st.sampled_from(WORDS), st.text(max_size=6),
)  # fmt: skip
hostile = st.one_of(
    st.lists(pieces, min_size=1, max_size=12).map("".join),
    st.tuples(pieces, st.integers(1, 1100)).map(lambda p: (p[0] * p[1])[:1100]),  # around the length limit
)

_SPACE = " \t\n\r"
_REFUSED_CONTROLS = {chr(c) for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)]}


def accepted(text: str) -> bool:
    """The documented rule: 1 to 1000 characters once spaces, tabs and newlines are trimmed,
    and no control characters but tab, newline and carriage return."""
    trimmed = text.strip(_SPACE)
    return 1 <= len(trimmed) <= 1000 and not (_REFUSED_CONTROLS & set(text))


@pytest.fixture
def conversation(shared_server: ServerProcess) -> Conversation:
    with shared_server.client() as http:
        return start_conversation(http)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(text=hostile)
def test_hostile_text_is_stored_and_returned_exactly(
    shared_server: ServerProcess, conversation: Conversation, text: str
) -> None:
    with shared_server.client() as http:
        before = len(transcript(http, conversation)["turns"])
        response = say(http, conversation, text)
        assert response.status_code < 500, (response.status_code, response.text)
        assert response.headers["content-type"] == "application/json"
        body = json.loads(response.content.decode("utf-8"))  # strict: valid UTF-8, valid JSON
        turns = transcript(http, conversation)["turns"]
    if accepted(text):
        assert response.status_code == 200, response.text
        assert isinstance(body["reply"], str) and body["reply"].strip()
        assert len(turns) == before + 1
        assert turns[-1]["user"] == text.strip(_SPACE), "stored text differs from what was sent"
    else:
        assert response.status_code == 422 and body["error"]["code"] == "invalid_request", response.text
        assert len(turns) == before, "a refused message was stored"


@pytest.mark.parametrize(
    "raw",
    [
        b'{"text": "\\ud800"}',  # a lone surrogate: valid JSON, not valid Unicode
        b'{"text": "to denver \\udfff please"}',
        b'{"text": "\\ud83d\\ude00 ok \\ud83d"}',
        b'{"text": "caf\xe9"}',  # Latin-1, not UTF-8
        b'{"text": "\xff\xfe"}',
        b'{"text": "\xed\xa0\x80"}',  # a surrogate encoded in UTF-8 (invalid)
        b'{"text": "a\\u0000b"}',
        b'{"text": "to denver"}\x00',
    ],
)
def test_text_that_is_not_unicode_is_refused_clearly(shared_server: ServerProcess, raw: bytes) -> None:
    with shared_server.client() as http:
        conversation = start_conversation(http)
        response = http.post(
            f"/api/v1/conversations/{conversation.id}/messages",
            content=raw,
            headers={**conversation.auth, "Content-Type": "application/json"},
        )
        assert 400 <= response.status_code < 500, (response.status_code, response.text)
        assert response.json()["error"]["message"]
        assert len(transcript(http, conversation)["turns"]) == 1


def test_a_bad_message_does_not_fail_its_neighbours(shared_server: ServerProcess) -> None:
    """Messages arriving together are tagged in one batch: one that cannot be tagged must not
    take the others down with it."""
    import threading

    with shared_server.client() as http:
        conversations = [start_conversation(http) for _ in range(6)]
    results: list[httpx.Response | None] = [None] * len(conversations)
    barrier = threading.Barrier(len(conversations))

    def send(i: int) -> None:
        raw = b'{"text": "to denver \\ud800"}' if i == 0 else b'{"text": "to denver"}'
        with httpx.Client(base_url=shared_server.url, timeout=60) as http:
            barrier.wait(timeout=60)
            results[i] = http.post(
                f"/api/v1/conversations/{conversations[i].id}/messages", content=raw,
                headers={**conversations[i].auth, "Content-Type": "application/json"},
            )  # fmt: skip

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(conversations))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert all(r is not None for r in results)
    assert results[0].status_code == 422, results[0].text
    assert [r.status_code for r in results[1:]] == [200] * (len(results) - 1), [r.text for r in results[1:]]


def test_the_batcher_fails_only_the_message_that_fails(tagger) -> None:
    """Behind the API's validation, the same isolation in the micro-batcher itself: when one
    message of a batch makes the tagger fail, only that caller gets the error."""
    import asyncio

    from service.inference import TaggerBatcher

    class Picky:
        """The real tagger, failing on one particular message."""

        def parse(self, texts):
            if any("boom" in t for t in texts):
                raise UnicodeError("cannot tag this")
            return tagger.parse(texts)

    async def run() -> list[object]:
        batcher = TaggerBatcher(Picky(), max_batch=8, max_wait=0.05)  # type: ignore[arg-type]
        await batcher.start()
        try:
            texts = ["to denver", "to boom", "arrive in boston on june 5th", "yes"]
            return await asyncio.gather(*(batcher.parse(t) for t in texts), return_exceptions=True)
        finally:
            await batcher.stop()

    results = asyncio.run(asyncio.wait_for(run(), timeout=60))
    assert isinstance(results[1], UnicodeError)
    assert [r.tokens for r in results if not isinstance(r, BaseException)] == [
        ["to", "denver"], ["arrive", "in", "boston", "on", "june", "5th"], ["yes"]
    ]

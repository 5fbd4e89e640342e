"""Every error path answers 4xx in one shape, says what was wrong, and writes nothing."""

from __future__ import annotations

import httpx
import pytest

from .conftest import start_conversation


def _error(response: httpx.Response, status: int) -> dict[str, str]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert "Traceback" not in response.text
    return body["error"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"text": ""}, 422, "text is empty"),
        ({"text": "   \n "}, 422, "text is empty"),
        ({"text": "x" * 1001}, 422, "1001 characters long; the most is 1000"),
        ({"text": 42}, 422, "text: must be a string"),
        ({"text": None}, 422, "text: must be a string"),
        ({"text": ["fly"]}, 422, "text: must be a string"),
        ({}, 422, "text: is required"),
        ({"text": "hi", "admin": True}, 422, "admin: is not a known field"),
        ([1, 2], 422, "must be a JSON object"),
        ({"text": "fly\x00 to boston"}, 422, "control characters"),
        ({"text": "fly to boston\x85"}, 422, "control characters"),  # C1: NEXT LINE
        ({"text": "\x9b31m fly to boston"}, 422, "control characters"),  # C1: a terminal's CSI
    ],
)
def test_bad_messages_are_refused_with_a_reason(client: httpx.Client, body: object, status: int, words: str) -> None:
    conversation, auth = start_conversation(client)
    response = client.post(f"/api/v1/conversations/{conversation}/messages", json=body, headers=auth)
    assert words in _error(response, status)["message"]
    view = client.get(f"/api/v1/conversations/{conversation}", headers=auth).json()
    assert len(view["turns"]) == 1  # nothing written: only the greeting


def test_trimmed_text_of_1000_characters_is_accepted(client: httpx.Client) -> None:
    conversation, auth = start_conversation(client)
    text = "  " + ("fly to boston " * 80)[:1000] + "  "
    assert (
        client.post(f"/api/v1/conversations/{conversation}/messages", json={"text": text}, headers=auth).status_code
        == 200
    )


def test_malformed_json_and_wrong_content(client: httpx.Client) -> None:
    conversation, auth = start_conversation(client)
    path = f"/api/v1/conversations/{conversation}/messages"
    headers = {**auth, "Content-Type": "application/json"}
    assert _error(client.post(path, content=b'{"text": "hi"', headers=headers), 400)["code"] == "malformed_json"
    assert _error(client.post(path, content=b"\xff\xfe", headers=headers), 400)["code"] == "malformed_json"
    _error(client.post(path, content=b"text=hi", headers={**auth, "Content-Type": "text/plain"}), 422)


def test_tokens_missing_malformed_forged_or_foreign(client: httpx.Client) -> None:
    mine, my_auth = start_conversation(client)
    theirs, _ = start_conversation(client)
    body = {"text": "fly to boston"}
    missing = _error(client.post(f"/api/v1/conversations/{mine}/messages", json=body), 401)
    assert "Bearer" in missing["message"]
    _error(client.post(f"/api/v1/conversations/{mine}/messages", json=body, headers={"Authorization": "Basic x"}), 401)
    forged = {"Authorization": "Bearer " + "A" * 43}
    answers = [
        client.post(f"/api/v1/conversations/{mine}/messages", json=body, headers=forged),  # forged token
        client.post(f"/api/v1/conversations/{theirs}/messages", json=body, headers=my_auth),  # someone else's
        client.post(f"/api/v1/conversations/{'0' * 32}/messages", json=body, headers=my_auth),  # no such conversation
        client.post("/api/v1/conversations/not-an-id/messages", json=body, headers=my_auth),  # malformed id
        client.get(f"/api/v1/conversations/{theirs}", headers=my_auth),
    ]
    errors = [_error(a, 404) for a in answers]
    assert all(e == errors[0] for e in errors)  # the same answer: nothing reveals which conversations exist


def test_bookings_are_private_to_their_conversation(client: httpx.Client) -> None:
    owner, owner_auth = start_conversation(client)
    path = f"/api/v1/conversations/{owner}/messages"
    client.post(path, json={"text": "fly to chicago arriving december 9th"}, headers=owner_auth)
    client.post(path, json={"text": "Ana Sousa"}, headers=owner_auth)
    reference = client.post(path, json={"text": "yes"}, headers=owner_auth).json()["booking"]["reference"]
    _, stranger = start_conversation(client)
    answers = [
        client.get(f"/api/v1/bookings/{reference}", headers=stranger),
        client.post(f"/api/v1/bookings/{reference}/cancel", headers=stranger),
        client.get("/api/v1/bookings/ZZZZ2222", headers=owner_auth),
        client.get("/api/v1/bookings/<script>", headers=owner_auth),
    ]
    errors = [_error(a, 404) for a in answers]
    assert all(e == errors[0] for e in errors)
    _error(client.get(f"/api/v1/bookings/{reference}"), 401)
    assert client.get(f"/api/v1/bookings/{reference}", headers=owner_auth).json()["status"] == "confirmed"


def test_unknown_routes_methods_and_bad_headers(client: httpx.Client) -> None:
    assert _error(client.get("/api/v1/nothing"), 404)["code"] == "not_found"
    assert _error(client.delete("/api/v1/conversations"), 405)["code"] == "method_not_allowed"
    conversation, auth = start_conversation(client)
    bad_key = {**auth, "Idempotency-Key": "x" * 200}
    response = client.post(f"/api/v1/conversations/{conversation}/messages", json={"text": "hi"}, headers=bad_key)
    assert "Idempotency-Key" in _error(response, 422)["message"]
    assert _error(client.get("/api/v1/bookings", params={"limit": 0}, headers={"X-Admin-Key": "admin-secret"}), 422)


def test_huge_bodies_are_refused_before_reading(client: httpx.Client) -> None:
    conversation, auth = start_conversation(client)
    payload = b'{"text": "' + b"a" * 200_000 + b'"}'
    response = client.post(
        f"/api/v1/conversations/{conversation}/messages", content=payload,
        headers={**auth, "Content-Type": "application/json"},
    )  # fmt: skip
    assert _error(response, 413)["code"] == "too_large"


def test_huge_chunked_bodies_are_refused_too(client: httpx.Client) -> None:
    conversation, auth = start_conversation(client)

    def chunks():
        yield b'{"text": "'
        for _ in range(100):
            yield b"a" * 1000
        yield b'"}'

    response = client.post(
        f"/api/v1/conversations/{conversation}/messages", content=chunks(),
        headers={**auth, "Content-Type": "application/json"},
    )  # fmt: skip
    assert _error(response, 413)["code"] == "too_large"

    def small():
        yield b'{"text": "fly to '
        yield b'boston"}'

    ok = client.post(
        f"/api/v1/conversations/{conversation}/messages", content=small(),
        headers={**auth, "Content-Type": "application/json"},
    )  # fmt: skip
    assert ok.status_code == 200 and ok.json()["slots"]["destination"]["city"] == "Boston"

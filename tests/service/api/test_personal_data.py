"""The traveller's name over HTTP: only for the conversation's token or the admin key, never in a log
line, and erased on request (``DELETE /api/v1/conversations/{id}/personal-data``), on both databases."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import httpx
import pytest
from pythonjsonlogger.json import JsonFormatter
from sqlalchemy.orm import Session, sessionmaker

from service.storage import make_engine, make_sessions
from service.storage.erasure import MARKER

from ..conftest import NOW
from ..personal import NAME, NAME_WORDS, SAYING_IT, everything_stored
from .conftest import LiveServer, start_conversation

ADMIN = {"X-Admin-Key": "admin-secret"}


@pytest.fixture
def sessions(server: LiveServer) -> Iterator[sessionmaker[Session]]:
    """The server's database, opened by the test beside it."""
    engine = make_engine(server.settings.database_url)
    yield make_sessions(engine)
    engine.dispose()


def _booked_with_a_name(client: httpx.Client, sessions: sessionmaker[Session]) -> tuple[str, dict[str, str], str]:
    """(conversation id, its token's headers, the booking's reference): the name said in messages,
    held in the state as the form will hold it, and booked by the customer's "yes"."""
    conversation, auth = start_conversation(client)
    path = f"/api/v1/conversations/{conversation}/messages"
    for text in SAYING_IT:
        turn = client.post(path, json={"text": text}, headers=auth)
        assert turn.status_code == 200, turn.text
    assert turn.json()["status"] == "confirming", turn.json()["reply"]
    booked = client.post(path, json={"text": "yes"}, headers=auth).json()
    assert booked["status"] == "booked" and booked["booking"]["traveller"] == NAME
    assert booked["slots"]["traveller"] == NAME
    return conversation, auth, booked["booking"]["reference"]


def test_the_name_is_returned_only_with_the_token_or_the_admin_key(
    client: httpx.Client, sessions: sessionmaker[Session]
) -> None:
    conversation, auth, reference = _booked_with_a_name(client, sessions)
    _, stranger = start_conversation(client)
    view = client.get(f"/api/v1/conversations/{conversation}", headers=auth).json()
    assert view["slots"]["traveller"] == NAME and view["bookings"][0]["traveller"] == NAME
    assert client.get(f"/api/v1/bookings/{reference}", headers=auth).json()["traveller"] == NAME
    listed = client.get("/api/v1/bookings", headers=ADMIN, params={"limit": 1000}).json()
    assert [b["traveller"] for b in listed if b["reference"] == reference] == [NAME]

    refusals = [
        ("GET", f"/api/v1/conversations/{conversation}", {}, 401),
        ("GET", f"/api/v1/conversations/{conversation}", stranger, 404),
        ("GET", f"/api/v1/bookings/{reference}", {}, 401),
        ("GET", f"/api/v1/bookings/{reference}", stranger, 404),
        ("POST", f"/api/v1/bookings/{reference}/cancel", stranger, 404),
        ("GET", "/api/v1/bookings", auth, 403),  # a customer's token does not open the admin list
        ("GET", "/api/v1/bookings", {"X-Admin-Key": "wrong"}, 403),
        ("POST", f"/api/v1/conversations/{conversation}/messages", stranger, 404),
    ]
    for method, path, headers, status in refusals:
        response = client.request(method, path, headers=headers, json={"text": "yes"} if method == "POST" else None)
        assert response.status_code == status, (method, path, response.text)
        assert NAME_WORDS.search(response.text) is None


def test_the_name_is_never_logged(
    client: httpx.Client, sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    """Everything a customer and an operator do with a named booking, with every logger at DEBUG:
    no log record, as the service writes it (JSON, with its extra fields), holds the name."""
    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    with caplog.at_level(logging.DEBUG):
        conversation, auth, reference = _booked_with_a_name(client, sessions)
        client.get(f"/api/v1/conversations/{conversation}", headers=auth)
        client.get(f"/api/v1/bookings/{reference}", headers=auth)
        client.get("/api/v1/bookings", headers=ADMIN)
        client.post(f"/api/v1/bookings/{reference}/cancel", headers=auth)
        path = f"/api/v1/conversations/{conversation}/messages"
        client.post(path, json={"text": f"book another for {NAME}"}, headers={**auth, "Idempotency-Key": "k1"})
        client.post(path, json={"text": f"book another for {NAME} again"}, headers={**auth, "Idempotency-Key": "k1"})
        client.delete(f"/api/v1/conversations/{conversation}/personal-data", headers=auth)
    service = [r for r in caplog.records if r.name.startswith(("ticketbot", "service", "uvicorn", "sqlalchemy"))]
    assert any(r.name == "ticketbot.access" for r in service)  # the capture saw the server's lines
    assert any(r.name == "service.manager" and "booked" in r.getMessage() for r in service)
    for record in caplog.records:
        line = formatter.format(record)
        assert NAME_WORDS.search(line) is None, line


def test_erasure_over_http_with_the_token(client: httpx.Client, sessions: sessionmaker[Session]) -> None:
    conversation, auth, reference = _booked_with_a_name(client, sessions)
    erased = client.delete(f"/api/v1/conversations/{conversation}/personal-data", headers=auth)
    assert erased.status_code == 200, erased.text
    assert erased.json() == {"conversation_id": conversation, "erased_at": "2026-11-26T10:00:00Z", "bookings": 1,
                             "turns": 5}  # fmt: skip
    view = client.get(f"/api/v1/conversations/{conversation}", headers=auth)
    assert NAME_WORDS.search(view.text) is None
    body = view.json()
    assert body["personal_data_erased_at"] == "2026-11-26T10:00:00Z"
    assert body["slots"]["traveller"] is None and body["bookings"][0]["traveller"] is None
    assert body["turns"][1]["user"] == f"my name is {MARKER}"
    assert NAME_WORDS.search(everything_stored(sessions, conversation)) is None
    booking = client.get(f"/api/v1/bookings/{reference}", headers=auth).json()
    assert (booking["status"], booking["destination"]["city"], booking["traveller"]) == ("confirmed", "Denver", None)
    assert client.post(f"/api/v1/bookings/{reference}/cancel", headers=auth).json()["status"] == "cancelled"
    again = client.delete(f"/api/v1/conversations/{conversation}/personal-data", headers=auth)
    assert again.status_code == 200
    assert again.json() == {**erased.json(), "bookings": 0, "turns": 0}
    assert erased.json()["erased_at"] == NOW.isoformat().replace("+00:00", "Z")


def test_erasure_by_an_operator_and_the_refusals(
    client: httpx.Client, sessions: sessionmaker[Session], make_server
) -> None:
    conversation, auth, _ = _booked_with_a_name(client, sessions)
    _, stranger = start_conversation(client)
    path = f"/api/v1/conversations/{conversation}/personal-data"
    refusals = [
        (path, {}, 401, "unauthorized"),
        (path, {"Authorization": "Basic abc"}, 401, "unauthorized"),
        (path, stranger, 404, "not_found"),  # another conversation's token: as if it did not exist
        (path, {"X-Admin-Key": "wrong", **auth}, 403, "forbidden"),  # a wrong key is not overlooked
        (f"/api/v1/conversations/{'0' * 32}/personal-data", auth, 404, "not_found"),
        (f"/api/v1/conversations/{'0' * 32}/personal-data", ADMIN, 404, "not_found"),
        ("/api/v1/conversations/not-an-id/personal-data", ADMIN, 404, "not_found"),
    ]
    for where, headers, status, code in refusals:
        response = client.delete(where, headers=headers)
        assert (response.status_code, response.json()["error"]["code"]) == (status, code), (where, headers)
    assert NAME in everything_stored(sessions, conversation)  # nothing erased by a refusal

    erased = client.delete(path, headers=ADMIN)
    assert erased.status_code == 200 and erased.json()["bookings"] == 1
    assert NAME_WORDS.search(everything_stored(sessions, conversation)) is None
    disabled = make_server(admin_key=None)
    with disabled.client() as http:
        response = http.delete(path, headers=ADMIN)  # an empty database, but the key is refused first
    assert response.status_code == 403 and "disabled" in response.json()["error"]["message"]


def test_cross_origin_pages_may_erase(client: httpx.Client) -> None:
    """The widget's page on a listed origin can send the erasure (a DELETE needs a preflight)."""
    preflight = client.options(
        "/api/v1/conversations/" + "0" * 32 + "/personal-data",
        headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "DELETE",
                 "Access-Control-Request-Headers": "authorization"},
    )  # fmt: skip
    assert preflight.status_code == 200 and "DELETE" in preflight.headers["access-control-allow-methods"]


def test_the_contract_documents_the_new_fields_and_the_erasure(client: httpx.Client) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    new = ("trip", "returning", "travellers", "cabin", "airline", "nonstop", "traveller")
    for model in ("Booking", "Slots"):
        properties = schemas[model]["properties"]
        assert all(properties[field].get("description") for field in new), model
    booking = schemas["Booking"]
    assert not set(new) & set(booking["required"])  # additive: old clients' bookings still validate
    assert booking["properties"]["cabin"]["default"] == "economy"
    assert booking["properties"]["travellers"]["default"] == {"adults": 1, "children": 0}
    assert "personal data" in booking["properties"]["traveller"]["description"]
    assert set(schemas["Travellers"]["properties"]) == {"adults", "children"}
    assert set(schemas["Airline"]["properties"]) == {"code", "name"}
    erase = document["paths"]["/api/v1/conversations/{conversation_id}/personal-data"]["delete"]
    assert {"200", "401", "403", "404", "429", "503"} <= set(erase["responses"])
    assert erase["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/PersonalDataErased")
    assert {p["name"] for p in erase["parameters"]} == {"conversation_id", "authorization", "X-Admin-Key"}
    assert "Idempotent" in erase["description"]
    assert json.dumps(schemas["ConversationView"]).count("personal_data_erased_at") == 1

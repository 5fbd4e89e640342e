"""The v1 contract, end to end over HTTP: start, chat, book, read back, cancel, list."""

from __future__ import annotations

import concurrent.futures

import httpx

from .conftest import LiveServer, start_conversation

SLOT_KEYS = {
    "destination", "arrival", "origin", "departure", "trip", "returning", "travellers", "cabin", "airline", "nonstop",
    "traveller",
}  # fmt: skip
BOOKING_KEYS = {
    "reference", "status", "destination", "arrival", "origin", "departure", "trip", "returning", "travellers", "cabin",
    "airline", "nonstop", "traveller", "created_at",
}  # fmt: skip
TURN_KEYS = {"reply", "status", "slots", "missing", "booking", "understood"}


def test_start_returns_greeting_token_and_empty_booking(client: httpx.Client) -> None:
    response = client.post("/api/v1/conversations")
    assert response.status_code == 201
    body = response.json()
    assert {"conversation_id", "token", "reply", "status", "slots", "missing"} <= set(body)
    assert body["status"] == "collecting" and body["missing"] == ["destination", "arrival", "traveller"]
    assert set(body["slots"]) == SLOT_KEYS and all(v is None for v in body["slots"].values())
    assert len(body["token"]) >= 22  # at least 128 random bits, URL-safe base64
    assert body["reply"]


def test_booking_by_chat_then_read_and_cancel(client: httpx.Client) -> None:
    conversation, auth = start_conversation(client)
    path = f"/api/v1/conversations/{conversation}/messages"
    first = client.post(path, json={"text": "I want to arrive in Taipei on Nov. 2nd"}, headers=auth)
    assert first.status_code == 200, first.text
    turn = first.json()
    assert set(turn) >= TURN_KEYS
    assert turn["status"] == "collecting" and turn["missing"] == ["traveller"]
    assert turn["reply"].endswith("Who is travelling? The name as on the passport, please.")
    assert turn["slots"]["destination"] == {"city": "Taipei", "airports": ["TPE", "TSA"], "timezone": "Asia/Taipei"}
    assert turn["slots"]["arrival"] == {"date": "2027-11-02", "time": None, "qualifier": None, "period": None}
    understood = turn["understood"]
    assert {"token": "taipei", "tag": "B-toloc.city_name"} in understood["tags"]
    assert any(s["slot"] == "toloc.city_name" and s["text"] == "taipei" for s in understood["spans"])
    assert turn["booking"] is None
    named = client.post(path, json={"text": "Chen Mei-Ling"}, headers=auth).json()
    assert named["status"] == "confirming" and named["missing"] == [] and named["slots"]["traveller"] == "Chen Mei-Ling"

    booked = client.post(path, json={"text": "yes"}, headers=auth).json()
    assert booked["status"] == "booked"
    booking = booked["booking"]
    assert booking["status"] == "confirmed" and booking["destination"]["city"] == "Taipei"
    assert booking["arrival"]["date"] == "2027-11-02"
    assert set(booking) == BOOKING_KEYS
    # what the customer did not say is booked as the defaults: one-way, one adult, economy, no preference
    assert {k: booking[k] for k in ("trip", "returning", "travellers", "cabin", "airline", "nonstop")} == {
        "trip": "one_way", "returning": None, "travellers": {"adults": 1, "children": 0}, "cabin": "economy",
        "airline": None, "nonstop": False,
    }  # fmt: skip
    reference = booking["reference"]

    view = client.get(f"/api/v1/conversations/{conversation}", headers=auth).json()
    assert view["status"] == "booked" and [b["reference"] for b in view["bookings"]] == [reference]
    assert view["personal_data_erased_at"] is None
    said = [None, "I want to arrive in Taipei on Nov. 2nd", "Chen Mei-Ling", "yes"]
    assert [t["user"] for t in view["turns"]] == said
    assert booking["traveller"] == "Chen Mei-Ling"

    assert client.get(f"/api/v1/bookings/{reference}", headers=auth).json() == booking
    cancelled = client.post(f"/api/v1/bookings/{reference}/cancel", headers=auth)
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"/api/v1/bookings/{reference}/cancel", headers=auth)  # idempotent
    assert again.status_code == 200 and again.json()["status"] == "cancelled"
    assert client.get(f"/api/v1/bookings/{reference.lower()}", headers=auth).json()["status"] == "cancelled"


def test_leave_fills_origin_and_asks_where_to(client: httpx.Client) -> None:
    conversation, auth = start_conversation(client)
    turn = client.post(
        f"/api/v1/conversations/{conversation}/messages", json={"text": "leave Taipei on Nov. 2nd"}, headers=auth
    ).json()
    assert turn["slots"]["origin"]["city"] == "Taipei" and turn["slots"]["destination"] is None
    assert turn["slots"]["departure"]["date"] == "2027-11-02" and turn["slots"]["arrival"] is None
    # the day is said: the arrival is no longer needed, only where to and who
    assert turn["missing"] == ["destination", "traveller"] and turn["status"] == "collecting"


def test_a_booking_by_its_departure_alone_has_a_null_arrival(client: httpx.Client) -> None:
    conversation, auth = start_conversation(client)
    path = f"/api/v1/conversations/{conversation}/messages"
    for text in ("leave Taipei on Nov. 2nd for Boston", "Chen Mei-Ling"):
        turn = client.post(path, json={"text": text}, headers=auth).json()
    assert turn["status"] == "confirming" and turn["missing"] == []
    booked = client.post(path, json={"text": "yes"}, headers=auth).json()
    booking = booked["booking"]
    assert booking["arrival"] is None and booking["departure"]["date"] == "2027-11-02"
    assert booking["origin"]["city"] == "Taipei" and booking["destination"]["city"] == "Boston"
    assert client.get(f"/api/v1/bookings/{booking['reference']}", headers=auth).json() == booking


def test_same_idempotency_key_books_once(client: httpx.Client) -> None:
    conversation, auth = start_conversation(client)
    path = f"/api/v1/conversations/{conversation}/messages"
    client.post(path, json={"text": "fly to boston arriving december 3rd"}, headers=auth)
    client.post(path, json={"text": "Ana Sousa"}, headers=auth)
    keyed = {**auth, "Idempotency-Key": "confirm-1"}
    first = client.post(path, json={"text": "yes"}, headers=keyed).json()
    second = client.post(path, json={"text": "yes"}, headers=keyed).json()
    assert first == second and first["status"] == "booked"
    view = client.get(f"/api/v1/conversations/{conversation}", headers=auth).json()
    assert len(view["bookings"]) == 1 and len(view["turns"]) == 4
    reused = client.post(path, json={"text": "start over"}, headers=keyed)
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "idempotency_key_reused"


def test_simultaneous_messages_to_one_conversation_lose_nothing(server: LiveServer) -> None:
    with server.client() as http:
        conversation, auth = start_conversation(http)
    texts = ["fly to denver", "arriving on december 5th", "at 5 pm", "from boston"]

    def send(text: str) -> int:
        with server.client() as http:
            return http.post(
                f"/api/v1/conversations/{conversation}/messages", json={"text": text}, headers=auth
            ).status_code

    with concurrent.futures.ThreadPoolExecutor(len(texts)) as pool:
        assert list(pool.map(send, texts)) == [200] * len(texts)
    with server.client() as http:
        view = http.get(f"/api/v1/conversations/{conversation}", headers=auth).json()
    assert sorted(t["user"] for t in view["turns"][1:]) == sorted(texts)
    assert [t["seq"] for t in view["turns"]] == list(range(len(texts) + 1))


def test_admin_lists_bookings_only_with_the_key(client: httpx.Client, make_server) -> None:
    conversation, auth = start_conversation(client)
    path = f"/api/v1/conversations/{conversation}/messages"
    client.post(path, json={"text": "fly to denver arriving december 5th"}, headers=auth)
    client.post(path, json={"text": "Ana Sousa"}, headers=auth)
    reference = client.post(path, json={"text": "yes"}, headers=auth).json()["booking"]["reference"]
    listed = client.get("/api/v1/bookings", headers={"X-Admin-Key": "admin-secret"}, params={"limit": 1000})
    assert listed.status_code == 200 and reference in [b["reference"] for b in listed.json()]
    for headers in ({}, {"X-Admin-Key": "wrong"}, auth):
        refused = client.get("/api/v1/bookings", headers=headers)
        assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    disabled = make_server(admin_key=None)
    with disabled.client() as http:
        response = http.get("/api/v1/bookings", headers={"X-Admin-Key": "admin-secret"})
    assert response.status_code == 403 and "disabled" in response.json()["error"]["message"]


def test_a_blank_admin_key_disables_the_admin_api(make_server) -> None:
    for blank in ("", "   "):
        server = make_server(admin_key=blank)
        assert server.settings.admin_key is None
        with server.client() as http:
            for headers in ({}, {"X-Admin-Key": ""}):
                response = http.get("/api/v1/bookings", headers=headers)
                assert response.status_code == 403 and "disabled" in response.json()["error"]["message"]

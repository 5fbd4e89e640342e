"""Probes, metrics, headers, CORS, rate limits, the static pages, and an unreachable database."""

from __future__ import annotations

import concurrent.futures
import logging
import re

import httpx
import pytest

from .conftest import LiveServer, start_conversation


def test_health_and_readiness(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ready", "database": True, "tagger": True, "device": "cpu"}


def test_security_headers_and_request_ids(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == "abc-123"
    assert client.get("/healthz", headers={"X-Request-ID": "<bad id>"}).headers["x-request-id"] != "<bad id>"


def test_request_logs_name_the_path_that_matched_no_route(
    client: httpx.Client, caplog: pytest.LogCaptureFixture
) -> None:
    scanner = "/wp-admin/" + "x" * 300
    with caplog.at_level(logging.INFO, logger="ticketbot.access"):
        assert client.get("/api/v2/conversations").status_code == 404
        assert client.get(scanner).status_code == 404
        assert client.get("/healthz").status_code == 200
    lines = {record.request_id: record for record in caplog.records if record.name == "ticketbot.access"}
    missed = [r for r in lines.values() if r.route == "unmatched"]
    assert [r.path for r in missed] == ["/api/v2/conversations", scanner[:200]]
    assert all(not hasattr(r, "path") for r in lines.values() if r.route == "/healthz")  # ids stay out of logs
    metrics = client.get("/metrics").text
    assert 'route="unmatched"' in metrics and "wp-admin" not in metrics and "/api/v2" not in metrics


def test_cors_allows_listed_origins_only(client: httpx.Client) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    allowed = client.options("/api/v1/conversations", headers={"Origin": "https://shop.example", **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == "https://shop.example"
    refused = client.options("/api/v1/conversations", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in refused.headers
    simple = client.post("/api/v1/conversations", headers={"Origin": "https://shop.example"})
    assert simple.headers["access-control-allow-origin"] == "https://shop.example"


def test_demo_page_and_widget_are_served(client: httpx.Client) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/widget.js" defer></script>' in page.text
    script = client.get("/widget.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert script.headers["cross-origin-resource-policy"] == "cross-origin"
    assert client.get("/openapi.json").json()["info"]["title"] == "ticketbot"
    assert client.get("/docs").status_code == 200


def test_metrics_show_requests_bookings_and_batches(server: LiveServer) -> None:
    with server.client() as http:
        conversation, auth = start_conversation(http)
        path = f"/api/v1/conversations/{conversation}/messages"
        http.post(path, json={"text": "fly to atlanta arriving december 10th"}, headers=auth)
        http.post(path, json={"text": "Ana Sousa"}, headers=auth)
        http.post(path, json={"text": "yes"}, headers=auth)

    def chat(i: int) -> int:
        with server.client() as http:
            other, other_auth = start_conversation(http)
            return http.post(f"/api/v1/conversations/{other}/messages", json={"text": "fly to denver"},
                             headers=other_auth).status_code  # fmt: skip

    with concurrent.futures.ThreadPoolExecutor(12) as pool:
        assert set(pool.map(chat, range(24))) == {200}
    with server.client() as http:
        text = http.get("/metrics").text
    assert re.search(r'ticketbot_http_requests_total\{method="POST",route="/api/v1/conversations",status="201"\}', text)
    assert re.search(r"^ticketbot_bookings_total [1-9]", text, re.M)
    assert re.search(r"^ticketbot_tagger_seconds_count [1-9]", text, re.M)
    sizes = re.search(r"^ticketbot_tagger_batch_size_sum (\S+)", text, re.M)
    calls = re.search(r"^ticketbot_tagger_batch_size_count (\S+)", text, re.M)
    assert sizes and calls and float(sizes.group(1)) >= float(calls.group(1))
    assert 'ticketbot_http_request_seconds_bucket{le="0.1"' in text or "ticketbot_http_request_seconds_bucket" in text


def test_rate_limits_answer_429_with_retry_after(make_server) -> None:
    limited = make_server(rate_limit_conversation="3/minute", rate_limit_client="1000/minute")
    with limited.client() as http:
        conversation, auth = start_conversation(http)
        statuses = [
            http.post(f"/api/v1/conversations/{conversation}/messages", json={"text": "hi"}, headers=auth)
            for _ in range(4)
        ]
        assert [s.status_code for s in statuses] == [200, 200, 200, 429]
        refused = statuses[-1]
        assert int(refused.headers["retry-after"]) >= 1
        assert refused.json()["error"]["code"] == "rate_limited"
        other, other_auth = start_conversation(http)  # another conversation is not affected
        assert (
            http.post(f"/api/v1/conversations/{other}/messages", json={"text": "hi"}, headers=other_auth).status_code
            == 200
        )
    per_client = make_server(rate_limit_client="2/minute")
    with per_client.client() as http:
        codes = [http.post("/api/v1/conversations").status_code for _ in range(3)]
    assert codes == [201, 201, 429]


def test_unreachable_database_answers_503_with_retry_after(make_server) -> None:
    down = make_server("postgresql+psycopg://postgres@127.0.0.1:9/nothing?connect_timeout=2")
    with down.client() as http:
        started = http.post("/api/v1/conversations")
        assert started.status_code == 503 and started.headers["retry-after"]
        assert started.json()["error"]["code"] == "unavailable"
        ready = http.get("/readyz")
        assert ready.status_code == 503 and ready.json()["database"] is False
        assert http.get("/healthz").status_code == 200

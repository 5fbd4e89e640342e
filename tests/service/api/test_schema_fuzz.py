"""Schemathesis against the live server's own OpenAPI document: no 5xx, nothing off-schema.

Generated requests hit every operation (valid and invalid bodies, headers, paths); the
checks demand that no response is a server error, that every status is documented,
and that every body matches its documented schema.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from .conftest import LiveServer, live_server

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def fuzzed_server(tagger, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from service.settings import Settings
    from service.storage import migrate

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'ticketbot.db'}"
    migrate.upgrade(url)
    settings_ = Settings(
        database_url=url, admin_key="admin-secret", rate_limit_client="1000000/minute",
        rate_limit_conversation="1000000/minute",
    )  # fmt: skip
    with live_server(settings_, tagger) as running:
        yield running


@pytest.fixture(scope="module")
def api_schema(fuzzed_server: LiveServer):
    return schemathesis.openapi.from_url(f"{fuzzed_server.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(scope="module")
def conversation(fuzzed_server: LiveServer) -> tuple[str, str]:
    """A real conversation, so that generated messages reach the dialogue, not only the auth check."""
    with fuzzed_server.client() as http:
        body = http.post("/api/v1/conversations").json()
    return body["conversation_id"], body["token"]


@schema.parametrize()
@settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, conversation: tuple[str, str]) -> None:
    conversation_id, token = conversation
    if "conversation_id" in (case.path_parameters or {}) and hash(str(case.body)) % 4:
        case.path_parameters["conversation_id"] = conversation_id
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
    case.call_and_validate()

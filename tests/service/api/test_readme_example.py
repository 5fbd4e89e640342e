"""The README's curl example, run as a reader would run it, against a live server.

The block after ``<!-- curl-example -->`` is run by bash with only its address changed to
the test server's; it must book, and the booking it prints must be in the database.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import LiveServer

README = Path(__file__).resolve().parents[3] / "README.md"


def _example() -> str:
    after = README.read_text().split("<!-- curl-example -->", 1)[1]
    block = re.match(r"\s*```bash\n(.*?)```", after, re.S)
    assert block, "the README has no ```bash block after <!-- curl-example -->"
    return block.group(1)


def test_the_readme_curl_example_books_a_flight(server: LiveServer) -> None:
    missing = [tool for tool in ("bash", "curl", "jq") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"the README example needs {', '.join(missing)}: apt-get install -y curl jq", pytrace=False)
    script = _example()
    assert "localhost:8000" in script
    address = server.url.removeprefix("http://")
    completed = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script.replace("localhost:8000", address)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    asked, reply, booking = completed.stdout.strip().splitlines()
    assert asked.endswith("Who is travelling? The name as on the passport, please.") and "Taipei" in asked
    assert reply.endswith("Shall I book it?") and "Traveller: Ana Sousa" in reply
    shown = json.loads(booking)
    assert shown["status"] == "confirmed" and shown["arrival"]["date"] == "2027-11-02"
    assert shown["traveller"] == "Ana Sousa"
    # what the README says it prints, shape for shape (the reference differs each run)
    printed = re.search(r"^# (\{\"reference\".*\})$", script, re.M)
    assert printed and set(json.loads(printed.group(1))) == set(shown)
    with server.client() as http:
        admin = http.get("/api/v1/bookings", headers={"X-Admin-Key": "admin-secret"}).json()
    assert shown["reference"] in {b["reference"] for b in admin}

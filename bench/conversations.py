"""Clean success: simulated customers book flights through the chat API; a per-kind table.

Each of the goals in ``bench/conversation/goals.py`` (near 700, in nineteen kinds) is played by
a simulated customer over HTTP: it says what it wants the way people do, answers the bot's
questions, checks the summary and corrects what is wrong, then reads the stored booking
back. A goal is an *eventual* success when the booking stored is exactly what the customer
wanted (the customer never switches to a plainer name), and a *clean* one when, besides,
no correction and no needless question was needed ("Did you mean Milan?" after a plain
"milan", a question about something already said).

    python bench/conversations.py                        # a server of its own, fixed clock
    python bench/conversations.py --kinds places dates --failures
    python bench/conversations.py --url http://127.0.0.1:8000   # any running ticketbot (its clock: now)

By default the script starts ticketbot itself (uvicorn on a loopback port, the bundled
tagger on the CPU, a temporary SQLite file, generous rate limits) with the conversation
clock fixed at 2026-11-26T10:00Z, so the goals and their dates are the same every run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
from conversation.customer import Customer  # bench/conversation, beside this file
from conversation.goals import KINDS, goals
from conversation.model import Goal, Outcome
from conversation.report import summary, table

CLOCK = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


@contextmanager
def own_server(now: dt.datetime, database_url: str | None = None) -> Iterator[str]:
    """ticketbot in this process, on a loopback port, until the block ends."""
    import uvicorn

    from model import Tagger
    from service.api import create_app
    from service.settings import Settings
    from service.storage import migrate

    with tempfile.TemporaryDirectory(prefix="ticketbot-conversations-") as folder:
        url = database_url or f"sqlite:///{Path(folder) / 'conversations.db'}"
        migrate.upgrade(url)
        settings = Settings(database_url=url, rate_limit_client="1000000/minute",
                            rate_limit_conversation="1000000/minute")  # fmt: skip
        app = create_app(settings, tagger=Tagger.load(device="cpu"), clock=lambda: now)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("the ticketbot server did not start")
            time.sleep(0.05)
        try:
            yield f"http://127.0.0.1:{sock.getsockname()[1]}"
        finally:
            server.should_exit = True
            thread.join(timeout=30)
            sock.close()


def play(base_url: str, chosen: list[Goal]) -> list[Outcome]:
    with httpx.Client(base_url=base_url, timeout=30) as http:
        return [Customer(http, goal).play() for goal in chosen]


def _show(outcome: Outcome) -> str:
    goal = outcome.goal
    lines = [f"--- {goal.id} ({'clean' if outcome.clean else 'eventual' if outcome.eventual else 'failed'}): "
             f"{outcome.why or ', '.join(outcome.needless) or f'{outcome.corrections} corrections'}"]  # fmt: skip
    for said, reply in outcome.transcript:
        lines += [f"  you> {said}", f"  bot> {reply}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="A running ticketbot to talk to (default: start one with a fixed clock).")
    parser.add_argument("--kinds", nargs="+", choices=list(KINDS), help="Only these kinds of goal.")
    parser.add_argument("--goals", nargs="+", metavar="ID", help="Only these goals (e.g. places-003).")
    parser.add_argument("--failures", action="store_true", help="Print the transcript of every goal not clean.")
    parser.add_argument("--json-out", type=Path, help="Write the figures and every outcome as JSON.")
    args = parser.parse_args()
    now = dt.datetime.now(dt.UTC) if args.url else CLOCK
    chosen = [
        g for g in goals(now) if (not args.kinds or g.kind in args.kinds) and (not args.goals or g.id in args.goals)
    ]
    began = time.perf_counter()
    if args.url:
        outcomes = play(args.url, chosen)
    else:
        with own_server(now) as url:
            outcomes = play(url, chosen)
    seconds = time.perf_counter() - began
    figures = summary(outcomes)
    if args.failures:
        for outcome in outcomes:
            if not outcome.clean:
                print(_show(outcome))
    print(table(figures))
    print(f"\n{len(outcomes)} goals in {seconds:.0f} s (clock {now:%Y-%m-%dT%H:%MZ})")
    if args.json_out:
        figures["outcomes"] = [
            {"id": o.goal.id, "kind": o.goal.kind, "clean": o.clean, "eventual": o.eventual, "turns": o.turns,
             "corrections": o.corrections, "needless": o.needless, "why": o.why, "transcript": o.transcript}
            for o in outcomes
        ]  # fmt: skip
        args.json_out.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

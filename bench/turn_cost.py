"""What one chat request costs the service itself, without HTTP: the floor under ``bench/load.py``.

Runs the dialogue manager in this process, one thread, on a SQLite file in a temporary
folder (or the database of ``--database-url``, migrated first), with the bundled tagger
(one sentence per call, as a lone request would be tagged): the same bookings
``bench/load.py``'s customers make (start a conversation; "I want to arrive in <city> on
<month> <day>"; "yes"). It prints the milliseconds per booking and per request; what the
server spends beyond that is FastAPI, the middleware, and the hand-offs between the event
loop and its threads.

    python bench/turn_cost.py                   # --bookings 500
    python bench/turn_cost.py --profile 30      # and the 30 costliest functions (cProfile)
    python bench/turn_cost.py --database-url postgresql+psycopg://postgres@127.0.0.1/ticketbot_bench
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import pstats
import random
import tempfile
import time
import uuid
from pathlib import Path

import torch
from customers import CITIES, MONTHS  # bench/customers.py, beside this file

from model import Tagger
from service.inference import warm_up
from service.manager import DialogueManager
from service.storage import make_engine, make_sessions, migrate


def book(manager: DialogueManager, tagger: Tagger, rng: random.Random) -> None:
    started = manager.start()
    city, month, day = rng.choice(CITIES), rng.choice(MONTHS), rng.randint(1, 28)
    for text, expected in ((f"I want to arrive in {city} on {month} {day}", "confirming"), ("yes", "booked")):
        [parse] = tagger.parse([text])
        result = manager.reply(
            conversation_id=started.conversation_id, token=started.token, text=text,
            idempotency_key=uuid.uuid4().hex, parse=parse,
        )  # fmt: skip
        if result.status != expected:
            raise RuntimeError(f"{text!r}: expected {expected}, got {result.status}: {result.reply}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bookings", type=int, default=500, help="Bookings measured (3 requests each).")
    parser.add_argument("--warmup", type=int, default=50, help="Bookings made first, not measured.")
    parser.add_argument("--sqlite-synchronous", choices=["FULL", "NORMAL"], default="FULL")
    parser.add_argument("--profile", type=int, default=0, metavar="N", help="Also print the N costliest functions.")
    parser.add_argument("--database-url", help="Another database than a temporary SQLite file (migrated first).")
    args = parser.parse_args()
    torch.set_num_threads(1)
    rng = random.Random(7)
    with tempfile.TemporaryDirectory(prefix="ticketbot-turns-") as folder:
        url = args.database_url or f"sqlite:///{Path(folder) / 'turns.db'}"
        migrate.upgrade(url)
        engine = make_engine(url, sqlite_synchronous=args.sqlite_synchronous)
        tagger = Tagger.load(None, "cpu")
        manager = DialogueManager(sessions=make_sessions(engine))
        warm_up(tagger, dt.datetime.now(dt.UTC))
        for _ in range(args.warmup):
            book(manager, tagger, rng)
        began, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.bookings):
            book(manager, tagger, rng)
        wall, cpu = time.perf_counter() - began, time.process_time() - cpu
        database = engine.url.get_backend_name()
        if database == "sqlite":
            database = f"SQLite (synchronous {args.sqlite_synchronous})"
        print(
            f"{args.bookings} bookings, {database}, one thread: "
            f"{1000 * wall / args.bookings:.2f} ms per booking, {1000 * wall / (3 * args.bookings):.2f} ms per "
            f"request ({1000 * cpu / (3 * args.bookings):.2f} ms of CPU)"
        )
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(min(args.bookings, 200)):
                book(manager, tagger, rng)
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(args.profile)
        engine.dispose()


if __name__ == "__main__":
    main()

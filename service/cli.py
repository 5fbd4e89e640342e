"""The ``ticketbot`` command: the tagger's commands, chat with the bot, serve it, migrate the database.

The tagger's commands (``tag``, ``train``, ``evaluate``, ``ensemble``, ``card``,
``calibrate``, ``unseen-cities``) live with the tagger in ``model/cli.py`` and are merged
in at the top level here, so ``ticketbot train ...`` is typed as before; this module adds
``chat``, ``serve``, ``erase`` and ``db ...``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from typing import Annotated

import typer
from rich.console import Console

from model.cli import DeviceOption, ModelOption, fail, load_tagger
from model.cli import app as tagger_app

app = typer.Typer(
    name="ticketbot",
    help="A conversational flight-booking service built on a recurrent slot tagger.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(tagger_app)  # no name: its commands join this app's own (Typer 0.15+)
console = Console(soft_wrap=True)

db = typer.Typer(help="The database: apply and inspect migrations.", no_args_is_help=True)
app.add_typer(db, name="db")

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL; default: TICKETBOT_DATABASE_URL, else ./ticketbot.db."),
]


def _settings(database_url: str | None = None, **overrides: object):
    from service.settings import Settings

    given = {k: v for k, v in {"database_url": database_url, **overrides}.items() if v is not None}
    return Settings(**given)


@db.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
    database_url: DatabaseOption = None,
) -> None:
    """Create or update the database's tables (Alembic migrations)."""
    from service.storage import migrate

    settings = _settings(database_url)
    migrate.upgrade(settings.database_url, revision)
    console.print(f"database at revision {migrate.current(settings.database_url)}", highlight=False)


@db.command("downgrade")
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="Target revision: -1 for one step, base for none.")],
    database_url: DatabaseOption = None,
) -> None:
    """Undo migrations down to a revision."""
    from service.storage import migrate

    settings = _settings(database_url)
    migrate.downgrade(settings.database_url, revision)
    console.print(f"database at revision {migrate.current(settings.database_url)}", highlight=False)


@db.command("current")
def db_current(database_url: DatabaseOption = None) -> None:
    """Print the database's revision and the newest one."""
    from service.storage import migrate

    settings = _settings(database_url)
    console.print(f"current {migrate.current(settings.database_url)}, head {migrate.head()}", highlight=False)


@app.command()
def erase(
    conversation_id: Annotated[str, typer.Argument(help="The conversation's id (32 hex digits).")],
    database_url: DatabaseOption = None,
) -> None:
    """Erase a conversation's personal data on request: every traveller name in its bookings, state and
    transcript. The bookings stay; a repeat erases nothing more."""
    from service.errors import ConversationNotFound, ServiceError
    from service.manager import DialogueManager
    from service.storage import make_engine, make_sessions, migrate

    settings = _settings(database_url)
    at, newest = migrate.current(settings.database_url), migrate.head()
    if at != newest:
        raise fail(f"the database is at revision {at}, not {newest}: run `ticketbot db upgrade` first")
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    try:
        done = DialogueManager(sessions=make_sessions(engine)).erase_personal_data_as_operator(
            conversation_id=conversation_id.strip().lower()
        )
    except ConversationNotFound:
        raise fail(f"no conversation {conversation_id!r} in this database") from None
    except ServiceError as error:
        raise fail(str(error)) from None
    finally:
        engine.dispose()
    console.print(
        f"conversation {done.conversation_id}: personal data erased at {done.erased_at.isoformat()} "
        f"({done.bookings} bookings and {done.turns} turns changed now)",
        highlight=False,
    )


def _clock(now: str | None):
    if now is None:
        return None
    try:
        fixed = dt.datetime.fromisoformat(now.replace("Z", "+00:00"))
    except ValueError as error:
        raise fail(f"--now must be an ISO date-time, not {now!r}") from error
    fixed = fixed if fixed.tzinfo else fixed.replace(tzinfo=dt.UTC)
    return lambda: fixed


@app.command()
def chat(
    database_url: DatabaseOption = None,
    model: ModelOption = None,
    device: DeviceOption = "auto",
    now: Annotated[
        str | None, typer.Option("--now", help="Fix the conversation's clock (ISO date-time), for demos and tests.")
    ] = None,
) -> None:
    """Chat with the booking bot in the terminal (one message per line; stdin may be piped).
    A booking is shown after the bot's reply, part by part."""
    from service.manager import DialogueManager
    from service.storage import make_engine, make_sessions, migrate
    from service.terminal import booking_lines

    settings = _settings(database_url, model_path=model, device=device)
    clock = _clock(now)
    migrate.upgrade(settings.database_url)
    tagger = load_tagger(settings.model_path, settings.device)
    engine = make_engine(settings.database_url, sqlite_synchronous=settings.sqlite_synchronous)
    options = {"clock": clock} if clock else {}
    manager = DialogueManager(sessions=make_sessions(engine), **options)
    started = manager.start()
    typer.echo(f"bot> {started.reply}")
    interactive = sys.stdin.isatty()
    try:
        while True:
            try:
                line = input("you> ") if interactive else sys.stdin.readline()
            except (EOFError, KeyboardInterrupt):
                break
            if not interactive and not line:
                break
            text = line.strip()
            if not text:
                continue
            if text in {"/quit", "/exit"}:
                break
            if not interactive:
                typer.echo(f"you> {text}")
            began = time.perf_counter()
            [parse] = tagger.parse([text])
            result = manager.reply(
                conversation_id=started.conversation_id, token=started.token, text=text, parse=parse,
                tagger_ms=1000 * (time.perf_counter() - began),
            )  # fmt: skip
            typer.echo(f"bot> {result.reply}")
            if result.booking is not None:  # booked or cancelled: every part of it, one per line
                for line in booking_lines(result.booking, indent=" " * len("bot> ")):
                    typer.echo(line)
    finally:
        engine.dispose()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on; default TICKETBOT_HOST or 127.0.0.1.")] = None,
    port: Annotated[int | None, typer.Option(help="Port; default TICKETBOT_PORT or 8000.")] = None,
    workers: Annotated[int | None, typer.Option(help="Processes; default TICKETBOT_WORKERS or 1.")] = None,
    migrate_first: Annotated[
        bool, typer.Option("--migrate/--no-migrate", help="Bring the database's tables up to date first.")
    ] = True,
) -> None:
    """Run the chat API, the demo page and the widget (settings from TICKETBOT_* variables)."""
    import uvicorn

    from service.api.logs import configure_logging
    from service.storage import migrate

    settings = _settings(host=host, port=port, workers=workers)
    configure_logging(settings.log_level)
    if migrate_first:
        migrate.upgrade(settings.database_url)
    uvicorn.run(
        "service.api:serve_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        proxy_headers=True,
        forwarded_allow_ips=settings.forwarded_allow_ips,
        log_config=None,
        access_log=False,
        server_header=False,
    )


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""Alembic migrations of ticketbot's database; a package so that they install with ticketbot.

Run them with ``ticketbot db upgrade`` (or ``alembic upgrade head`` from the repository).
"""

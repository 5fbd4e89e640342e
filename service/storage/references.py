"""Booking references: short enough to read out, random enough not to be guessed.

Eight characters from 32 (digits 2-9 and the letters but I and O, which read as 1 and 0)
are 40 random bits; a reference alone opens nothing (the API also asks for the token of
the conversation that booked), it only has to be unique and not enumerable.
"""

from __future__ import annotations

import secrets

__all__ = ["ALPHABET", "LENGTH", "new_reference"]

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
LENGTH = 8


def new_reference() -> str:
    """A fresh reference with at least one digit and one letter, so it never reads as a word."""
    while True:
        reference = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if any(c.isdigit() for c in reference) and any(c.isalpha() for c in reference):
            return reference

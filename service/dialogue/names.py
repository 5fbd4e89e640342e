"""The traveller's name, as on the passport: read from the customer's own characters, and checked.

Tokens are lower-cased for the tagger, so the name is cut from the message text itself,
keeping its case and script ("Ana María O'Neill-Souza", "李小龍"). It is read when the bot
has asked for it (the whole answer, less "my name is" and "please") or when the customer
names it on purpose ("the name is ...", "change the name to ..."). An answer to the
question that is plainly something else (a date, "to Denver", "yes") is left to the
other readings.

A name is personal data: it is stored with the booking and said back to the customer,
never logged, and erased on request (``storage``).
"""

from __future__ import annotations

import re
import unicodedata

from model.tokenize import tokenize

from . import lexicon
from .dates import find_moments
from .places import gazetteer
from .preferences import Found, Words

__all__ = ["MAX_NAME", "read_traveller", "valid_name"]

MAX_NAME = 100
"""Passports print at most 88 characters of name (ICAO 9303's two name lines of 44)."""

_SEPARATORS = frozenset(" -'")
_LEAD_IN = re.compile(
    r"^(?:(?:(?:my|his|her|their|our|the)\s+)?(?:full\s+)?name\s+(?:is|will be|should be)|"
    r"(?:the\s+)?(?:passenger|traveller|traveler)(?:'s)?(?:\s+name)?\s+(?:is|will be)|"
    r"(?:full\s+)?name\s*:|(?:passenger|traveller|traveler)\s*:|it'?s for|it is for|it'?s|it is|i'?m|i am|"
    r"this is|that'?s|that is|call me|for)\s+",
    re.IGNORECASE,
)
_SAID_ON_PURPOSE = re.compile(
    r"(?:^|\s)(?:(?:(?:my|his|her|their|our|the|passenger'?s?|traveller'?s?|traveler'?s?)\s+)?(?:full\s+)?name"
    r"|(?:the\s+)?(?:passenger|traveller|traveler))"
    r"\s*(?:is|will be|should be|to|:|=)\s*(?P<name>\S.*)$",
    re.IGNORECASE,
)
_TRAILER = re.compile(r"(?:[\s,]+(?:please|pls|thanks|thank you|thx))*[\s.!,]*$", re.IGNORECASE)
_NOT_NAME_WORDS = lexicon.FILLERS | {w for phrases in lexicon.ACT_PHRASES.values() for p in phrases for w in p}


def valid_name(name: str) -> bool:
    """Letters of any script (with their accents), single spaces, hyphens and apostrophes; at
    most ``MAX_NAME`` characters, starting and ending with a letter."""
    if not name or len(name) > MAX_NAME:
        return False
    letters = [unicodedata.category(c)[0] in "LM" for c in name]
    if not letters[0] or not letters[-1] or unicodedata.category(name[0])[0] != "L":
        return False
    if any(not ok and c not in _SEPARATORS for ok, c in zip(letters, name, strict=True)):
        return False
    return not re.search(r"[ \-']{2,}", name)


_TITLE = re.compile(r"^(?:mr|mrs|ms|miss|mx|dr|prof)\.?\s+", re.IGNORECASE)
_SURNAME_FIRST = re.compile(r"^([^,]+),\s*([^,]+)$")


def _cleaned(text: str) -> str:
    """The name as typed, less what passports do not print: a title ("Ms."), "please"; "O'Hara,
    Scarlett" (surname first, as forms ask) reads "Scarlett O'Hara"."""
    text = unicodedata.normalize("NFC", text).replace("\u2019", "'").replace("\u02bc", "'")
    text = _TITLE.sub("", _TRAILER.sub("", text.strip()))
    surname_first = _SURNAME_FIRST.match(text)
    if surname_first:
        text = f"{surname_first.group(2)} {surname_first.group(1)}"
    return re.sub(r"\s+", " ", text).strip()


def read_traveller(words: Words) -> list[Found]:
    """The name said on purpose anywhere, or the whole answer when the bot asked for the name."""
    text, n = words.text, len(words.tokens)
    said = _SAID_ON_PURPOSE.search(text)
    if said is not None:
        start = len(tokenize(text[: said.start()]))
        return [Found("traveller", _cleaned(said.group("name")), start, n)]
    if words.asked != "traveller" or any(t is None for t in words.tokens):
        return []
    candidate = _cleaned(_LEAD_IN.sub("", text.strip(), count=1))
    tokens = tokenize(candidate)
    if not tokens or any(t in _NOT_NAME_WORDS for t in tokens) or find_moments(tokens):
        return []  # "to denver", "yes", "the 5th": an answer, but not a name
    if len(tokens) == 1 and gazetteer().well_known(tokens[0]):
        return []  # "Charlotte please": passports print a surname too, so a lone city's name is the city
    return [Found("traveller", candidate, 0, n)]

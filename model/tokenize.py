"""Turn raw customer text into tokens that look like the ATIS/SNIPS training data.

The corpora are lower-cased, with punctuation as separate tokens (or absent), times
written ``5 pm`` and ordinals ``2nd``; a tagger only generalises to live text that is
tokenized the same way.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["tokenize", "tokenize_with_offsets"]

# Abbreviations whose final period belongs to the word ("st. louis", "ft. worth").
_ABBREVIATIONS = frozenset(
    {
        "st",
        "ft",
        "mt",
        "dr",
        "mr",
        "mrs",
        "ms",
        "jr",
        "sr",
        "no",
        "vs",
        "etc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "a.m",
        "p.m",
        "u.s",
        "d.c",
    }
)

# A token candidate: a run of word characters with inner apostrophes, dots or hyphens
# ("o'hare", "a.m.", "round-trip", "12:30"), or a single other visible character.
_TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+|[\w]+(?:[.':\-][\w]+)*\.?|[^\w\s]", re.UNICODE)
# "5pm", "10:30am", "5p.m." -> number and meridiem as two tokens.
_SURROGATE = re.compile("[\ud800-\udfff]")
# format and control characters (bidi overrides, zero-width joiners, ...) that carry no word
_INVISIBLE = re.compile(r"[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")
_TIME = re.compile(r"^(\d{1,2}(?::\d{2})?)(am|pm|a\.m\.?|p\.m\.?)$")


_MERIDIEM = re.compile(r"^([ap])\.m\.?$")
_THOUSANDS = re.compile(r"^\d{1,3}(?:,\d{3})+$")


def _split(word: str) -> list[str]:
    """Split one candidate into the tokens the corpora would have."""
    if _THOUSANDS.match(word):
        return [word.replace(",", "")]
    meridiem = _MERIDIEM.match(word)
    if meridiem:
        return [meridiem.group(1) + "m"]
    time = _TIME.match(word)
    if time:
        meridiem = time.group(2).replace(".", "")
        return [time.group(1), meridiem]
    if word.endswith(".") and len(word) > 1:
        stem = word[:-1]
        if stem in _ABBREVIATIONS or re.fullmatch(r"(?:\w\.)+\w", stem):
            return [word]
        return [stem, "."]
    return [word]


def tokenize_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Tokens with their character span (end exclusive), for highlighting.

    Offsets index the NFC-normalised, lower-cased text, which has the length of ``text``
    for all but a handful of exotic characters.
    """
    # a lone surrogate (possible in a Python str, never in real text) becomes "?", length kept
    text = text.encode("utf-8", "replace").decode("utf-8") if _SURROGATE.search(text) else text
    normalised = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'")
    tokens: list[tuple[str, int, int]] = []
    for match in _TOKEN.finditer(normalised):
        if _INVISIBLE.fullmatch(match.group()):  # bidi controls, zero-width marks: no word, no token
            continue
        start = match.start()
        for piece in _split(match.group()):
            position = normalised.find(piece, start, match.end())
            if position < 0:  # rewritten ("p.m." -> "pm"): the piece covers the rest of the match
                tokens.append((piece, start, match.end()))
                start = match.end()
            else:
                tokens.append((piece, position, position + len(piece)))
                start = position + len(piece)
    return tokens


def tokenize(text: str) -> list[str]:
    """Lower-cased tokens, punctuation split off, ``5pm`` -> ``5 pm``, ``st.`` kept whole."""
    return [token for token, _, _ in tokenize_with_offsets(text)]

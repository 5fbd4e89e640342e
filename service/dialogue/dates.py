"""Dates and times in what customers say: found in the tokens, then anchored to the conversation's clock.

Finding is ours (a small grammar over the tagger's tokens, so we know exactly which words
made a date and what qualifies it); reading the values is the libraries': ``number-parser``
turns "fourteenth" into 14 and ``dateparser`` reads the date and time phrases, relative to
the conversation's clock in the destination's time zone. Two readings are fixed here
because ``dateparser`` disagrees with how people book:

* a month and day without a year is the next such day, today included ("November 26" on
  November 26 is today, not next year);
* "next Friday" is Friday of next week when this week's Friday is still ahead ("this Friday"
  or just "Friday" is the coming one); a bare "the 3rd" is the next 3rd of a month.

Bare hours after "at"/"by"/... without am/pm are read as flight times: 1 to 6 in the
afternoon, 7 to 11 in the morning ("by 5" is 5 pm, "at 9" is 9 am), unless a part of the
day says otherwise ("tomorrow evening at 7" is 7 pm). A part of the day stands for the time
when none is given: "tomorrow morning", "friday evening", "in the afternoon", "tonight",
"this evening" (the last two are today).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateparser
from number_parser import parse_number, parse_ordinal

from ._said import (
    DAYS_BY_FIRST_WORD,
    MONTH_NAMES,
    PERIOD_WORDS,
    UNITS,
    count,
    next_holiday,
    shift_at,
    spoken,
    stay_at,
)
from .domain import Period, Qualifier

__all__ = [
    "Moment", "calendar_phrase", "day_within", "find_moments", "is_partial", "just_passed", "local_now",
    "partial_start", "resolve_date", "spelled", "week_start", "zone",
]  # fmt: skip

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan", "jan."),
            ("february", "feb", "feb."),
            ("march", "mar", "mar."),
            ("april", "apr", "apr."),
            ("may",),
            ("june", "jun", "jun."),
            ("july", "jul", "jul."),
            ("august", "aug", "aug."),
            ("september", "sep", "sep.", "sept", "sept."),
            ("october", "oct", "oct."),
            ("november", "nov", "nov."),
            ("december", "dec", "dec."),
        ),
        start=1,
    )
    for name in names
}
_WEEKDAYS = {
    name: number
    for number, names in enumerate(
        (
            ("monday", "mon", "mon."),
            ("tuesday", "tue", "tue.", "tues"),
            ("wednesday", "wed", "wed."),
            ("thursday", "thu", "thu.", "thur", "thurs"),
            ("friday", "fri", "fri."),
            ("saturday", "sat", "sat."),
            ("sunday", "sun", "sun."),
        )
    )
    for name in names
}
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_QUALIFIERS: dict[tuple[str, ...], Qualifier] = {
    ("no", "later", "than"): "by",
    ("not", "later", "than"): "by",
    ("no", "earlier", "than"): "after",  # "no earlier than 9": after, not before
    ("not", "earlier", "than"): "after",
    ("no", "sooner", "than"): "after",
    ("not", "before"): "after",
    ("not", "after"): "by",
    ("earlier", "than"): "before",
    ("later", "than"): "after",
    ("sometime", "around"): "around",
    ("in", "time", "for"): "by",
    ("at", "around"): "around",
    ("at", "about"): "around",
    ("by",): "by",
    ("until",): "by",
    ("till",): "by",
    ("before",): "before",
    ("after",): "after",
    ("around",): "around",
    ("about",): "around",
    ("approximately",): "around",
    ("roughly",): "around",
    ("at",): "at",
}
_RELATIVE = {
    ("the", "day", "after", "tomorrow"): "in 2 days",
    ("day", "after", "tomorrow"): "in 2 days",
    ("the", "day", "before", "yesterday"): "2 days ago",
    ("today",): "today",
    ("tonight",): "today",
    ("tomorrow",): "tomorrow",
    ("tmrw",): "tomorrow",
    ("yesterday",): "yesterday",
    # the soonest flight: leaving today (``understanding`` makes it the departure's)
    ("as", "soon", "as", "possible"): "soonest", ("asap",): "soonest", ("a.s.a.p.",): "soonest",
    ("earliest", "possible"): "soonest", ("soonest", "possible"): "soonest", ("first", "available"): "soonest",
}
# a weekend or month said without its day, as ``partial_start`` reads it ("next weekend" is
# left out: people mean this coming one or the one after)
_UNDAYED = {  # the longer first: "the weekend after next" before "the weekend"
    ("the", "weekend", "after", "next"): "weekend after-next", ("this", "coming", "weekend"): "weekend this",
    ("this", "weekend"): "weekend this", ("the", "weekend"): "weekend this", ("this", "month"): "month this",
    ("next", "month"): "month next", ("later", "this", "month"): "month this",
}  # fmt: skip
_BEFORE_A_MONTH = frozenset({"in", "during", "early", "mid", "late", "mid-"})
# a week said without its day ("next week"): the phrase's mode for ``week_start``
_WEEKS = {
    ("the", "week", "after", "next"): "after-next",
    ("week", "after", "next"): "after-next",
    ("next", "week"): "next",
    ("this", "week"): "this",
}
_PERIODS = frozenset({("in", "the", "morning"), ("in", "the", "afternoon"), ("in", "the", "evening")})
_GLUE = frozenset({"on", "the", ",", "of", "in", "this", "morning", "afternoon", "evening", "night"})
_ORDINAL = re.compile(r"^(\d{1,2})(st|nd|rd|th)$")
_HOUR = re.compile(r"^(\d{1,2})(?::([0-5]\d))?$")
# a clock time typed as one token the tokenizer leaves whole: "8.30", "8.30am", "5ish", "5:30ish"
_TYPED = re.compile(r"^(\d{1,2})(?:([:.h])([0-5]\d))?(am|pm|h)?(-?ish)?$")  # "8.30am", "5ish", "7pm-ish", "19h", "7h30"
_MILITARY = re.compile(r"^([01]\d|2[0-3])([0-5]\d)$")  # "1700", "0830": only after "at", "by", ...
# meals said for a time, after "by", "around", "in time for" ...: (time, the words that say it)
_MEALS = {("lunchtime",): 12, ("lunch", "time"): 12, ("lunch",): 12, ("dinnertime",): 18, ("dinner", "time"): 18,
          ("dinner",): 18, ("suppertime",): 18, ("supper",): 18}  # fmt: skip
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^(19|20)\d{2}$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.?(\d{4}|\d{2})?\.?$")
_MAX_WORDS = 4


@dataclass(frozen=True, slots=True)
class Moment:
    """A date and/or time of day found at ``tokens[start:end]``, not yet on a calendar.

    ``date`` is a phrase ``resolve_date`` reads ("november 2", "tomorrow", "next friday",
    "day 3"); ``time`` is already a time of day, which needs no calendar.
    """

    start: int
    end: int
    date: str | None
    time: dt.time | None
    qualifier: Qualifier | None
    period: Period | None = None  # only without a time
    shift: dt.timedelta | None = None
    """A change of the moment already chosen, with no date or time of its own: "a day earlier"."""
    stay: bool = False
    """The shift is how long the trip lasts ("for a week"): the return, counted from the arrival."""
    until: str | None = None
    """The trip's last day, when the moment was said as a span ("dec 5 to dec 12", "friday to
    sunday"): the return's date phrase."""


@lru_cache(maxsize=65536)
def _read_number(window: str) -> tuple[int | None, int | None]:
    """(as an ordinal, as a cardinal), cached: number-parser rebuilds its tables on every call,
    which costs milliseconds, and the same few words come back all day."""
    return parse_ordinal(window, language="en"), parse_number(window, language="en")


_DAY_LEADS = frozenset({"the", "on", "by", "until", "till", "before", "after", "from"})


def _dated(words: Sequence[str], i: int, size: int) -> bool:
    """Whether a spelled ordinal at ``words[i : i + size]`` is a day of the month: after "the",
    "on" or a month, before a month or "of", or said alone ("the first", "june fourteenth",
    "first of may"), not "my first time flying" or "first thing in the morning"."""
    before = next((w for w in reversed(words[:i]) if w != ""), None)
    after = next((w for w in words[i + size :] if w != ""), None)
    if after in {"flight", "flights", "class", "time", "thing"}:  # "the first flight", "the first class"
        return False
    return (before is None and after is None) or before in _DAY_LEADS or before in _MONTHS \
        or after in _MONTHS or after == "of"  # fmt: skip


# the date words people misspell, and the ones they shorten past recognition, for ``spelled``
_DATE_WORDS = (*MONTH_NAMES[1:], *_WEEKDAY_NAMES, "tomorrow", "today", "tonight", "morning", "afternoon", "evening")
_TEXTED = {"2morrow": "tomorrow", "2moro": "tomorrow", "2morow": "tomorrow", "tmr": "tomorrow", "tmw": "tomorrow",
           "tonite": "tonight", "2nite": "tonight", "2day": "today"}  # fmt: skip


def spelled(tokens: Sequence[str], keep: Callable[[str], bool] = lambda word: False) -> list[str]:
    """Misspelt date words as meant ("tommorow", "wendesday", "febuary", "2morrow"), one token
    for one, so positions still match. A misspelt month is worse than none: its day alone
    reads as the next such day of any month ("febuary 3rd" was January 3rd). Only close
    spellings with the same first letter and length count, never a plural ("mondays") nor a
    word ``keep`` vouches for (a place: "Augusta", "Marche")."""
    words = list(tokens)
    for i, word in enumerate(words):
        meant = _meant(word)
        if meant is not None and (word in _TEXTED or not keep(word)):
            words[i] = meant
    return words


@lru_cache(maxsize=8192)
def _meant(word: str) -> str | None:
    """The date word a word misspells, if any (remembered: the same words come back all day)."""
    if word in _TEXTED:
        return _TEXTED[word]
    if len(word) < 5 or not word.isalpha() or word in _DATE_WORDS:
        return None
    close = difflib.get_close_matches(word, _DATE_WORDS, n=1, cutoff=0.85)
    if close and close[0][0] == word[0] and abs(len(close[0]) - len(word)) <= 1 and word != close[0] + "s":
        return close[0]
    return None


def _numbers(tokens: Sequence[str]) -> list[str]:
    """Number words as digits, ordinals keeping their suffix: "june fourteenth" -> "june 14th".

    A two-word number ("twenty first") becomes one token and an empty one, so positions
    still match the tagger's tokens.
    """
    words = list(tokens)
    i = 0
    while i < len(words):
        for size in (2, 1):
            window = " ".join(words[i : i + size])
            if size > len(words) - i or not re.fullmatch(r"[a-z][a-z\- ]*", window):  # a "-" alone is no 0
                continue
            ordinal, number = _read_number(window)
            if ordinal is not None and number is None and 1 <= ordinal <= 31 and _dated(words, i, size):
                suffix = {1: "st", 2: "nd", 3: "rd"}.get(ordinal % 10 if ordinal not in (11, 12, 13) else 0, "th")
                words[i : i + size] = [f"{ordinal}{suffix}"] + [""] * (size - 1)
                i += size - 1
                break
            if number is not None and 0 <= number <= 59 and window not in {"a", "one"}:
                words[i : i + size] = [str(number)] + [""] * (size - 1)
                i += size - 1
                break
        i += 1
    return words


def _day(word: str, ordinal_only: bool = False) -> int | None:
    match = _ORDINAL.match(word)
    if match:
        value = int(match.group(1))
    elif not ordinal_only and word.isdecimal():
        value = int(word)
    else:
        return None
    return value if 1 <= value <= 31 else None


def _skip_empty(words: list[str], i: int) -> int:
    while i < len(words) and words[i] == "":
        i += 1
    return i


def _week_at(words: list[str], i: int) -> tuple[int, str] | None:
    """A week said at ``words[i]`` ("next week"): (end, its mode for ``week_start``)."""
    for phrase, mode in _WEEKS.items():
        if tuple(words[i : i + len(phrase)]) == phrase:
            return i + len(phrase), mode
    return None


def week_start(phrase: str, today: dt.date) -> dt.date | None:
    """The Monday of the week a phrase names ("week next", "friday week next"); None: no week."""
    words = phrase.split()
    if len(words) < 2 or words[-2] != "week" or words[-1] not in ("this", "next", "after-next"):
        return None
    monday = today - dt.timedelta(days=today.weekday())
    return monday + dt.timedelta(days=7 * ("this", "next", "after-next").index(words[-1]))


def just_passed(phrase: str, today: dt.date, within: int = 14) -> dt.date | None:
    """This year's date of a month and day said without a year ("nov 20"), when it passed less
    than ``within`` days ago: the customer more likely slipped than meant next year's."""
    month, _, day = phrase.partition(" ")
    if month not in MONTH_NAMES[1:] or not day.isdecimal():
        return None
    try:
        date = dt.date(today.year, MONTH_NAMES.index(month), int(day))
    except ValueError:
        return None
    return date if today - dt.timedelta(days=within) <= date < today else None


def is_partial(phrase: str) -> bool:
    """Whether a phrase names a week, a weekend or a month and not its day ("next week", "in
    january", "memorial day weekend"): the day is still to be asked."""
    return phrase.split()[0] in ("week", "weekend", "month", "weekend-of", "week-of")


def partial_start(phrase: str, today: dt.date) -> tuple[Literal["week", "month"], dt.date]:
    """What a partial phrase leaves open and where it starts: a week's Monday (a weekend is its
    week's), a month's first day (the coming such month: this one while it lasts); a named day's
    week its Monday, its weekend its first day (a Monday holiday's is the Saturday before it,
    Thanksgiving's the Thursday itself)."""
    kind, _, mode = phrase.partition(" ")
    if kind in ("weekend-of", "week-of"):
        day = resolve_date(mode, dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC)) or today
        if kind == "week-of":
            return "week", day - dt.timedelta(days=day.weekday())
        return "week", day - dt.timedelta(days={0: 2, 1: 3, 6: 1}.get(day.weekday(), 0))
    if kind == "month":
        month = {"this": today.month, "next": today.month % 12 + 1}.get(mode) or int(mode)
        year = today.year + (month < today.month)
        return "month", dt.date(year, month, 1)
    if kind == "weekend":  # the coming weekend, or the one under way ("after-next": the one after it)
        saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7) if today.weekday() != 6 else today
        return "week", saturday - dt.timedelta(days=saturday.weekday() - 7 * (mode == "after-next"))
    monday = week_start(phrase, today)
    assert monday is not None
    return "week", monday


def day_within(phrase: str, unit: Literal["week", "month"], start: dt.date) -> dt.date | None:
    """A day answered within the week or month left open: a bare weekday ("wednesday") in a
    week, a bare day ("the 15th") in a month; None: not one."""
    if unit == "week":  # the first such weekday from the start (a week's Monday, a holiday weekend's first day)
        if phrase not in _WEEKDAY_NAMES:
            return None
        return start + dt.timedelta(days=(_WEEKDAY_NAMES.index(phrase) - start.weekday()) % 7)
    words = phrase.split()
    if len(words) == 2 and words[0] == "day":
        with contextlib.suppress(ValueError):
            return start.replace(day=int(words[1]))
    return None


_NTH = {"1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}


def _nth_weekday_at(words: list[str], i: int) -> tuple[int, str] | None:
    """ "the second monday of january", "the last friday in march": (end, "nth 2 monday 1")."""
    j = i + (words[i] == "the")
    if j + 3 < len(words) and words[j] in _NTH and words[j + 1] in _WEEKDAYS and words[j + 2] in ("of", "in") \
            and words[j + 3] in _MONTHS:  # fmt: skip
        return j + 4, f"nth {_NTH[words[j]]} {_WEEKDAY_NAMES[_WEEKDAYS[words[j + 1]]]} {_MONTHS[words[j + 3]]}"
    return None


_MONTH_PARTS = frozenset({"end", "beginning", "start", "middle"})
_WEEK_ORDINALS = frozenset(_NTH)  # "the first week of", "the last week of"


def _month_part_at(words: list[str], i: int) -> tuple[int, str] | None:
    """A part of a month said without its day ("the end of the month", "the first week of
    january", "mid-january"): (end, the month's phrase for ``partial_start``)."""
    n = len(words)
    if words[i].startswith("mid-") and words[i][4:] in _MONTHS:
        return i + 1, f"month {_MONTHS[words[i][4:]]}"
    j = i + (words[i] == "the")
    j += j < n and words[j] == "very"
    if tuple(words[j + 1 : j + 2]) == ("of",) and words[j] in _MONTH_PARTS:
        j += 2
    elif tuple(words[j + 1 : j + 3]) == ("week", "of") and words[j] in _WEEK_ORDINALS:
        j += 3
    else:
        return None
    target = tuple(words[j : j + 2])
    if target in {("the", "month"), ("this", "month")}:
        return j + 2, "month this"
    if target == ("next", "month"):
        return j + 2, "month next"
    if j < n and words[j] in _MONTHS:
        return j + 1, f"month {_MONTHS[words[j]]}"
    return None


def _date_at(words: list[str], i: int) -> tuple[int, str] | None:
    """A date starting at ``words[i]``: (end, phrase for ``resolve_date``)."""
    n = len(words)
    if i >= n:  # "friday the", said last: nothing after it
        return None
    at = _skip_empty(words, i + 1)
    word = words[i]
    part = _month_part_at(words, i)
    if part is not None:  # "the end of the month", "the first week of january": that month, the day asked
        return part
    nth = _nth_weekday_at(words, i)
    if nth is not None:  # "the second monday of january"
        return nth
    for phrase, meaning in DAYS_BY_FIRST_WORD.get(word, ()):
        if tuple(words[i : i + len(phrase)]) == phrase:
            end = i + len(phrase)
            if words[end : end + 1] in (["weekend"], ["week"]):  # "memorial day weekend": its day asked
                return end + 1, f"{words[end]}-of {meaning}"
            return end, meaning
    many = count(word)
    if many is not None and i + 3 < n and words[i + 1] in UNITS and words[i + 2] in {"before", "after"} \
            and words[i + 3] not in _WEEKDAYS:  # "2 days before christmas", "a week after the 20th"
        inner = _date_at(words, _skip_empty(words, i + 3))
        if inner is not None and not is_partial(inner[1]):
            days = many * UNITS[words[i + 1]] * (-1 if words[i + 2] == "before" else 1)
            return inner[0], f"offset {days} {inner[1]}"
    if many is not None and i + 3 < n and words[i + 1] in UNITS and words[i + 2] in {"from", "after", "on"} \
            and words[i + 3] in _WEEKDAYS:  # fmt: skip
        # "a week from friday", "two weeks from friday", "a week on friday": after the coming one
        days = many * UNITS[words[i + 1]]
        return i + 4, f"plus-{days} {_WEEKDAY_NAMES[_WEEKDAYS[words[i + 3]]]}"
    if many is not None and i + 3 < n and words[i + 1] in UNITS and words[i + 2] == "from" \
            and words[i + 3] in {"today", "now", "tomorrow"}:  # fmt: skip
        days = many * UNITS[words[i + 1]] + (words[i + 3] == "tomorrow")
        return i + 4, f"in {days} days"
    if word == "in" and at + 1 < n and count(words[at]) is not None and words[at + 1] in UNITS:
        return at + 2, f"in {count(words[at]) * UNITS[words[at + 1]]} days"  # type: ignore[operator]
    if tuple(words[i : i + 3]) == ("next", "month", "on"):  # "next month on the 10th"
        after = _date_at(words, _skip_empty(words, i + 3))
        if after is not None and after[1].startswith("day "):
            return after[0], f"{after[1]} next month"
    for phrase, meaning in _UNDAYED.items():  # "this weekend", "next month"
        if tuple(words[i : i + len(phrase)]) == phrase:
            return i + len(phrase), meaning
    week = _week_at(words, i)
    if week is not None:  # "next week", "next week on thursday"
        end, mode = week
        j = _skip_empty(words, end)
        while j < n and words[j] in {"on", ","}:  # "the week after next, on wednesday"
            j = _skip_empty(words, j + 1)
        if j < n and words[j] in _WEEKDAYS:
            return j + 1, f"{_WEEKDAY_NAMES[_WEEKDAYS[words[j]]]} week {mode}"
        return end, f"week {mode}"
    for phrase, meaning in _RELATIVE.items():
        if tuple(words[i : i + len(phrase)]) == phrase:
            return i + len(phrase), meaning
    if _ISO.match(word):
        return i + 1, word
    dotted = _DOTTED.match(word)  # "12.12.", "24.12.2026", "5.1." (day first, as written where dots are)
    if dotted and (dotted[3] is not None or word.endswith(".") or words[i + 1 : i + 2] == ["."]):
        day, month = int(dotted[1]), int(dotted[2])
        if 1 <= day <= 31 and 1 <= month <= 12:
            year = dotted[3] if dotted[3] and len(dotted[3]) == 4 else None
            end = i + 1 + (not word.endswith(".") and dotted[3] is None)
            return end, f"{MONTH_NAMES[month]} {day}" + (f" {year}" if year else "")
    if word.isdecimal() and i + 2 < n and words[i + 1] == "/" and words[i + 2].isdecimal():
        end, phrase = i + 3, f"{word}/{words[i + 2]}"
        if end + 1 < n and words[end] == "/" and words[end + 1].isdecimal():
            end, phrase = end + 2, f"{phrase}/{words[end + 1]}"
        return end, phrase
    if word in _MONTHS:
        j = at
        if j < n and words[j] == "the":
            j += 1
        day = _day(words[j]) if j < n else None
        if day is None and i > 0 and words[i - 1] in _BEFORE_A_MONTH:  # "in january", "early march"
            k = at
            while k < n and words[k] in {",", "on", "the"}:  # "in april, on the 20th"
                k = _skip_empty(words, k + 1)
            later = _day(words[k], ordinal_only=True) if k < n and k > at else None
            if later is not None:
                return k + 1, f"{MONTH_NAMES[_MONTHS[word]]} {later}"
            return i + 1, f"month {_MONTHS[word]}"
        if day is None or (j + 1 < n and words[j + 1] in {"am", "pm"}):
            return None
        end, phrase = j + 1, f"{MONTH_NAMES[_MONTHS[word]]} {day}"
        k = end + 1 if end < n and words[end] == "," else end
        if k < n and _YEAR.match(words[k]):
            end, phrase = k + 1, f"{phrase} {words[k]}"
        return end, phrase
    if word in {"this", "next", "coming", "last"} and at < n and words[at] in _WEEKDAYS:
        mode = "this" if word == "coming" else word
        return at + 1, f"{mode} {_WEEKDAY_NAMES[_WEEKDAYS[words[at]]]}"
    if word in _WEEKDAYS and tuple(words[at : at + 2]) == ("after", "next"):  # "monday after next"
        return at + 2, f"after-next {_WEEKDAY_NAMES[_WEEKDAYS[word]]}"
    if word in _WEEKDAYS and at < n and words[at] in ("before", "after") and at + 1 < n:
        inner = _date_at(words, _skip_empty(words, at + 1))  # "the monday before thanksgiving"
        if inner is not None and not is_partial(inner[1]):
            return inner[0], f"{words[at]}-weekday {_WEEKDAY_NAMES[_WEEKDAYS[word]]} {inner[1]}"
    if word in _WEEKDAYS and at < n and words[at] == "week" and words[at + 1 : at + 2] not in (["next"], ["after"]):
        return at + 1, f"plus-7 {_WEEKDAY_NAMES[_WEEKDAYS[word]]}"  # "friday week": a week after the coming friday
    if word in _WEEKDAYS:
        week = _week_at(words, _skip_empty(words, at + 1) if at < n and words[at] == "of" else at)
        if week is not None:  # "thursday next week", "the tuesday of the week after next"
            return week[0], f"{_WEEKDAY_NAMES[_WEEKDAYS[word]]} week {week[1]}"
        after = _date_at(words, at + 1 if at < n and words[at] == "the" else at) if at < n else None
        if after is not None and after[1].startswith("day "):
            return after  # "friday the 4th": the day of the month says it
        return i + 1, _WEEKDAY_NAMES[_WEEKDAYS[word]]
    start = at if word == "the" else i
    day = _day(words[start], ordinal_only=True) if start < n else None
    if day is None and start < n and words[start].isdecimal():  # "7 may", "on 22 april": a day, then its month
        following = _skip_empty(words, start + 1)
        if following < n and (words[following] in _MONTHS or words[following] == "of"):
            day = _day(words[start])
    if day is not None:
        j = _skip_empty(words, start + 1)
        if j < n and words[j] == "of":
            j += 1
        if j < n and words[j] in _MONTHS:
            end, phrase = j + 1, f"{MONTH_NAMES[_MONTHS[words[j]]]} {day}"
            if end < n and _YEAR.match(words[end]):
                end, phrase = end + 1, f"{phrase} {words[end]}"
            return end, phrase
        if tuple(words[j : j + 2]) == ("next", "month"):  # "the 1st of next month"
            return j + 2, f"day {day} next month"
        if tuple(words[j : j + 2]) == ("this", "month"):  # "the 24th of this month": that day, not asked
            return j + 2, f"day {day} this month"
        if not words[start].isdecimal() or word == "the":
            return start + 1, f"day {day}"
        return None
    if word == "in" and at + 1 < n and words[at].isdecimal() and words[at + 1] in {"day", "days", "week", "weeks"}:
        return at + 2, f"in {words[at]} {words[at + 1]}"
    return None


def _time_at(words: list[str], i: int, qualified: bool) -> tuple[int, dt.time, bool] | None:
    """A time of day starting at ``words[i]``: (end, time, whether it was said as approximate:
    "5ish", "noonish", "lunchtime"). Bare hours, typed forms ("8.30", "1700") and meals count
    only after a qualifier ("at", "by", "around", "in time for")."""
    word = words[i]
    if word in {"noon", "midday", "noonish"}:
        return i + 1, dt.time(12, 0), word == "noonish"
    if word == "midnight":
        return i + 1, dt.time(0, 0), False
    if qualified:
        for phrase, hour in _MEALS.items():
            if tuple(words[i : i + len(phrase)]) == phrase:
                return i + len(phrase), dt.time(hour, 0), True
        military = _MILITARY.match(word)
        if military and words[i + 1 : i + 2] != ["/"]:
            end = i + 2 if words[i + 1 : i + 2] in (["hours"], ["hrs"]) else i + 1
            return end, dt.time(int(military.group(1)), int(military.group(2))), False
    match = _HOUR.match(word)
    typed = None if match else _TYPED.match(word)
    if typed is not None:  # "8.30am", "5ish": read as the words they stand for
        hour, separator, minutes, half, ish = typed.groups()
        if half == "h" or separator == "h":  # "19h", "7h30": the 24-hour clock, as written in Europe
            if int(hour) > 23 or not qualified:  # "a 2h30 flight" is how long it takes
                return None
            return i + 1, dt.time(int(hour), int(minutes or 0)), False
        said_half = words[i + 1 : i + 2] in (["am"], ["pm"])
        if not (half or ish or qualified or said_half) or int(hour) > 23:
            return None
        if half:
            if not 1 <= int(hour) <= 12:
                return None
            end, text = i + 1, f"{hour}:{minutes or '00'} {half}"
        else:
            rewritten = [*words[:i], f"{hour}:{minutes}" if minutes else hour, *words[i + 1 :]]
            spoken = _spoken_time(rewritten, i, int(hour), int(minutes or 0), bool(minutes), True)
            if spoken is None:
                return None
            end, text = spoken
        time = _read_time(text)
        return None if time is None else (end, time, bool(ish))
    if not match or int(match.group(1)) > 23:
        return None
    spoken = _spoken_time(words, i, int(match.group(1)), int(match.group(2) or 0), bool(match.group(2)), qualified)
    if spoken is None:
        return None
    end, text = spoken
    time = _read_time(text)
    return None if time is None else (end, time, False)


def _spoken_time(
    words: list[str], i: int, hour: int, minute: int, has_minutes: bool, qualified: bool
) -> tuple[int, str] | None:
    """Where a time that starts with an hour ends, and how to write it for ``dateparser``."""
    nxt = words[i + 1] if i + 1 < len(words) else ""
    if nxt in {"am", "pm"}:
        return (i + 2, f"{hour}:{minute:02d} {nxt}") if 1 <= hour <= 12 else None
    if nxt == "o'clock" or has_minutes:
        end = i + 2 if nxt == "o'clock" else i + 1
        return end, f"{hour if hour > 12 else _flight_hour(hour)}:{minute:02d}"
    rest = tuple(words[i + 1 : i + 4])
    if 1 <= hour <= 12 and (rest in _PERIODS or rest[:2] == ("at", "night")):
        afternoon = rest[2:] in {("afternoon",), ("evening",)} or rest[:2] == ("at", "night")
        return i + (3 if rest[0] == "at" else 4), f"{hour}:{minute:02d} {'pm' if afternoon else 'am'}"
    if qualified and 1 <= hour <= 12 and nxt not in _MONTHS and nxt not in {"/", "day", "days", "week", "weeks"}:
        return i + 1, f"{_flight_hour(hour)}:{minute:02d}"
    return None


def _flight_hour(hour: int) -> int:
    return hour + 12 if 1 <= hour <= 6 else hour


def _read_time(text: str) -> dt.time | None:
    parsed = dateparser.parse(text, languages=["en"], settings={"RELATIVE_BASE": dt.datetime(2000, 1, 1)})
    return None if parsed is None else parsed.time().replace(second=0, microsecond=0)


def find_moments(tokens: Sequence[str]) -> list[Moment]:
    """Every date/time expression in a tokenized message, left to right.

    A date and a time joined by glue words ("by 5 pm on june 14th", "tomorrow at noon")
    make one moment; a qualifier just before either says how the time binds; a part of the
    day next to a date ("tomorrow morning") stands for the time when none is said.
    """
    words = spoken(_numbers(tokens))
    moments: list[Moment] = []
    i, floor = 0, 0
    while i < len(words):
        stay = stay_at(words, i)
        if stay is not None:  # "for a week": the return, a week after the arrival
            moments.append(Moment(i, stay[0], None, None, None, shift=stay[1], stay=True))
            i = floor = stay[0]
            continue
        shift = shift_at(words, i)
        if shift is not None:  # "a day earlier": a change, not a moment of its own
            period = PERIOD_WORDS.get(words[shift[0] - 1])  # "the next morning"
            moments.append(Moment(i, shift[0], None, None, None, period=period, shift=shift[1]))
            i = floor = shift[0]
            continue
        piece = _piece(words, i, floor)
        if piece is None:
            i += 1
            continue
        start, end, date, time, qualifier, period = piece
        j = end
        while j < len(words) and (date is None or time is None):
            k, skipped = j, None
            while k < len(words) and (words[k] in _GLUE or words[k] == "") and k - j < 4:
                skipped = PERIOD_WORDS.get(words[k], skipped)  # "tomorrow evening at 7"
                k += 1
            more = _piece(words, k, j) if k < len(words) else None
            if more is None:
                break
            _, more_end, more_date, more_time, more_qualifier, more_period = more
            if (more_date and date) or (more_time and time) or (more_period and period):
                break
            date, time, period = date or more_date, time or more_time, period or more_period or skipped
            # "by saturday noon", "before friday at 5": a bound said with the date holds for the time
            bound = more_time is not None and more_qualifier in (None, "at") and qualifier not in (None, "at")
            if not bound:
                qualifier = more_qualifier if more_time else (qualifier or more_qualifier)
            j = more_end
        said_end = j  # before a part of the day said after: "at 7 in the pm" says no "pm" of the 7 itself
        if (date is not None or time is not None) and period is None:
            comma = j < len(words) and words[j] == ","
            # "tomorrow morning", "june 2nd, in the evening"; after a time only "in the ...": "at 9 in the morning"
            after = _period_at(words, _skip_empty(words, j + comma), bare=time is None)
            if after is not None:
                j, period = after
        if time is not None and period is not None:
            explicit = any(w in {"am", "pm"} for w in words[start:said_end])  # said, so not ours to move
            time, period = (time if explicit else _in_period(time, period)), None  # "tomorrow evening at 7": 7 pm
        if period is not None:
            qualifier = None  # "by tomorrow evening" is read as "tomorrow evening"
        moments.append(Moment(start, j, date, time, qualifier, period))
        i = floor = j
    return _spans(moments, words)


_DASHES = "-\N{EN DASH}\N{EM DASH}"
_SPAN_WORDS = frozenset({*_DASHES, "to", "through", "thru", "until", "till", "til"})
_DAYS_SPAN = re.compile(rf"^(\d{{1,2}})(?:st|nd|rd|th)?[{_DASHES}](\d{{1,2}})(?:st|nd|rd|th)?$")


def _spans(moments: list[Moment], words: list[str]) -> list[Moment]:
    """Two dates joined as a span are one trip, out and back: "dec 5 to dec 12", "the 5th
    through the 12th", "friday to sunday", "dec 5 - 12", "dec 5-12" (one token). Not two days
    offered ("the 5th or the 6th", "between ... and ..."), nor "leave on the 5th to arrive the 6th"."""
    result: list[Moment] = []
    for moment in _typed_spans(moments, words):
        last = result[-1] if result else None
        if last is not None and moment.start < last.end:  # its day was read as the span's end
            continue
        if last is not None and last.date is not None and moment.date is not None and last.until is None \
                and last.shift is None and moment.shift is None and not is_partial(last.date) \
                and not is_partial(moment.date):  # fmt: skip
            gap = [w for w in words[last.end : moment.start] if w not in {"", "the"}]
            led = not gap and words[moment.start] in _SPAN_WORDS  # "until dec 12" read as one moment
            if led or (len(gap) == 1 and gap[0] in _SPAN_WORDS):
                result[-1] = replace(last, end=moment.end, until=moment.date)
                continue
        result.append(_bare_end(moment, words))
    return result


def _bare_end(moment: Moment, words: list[str]) -> Moment:
    """ "dec 5 to 12": a day number alone after the span word is that month's day."""
    month, _, day = (moment.date or "").partition(" ")
    if moment.time is not None or month not in MONTH_NAMES[1:] or not day.isdigit():
        return moment
    at = _skip_empty(words, moment.end)
    end = _day(words[at + 1]) if at + 1 < len(words) and words[at] in _SPAN_WORDS else None
    after = words[at + 2] if at + 2 < len(words) else ""
    if end is not None and end > int(day) and after not in {"am", "pm", ":", "o'clock"}:
        return replace(moment, end=at + 2, until=f"{month} {end}")
    return moment


def _typed_spans(moments: list[Moment], words: list[str]) -> list[Moment]:
    """The moments, with "dec 5-12" (a month, then one token of two days) added where it stands."""
    found = list(moments)
    for i, word in enumerate(words[:-1]):
        match = _DAYS_SPAN.match(words[i + 1]) if word in _MONTHS else None
        if match and not any(m.start <= i + 1 < m.end for m in moments):
            first, last = int(match[1]), int(match[2])
            if 1 <= first < last <= 31:
                month = MONTH_NAMES[_MONTHS[word]]
                found.append(Moment(i, i + 2, f"{month} {first}", None, None, until=f"{month} {last}"))
    return sorted(found, key=lambda m: m.start)


def _period_at(words: list[str], i: int, bare: bool) -> tuple[int, Period] | None:
    """A part of the day at ``words[i]``: "in the morning", "at night"; a lone "morning" only if ``bare``."""
    phrase = tuple(words[i : i + 3])
    if phrase in _PERIODS:
        return i + 3, PERIOD_WORDS[phrase[2]]
    if i < len(words) and words[i][:1] == "@" and words[i][1:] in PERIOD_WORDS:  # "early morning"
        return i + 1, PERIOD_WORDS[words[i][1:]]
    if phrase[:2] == ("at", "night"):
        return i + 2, "night"
    if bare and i < len(words) and words[i] in PERIOD_WORDS:
        return i + 1, PERIOD_WORDS[words[i]]
    if bare and i < len(words) and words[i] in ("am", "pm"):  # "tmrw am", "friday pm"
        return i + 1, "morning" if words[i] == "am" else "afternoon"
    if phrase[:2] == ("in", "the") and phrase[2:] in (("am",), ("pm",)):  # "dec 10 in the am", "at 7 in the pm"
        return i + 3, "morning" if phrase[2] == "am" else "afternoon"
    return None


def _in_period(time: dt.time, period: Period) -> dt.time:
    """A bare hour read as a flight time, moved into the part of the day that was said with it."""
    if period == "morning" and 13 <= time.hour <= 18:  # "tomorrow morning at 5": 5 am, not a flight's 5 pm
        return time.replace(hour=time.hour - 12)
    evening = period in {"afternoon", "evening"} or (period == "night" and time.hour >= 6)
    return time.replace(hour=time.hour + 12) if evening and 1 <= time.hour < 12 else time


def _piece(
    words: list[str], i: int, floor: int
) -> tuple[int, int, str | None, dt.time | None, Qualifier | None, Period | None] | None:
    """A qualifier (optional) then a date, a time or a part of the day, starting at ``words[i]``."""
    qualifier: Qualifier | None = None
    start = i
    for phrase, meaning in _QUALIFIERS.items():
        if tuple(words[i : i + len(phrase)]) == phrase:
            qualifier, i = meaning, _skip_empty(words, i + len(phrase))  # "by (a quarter to) 5"
            break
    if i >= len(words):
        return None
    qualified = qualifier is not None or (i > 0 and words[i - 1] == "it")  # "make it 9"
    time = _time_at(words, i, qualified=qualified)
    if time is not None:
        end, clock, approximate = time
        if approximate and qualifier in (None, "at"):  # "at 5ish", "at lunchtime": around then
            qualifier = "around"
        return start, end, None, clock, qualifier, None
    if qualifier == "after" and words[i] == "work":  # "after work": after five in the afternoon
        return start, i + 1, None, dt.time(17, 0), qualifier, None
    if words[i] == "this" and i + 1 < len(words) and words[i + 1] in PERIOD_WORDS:
        return start, i + 2, "today", None, qualifier, PERIOD_WORDS[words[i + 1]]  # "this evening"
    date = _date_at(words, i)
    if date is not None:
        return start, date[0], date[1], None, qualifier, "night" if words[i] == "tonight" else None
    period = _period_at(words, start, bare=False) or _period_at(words, i, bare=False)  # "in the morning", "by @morning"
    if period is not None:
        return start, period[0], None, None, None, period[1]
    return None


def zone(name: str | None) -> dt.tzinfo:
    """The time zone of that name; UTC when unknown or not given."""
    if name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    return dt.UTC


def local_now(now: dt.datetime, timezone: str | None) -> dt.datetime:
    """The conversation's clock read in a place's time zone (UTC when the place is not known yet)."""
    aware = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    return aware.astimezone(zone(timezone))


def calendar_phrase(phrase: str) -> bool:
    """Whether a date phrase names a day of the calendar or week ("the 20th", "december 3", "sunday",
    "christmas") rather than a distance from today ("tomorrow", "in 3 days"): only the former can
    count from another date ("back on sunday" is the Sunday after the arrival)."""
    words = phrase.split()
    return words[0] in ("day", "holiday") or words[-1] in _WEEKDAY_NAMES or words[0] in MONTH_NAMES[1:]


def resolve_date(phrase: str, now: dt.datetime, timezone: str | None = None) -> dt.date | None:
    """The calendar date a phrase from ``find_moments`` names, seen from ``now`` in ``timezone``."""
    here = local_now(now, timezone)
    today = here.date()
    words = phrase.split()
    if words[0] in ("offset", "before-weekday", "after-weekday"):  # "2 days before christmas", "the monday before it"
        inner = resolve_date(" ".join(words[2:]), now, timezone)
        if inner is None:
            return None
        if words[0] == "offset":
            return inner + dt.timedelta(days=int(words[1]))
        weekday = _WEEKDAY_NAMES.index(words[1])
        if words[0] == "before-weekday":
            return inner - dt.timedelta(days=(inner.weekday() - weekday - 1) % 7 + 1)
        return inner + dt.timedelta(days=(weekday - inner.weekday() - 1) % 7 + 1)
    if words[0] == "nth":  # "the second monday of january": in the coming such month
        return _nth_weekday(int(words[1]), _WEEKDAY_NAMES.index(words[2]), int(words[3]), today)
    if words[0] == "day" and words[2:] == ["this", "month"]:
        with contextlib.suppress(ValueError):
            return today.replace(day=int(words[1]))
        return None
    if words[0] == "day" and words[2:] == ["next", "month"]:
        first = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        try:
            return first.replace(day=int(words[1]))
        except ValueError:
            return None
    if words[0] == "day":
        return _next_day_of_month(int(words[1]), today)
    if words[0] == "holiday":
        return next_holiday(phrase.split(" ", 1)[1], today)
    if phrase == "soonest":
        return today
    if is_partial(phrase):  # "week next", "month 1": no day yet
        return None
    monday = week_start(phrase, today)
    if monday is not None:  # "friday week next": that day of that week
        return day_within(words[0], "week", monday)
    if words[-1] in _WEEKDAY_NAMES and words[0] != "last":
        return _weekday(_WEEKDAY_NAMES.index(words[-1]), words[0] if len(words) > 1 else "", today)
    base = here.replace(tzinfo=None)
    if words[0] in MONTH_NAMES[1:] and len(words) == 2:  # no year: the next such day, today included
        base = dt.datetime.combine(today, dt.time()) - dt.timedelta(microseconds=1)
    return _dateparser_date(phrase, base)


@lru_cache(maxsize=4096)
def _dateparser_date(phrase: str, base: dt.datetime) -> dt.date | None:
    """dateparser's reading of ``phrase`` from ``base``: a pure function, remembered because it
    takes about a millisecond and the same phrases ("november 2nd", from the start of the same
    day) come back all day long."""
    settings = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "future", "DATE_ORDER": "MDY"}
    parsed = dateparser.parse(phrase, languages=["en"], settings=settings)  # type: ignore[arg-type]
    return parsed.date() if parsed else None


def _nth_weekday(nth: int, weekday: int, month: int, today: dt.date) -> dt.date | None:
    """The nth (-1: the last) such weekday of the month, this year's while it is ahead."""
    for year in (today.year, today.year + 1):
        first = dt.date(year, month, 1)
        days = [first + dt.timedelta(days=k) for k in range(31)]
        matching = [d for d in days if d.month == month and d.weekday() == weekday]
        if abs(nth) <= len(matching) and nth != 0:
            candidate = matching[nth - 1 if nth > 0 else nth]
            if candidate >= today:
                return candidate
    return None


def _next_day_of_month(day: int, today: dt.date) -> dt.date | None:
    year, month = today.year, today.month
    for _ in range(13):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = None
        if candidate is not None and candidate >= today:
            return candidate
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return None


def _weekday(weekday: int, mode: str, today: dt.date) -> dt.date:
    ahead = (weekday - today.weekday()) % 7
    if mode == "this":
        return today + dt.timedelta(days=ahead)
    if ahead == 0:
        ahead = 7
    coming = today + dt.timedelta(days=ahead)
    if mode == "after-next":  # "monday after next": a week after the coming one
        return coming + dt.timedelta(days=7)
    if mode.startswith("plus-"):  # "two weeks from friday": so many days after the coming one
        return coming + dt.timedelta(days=int(mode[5:]))
    if mode == "next" and coming.isocalendar()[:2] == today.isocalendar()[:2]:
        coming += dt.timedelta(days=7)
    return coming

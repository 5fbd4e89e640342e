"""What people say about time beside dates and clock times: clock words ("half past four"),
parts of the day with "early" or "late", named days ("christmas eve", "thanksgiving"),
counts of days ("a week from today") and changes ("a day earlier", "an hour later").

``dates`` finds moments with these; they are apart only to keep each module readable.
"""

from __future__ import annotations

import datetime as dt

from .domain import Period

__all__ = ["COUNTS", "DAYS_BY_FIRST_WORD", "MONTH_NAMES", "PERIOD_WORDS", "UNITS", "count", "next_holiday",
           "shift_at", "spoken", "stay_at"]

MONTH_NAMES = ("", "january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december")
PERIOD_WORDS: dict[str, Period] = {p: p for p in ("morning", "afternoon", "evening", "night")}


_OWNERS = frozenset({"my", "our", "your", "his", "her", "their"})
_ONE_WORD_PERIODS: dict[str, Period] = {"midmorning": "morning", "mid-morning": "morning", "midafternoon": "afternoon",
                                        "mid-afternoon": "afternoon", "mid-evening": "evening"}  # fmt: skip


def spoken(words: list[str]) -> list[str]:
    """Clock words and qualified parts of the day, rewritten in place (positions kept):
    "half past 4" -> "4:30", "a quarter to 9" -> "8:45"; "early morning", "mid-morning",
    "first thing", "the first flight" and "in the late afternoon" -> a part of the day
    ("@morning" marks one said without "in the"); "at half 4" -> "at 4:30"; "between 3 and 5
    pm" -> "by 5 pm" (a moment holds one bound: the later)."""
    words = list(words)
    n = len(words)
    for i in range(n):
        word = words[i]
        if word == "between" and i + 3 < n and words[i + 1].isdecimal() and words[i + 2] == "and" \
                and (":" in words[i + 3] or words[i + 4 : i + 5] in (["am"], ["pm"])):  # fmt: skip
            words[i : i + 3] = ["by", "", ""]  # "between 3 and 5 pm": there by the end of the window
        if word == "half" and i + 1 < n and words[i + 1].isdecimal() and 1 <= int(words[i + 1]) <= 12 \
                and i > 0 and words[i - 1] in {"at", "by", "around", "about", "before", "after"}:  # fmt: skip
            words[i : i + 2] = ["", f"{words[i + 1]}:30"]  # "at half 4": half past four, as said in Britain
        if word in {"half", "quarter"} and i + 2 < n and words[i + 1] in {"past", "after", "to", "before"}:
            hour = words[i + 2]
            if hour.isdecimal() and 1 <= int(hour) <= 12:
                minutes = 30 if word == "half" else 15
                h = int(hour)
                if words[i + 1] in {"to", "before"}:
                    h, minutes = (h - 1 or 12), 60 - minutes
                words[i : i + 3] = ["", "", f"{h}:{minutes:02d}"]
                if i > 0 and words[i - 1] == "a":
                    words[i - 1] = ""
        if word == "the" and i + 2 < n and words[i + 1] in PERIOD_WORDS and words[i + 2] == "of":
            words[i : i + 3] = ["", "@" + words[i + 1], ""]  # "the morning of the 19th"
        if word in _ONE_WORD_PERIODS:  # "mid-morning"
            words[i] = "@" + _ONE_WORD_PERIODS[word]
        # "the first flight tomorrow" (not "my first flight"): the morning
        if word in {"first", "earliest"} and words[i + 1 : i + 2] == ["flight"] \
                and (i == 0 or words[i - 1] not in _OWNERS):  # fmt: skip
            words[i], words[i + 1] = "", "@morning"
        if word == "first" and words[i + 1 : i + 2] == ["thing"]:  # "first thing (in the morning)"
            words[i], words[i + 1] = "", "" if tuple(words[i + 2 : i + 5]) == ("in", "the", "morning") else "@morning"
        if word in {"early", "late", "mid"} or word == "mid-":
            rest = words[i + 1 : i + 4]
            if rest[:1] and rest[0] in PERIOD_WORDS:  # "early morning"
                words[i], words[i + 1] = "", "@" + rest[0]
            elif tuple(rest[:2]) == ("in", "the") and len(rest) > 2 and rest[2] in PERIOD_WORDS:
                words[i] = ""  # "early in the morning": "in the morning"
            elif i >= 2 and tuple(words[i - 2 : i]) == ("in", "the") and rest[:1] and rest[0] in PERIOD_WORDS:
                words[i], words[i + 1] = rest[0], ""  # "in the early morning": "in the morning"
    return words


_NAMED_DAYS: dict[tuple[str, ...], tuple[int, int]] = {
    # days people fly for that are no public holiday (``holidays`` has those: thanksgiving, ...)
    ("christmas", "eve"): (12, 24), ("christmas", "day"): (12, 25), ("christmas",): (12, 25),
    ("xmas", "eve"): (12, 24), ("xmas", "day"): (12, 25),
    ("xmas",): (12, 25), ("new", "year's", "eve"): (12, 31), ("new", "years", "eve"): (12, 31),
    ("nye",): (12, 31), ("new", "year's", "day"): (1, 1), ("new", "years", "day"): (1, 1),
    ("new", "year's"): (1, 1), ("new", "years"): (1, 1), ("valentine's", "day"): (2, 14),
    ("valentines", "day"): (2, 14),
    ("valentine's",): (2, 14), ("halloween",): (10, 31), ("the", "fourth", "of", "july"): (7, 4),
    ("fourth", "of", "july"): (7, 4), ("4th", "of", "july"): (7, 4), ("st", "patrick's", "day"): (3, 17),
    ("boxing", "day"): (12, 26),
}  # fmt: skip
_PUBLIC_HOLIDAYS: dict[tuple[str, ...], str] = {  # said -> the name ``holidays`` gives the US holiday
    ("thanksgiving",): "Thanksgiving", ("thanksgiving", "day"): "Thanksgiving",
    ("memorial", "day"): "Memorial Day", ("labor", "day"): "Labor Day", ("labour", "day"): "Labor Day",
    ("independence", "day"): "Independence Day", ("juneteenth",): "Juneteenth",
    ("veterans", "day"): "Veterans Day", ("mlk", "day"): "Martin Luther King Jr. Day",
    ("martin", "luther", "king", "day"): "Martin Luther King Jr. Day", ("columbus", "day"): "Columbus Day",
    ("presidents", "day"): "Washington's Birthday", ("presidents'", "day"): "Washington's Birthday",
}  # fmt: skip
DAYS_BY_FIRST_WORD: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _phrase, (_month, _day) in _NAMED_DAYS.items():
    DAYS_BY_FIRST_WORD.setdefault(_phrase[0], []).append((_phrase, f"{MONTH_NAMES[_month]} {_day}"))
for _phrase, _holiday in _PUBLIC_HOLIDAYS.items():
    DAYS_BY_FIRST_WORD.setdefault(_phrase[0], []).append((_phrase, f"holiday {_holiday}"))
for _found in DAYS_BY_FIRST_WORD.values():
    _found.sort(key=lambda pair: -len(pair[0]))  # "christmas eve" before "christmas"
UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "fortnight": 14, "fortnights": 14}
COUNTS = {"a": 1, "an": 1, "one": 1}
_SHIFT_UNITS = {"day": dt.timedelta(days=1), "days": dt.timedelta(days=1), "hour": dt.timedelta(hours=1),
                "hours": dt.timedelta(hours=1), "week": dt.timedelta(days=7), "weeks": dt.timedelta(days=7),
                "fortnight": dt.timedelta(days=14),
                "minutes": dt.timedelta(minutes=1)}  # fmt: skip


def count(word: str) -> int | None:
    if word in COUNTS:
        return COUNTS[word]
    return int(word) if word.isdecimal() and 0 < int(word) < 400 else None


_STAY_UNITS = {"day": 1, "days": 1, "night": 1, "nights": 1, "week": 7, "weeks": 7, "fortnight": 14}


def stay_at(words: list[str], i: int) -> tuple[int, dt.timedelta] | None:
    """How long the trip lasts, counted from the arrival to the return: "for a week", "for 3
    nights", "staying 5 days", "a 10 day trip" (not "for 5 pm", nor "in 5 days", a date)."""
    if words[i] in {"for", "staying", "stay"} and i + 2 < len(words):
        times, unit = count(words[i + 1]), words[i + 2]
        if times is not None and unit in _STAY_UNITS:
            return i + 3, dt.timedelta(days=times * _STAY_UNITS[unit])
    if words[i] in {"a", "an"} and i + 3 < len(words) and words[i + 3] in {"trip", "stay", "visit", "vacation"}:
        times, unit = count(words[i + 1]), words[i + 2]
        if times is not None and unit in {"day", "night", "week"}:  # "a 10 day trip"
            return i + 4, dt.timedelta(days=times * _STAY_UNITS[unit])
    return None


# "push it back a day", "move it up an hour": a verb, what is moved, which way, then how much
_MOVES = {("push", "back"): 1, ("push", "out"): 1, ("move", "back"): 1, ("delay",): 1, ("postpone",): 1,
          ("move", "up"): -1, ("bring", "forward"): -1, ("move", "forward"): -1, ("pull", "forward"): -1,
          ("bring", "up"): -1}  # fmt: skip
_MOVED = frozenset({"it", "that", "this", "everything", "the", "flight", "trip", "date", "time", "arrival"})
_MOVE_VERBS = frozenset(verb for verb, *_ in _MOVES)


def _moved_at(words: list[str], i: int) -> tuple[int, dt.timedelta] | None:
    """ "push it back a day", "move the flight up two hours", "delay it by an hour"."""
    if words[i] not in _MOVE_VERBS:
        return None
    j = i + 1
    while j < len(words) and words[j] in _MOVED:
        j += 1
    way = _MOVES.get((words[i], words[j])) if j < len(words) else None
    if way is not None:
        j += 1
    else:
        way = _MOVES.get((words[i],))
    if way is None:
        return None
    j += j < len(words) and words[j] == "by"
    if tuple(words[j : j + 3]) == ("half", "an", "hour"):
        return j + 3, way * dt.timedelta(minutes=30)
    times = count(words[j]) if j < len(words) else None
    if times is None or j + 1 >= len(words) or words[j + 1] not in _SHIFT_UNITS:
        return None
    return j + 2, way * times * _SHIFT_UNITS[words[j + 1]]


def shift_at(words: list[str], i: int) -> tuple[int, dt.timedelta] | None:
    """ "a day earlier", "two days later", "an hour later", "half an hour earlier", "the day before";
    "push it back a day", "move it up an hour"."""
    moved = _moved_at(words, i)
    if moved is not None:
        return moved
    three = tuple(words[i : i + 3])
    if three in {("the", "day", "before"), ("a", "day", "before")}:
        return i + 3, -dt.timedelta(days=1)
    if three == ("the", "day", "after") and words[i + 3 : i + 4] != ["tomorrow"]:
        return i + 3, dt.timedelta(days=1)
    if three in {("the", "next", "day"), ("the", "following", "day")} or (
        three[:2] in {("the", "next"), ("the", "following")} and three[2:] and three[2] in PERIOD_WORDS
    ):  # "the next day", "the next morning" (its part of the day is read by ``dates``)
        return i + 3, dt.timedelta(days=1)
    if three in {("the", "same", "day"), ("that", "same", "day")}:  # "back the same day"
        return i + 3, dt.timedelta(0)
    if three == ("half", "an", "hour"):
        times, unit, j = 1, dt.timedelta(minutes=30), i + 3
    else:
        times = count(words[i])
        if times is None or i + 1 >= len(words) or words[i + 1] not in _SHIFT_UNITS:
            return None
        unit, j = _SHIFT_UNITS[words[i + 1]], i + 2
    direction = words[j] if j < len(words) else ""
    if direction in {"earlier", "sooner"}:
        return j + 1, -times * unit
    if direction == "later":
        return j + 1, times * unit
    return None



def next_holiday(name: str, today: dt.date) -> dt.date | None:
    """The next day (today included) of a US public holiday of that name, from ``holidays``."""
    import holidays

    found = holidays.country_holidays("US", years=(today.year, today.year + 1))
    return min((day for day, named in found.items() if name in named and day >= today), default=None)

"""Dates and times: found in tokens, read by dateparser/number-parser, anchored to the clock and a time zone."""

from __future__ import annotations

import datetime as dt

import pytest

from model import tokenize
from service.dialogue.dates import (
    day_within,
    find_moments,
    is_partial,
    just_passed,
    local_now,
    partial_start,
    resolve_date,
    spelled,
)
from tests.service.conftest import NOW  # Thursday, November 26, 2026, 10:00 UTC


def _one(text: str):
    moments = find_moments(tokenize(text))
    assert len(moments) == 1, moments
    return moments[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("november 2nd", dt.date(2027, 11, 2)),  # already past this year: next year's
        ("nov. 2nd", dt.date(2027, 11, 2)),
        ("december 5th", dt.date(2026, 12, 5)),
        ("june fourteenth", dt.date(2027, 6, 14)),  # number-parser: "fourteenth" -> 14
        ("the twenty first of december", dt.date(2026, 12, 21)),
        ("the 3rd", dt.date(2026, 12, 3)),  # a bare day: the next 3rd
        ("the 31st", dt.date(2026, 12, 31)),
        ("november 26", dt.date(2026, 11, 26)),  # today is not next year
        ("tomorrow", dt.date(2026, 11, 27)),
        ("the day after tomorrow", dt.date(2026, 11, 28)),
        ("friday", dt.date(2026, 11, 27)),
        ("this friday", dt.date(2026, 11, 27)),
        ("next friday", dt.date(2026, 12, 4)),  # Friday of next week
        ("next monday", dt.date(2026, 11, 30)),  # already next week
        ("friday the 4th", dt.date(2026, 12, 4)),
        ("monday after next", dt.date(2026, 12, 7)),  # was the coming Monday, November 30
        ("friday after next", dt.date(2026, 12, 4)),
        ("a week from friday", dt.date(2026, 12, 4)),  # was Friday the 27th
        ("in 3 days", dt.date(2026, 11, 29)),
        ("12/24", dt.date(2026, 12, 24)),
        ("2026-12-24", dt.date(2026, 12, 24)),
        ("december 5th 2026", dt.date(2026, 12, 5)),
        ("november 20th 2026", dt.date(2026, 11, 20)),  # said with a year: stays in the past
        ("yesterday", dt.date(2026, 11, 25)),
        ("last friday", dt.date(2026, 11, 20)),
        # a week with its day: that day of that week, not the coming one
        ("thursday next week", dt.date(2026, 12, 3)),  # was today, the coming Thursday being a week off
        ("next week on friday", dt.date(2026, 12, 4)),
        ("friday of next week", dt.date(2026, 12, 4)),
        ("saturday this week", dt.date(2026, 11, 28)),
        ("the week after next, on wednesday", dt.date(2026, 12, 9)),
        ("the monday of the week after next", dt.date(2026, 12, 7)),
        # counted in weeks or fortnights from a weekday or today
        ("two weeks from friday", dt.date(2026, 12, 11)),  # was the coming Friday: "weeks" was dropped
        ("a fortnight from today", dt.date(2026, 12, 10)),  # was today
        ("in a fortnight", dt.date(2026, 12, 10)),
        # a week after a weekday, as said in Britain (was the coming Friday)
        ("a week on friday", dt.date(2026, 12, 4)), ("friday week", dt.date(2026, 12, 4)),
        # counted from a named day, or the nth weekday of a month
        ("2 days before christmas", dt.date(2026, 12, 23)),  # was "before December 25"
        ("a week after the 20th", dt.date(2026, 12, 27)),
        ("the friday after thanksgiving", dt.date(2026, 11, 27)),  # Thanksgiving is today
        ("the monday before christmas", dt.date(2026, 12, 21)),
        ("the second monday of january", dt.date(2027, 1, 11)),  # was the coming 2nd Monday of any month
        ("the last friday in march", dt.date(2027, 3, 26)),
        ("the 28th of this month", dt.date(2026, 11, 28)),  # was "Which day this month?"
        ("xmas eve", dt.date(2026, 12, 24)),  # was Christmas Day
        # day first with dots, as written where dates have them (a dot after, or a year: "8.30" is a time)
        ("on 12.12.", dt.date(2026, 12, 12)), ("5.1.", dt.date(2027, 1, 5)), ("24.12.2026", dt.date(2026, 12, 24)),
        ("24.12.26", dt.date(2026, 12, 24)),
    ],
)
def test_dates_are_read_relative_to_the_clock(text: str, expected: dt.date) -> None:
    moment = _one(text)
    assert moment.date is not None and moment.time is None
    assert resolve_date(moment.date, NOW, "America/New_York") == expected


@pytest.mark.parametrize(
    ("text", "time", "qualifier"),
    [
        ("5pm", dt.time(17, 0), None),
        ("at 5 pm", dt.time(17, 0), "at"),
        ("by 9 am", dt.time(9, 0), "by"),
        ("before 6 p.m.", dt.time(18, 0), "before"),
        ("after 17:30", dt.time(17, 30), "after"),
        ("around noon", dt.time(12, 0), "around"),
        ("about midnight", dt.time(0, 0), "around"),
        ("no later than 10am", dt.time(10, 0), "by"),
        ("at 7 in the evening", dt.time(19, 0), "at"),
        ("at nine o'clock", dt.time(9, 0), "at"),
        ("by 5", dt.time(17, 0), "by"),  # a bare flight hour: 1-6 is the afternoon
        ("make it nine am", dt.time(9, 0), None),
        # typed as in a text message: dotted, run together, on the 24-hour clock, approximate
        ("at 8.30am", dt.time(8, 30), "at"), ("at 8.30 am", dt.time(8, 30), "at"), ("by 6.45", dt.time(18, 45), "by"),
        ("at 14.30", dt.time(14, 30), "at"), ("at 1700", dt.time(17, 0), "at"), ("by 0830 hours", dt.time(8, 30), "by"),
        ("at 5ish", dt.time(17, 0), "around"), ("5:30ish", dt.time(17, 30), "around"),
        ("at noonish", dt.time(12, 0), "around"),
        # a meal or the working day for its hour
        ("by lunchtime", dt.time(12, 0), "by"), ("at lunch time", dt.time(12, 0), "around"),
        ("in time for dinner", dt.time(18, 0), "by"), ("around dinner time", dt.time(18, 0), "around"),
        ("after work", dt.time(17, 0), "after"),
        # bounds said the other way round: "no earlier than 9" is after 9 (it was *before* 9)
        ("no earlier than 9am", dt.time(9, 0), "after"), ("not before 10am", dt.time(10, 0), "after"),
        ("not after 5 pm", dt.time(17, 0), "by"), ("between 3 and 5 pm", dt.time(17, 0), "by"),
        # written as in Europe or Britain, and "-ish"
        ("at 19h", dt.time(19, 0), "at"), ("at 7h30", dt.time(7, 30), "at"), ("at half 4", dt.time(16, 30), "at"),
        ("7pm-ish", dt.time(19, 0), "around"), ("around 4-ish", dt.time(16, 0), "around"),
    ],
)
def test_times_and_their_qualifiers(text: str, time: dt.time, qualifier: str | None) -> None:
    moment = _one(text)
    assert (moment.date, moment.time, moment.qualifier) == (None, time, qualifier)


@pytest.mark.parametrize("text", ["it costs 8.50", "flight 1700 to boston", "in 2027", "lunch in boston", "work trip",
                                  "a 2h30 flight", "between 2 and 3 adults"])
def test_typed_numbers_and_meals_need_a_time_word(text: str) -> None:
    assert [m.time for m in find_moments(tokenize(text))] == []


def test_a_date_and_a_time_make_one_moment() -> None:
    moment = _one("i need to be there by 5 pm on june fourteenth please")
    assert (moment.date, moment.time, moment.qualifier) == ("june 14", dt.time(17, 0), "by")
    moment = _one("arrive by saturday noon")  # the bound said before the date holds for the time (was "at")
    assert (moment.date, moment.time, moment.qualifier) == ("saturday", dt.time(12, 0), "by")
    moment = _one("before friday at 5 pm")
    assert (moment.date, moment.time, moment.qualifier) == ("friday", dt.time(17, 0), "before")
    moment = _one("tomorrow at noon")
    assert (moment.date, moment.time, moment.qualifier) == ("tomorrow", dt.time(12, 0), "at")


def test_two_dates_stay_apart_and_positions_match_the_tokens() -> None:
    tokens = tokenize("leave on december 3rd and arrive december 4th by noon")
    first, second = find_moments(tokens)
    assert tokens[first.start : first.end] == ["december", "3rd"]
    assert tokens[second.start : second.end] == ["december", "4th", "by", "noon"]
    assert (second.date, second.time, second.qualifier) == ("december 4", dt.time(12, 0), "by")


@pytest.mark.parametrize(
    ("text", "date", "until"),
    [
        ("dec 5 to dec 12", "december 5", "december 12"), ("dec 5 - dec 12", "december 5", "december 12"),
        ("december 5 through december 12", "december 5", "december 12"),
        ("from the 5th to the 12th", "day 5", "day 12"), ("dec 5 until dec 12", "december 5", "december 12"),
        ("dec 5 till the 12th", "december 5", "day 12"), ("friday to sunday", "friday", "sunday"),
        ("dec 5 to 12", "december 5", "december 12"), ("dec 5-12", "december 5", "december 12"),
        ("dec 5th\N{EN DASH}12th", "december 5", "december 12"),
    ],
)
def test_two_dates_joined_as_a_span_are_one_trip(text: str, date: str, until: str) -> None:
    moment = _one(text)
    assert (moment.date, moment.until) == (date, until)


@pytest.mark.parametrize(
    "text",
    ["leave dec 5 to arrive dec 6", "the 12th or the 13th", "between the 12th and the 15th", "dec 5 to 12 pm",
     "dec 12 to 5", "by 9 am to boston on dec 5"],
)  # fmt: skip
def test_dates_that_are_no_span(text: str) -> None:
    assert all(m.until is None for m in find_moments(tokenize(text)))


@pytest.mark.parametrize(
    "text",
    [
        "1 ticket to boston", "i may go to boston", "flight 5 to denver", "yes", "", "25:00 o'clock", "13 pm",
        "31.13.", "0.5.",
        "may ²", "the ³ of june", "² / ³",  # digits to str.isdigit(), not to int(): found by hypothesis
    ],
)
def test_numbers_and_words_that_are_not_dates(text: str) -> None:
    assert find_moments(tokenize(text)) == []


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("to slc on the 6th of january, my first time flying", ["january 6"]),  # "first" was the 1st
        ("second time here, to boston on may 3", ["may 3"]), ("arriving first thing in the morning", [None]),
        ("first week of june", ["month 6"]),  # a week of june: june, its day asked
        ("the first", ["day 1"]), ("on the twenty first", ["day 21"]),
        ("first of may", ["may 1"]), ("june fourteenth", ["june 14"]), ("5th please", ["day 5"]),
    ],
)
def test_a_spelled_ordinal_is_a_day_only_where_a_date_is_said(text: str, dates: list) -> None:
    assert [m.date for m in find_moments(tokenize(text))] == dates


def test_a_weekday_said_last_before_the() -> None:
    moments = find_moments(tokenize("to boston on friday the"))  # cut off: found by hypothesis (IndexError)
    assert [(m.date, m.start, m.end) for m in moments] == [("friday", 3, 4)]


def test_relative_dates_are_read_in_the_destination_time_zone() -> None:
    evening = dt.datetime(2026, 11, 26, 20, 0, tzinfo=dt.UTC)  # already Friday morning in Tokyo
    assert resolve_date("tomorrow", evening, None) == dt.date(2026, 11, 27)
    assert resolve_date("tomorrow", evening, "Asia/Tokyo") == dt.date(2026, 11, 28)
    assert resolve_date("today", evening, "America/Los_Angeles") == dt.date(2026, 11, 26)
    assert local_now(evening, "Asia/Tokyo").hour == 5
    assert local_now(evening, "Not/AZone") == evening  # unknown zone: UTC


def test_impossible_days_are_skipped() -> None:
    february = dt.datetime(2027, 2, 1, 12, tzinfo=dt.UTC)
    assert resolve_date("day 30", february, None) == dt.date(2027, 3, 30)


@pytest.mark.parametrize(
    ("text", "date", "time", "period"),
    [
        ("tomorrow morning", "tomorrow", None, "morning"),
        ("friday evening", "friday", None, "evening"),
        ("on december 3rd in the afternoon", "december 3", None, "afternoon"),
        ("december 3rd, in the afternoon", "december 3", None, "afternoon"),
        ("in the morning on december 3rd", "december 3", None, "morning"),
        ("tonight", "today", None, "night"),
        ("this evening", "today", None, "evening"),
        ("in the evening", None, None, "evening"),  # alone: a correction, or kept until a date comes
        ("at night", None, None, "night"),
        # a time says more than a part of the day, which only places a bare hour in the day
        ("tomorrow evening at 7", "tomorrow", dt.time(19, 0), None),
        ("tomorrow morning at 5", "tomorrow", dt.time(5, 0), None),  # not a flight's 5 pm
        ("tomorrow morning at 5 pm", "tomorrow", dt.time(17, 0), None),  # what was said stands
        ("9 in the evening", None, dt.time(21, 0), None),
        ("first thing tomorrow", "tomorrow", None, "morning"),
        ("friday, first thing in the morning", "friday", None, "morning"),
        ("tomorrow mid-morning", "tomorrow", None, "morning"), ("friday mid afternoon", "friday", None, "afternoon"),
        ("the first flight tomorrow", "tomorrow", None, "morning"),
        ("friday, earliest flight", "friday", None, "morning"),
        ("my first flight, on friday", "friday", None, None),  # a first time flying, not a time of day
        ("the morning of the 19th", "day 19", None, "morning"),  # the morning was dropped
        ("tmrw am", "tomorrow", None, "morning"), ("friday pm", "friday", None, "afternoon"),
        ("dec 10 in the am", "december 10", None, "morning"), ("tomorrow in the pm", "tomorrow", None, "afternoon"),
        ("dec 10 at 7 in the pm", "december 10", dt.time(19, 0), None),  # was 7 am: the "pm" read as the 7's
        ("dec 10 at 7 in the am", "december 10", dt.time(7, 0), None),
    ],
)
def test_parts_of_the_day(text: str, date: str | None, time: dt.time | None, period: str | None) -> None:
    moment = _one(text)
    assert (moment.date, moment.time, moment.period) == (date, time, period)
    assert moment.end == len(tokenize(text))  # every word of it belongs to the moment


@pytest.mark.parametrize("text", ["good morning", "the morning flight", "a night in denver", "evening"])
def test_a_part_of_the_day_alone_is_no_moment(text: str) -> None:
    assert find_moments(tokenize(text)) == []


@pytest.mark.parametrize(
    ("text", "unit", "start"),
    [
        ("next week", "week", dt.date(2026, 11, 30)), ("sometime next week", "week", dt.date(2026, 11, 30)),
        ("early next week", "week", dt.date(2026, 11, 30)), ("this week", "week", dt.date(2026, 11, 23)),
        ("the week after next", "week", dt.date(2026, 12, 7)),
        ("next week in the morning", "week", dt.date(2026, 11, 30)),
        ("this weekend", "week", dt.date(2026, 11, 23)), ("over the weekend", "week", dt.date(2026, 11, 23)),
        ("in january", "month", dt.date(2027, 1, 1)), ("sometime in march", "month", dt.date(2027, 3, 1)),
        ("early january", "month", dt.date(2027, 1, 1)), ("in mid january", "month", dt.date(2027, 1, 1)),
        ("in november", "month", dt.date(2026, 11, 1)),  # this month, while it lasts
        ("next month", "month", dt.date(2026, 12, 1)), ("later this month", "month", dt.date(2026, 11, 1)),
        # a part of a month: the month, its day asked
        ("at the end of the month", "month", dt.date(2026, 11, 1)),
        ("the beginning of next month", "month", dt.date(2026, 12, 1)),
        ("the first week of january", "month", dt.date(2027, 1, 1)),
        ("the last week of march", "month", dt.date(2027, 3, 1)),
        ("at the very end of may", "month", dt.date(2027, 5, 1)), ("mid-february", "month", dt.date(2027, 2, 1)),
        ("this coming weekend", "week", dt.date(2026, 11, 23)),
        ("the weekend after next", "week", dt.date(2026, 11, 30)),  # was this weekend
    ],
)  # fmt: skip
def test_a_week_or_month_without_its_day_is_no_date_but_where_the_day_is(
    text: str, unit: str, start: dt.date
) -> None:
    moment = _one(text)
    assert moment.date is not None and is_partial(moment.date)
    assert resolve_date(moment.date, NOW) is None  # not a week from today, nor the 1st: the day is asked
    assert partial_start(moment.date, NOW.date()) == (unit, start)


def test_a_day_that_just_passed_is_a_slip_not_next_years() -> None:
    today = dt.date(2026, 11, 26)
    assert just_passed("november 20", today) == dt.date(2026, 11, 20)
    assert just_passed("november 13", today) == dt.date(2026, 11, 13)  # 13 days ago
    assert just_passed("november 2", today) is None  # weeks past: next year's (the lecture's "Nov. 2nd")
    assert just_passed("october 1", today) is None
    assert just_passed("november 26", today) is None and just_passed("december 3", today) is None
    assert just_passed("november 20 2027", today) is None and just_passed("day 20", today) is None


def test_the_day_answered_is_read_within_the_week_or_month() -> None:
    monday, first = dt.date(2026, 11, 30), dt.date(2027, 2, 1)
    assert day_within("wednesday", "week", monday) == dt.date(2026, 12, 2)
    assert day_within("day 15", "week", monday) is None
    assert day_within("day 15", "month", first) == dt.date(2027, 2, 15)
    assert day_within("day 30", "month", first) is None  # no February 30th: read as said elsewhere
    assert day_within("friday", "month", first) is None
    assert find_moments(tokenize("i may go to boston")) == []  # "may" the verb is no month


@pytest.mark.parametrize(
    ("text", "start", "saturday"),
    [
        # Memorial Day 2027 is Monday, May 31: its weekend starts on Saturday the 29th
        ("memorial day weekend", dt.date(2027, 5, 29), dt.date(2027, 5, 29)),
        ("over labor day weekend", dt.date(2027, 9, 4), dt.date(2027, 9, 4)),
        # Thanksgiving 2026 is today (Thursday, November 26): its weekend runs Thursday to Sunday
        ("thanksgiving weekend", dt.date(2026, 11, 26), dt.date(2026, 11, 28)),
        ("christmas week", dt.date(2026, 12, 21), dt.date(2026, 12, 26)),  # the week of Friday, December 25
    ],
)
def test_a_named_days_weekend_or_week_leaves_its_day_to_ask(text: str, start: dt.date, saturday: dt.date) -> None:
    moment = _one(text)
    assert moment.date is not None and is_partial(moment.date)
    assert partial_start(moment.date, dt.date(2026, 11, 26)) == ("week", start)
    assert day_within("saturday", "week", start) == saturday


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("tommorow", "tomorrow"), ("tomorow", "tomorrow"), ("2morrow", "tomorrow"), ("tonite", "tonight"),
        ("wendesday", "wednesday"), ("thrusday", "thursday"), ("saturdy", "saturday"), ("febuary", "february"),
        ("decmber", "december"), ("januray", "january"), ("agust", "august"),
    ],
)  # fmt: skip
def test_misspelt_date_words_are_read_as_meant(text: str, meant: str) -> None:
    assert spelled(["to", "boston", text]) == ["to", "boston", meant]


def test_words_near_a_date_word_that_are_no_misspelling_stay() -> None:
    # plurals, longer words, other first letters, and places the caller vouches for
    words = ["mondays", "augustus", "match", "sundae", "money", "marche", "augusta"]
    assert spelled(words, keep=lambda word: word in {"marche", "augusta"}) == words
    # "febuary 3rd" was the next 3rd of any month (January 3rd): now February's
    [moment] = find_moments(spelled(tokenize("on febuary 3rd")))
    assert resolve_date(moment.date, NOW) == dt.date(2027, 2, 3)


@pytest.mark.parametrize(
    ("text", "days"),
    [("for a week", 7), ("for 3 nights", 3), ("staying 5 days", 5), ("a 10 day trip", 10), ("for two weeks", 14)],
)
def test_how_long_the_trip_lasts_is_a_stay(text: str, days: int) -> None:
    moment = _one(text)
    assert moment.stay and moment.shift == dt.timedelta(days=days) and moment.date is None


@pytest.mark.parametrize("text", ["for 2 pm", "in 5 days", "for two", "a day earlier"])
def test_no_stay_without_a_length(text: str) -> None:
    assert not any(m.stay for m in find_moments(tokenize(text)))

"""The simulated customer: plays one goal through the chat API, as a person would.

It sends its scripted opening, then reads each reply's question and answers it from its
goal: the place as it names it (never a plainer name), the date and time as it says them.
At the summary it checks what the bot understood (the reply's ``slots``) against its goal
and says "yes", or corrects the first thing that is wrong. Once booked, it reads the stored
booking back (``GET /api/v1/bookings/{reference}``) and checks that too.

A question is *needless* when it asks for something the customer already said, or checks
a place ("Did you mean ...?", "Which ... do you mean?") whose name was not ambiguous.
"""

from __future__ import annotations

import re
import time
import unicodedata
from typing import Any

import httpx

from .model import Goal, Moment, Outcome, Place

__all__ = ["Customer", "matches_moment", "matches_place"]

MAX_TURNS = 12
"""Customer messages after the opening before the customer gives up."""
_WHICH = re.compile(r"Which (?P<name>.+?) do you mean: (?P<options>.+)\?")
_DID_YOU_MEAN = re.compile(r"Did you mean (?P<label>.+?)\?")
_UNKNOWN = re.compile(r"don't know (?:a place|places) called (.+?)\.(?: |$)")  # then the names, quoted
_ASK_PLACE = re.compile(r"(Where do you want to fly to\?|Which city in .+ do you want to fly (?P<way>to|from)\?)")
_ASK_ARRIVAL = re.compile(r"(When|On what date|Which day .+) do you need to arrive")
_ASK_ORIGIN = re.compile(r"Where are you flying from\?")
_ASK_NAME = re.compile(r"Who is travelling\?|traveller's name as on the passport")
_ASK_RETURN = re.compile(
    r"When do you want to come back\?|On what date do you want to come back\?|date you fly back|"
    r"Which day .+ do you want to come back\?"
)
_ASK_COUNT = re.compile(r"How many (?P<who>people|children) are travelling")
_CABINS = {"economy": "economy", "premium_economy": "premium economy", "business": "business class",
           "first": "first class"}  # fmt: skip


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower().replace(".", "")
    return " ".join(re.sub(r"[^a-z0-9 ]+", " ", plain).split())


def matches_place(place: Place | None, value: dict[str, Any] | None) -> bool:
    """Whether a city the bot holds (its JSON) is the place meant."""
    if place is None or value is None:
        return place is None and value is None
    airports = value.get("airports") or []
    return airports == [place.airport] if place.exact else place.airport in airports


def matches_moment(moment: Moment | None, value: dict[str, Any] | None) -> bool:
    if moment is None or value is None:
        return moment is None and value is None
    time_said = None if moment.time is None else moment.time.strftime("%H:%M")
    qualifier = moment.qualifier or ("at" if moment.time is not None else None)
    held = value.get("qualifier") or ("at" if value.get("time") else None)
    date = None if moment.date is None else moment.date.isoformat()
    return (value.get("date"), value.get("time"), held, value.get("period")) == (date, time_said, qualifier,
                                                                                 moment.period)  # fmt: skip


class Customer:
    def __init__(self, http: httpx.Client, goal: Goal) -> None:
        self.http = http
        self.goal = goal
        self.outcome = Outcome(goal)
        self.said = set(goal.said)
        self.conversation = ""
        self.headers: dict[str, str] = {}

    # talking -----------------------------------------------------------------------------
    def _post(self, path: str, body: dict | None = None) -> dict[str, Any]:
        for _ in range(20):
            answer = self.http.post(path, json=body, headers=self.headers)
            if answer.status_code != 429:
                break
            time.sleep(float(answer.headers.get("retry-after", "1")))
        answer.raise_for_status()
        return answer.json()

    def _say(self, text: str) -> dict[str, Any]:
        reply = self._post(f"/api/v1/conversations/{self.conversation}/messages", {"text": text})
        self.outcome.transcript.append((text, reply["reply"]))
        return reply

    # the conversation -----------------------------------------------------------------------
    def play(self) -> Outcome:
        started = self._post("/api/v1/conversations")
        self.conversation = started["conversation_id"]
        self.headers = {"Authorization": f"Bearer {started['token']}"}
        reply: dict[str, Any] = {}
        for text in self.goal.opening:
            reply = self._say(text)
        for _ in range(MAX_TURNS):
            if reply["status"] == "booked" and reply.get("booking") and self.outcome.transcript[-1][0] == "yes":
                self._check_booking(reply["booking"]["reference"])
                return self.outcome
            message = self._answer(reply)
            if message is None:
                return self.outcome
            self.outcome.turns += 1
            reply = self._say(message)
        self.outcome.why = self.outcome.why or f"not booked after {MAX_TURNS} answers"
        return self.outcome

    @staticmethod
    def _unknown_to_bot(place: Place, text: str) -> bool:
        """Whether the bot said it does not know the place the customer named (then asking again
        is fair); an apology for other words ("visit", "funeral") makes the question needless."""
        said = _plain(place.said)
        names = [name for called in _UNKNOWN.findall(text) for name in re.findall(r'"([^"]+)"', called)]
        return any(_plain(name) in said or said in _plain(name) for name in names)

    def _answer(self, reply: dict[str, Any]) -> str | None:
        """The customer's next message, from the reply's question; None: give up."""
        text, goal = reply["reply"], self.goal
        if reply["status"] == "confirming" and "Shall I book it?" in text:
            return self._confirm(reply["slots"])
        which = _WHICH.search(text)
        if which:
            place = self._place_named(which.group("name"))
            if not place.check_expected:
                self.outcome.needless.append(f"asked which {which.group('name')}")
            return place.answer
        did_you_mean = _DID_YOU_MEAN.search(text)
        if did_you_mean:
            label = did_you_mean.group("label")
            place = self._place_named(label)
            if not place.check_expected:
                self.outcome.needless.append(f"asked did you mean {label}")
            names = {_plain(place.said).split(",")[0], _plain(place.known_as)} - {""}
            return "yes" if place.check_expected or any(n in _plain(label) for n in names) else "no"
        if _ASK_PLACE.search(text):
            way = _ASK_PLACE.search(text).group("way")  # type: ignore[union-attr]
            slot = "origin" if way == "from" else "destination"
            place = goal.origin if slot == "origin" and goal.origin else goal.destination
            if slot in self.said and "Which city in" not in text and not self._unknown_to_bot(place, text):
                self.outcome.needless.append(f"asked for the {slot} again")
            self.said.add(slot)
            return place.said  # the city alone, as people answer "Which city in Ohio ...?" too
        if _ASK_ARRIVAL.search(text):
            if "arrival" in self.said and "couldn't" not in text and "passed" not in text:
                self.outcome.needless.append("asked for the arrival again")
            elif goal.arrival is None and "departure" in self.said:
                self.outcome.needless.append("asked for an arrival after the departure was said")
            self.said.add("arrival")
            return goal.arrival_answer
        if _ASK_RETURN.search(text):
            if "returning" in self.said and "couldn't" not in text and "passed" not in text \
                    and "before you arrive" not in text:  # fmt: skip
                self.outcome.needless.append("asked for the return again")
            self.said.add("returning")
            return goal.returning_answer or "it's one-way"
        if _ASK_ORIGIN.search(text):
            return f"from {goal.origin.said}" if goal.origin else "it doesn't matter"
        count = _ASK_COUNT.search(text)
        if count:
            if "travellers" in self.said:
                self.outcome.needless.append("asked how many travel again")
            self.said.add("travellers")
            adults, children = goal.travellers
            return str(children if count.group("who") == "children" else adults + children)
        if _ASK_NAME.search(text):
            if "traveller" in self.said and "A name as on the passport" not in text:
                self.outcome.needless.append("asked for the name again")
            self.said.add("traveller")
            return goal.traveller
        if "What would you like to change?" in text:
            return self._correction(reply["slots"])
        # anything else: restate what the form still misses
        missing = reply.get("missing") or []
        if "destination" in missing:
            return f"to {goal.destination.said}"
        if "arrival" in missing:
            return goal.arrival_answer
        if "traveller" in missing:
            return goal.traveller
        if reply["status"] in ("booked", "cancelled"):
            self.outcome.corrections += 1
            return f"to {goal.destination.said} {goal.arrival_answer}"
        self.outcome.why = f"did not know what to answer to {text!r}"
        return None

    def _place_named(self, name: str) -> Place:
        """Which of the goal's places a question is about (the destination unless it names the origin)."""
        origin = self.goal.origin
        if origin is not None and _plain(origin.said).split(",")[0] in _plain(name):
            destination_words = _plain(self.goal.destination.said).split(",")[0]
            if destination_words not in _plain(name):
                return origin
        return self.goal.destination

    def _wrong(self, slots: dict[str, Any]) -> list[str]:
        goal, wrong = self.goal, []
        if not matches_place(goal.destination, slots.get("destination")):
            wrong.append("destination")
        if not matches_moment(goal.arrival, slots.get("arrival")):
            wrong.append("arrival")
        if not matches_place(goal.origin, slots.get("origin")):
            wrong.append("origin")
        if not matches_moment(goal.departure, slots.get("departure")):
            wrong.append("departure")
        if not matches_moment(goal.returning, slots.get("returning")):
            wrong.append("returning")
        travellers = slots.get("travellers") or {"adults": 1, "children": 0}
        if (travellers["adults"], travellers["children"]) != goal.travellers:
            wrong.append("travellers")
        if (slots.get("cabin") or "economy") != goal.cabin:
            wrong.append("cabin")
        if (slots.get("airline") or {}).get("code") != goal.airline:
            wrong.append("airline")
        if bool(slots.get("nonstop")) != goal.nonstop:
            wrong.append("nonstop")
        if slots.get("traveller") != goal.traveller:
            wrong.append("traveller")
        return wrong

    def _confirm(self, slots: dict[str, Any]) -> str | None:
        if not self._wrong(slots):
            return "yes"
        return self._correction(slots)

    def _correction(self, slots: dict[str, Any]) -> str | None:
        goal, wrong = self.goal, self._wrong(slots)
        self.outcome.corrections += 1
        if not wrong:
            return "yes"
        slot = wrong[0]
        if slot == "destination":  # said again, with its region or country if it was not said
            place = goal.destination
            named = place.said if _plain(place.answer) in _plain(place.said) else f"{place.said}, {place.answer}"
            return f"no, to {named}"
        if slot == "arrival" and goal.arrival is not None:
            return f"no, arriving {goal.arrival_answer}"
        if slot == "origin" and goal.origin is not None:
            return f"no, from {goal.origin.said}"
        if slot == "departure" and goal.departure is not None and goal.departure_answer:
            return f"no, leaving {goal.departure_answer}"
        return self._other_correction(slot, slots)

    def _other_correction(self, slot: str, slots: dict[str, Any]) -> str | None:
        goal = self.goal
        if slot == "returning":
            return f"no, coming back {goal.returning_answer}" if goal.returning else "no, it's one-way"
        if slot == "travellers":
            adults, children = goal.travellers
            said = f"{adults} adult{'s' if adults > 1 else ''}"
            return f"no, {said} and {children} child{'ren' if children > 1 else ''}" if children else f"no, {said}"
        if slot == "cabin":
            return f"no, {_CABINS[goal.cabin]}"
        if slot == "airline":
            return f"no, on {goal.airline_said}" if goal.airline_said else "no, any airline"
        if slot == "nonstop":
            return "no, nonstop please" if goal.nonstop else "no, stops are fine"
        if slot == "traveller":
            return f"the name is {goal.traveller}"
        self.outcome.why = f"the bot holds a {slot} the customer never gave: {slots.get(slot)}"
        return None

    def _check_booking(self, reference: str) -> None:
        answer = self.http.get(f"/api/v1/bookings/{reference}", headers=self.headers)
        answer.raise_for_status()
        stored = answer.json()
        wrong = self._wrong(stored)
        self.outcome.booked_right = not wrong
        if wrong:
            self.outcome.why = f"booked with the wrong {', '.join(wrong)}: {stored}"

"""The words the dialogue reacts to without the tagger: answers, commands, and direction cues.

The ATIS tagger knows flight requests, not "yes", "start over" or "cancel", and it tags a
bare "Boston" as an origin because ATIS questions start that way. These lists let the
policy read dialogue acts and decide a value's direction from the words around it.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "ACT_PHRASES",
    "ARRIVE_CUES",
    "DEPART_CUES",
    "RETURN_CUES",
    "FILLERS",
    "FROM_CUES",
    "STOP_CUES",
    "TO_CUES",
    "acts",
    "has_phrase",
]

# Dialogue acts: phrases (token tuples) -> act.
ACT_PHRASES: dict[str, tuple[tuple[str, ...], ...]] = {
    "yes": tuple(
        tuple(p.split())
        for p in (
            "yes", "yeah", "yep", "yup", "ya", "y", "sure", "correct", "right", "ok", "okay", "confirm",
            "confirmed", "book it", "go ahead", "sounds good", "perfect", "absolutely", "please do",
            "that's right", "thats right", "exactly", "affirmative", "do it",
            "looks good", "looks great", "looks right", "looks fine", "looks correct", "all good", "all correct",
            "sounds great", "that works", "works for me", "sure thing", "good to go", "lgtm", "👍", "👌", "✅",
        )
    ),
    "no": tuple(
        tuple(p.split())
        for p in ("no", "nope", "nah", "n", "not quite", "wrong", "incorrect", "not right", "negative", "👎")
    ),
    "cancel": tuple(
        tuple(p.split())
        for p in ("cancel", "abort", "quit", "forget it", "never mind", "nevermind", "don't book", "dont book")
    ),
    "restart": tuple(
        tuple(p.split())
        for p in ("start over", "start again", "restart", "reset", "begin again", "from scratch", "new booking")
    ),
    "greet": tuple(
        tuple(p.split())
        for p in ("hi", "hello", "hey", "good morning", "good afternoon", "good evening", "hiya", "howdy", "hola",
                  "bonjour", "hallo", "ciao", "greetings")
    ),
    "thanks": tuple(tuple(p.split()) for p in ("thanks", "thank you", "cheers", "ty")),
    "help": tuple(tuple(p.split()) for p in ("help", "what can you do", "how does this work")),
    "price": tuple(
        tuple(p.split())
        for p in ("how much", "price", "prices", "pricing", "cost", "costs", "fare", "fares", "how expensive")
    ),
}

# Words just before a place that say which end of the trip it is.
TO_CUES = frozenset({"to", "into", "in", "arrive", "arriving", "reach", "towards", "toward", "visit", "visiting"})
FROM_CUES = frozenset({"from", "leave", "leaving", "depart", "departing", "out"})
# Words just before a place (or the one before them: "stop in") that make it a stopover, not an end.
STOP_CUES = frozenset({"via", "through", "stop", "stopping", "stopover", "layover", "connecting", "connection"})
# Words anywhere before a date or time that say whether it is the arrival or the departure.
ARRIVE_CUES = frozenset(
    {"arrive", "arriving", "arrives", "arrival", "land", "landing", "lands", "reach", "be", "get", "there"}
)
DEPART_CUES = frozenset({"leave", "leaving", "leaves", "depart", "departing", "departs", "departure", "out"})
RETURN_CUES = frozenset({"return", "returning", "returns", "back", "inbound", "homebound", "home"})
"""Words before a date or time that make it the return: "back on the 20th", "returning Sunday"."""

# Words that carry no slot value: a message made only of these and one place name is a bare answer.
FILLERS = frozenset(
    [
        "a", "an", "the", "to", "in", "into", "at", "on", "for", "of", "from", "and", "or", "but", "so", "um", "uh",
        "er", "hmm", "well", "please", "pls", "thanks", "thank", "you", "i", "i'd", "i'm", "im", "me", "my", "we",
        "we'd", "our", "us", "let's", "lets", "it", "it's", "its", "that", "that's", "this", "is", "be", "am", "are",
        "was", "want", "wanna", "would", "like", "need", "needs", "needed", "have", "has", "had", "got", "get",
        "going", "go", "gonna", "fly", "flying", "flight", "flights", "trip", "ticket", "tickets", "book", "booking",
        "travel", "travelling", "traveling", "head", "heading", "take", "make", "can", "could", "will", "just",
        "actually", "maybe", "instead", "rather", "then", "there", "oh", "ok", "okay", "sorry", "how", "about",
        "what", "where", "when", "which", "one", "ones", "yes", "no", "not", "city", "airport", "somewhere", "place",
        "morning", "afternoon", "evening", "night", "early", "late", "day", "time", "date", "week", "soon", "asap",
        "days", "weeks", "weekend", "month", "months", "fortnight", "couple", "few",
        "sometime", "also", "another", "too", "again", "new", "change", "switch", "mean", "meant", "said",
        "say", "only", "really", "here", "wait", "fine", "alright", "great", "cool", "oops", "umm", "back",
        "return", "returning", "come", "coming", "if", "possible", "preferably", "ideally", "with",
        # who travels, said of someone else ("she has to fly to denver": "she" is no Shenyang, SHE)
        "he", "she", "her", "his", "him", "they", "them", "their", "your", "wants", "myself", "ourselves",
        "ever",  # "my first flight ever": no Evere (another name of it in GeoNames)
        "destination", "origin",  # "change the destination to miami": the slot's name, not a place
        "matter", "doesn't", "doesnt", "whatever", "anywhere",  # "it doesn't matter" is no place called "matter"
        "family",  # "family trip to orlando": the tagger's origin
        "state",  # "the state of washington": not Ribeirão Preto (its airport is filed under "state")
        # who travels: "my son needs to get back to college" (SON is Luganville's code), "my mom", ...
        "son", "daughter", "mom", "mum", "dad", "wife", "husband", "kid", "kids", "child", "children", "baby",
        "add",  # "add my wife": no Addis Ababa (ADD)
        "much", "many",  # "how much is it?": no flight to Much, Germany
    ]
)


def has_phrase(tokens: Sequence[str], phrase: Sequence[str]) -> bool:
    n = len(phrase)
    return any(tuple(tokens[i : i + n]) == tuple(phrase) for i in range(len(tokens) - n + 1))


# each phrase under its first word, so a message is read once, not once per phrase
_BY_FIRST_WORD: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _act, _phrases in ACT_PHRASES.items():
    for _phrase in _phrases:
        _BY_FIRST_WORD.setdefault(_phrase[0], []).append((_phrase, _act))


def acts(tokens: Sequence[str]) -> frozenset[str]:
    """The dialogue acts a message performs: yes, no, cancel, restart, greet, thanks, help."""
    words = [t for t in tokens if t not in {",", ".", "!", "?"}]
    found = {
        act
        for i, word in enumerate(words)
        for phrase, act in _BY_FIRST_WORD.get(word, ())
        if tuple(words[i : i + len(phrase)]) == phrase
    }
    if "yes" in found and "no" in found:  # "no, that's right" / "yes, no changes": the first word decides
        first = next((act for w in words for act in ("yes", "no") if (w,) in ACT_PHRASES[act]), None)
        found -= {"yes", "no"} - ({first} if first else set())
    return frozenset(found)

"""French calendar vocabulary, in one place for every stage: month and weekday names and their press
abbreviations. General-purpose data, no rule of any stage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Month names, accented and as often typed without accents -> month number.
MONTHS: dict[str, int] = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
# Usual press abbreviations (with their full stop when they take one) -> month number. "sept" alone is
# also the number seven: callers accept abbreviations only where a year or a day makes them dates.
MONTH_ABBREVIATIONS: dict[str, int] = {
    "janv.": 1, "févr.": 2, "févr": 2, "fév.": 2, "fevr.": 2, "avr.": 4, "juil.": 7, "sept.": 9, "sept": 9,
    "oct.": 10, "nov.": 11, "déc.": 12, "dec.": 12,
}
ENGLISH_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
}
# Weekday names -> ``datetime.date.weekday()`` (Monday is 0).
WEEKDAYS: dict[str, int] = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
}
# Words that name a day relative to today.
DEICTIC_DAYS = ("aujourd'hui", "hier", "demain")
# Every word of the calendar a name recogniser may mistake for a name (capitalised at a sentence start).
CALENDAR_WORDS: frozenset[str] = frozenset(
    {name for name in MONTHS if name not in {"fevrier", "aout", "decembre"}}
    | set(WEEKDAYS)
    | set(DEICTIC_DAYS)
)


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, escaped, longest first so that a prefix never wins."""
    return "|".join(re.escape(word) for word in sorted(set(words), key=lambda w: (-len(w), w)))

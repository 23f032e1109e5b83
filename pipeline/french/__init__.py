"""French language helpers shared by every stage, general-purpose and free of any stage's rules.

- ``calendar``: month and weekday names, their press abbreviations, the words of the calendar;
- ``tense``: the tense of a verb from spaCy's morphology and parse (``verb_tense``, ``is_conditional``);
- ``posts``: the signature line of an embedded social-media post (``– Name (@handle) 18 novembre 2023``).

``from pipeline.french import MONTHS`` reads the calendar; the other two are imported by module.
"""

from pipeline.french.calendar import (
    CALENDAR_WORDS,
    DEICTIC_DAYS,
    ENGLISH_MONTHS,
    MONTH_ABBREVIATIONS,
    MONTHS,
    WEEKDAYS,
    alternation,
)

__all__ = [
    "CALENDAR_WORDS",
    "DEICTIC_DAYS",
    "ENGLISH_MONTHS",
    "MONTHS",
    "MONTH_ABBREVIATIONS",
    "WEEKDAYS",
    "alternation",
]

"""French calendar vocabulary and the regex fragments the temporal rules are written with.

Word lists and pattern pieces only: what the rules match (``pipeline.temporal.rules``) and what the values
are computed from (``pipeline.temporal.normalise``) read them from here.
"""

from __future__ import annotations

import re

from pipeline.french import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS

# --- French calendar vocabulary (general, applies to any text) ---------------------------------------

# Month names and their usual press abbreviations -> month number (``pipeline/french.py``). Abbreviations
# are only accepted when a year follows (``12 sept. 2023``), because ``sept`` alone is the number seven.
MONTHS_FULL = MONTHS
MONTHS_ABBREV = MONTH_ABBREVIATIONS
# Cardinal number words used in ``il y a huit ans`` / ``dans deux semaines``.
NUMBER_WORDS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
    "dix-huit": 18, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
}
# Quantifiers that make ``il y a quelques jours`` a real but unplaceable expression (value stays NULL).
VAGUE_QUANTITIES = {"quelques", "plusieurs", "nombreux", "nombreuses", "longtemps"}
# Fixed-date holidays of the French calendar -> (month, day).
HOLIDAYS = {
    "noël": (12, 25), "noel": (12, 25), "jour de l'an": (1, 1), "nouvel an": (1, 1), "toussaint": (11, 1),
    "saint-sylvestre": (12, 31), "saint-valentin": (2, 14), "fête nationale": (7, 14), "halloween": (10, 31),
}
# Movable feasts -> days after Easter Sunday (``dateutil.easter``, Western computus).
MOVABLE_HOLIDAYS = {
    "vendredi saint": -2, "pâques": 0, "lundi de pâques": 1, "ascension": 39, "pentecôte": 49,
    "lundi de pentecôte": 50,
}
# Season -> ISO suffix; winter belongs to the year of its December (TimeML convention).
SEASONS = {"printemps": ("SP",), "été": ("SU",), "automne": ("FA",), "hiver": ("WI",)}
ORDINAL_QUARTERS = {"premier": 1, "1er": 1, "deuxième": 2, "second": 2, "2e": 2, "troisième": 3, "3e": 3,
                    "quatrième": 4, "4e": 4, "dernier": 4}
ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}

_MONTH_FULL_RE = "|".join(sorted(MONTHS_FULL, key=len, reverse=True))
_MONTH_ANY_RE = "|".join(re.escape(m) for m in sorted({**MONTHS_FULL, **MONTHS_ABBREV}, key=len,
                                                      reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)
_NUMBER_RE = r"\d{1,3}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + "|" + "|".join(
    VAGUE_QUANTITIES)
_DAY_RE = r"1er|premier|3[01]|[12]\d|0?[1-9]"
_YEAR_RE = r"(?:1[0-9]|20)\d{2}"
# A clock time attached to a day: ``vers 21 h 45``, ``à 10h``, ``aux alentours de 8 heures``, ``à midi``:
# a time of day belongs to its day (the expression is the day, at day granularity).
_CLOCK_RE = (r"(?:,?\s+(?:vers|à|dès|avant|après|aux alentours de|autour de|à partir de|peu avant|peu après|"
             r"jusqu'à|jusque vers)\s+"
             r"(?:\d{1,2}\s*(?:h|heures?)(?:\s*\d{2})?|\d{1,2}:\d{2}|midi|minuit)(?![\w]))")
# A part of the day: ``soirée``, ``en fin de matinée``, ``dans l'après-midi`` (without the day it belongs to).
_DAYPART_PHRASE = (r"(?:(?:dans|en|au cours de)\s+(?:la |l')?"
                   r"(?:(?:fin|début|milieu)\s+(?:de |d')(?:la |l')?)?(?:journée|matinée|soirée|après-midi)"
                   r"|à l'aube|au petit matin)")
# A part of the day attached to a day: ``mardi soir``, ``hier en fin de matinée``, ``jeudi dans la soirée``.
_DAYPART_RE = rf"(?:,?\s+(?:matin|midi|soir|après-midi|{_DAYPART_PHRASE}|dans la nuit)(?![\w-]))"
_TIME_SUFFIX = f"(?:{_DAYPART_RE})?(?:{_CLOCK_RE})?"
# Words after a bare year that make it a quantity, not a date (``en 2000 euros`` is rare but ``2000 km`` not).
_NOT_A_YEAR_AFTER = (r"(?!\d|\s*(?:%|€|\$|euros?|dollars?|francs?|personnes|habitants|salariés|employés|"
                     r"km|kilomètres?|mètres?|m\b|kg|tonnes?|heures?|h\b|ans|exemplaires|voix|signatures))")

FLAGS_SEPARATOR = ","
ANCHOR_REFERENCE = "reference_date"


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


EVENT_ANCHORED = "event_anchored"

"""Offsets counted from an event or a prior date (``trois jours avant le scrutin``, ``deux ans plus
tard``): the phrase pattern, its parse and the date arithmetic it applies."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from pipeline.temporal.normalise import _iso, _month_value, _number, _year_value, shift
from pipeline.temporal.vocabulary import _NUMBER_RE, _rx

# ``un jour (seulement) après son limogeage``, ``deux semaines avant l'élection``, ``au lendemain de sa
# nomination``, ``la veille du scrutin``: an offset from an event named by a noun.
_EVENT_OFFSET = _rx(
    rf"(?<![\w-])(?:(?P<n>{_NUMBER_RE})\s+(?P<unit>jours?|semaines?|mois|ans?|années?)\s+"
    r"(?:seulement\s+|à peine\s+|tout juste\s+|juste\s+|exactement\s+|pile\s+)?(?P<dir>après|avant)"
    r"|(?:au\s+|à la\s+|la\s+|le\s+)?(?P<rel>lendemain|veille))\s+(?:de\s+|d'|du\s+|des\s+)?"
    r"(?:(?:son|sa|ses|leur|leurs|le|la|les|cette|ce|cet)\s+|l')?(?P<noun>[^\W\d_][\w-]{2,})(?![\w-])")


# Words that can follow ``deux ans après`` without naming an event (``après avoir été élu``).
_NOT_EVENT_NOUNS = {"avoir", "être", "que", "qu", "quoi", "cela", "ça", "lui", "elle", "eux", "tout", "coup",
                    "midi", "minuit", "demain", "hier"}


# Units of an offset from a prior date or an event, and the granularity of the date they give.
_OFFSET_GRANULARITY = {"jour": "day", "semaine": "day", "mois": "month", "an": "year"}


def _offset_unit(word: str) -> str:
    """``jours`` -> ``jour``, ``semaines`` -> ``semaine``, ``mois``, ``ans`` / ``années`` -> ``an``."""
    word = word.lower()
    return ("jour" if word.startswith("jour") else "semaine" if word.startswith("sem")
            else "mois" if word == "mois" else "an")


class EventOffset(NamedTuple):
    noun: str  # the event noun, lowercase (``limogeage``)
    amount: int  # signed: ``deux jours avant`` -> -2
    unit: str  # "jour" | "semaine" | "mois" | "an"

    @property
    def granularity(self) -> str:
        return _OFFSET_GRANULARITY[self.unit]

    def apply(self, day: dt.date) -> str | None:
        """The ISO value ``amount`` units after (before) ``day``, at this offset's granularity; None
        outside ``VALUE_YEARS``."""
        if self.unit in ("jour", "semaine"):
            return _iso(shift(day, days=self.amount * (7 if self.unit == "semaine" else 1)))
        if self.unit == "mois":
            return _month_value(day, self.amount)
        return _year_value(day.year + self.amount)


def event_offset(phrase: str) -> EventOffset | None:
    """The event noun and signed offset of an event-anchored phrase, or None if it is not one."""
    match = _EVENT_OFFSET.fullmatch(phrase.replace("\u2019", "'").strip())
    if match is None:
        return None
    if match["rel"]:
        amount, unit = (1 if match["rel"].lower() == "lendemain" else -1), "jour"
    else:
        number = _number(match["n"])
        if number is None:
            return None
        unit = _offset_unit(match["unit"])
        amount = number if match["dir"].lower() == "après" else -number
    return EventOffset(match["noun"].lower(), amount, unit)

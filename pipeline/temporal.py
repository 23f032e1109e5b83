"""Temporal expressions (TIMEX) and the reference date of a document.

Detection is rule-based: regular expressions over each paragraph's text (one rule per expression family,
listed in ``_RULES``), longest match wins on overlaps. spaCy is used only for what regexes cannot see:
the tense of the verb governing an expression (``vendredi`` in a past sentence is the last Friday, in a
future sentence the next one) and named entities (a weekday inside a person or organisation name is not
a date). Resolution is done here with ``datetime`` arithmetic; nothing is guessed: an expression that
needs a reference date keeps ``value`` NULL when the document has none.

Resolution rules (``anchor`` says what an expression was resolved against):
- absolute dates carry their own year (``18 novembre 2023``, ``22-11-2023``, ``en 2015``): anchor NULL;
- deictic expressions (``hier``, ``vendredi dernier``, ``il y a huit ans``, ``en mai``, ``le 30 novembre
  dernier``) are resolved against the document's reference date: anchor ``reference_date``;
- a bare weekday or a yearless date takes the nearest occurrence in the direction of the governing verb's
  tense (past or present: on or before the reference date; future: after it);
- ``dans la nuit`` / ``le lendemain`` / ``la veille`` / ``le soir même`` / ``deux jours plus tard`` / ``un an
  plus tôt`` are anaphoric: resolved against the latest day-level date before them in the same paragraph
  or in the paragraph above (anchor = its ``timex_id``), else ``dans la nuit`` falls back on the reference
  date and the others are dropped;
- ``trois ans plus tard`` / ``l'année précédente`` count years from the latest expression with a year;
  ``jusqu'au 28`` after a day is a day of that day's month;
- a time of day belongs to its day (``jeudi à midi``, ``dans la soirée de mercredi`` are the day); a part
  of the day alone (``dans la soirée``) is the day the text was speaking of, like ``dans la nuit``;
- event-anchored expressions (``trois jours avant le scrutin``) take the date the text gives the event
  (``le scrutin du 12 mars``) when it gives one, else are placed from the article's dated event of that
  type once events are known (``pipeline/anchoring.py``); until then, and without one, NULL;
- lines of an embedded social-media post (signed ``– Name (@handle) 18 novembre 2023``) speak from the
  post's date: their deictic expressions are anchored on the signature's timex.
A weekday that contradicts an explicit date keeps the date and gets the flag ``weekday_conflict``.
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import NamedTuple

import polars as pl
from dateutil.easter import easter
from dateutil.relativedelta import relativedelta
from spacy.tokens import Doc, Span, Token

from pipeline.model import DocumentParse, ParsedParagraph
from pipeline.schemas import empty_frame


class ReferenceDate(NamedTuple):
    date: dt.date | None
    basis: str  # "in_text" | "inferred" | "none" (the sidecar case is decided by ingest)
    evidence: str | None


# --- French calendar vocabulary (general, applies to any text) ---------------------------------------

# Month names and their usual press abbreviations -> month number. Abbreviations are only accepted when a
# year follows (``12 sept. 2023``), because ``sept`` alone is the number seven.
MONTHS_FULL = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
}
MONTHS_ABBREV = {
    "janv.": 1, "févr.": 2, "févr": 2, "fév.": 2, "fevr.": 2, "avr.": 4, "juil.": 7, "sept.": 9, "sept": 9,
    "oct.": 10, "nov.": 11, "déc.": 12, "dec.": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
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


@dataclass
class Timex:
    """One detected expression, paragraph-relative offsets, before ids are given."""

    start: int
    end: int
    value: str | None
    granularity: str
    kind: str
    anchor: str | None = None
    flags: list[str] = field(default_factory=list)
    # "night" | "daypart" | "next_day" | "previous_day" | "same_day" | "offset" | "day_of_month": placed
    # from a prior date of the text (``night`` and ``daypart``, ``dans la soirée``, fall back on the
    # reference date)
    anaphoric: str | None = None
    offset: EventOffset | None = None  # for "offset": ``deux jours plus tard`` is +2 days from the prior date
    month_day: tuple[int, int] | None = None  # yearless ``20 décembre``: the sentence may give its year
    day_of_month: int | None = None  # ``jusqu'au 28`` (anaphoric ``day_of_month``): the prior date's month
    anchor_needed: bool = False  # resolved against the reference date (or an embedded post's date)
    resolver: Callable[[dt.date], tuple[str | None, list[str]]] | None = None


@dataclass(frozen=True)
class Context:
    """What detecting one expression may look at (never the reference date: detection is done once and
    resolved against any reference date, see :func:`values_by_reference`)."""

    doc: Doc
    text: str  # ``doc.text``, which spaCy rebuilds from the tokens on every access
    # person and organisation names, by position (``doc.ents`` is rebuilt on every access too)
    names: tuple[Span, ...] = ()
    name_starts: tuple[int, ...] = ()

    @classmethod
    def of(cls, doc: Doc, text: str) -> Context:
        names = tuple(ent for ent in doc.ents if ent.label_ in ("PER", "ORG"))
        return cls(doc, text, names, tuple(ent.start_char for ent in names))


# --- small date helpers ----------------------------------------------------------------------------

# Years a value may have. ``datetime`` stops at years 1 and 9999, and an ISO value has four digits: a
# date computed outside these years (``demain`` said on 31 December 9999, ``il y a deux ans`` on a sidecar's
# ``0001-01-01``) gets value NULL, never an ``OverflowError`` and never a clamped guess.
VALUE_YEARS = range(1000, 10000)
# Years a reference date found in the text may have (a page stamp ``Publié le 31 décembre 9999`` is a
# placeholder or a typo, not the day the article speaks from): French news as far as it is digitised,
# and the near future.
REFERENCE_YEARS = range(1800, 2101)


def shift(day: dt.date | None, days: int = 0, months: int = 0) -> dt.date | None:
    """``day`` moved by calendar months, then days; None when the result is not a date of ``VALUE_YEARS``.

    The one place date arithmetic happens, so that no input date can make it overflow.
    """
    if day is None:
        return None
    try:
        moved = day + relativedelta(months=months) if months else day
        moved = moved + dt.timedelta(days=days) if days else moved
    except (OverflowError, ValueError):
        return None
    return moved if moved.year in VALUE_YEARS else None


def _year_value(year: int) -> str | None:
    """The ISO value of a year, None outside ``VALUE_YEARS``."""
    return str(year) if year in VALUE_YEARS else None


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _iso_week(day: dt.date | None) -> str | None:
    if day is None:
        return None
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}" if year in VALUE_YEARS else None


def _add_months(day: dt.date, months: int) -> tuple[int, int] | None:
    """(year, month) ``months`` calendar months after ``day``'s month (negative: before); None when out of
    range."""
    moved = shift(day.replace(day=1), months=months)
    return None if moved is None else (moved.year, moved.month)


def _month_value(day: dt.date, months: int) -> str | None:
    """ISO month ``months`` calendar months after ``day``'s month."""
    moved = _add_months(day, months)
    return None if moved is None else f"{moved[0]}-{moved[1]:02d}"


def _neighbour_years(reference: dt.date, before: int = 1, after: int = 1) -> list[int] | None:
    """The years around the reference date a yearless expression is placed among; None when one of them
    is outside ``VALUE_YEARS`` (the choice between them would then be made without the right one)."""
    years = list(range(reference.year - before, reference.year + after + 1))
    return years if all(year in VALUE_YEARS for year in years) else None


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist or its year is outside ``VALUE_YEARS``."""
    if year not in VALUE_YEARS:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _number(word: str) -> int | None:
    """``huit`` -> 8, ``12`` -> 12, ``quelques`` -> None (vague)."""
    word = word.lower()
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.get(word)


def _day_number(word: str) -> int:
    return 1 if word.lower() in ("1er", "premier") else int(word)


def _month_number(word: str) -> int | None:
    word = word.lower()
    return MONTHS_FULL.get(word) or MONTHS_ABBREV.get(word) or MONTHS_ABBREV.get(word + ".")


def _roman(numeral: str) -> int:
    total, previous = 0, 0
    for char in reversed(numeral.upper()):
        value = ROMAN[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


# --- tense of the governing verb (spaCy) ---------------------------------------------------------------

# Verbs that, in the present and followed by an infinitive, speak of what is to come (``doit recevoir``).
PROSPECTIVE_VERBS = {"devoir", "aller", "compter", "prévoir", "envisager", "espérer", "vouloir", "souhaiter",
                     "apprêter", "projeter", "entendre"}

def _governing_verb(doc: Doc, start: int, end: int) -> Token | None:
    """The verb the expression hangs on in the dependency parse (or the sentence's root verb)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    for _ in range(8):
        if (token.pos_ in ("VERB", "AUX") and not (token.i >= span.start and token.i < span.end)
                and not _adjectival_participle(token)):
            return token
        if token.head is token:
            break
        token = token.head
    root = span.sent.root
    return root if root.pos_ in ("VERB", "AUX") else None


def _adjectival_participle(token: Token) -> bool:
    """``une accalmie attendue mardi``: an adjectival participle says nothing of the clause's time."""
    return ("Part" in token.morph.get("VerbForm") and token.dep_ in ("acl", "amod", "nmod")
            and not any(c.dep_.startswith("aux") for c in token.children))


def is_conditional(token: Token) -> bool:
    """Conditional mood, also when the tagger reads a regular conditional as an imperfect.

    ``démissionnerait`` is the infinitive + ``-ait`` (``prendrait``: infinitive minus ``e``); a real
    imperfect (``démissionnait``, ``mourait``) never is.
    """
    if "Cnd" in token.morph.get("Mood"):
        return True
    lemma, form = token.lemma_.lower(), token.text.lower()
    if (token.pos_ in ("VERB", "AUX") and form.endswith(("rait", "raient")) and len(lemma) > 3
            and not form.startswith(lemma[:-2] + "ai")):
        return True  # ``recevrait``, ``serait``, ``viendrait``: not the imperfect ``courait`` / ``montrait``
    if "Imp" not in token.morph.get("Tense") or not lemma.endswith(("er", "ir", "re")):
        return False
    stems = (lemma, lemma[:-1]) if lemma.endswith("re") else (lemma,)
    return any(form in (stem + "ait", stem + "aient", stem + "ais") for stem in stems)


# Simple-future endings of the persons news prose uses (``sera``, ``pleuvra``, ``seront``; ``-rons``/``-rez``
# are left out: ``nous espérons``, ``vous déclarez`` are presents).
_FUTURE_ENDINGS = ("ra", "ront", "rai", "ras")


def _looks_future(token: Token) -> bool:
    """A finite verb with a simple-future ending, which the tagger sometimes reads as a past or present
    (the passé simple it could be confused with, ``montra``, is rare in news)."""
    form = token.text.lower()
    return ("Fin" in token.morph.get("VerbForm") and "Cnd" not in token.morph.get("Mood") and len(form) > 3
            and form.endswith(_FUTURE_ENDINGS))


def verb_tense(verb: Token | None) -> str:
    """``past`` / ``future`` / ``present`` / ``conditional`` / ``unknown`` from the verb and its
    auxiliaries' morphology."""
    if verb is None:
        return "unknown"
    auxiliaries = [c for c in verb.children if c.dep_.startswith("aux") or c.dep_ == "cop"]
    group = [verb, *auxiliaries]
    tenses = {t for tok in group for t in tok.morph.get("Tense")}
    if "Fut" in tenses or any(_looks_future(tok) for tok in group):
        return "future"
    if verb.head is not verb and verb.head.lemma_ == "aller" and "Inf" in verb.morph.get("VerbForm"):
        return "future"
    if any(c.lemma_ == "aller" and "Inf" in verb.morph.get("VerbForm") for c in auxiliaries):
        return "future"
    if is_conditional(verb):
        return "conditional"  # ``il rencontrerait jeudi``: the future of a past, or a hypothesis
    conditional_auxiliaries = [c for c in auxiliaries if is_conditional(c)]
    if conditional_auxiliaries:  # ``serait publié`` (passive) looks ahead; ``aurait rencontré``: hedged past
        return "conditional" if all(c.dep_ == "aux:pass" for c in conditional_auxiliaries) else "past"
    if "Part" in verb.morph.get("VerbForm") and auxiliaries:
        passive_present = all(c.dep_ == "aux:pass" and "Pres" in c.morph.get("Tense") for c in auxiliaries)
        return "present" if passive_present else "past"  # ``est prévue`` is present, ``est arrivé`` past
    if ("Inf" in verb.morph.get("VerbForm") and verb.head is not verb
            and verb.head.lemma_.lower() in PROSPECTIVE_VERBS and "Pres" in verb.head.morph.get("Tense")):
        return "future"  # ``doit recevoir vendredi``, ``compte annoncer lundi``
    if tenses & {"Past", "Imp"}:
        return "past"
    if "Pres" in tenses:
        return "present"
    if "Part" in verb.morph.get("VerbForm"):
        return "past"
    return "unknown"


# --- resolution against a reference date ----------------------------------------------------------------

def resolve_weekday(weekday: int, reference: dt.date, modifier: str | None, tense: str) -> dt.date | None:
    """The date of a weekday named relative to ``reference``.

    ``dernier/passé``: the latest such day strictly before; ``prochain``: the first strictly after; bare or
    with ``ce``: the latest on or before in past sentences, the first on or after in future ones, and the
    nearest of the two in present ones (the press's present is its near future as often as its near
    past: ``Météo-France annonce des rafales lundi``).
    """
    back = (reference.weekday() - weekday) % 7
    forward = (weekday - reference.weekday()) % 7
    if modifier in ("dernier", "passé"):
        return shift(reference, days=-(back or 7))
    if modifier == "prochain":
        return shift(reference, days=forward or 7)
    if tense == "future" or (tense in ("present", "conditional") and forward < back):
        return shift(reference, days=forward)
    return shift(reference, days=-back)


def resolve_day_month(month: int, day: int, reference: dt.date, modifier: str | None, tense: str,
                      weekday: int | None = None) -> tuple[dt.date | None, list[str]]:
    """A yearless ``20 novembre`` placed in the year that the reference date and the tense imply.

    A stated weekday picks, among the reference year and its two neighbours, the one whose calendar agrees
    with it, whatever the tense (``le samedi 14 septembre`` in a November 2023 article is 2024-09-14: the
    weekday is the writer's own check on the year, the tense is only a guess); a date falls on three
    different weekdays in three consecutive years, so at most one agrees. When none does, the date wins
    and the expression is flagged ``weekday_conflict``.
    """
    candidates = [d for y in _neighbour_years(reference) or ()
                  if (d := _safe_date(y, month, day)) is not None]
    if not candidates:
        return None, []
    if modifier is None and weekday is not None:
        agreeing = [d for d in candidates if d.weekday() == weekday]
        if agreeing:
            return min(agreeing, key=lambda d: abs((d - reference).days)), []
    chosen = _occurrence(candidates, reference, modifier, tense)
    if chosen is None or modifier is not None:
        return chosen, []
    flags = ["weekday_conflict"] if weekday is not None and chosen.weekday() != weekday else []
    return chosen, flags


def _occurrence(candidates: list[dt.date], reference: dt.date, modifier: str | None,
                tense: str) -> dt.date | None:
    """Among a date's occurrences in neighbouring years: ``dernier``/``passé`` the latest strictly before
    the reference date, ``prochain`` the first strictly after, else the nearest in the tense's direction."""
    if modifier in ("dernier", "passé"):
        return max((d for d in candidates if d < reference), default=None)
    if modifier == "prochain":
        return min((d for d in candidates if d > reference), default=None)
    return _nearest_in_tense(candidates, reference, tense)


def _nearest_in_tense(candidates: list[dt.date], reference: dt.date, tense: str) -> dt.date:
    """The candidate nearest the reference date on the side the tense points to (either side if none)."""
    if tense == "past":
        pool = [d for d in candidates if d <= reference] or candidates
    elif tense == "future":
        pool = [d for d in candidates if d >= reference] or candidates
    else:
        pool = candidates
    return min(pool, key=lambda d: (abs((d - reference).days), d > reference))


def resolve_movable_holiday(days_after_easter: int, reference: dt.date, modifier: str | None,
                            tense: str) -> dt.date | None:
    """``le lundi de Pâques`` / ``à la Pentecôte``: the occurrence the tense and modifier point to."""
    candidates = [day for y in _neighbour_years(reference) or ()
                  if (day := shift(easter(y), days=days_after_easter)) is not None]
    return _occurrence(candidates, reference, modifier, tense) if candidates else None


def resolve_month(month: int, reference: dt.date, modifier: str | None, tense: str) -> str | None:
    """A yearless month (``en mai``): same logic as :func:`resolve_day_month`, at month granularity."""
    years = _neighbour_years(reference)
    if years is None:
        return None
    here = reference.year * 12 + reference.month - 1
    candidates = [(y, y * 12 + month - 1) for y in years]
    if modifier in ("dernier", "passé"):
        year = max(y for y, i in candidates if i < here)
    elif modifier == "prochain":
        year = min(y for y, i in candidates if i > here)
    elif tense == "past":
        year = max(y for y, i in candidates if i <= here)
    elif tense == "future":
        year = min(y for y, i in candidates if i >= here)
    else:
        year = min(candidates, key=lambda c: (abs(c[1] - here), c[1] > here))[0]
    return f"{year}-{month:02d}"


def _season_range(year: int, code: str) -> tuple[dt.date, dt.date] | None:
    first_month = {"SP": 3, "SU": 6, "FA": 9, "WI": 12}[code]
    start = _safe_date(year, first_month, 1)
    if start is None:
        return None
    return start, shift(start, months=3, days=-1) or dt.date.max  # the winter of 9999 ends after the calendar


def resolve_season(season: str, reference: dt.date, modifier: str | None) -> str | None:
    """``cet été`` / ``l'hiver dernier`` -> ``2024-SU`` / ``2023-WI`` (winter = year of its December).

    ``dernier``: the latest season of that name already over; ``prochain``: the first not yet begun;
    ``ce``: the nearest one (``cet hiver`` said in March is the winter just ended).
    """
    code = SEASONS[season][0]
    ranges = {y: bounds for y in _neighbour_years(reference, before=2, after=1) or ()
              if (bounds := _season_range(y, code)) is not None}
    if modifier in ("dernier", "passé"):
        year = max((y for y, (_, end) in ranges.items() if end < reference), default=None)
    elif modifier == "prochain":
        year = min((y for y, (start, _) in ranges.items() if start > reference), default=None)
    elif not ranges:
        year = None
    else:
        def distance(y: int) -> int:
            start, end = ranges[y]
            return abs((start + (end - start) / 2 - reference).days)

        year = min(ranges, key=distance)
    return None if year is None else f"{year}-{code}"


def resolve_offset(amount: int, unit: str, reference: dt.date, sign: int) -> tuple[str | None, str]:
    """``il y a huit ans`` (sign -1) / ``dans deux semaines`` (+1) -> (value, granularity); value None
    outside ``VALUE_YEARS``."""
    unit = unit.lower()
    if unit.startswith("jour"):
        return _iso(shift(reference, days=sign * amount)), "day"
    if unit.startswith("heure"):  # ``il y a 48 heures``: the day it falls on
        return _iso(shift(reference, days=sign * (amount // 24))), "day"
    if unit.startswith("semaine"):
        return _iso_week(shift(reference, days=7 * sign * amount)), "week"
    if unit.startswith("mois"):
        return _month_value(reference, sign * amount), "month"
    return _year_value(reference.year + sign * amount), "year"


# --- the rules ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str], Context], Iterator[Timex]]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_SINCE = _rx(r"(?:^|\s)depuis(?:\s+(?:le|la|l'))?\s*$")
_UNTIL = _rx(r"(?:^|\s)(?:jusqu'(?:à|au|aux|en)?|d'ici(?: à| au)?)(?:\s+(?:le|la|l'|ce|cette))?\s*$")


def _tense_at(ctx: Context, start: int, end: int) -> str:
    """The tense an expression is read in. ``depuis février`` is in the past whatever the verb;
    ``jusqu'à dimanche`` looks ahead, or is read as present (nearest) under a past verb."""
    before, phrase = ctx.text[max(0, start - 20):start], ctx.text[start:end].lower()
    if _SINCE.search(before) or phrase.startswith("depuis"):
        return "past"
    tense = verb_tense(_governing_verb(ctx.doc, start, end))
    if _UNTIL.search(before) or phrase.startswith(("jusqu'", "d'ici")):
        return "present" if tense == "past" else "future"
    return tense


def _relative(match: re.Match[str], granularity: str,
              resolver: Callable[[dt.date], tuple[str | None, list[str]]],
              start: int | None = None, end: int | None = None, flags: list[str] | None = None) -> Timex:
    return Timex(match.start() if start is None else start, match.end() if end is None else end, None,
                 granularity, "relative", anchor_needed=True, resolver=resolver, flags=flags or [])


def _build_full_date(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    month = _month_number(match["month"])
    if month is None:
        return
    date = _safe_date(int(match["year"]), month, _day_number(match["day"]))
    if date is None:
        return
    flags = []
    if match["wd"] and WEEKDAYS[match["wd"].lower()] != date.weekday():
        flags.append("weekday_conflict")
    yield Timex(match.start(), match.end(), date.isoformat(), "day", "absolute", flags=flags)


def _build_numeric_date(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    date = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
    if date is not None:
        yield Timex(match.start(), match.end(), date.isoformat(), "day", "absolute")


def _build_night_range(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``dans la nuit du 2 au 3 février 2019``: the night is dated by its first day, the whole phrase."""
    yield from _build_range_first_day(match, ctx, whole=True)


def _build_month_range(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``de janvier à août`` / ``entre mars et mai 2024``: two months; a stated year applies to both."""
    for group in ("m1", "m2"):
        month = MONTHS_FULL[match[group].lower()]
        start, end = match.span(group)
        if match["year"]:
            yield Timex(start, end, f"{match['year']}-{month:02d}", "month", "absolute")
            continue
        tense = _tense_at(ctx, start, end)
        yield _relative(match, "month", lambda ref, m=month, t=tense: (resolve_month(m, ref, None, t), []),
                        start, end)


def _build_range_first_day(match: re.Match[str], ctx: Context, whole: bool = False) -> Iterator[Timex]:
    """``du 12 au 15 mars 2024``: the first day borrows the month (and year) of the second."""
    month = _month_number(match["month"])
    day = _day_number(match["day"])
    start, end = match.span() if whole else match.span("day")
    if match["year"]:
        date = _safe_date(int(match["year"]), month, day)
        if date is not None:
            yield Timex(start, end, date.isoformat(), "day", "absolute")
        return
    tense = _tense_at(ctx, start, end)

    def resolve(ref: dt.date) -> tuple[str | None, list[str]]:
        date, flags = resolve_day_month(month, day, ref, None, tense)
        return (date.isoformat() if date else None), flags

    yield _relative(match, "day", resolve, start, end)


def _build_day_month(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    month = _month_number(match["month"])
    day = _day_number(match["day"])
    weekday = WEEKDAYS[match["wd"].lower()] if match["wd"] else None
    modifier = (match["mod"] or "").lower() or None
    tense = _tense_at(ctx, match.start(), match.end())

    def resolve(ref: dt.date) -> tuple[str | None, list[str]]:
        date, flags = resolve_day_month(month, day, ref, modifier, tense, weekday)
        return (date.isoformat() if date else None), flags

    timex = _relative(match, "day", resolve)
    if weekday is None and modifier is None:
        timex.month_day = (month, day)
    yield timex


def _build_movable_holiday(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    offset = MOVABLE_HOLIDAYS[re.sub(r"\s+", " ", match["name"].lower())]
    if match["year"]:
        day = shift(easter(int(match["year"])), days=offset)
        yield Timex(match.start(), match.end(), _iso(day), "day", "absolute")
        return
    word = (match["mod"] or "").lower()  # ``dernier`` / ``dernière`` / ``prochain`` / ``prochaine``
    modifier = "dernier" if word.startswith("derni") else "prochain" if word.startswith("procha") else None
    tense = _tense_at(ctx, match.start(), match.end())
    def resolve(ref: dt.date) -> tuple[str | None, list[str]]:
        date = resolve_movable_holiday(offset, ref, modifier, tense)
        return (date.isoformat() if date else None), []

    yield _relative(match, "day", resolve)


def _build_holiday(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    month, day = HOLIDAYS[match["name"].lower()]
    if match["year"]:
        yield Timex(match.start(), match.end(), _iso(_safe_date(int(match["year"]), month, day)), "day",
                    "absolute")
        return
    modifier = (match["mod"] or "").lower() or None
    tense = _tense_at(ctx, match.start(), match.end())

    def resolve(ref: dt.date) -> tuple[str | None, list[str]]:
        date, flags = resolve_day_month(month, day, ref, modifier, tense)
        return (date.isoformat() if date else None), flags

    yield _relative(match, "day", resolve)


def _build_month_year(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    month = _month_number(match["month"])
    if month is not None and int(match["year"]) in VALUE_YEARS:
        yield Timex(match.start(), match.end(), f"{int(match['year']):04d}-{month:02d}", "month", "absolute")


def _build_month(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    month = MONTHS_FULL[match["month"].lower()]
    modifier = (match["mod"] or "").lower() or None
    tense = _tense_at(ctx, match.start(), match.end())
    yield _relative(match, "month", lambda ref: (resolve_month(month, ref, modifier, tense), []))


def _build_year(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    start, end = match.span()
    yield Timex(start, end, match["year"], "year", "absolute")


# Words just before a number that make it a number of something else (``n° 2021``, ``article 1998``).
_NUMBERED_BEFORE = _rx(r"(?:n°|nº|numéro|no\.?|art\.|article|code|page|p\.|ligne|route|vol\.?|tél\.?|"
                       r"[\d.,/:+€$£-])\s*$")
_BEFORE_WINDOW = 12


def _counts_something(ctx: Context, start: int, end: int) -> bool:
    """Whether the number at ``start:end`` counts something (``1950 adhérents``, ``le 3 juin 91 personnes``)
    or numbers something (``n° 2021``) rather than naming a year: the parser makes a count the numeral
    modifier of a noun after it."""
    if _NUMBERED_BEFORE.search(ctx.text, max(0, start - _BEFORE_WINDOW), start):
        return True
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False
    token = span[-1]
    return token.dep_ == "nummod" and token.head.i > token.i and token.head.pos_ in ("NOUN", "PROPN")


def _build_bare_year(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``par rapport à 2021``, ``une étude de 2021``, ``l'édition 2019``: a year without a preposition that
    introduces it, unless the number counts or numbers something."""
    if not _counts_something(ctx, match.start(), match.end()):
        yield Timex(match.start(), match.end(), match["year"], "year", "absolute")


# Two-digit years of agency copy (``mars 97``, ``le 3 juin 91``, ``mai 68``): the century is the one that
# puts the year within the last 70 and next 30 years of 2000, the span of digitised press that writes them.
_SHORT_YEAR_PIVOT = 30


def _full_year(digits: str) -> int:
    year = int(digits)
    return 2000 + year if year < _SHORT_YEAR_PIVOT else 1900 + year


def _build_short_year_date(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``le 3 juin 91`` -> 1991-06-03, ``mars 97`` -> 1997-03 (when the number is not a count)."""
    start, end = match.span("yy")
    month = _month_number(match["month"])
    if month is None or _counts_something(ctx, start, end):
        return
    year = _full_year(match["yy"])
    if match.groupdict().get("day"):
        date = _safe_date(year, month, _day_number(match["day"]))
        if date is not None:
            yield Timex(match.start(), match.end(), date.isoformat(), "day", "absolute")
        return
    yield Timex(match.start(), match.end(), f"{year}-{month:02d}", "month", "absolute")


# ``tous les samedis de décembre``, ``chaque lundi de mars``: a recurring set, not a month (not annotated).
_RECURRING_BEFORE = _rx(r"(?:tous|toutes|chaque)\s+(?:les\s+)?[\w-]+\s+(?:de|d')\s*$")


_COUNT_LIKE_BELOW = 50  # ``en 12``, ``en 30`` are as often counts as years


def _build_short_year(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``fin 96``, ``début 97``, ``en 98``: a two-digit year after a word that introduces a year.

    After ``en`` only the years a count rarely is: ``en 97``, ``en 05`` (``coupé en 12`` is no year).
    """
    start, end = match.span("yy")
    after_en = match.group(0).lower().startswith("en") and "'" not in match.group(0)  # ``en '12`` is a year
    if after_en and not (match["yy"].startswith("0") or int(match["yy"]) >= _COUNT_LIKE_BELOW):
        return
    if not _counts_something(ctx, start, end):
        yield Timex(match.start(), match.end(), str(_full_year(match["yy"])), "year", "absolute")


def _build_bare_month(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``les ventes de mars``: a month name in lower case (``Mars`` and ``Mai`` capitalised are names);
    placed like ``en mars``, by the tense."""
    if (not match["month"][:1].islower()
            or _RECURRING_BEFORE.search(ctx.text, max(0, match.start() - _TITLE_WINDOW), match.start())):
        return
    month = MONTHS_FULL[match["month"].lower()]
    tense = _tense_at(ctx, match.start(), match.end())
    yield _relative(match, "month", lambda ref: (resolve_month(month, ref, None, tense), []))


def _build_year_range(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``de 2015 à 2018`` / ``entre 2010 et 2012``: two year expressions."""
    for group in ("y1", "y2"):
        start, end = match.span(group)
        yield Timex(start, end, match[group], "year", "absolute")


# Seasons and quarters are normalised at year granularity (the value sets are day, week, month and year);
# the flag keeps which part of the year: ``season_SU`` (TimeML codes SP/SU/FA/WI), ``quarter_Q1``.
def _build_season_year(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    code = SEASONS[match["season"].lower()][0]
    yield Timex(match.start(), match.end(), match["year"], "year", "absolute", flags=[f"season_{code}"])


def _build_season(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    season = match["season"].lower()
    modifier = (match["mod"] or "").lower() or None
    code = SEASONS[season][0]

    def resolve(ref: dt.date) -> tuple[str | None, list[str]]:
        value = resolve_season(season, ref, modifier)
        return (value[:4] if value else None), []

    yield _relative(match, "year", resolve, flags=[f"season_{code}"])


def _build_quarter(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    quarter = ORDINAL_QUARTERS[match["ord"].lower()]
    yield Timex(match.start(), match.end(), match["year"], "year", "absolute", flags=[f"quarter_Q{quarter}"])


# ``des années 2020 et 2021``: two years, not a decade.
_YEAR_GOES_ON = _rx(rf"(?<!\s)\s*+(?:et|à|-|–)\s*+{_YEAR_RE}(?!\d)")  # one start per run of spaces


def _build_decade(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    digits = match["decade"]
    if len(digits) == 4 and _YEAR_GOES_ON.match(ctx.text, match.end()):
        start, end = match.span("decade")
        yield Timex(start, end, digits, "year", "absolute")
        return
    if len(digits) == 2:
        if int(digits) < 30:  # ``les années 20``: 1920s or 2020s, a reader needs more context
            return
        digits = "19" + digits
    yield Timex(match.start(), match.end(), digits[:3], "decade", "absolute")


def _build_century(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    number = _roman(match["roman"])
    if 1 <= number <= 21:
        yield Timex(match.start(), match.end(), f"{number - 1:02d}", "century", "absolute")


_DAY_OFFSETS = {"aujourd'hui": 0, "hier": -1, "avant-hier": -2, "demain": 1, "après-demain": 2}


def _build_deictic_day(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    offset = _DAY_OFFSETS[match["word"].lower()]
    yield _relative(match, "day", lambda ref: (_iso(shift(ref, days=offset)), []))


def _build_part_of_today(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``ce matin``, ``ce soir``, ``cette nuit``: the reference day; ``la nuit dernière``: the day before."""
    offset = -1 if "derni" in match.group(0).lower() else 0
    yield _relative(match, "day", lambda ref: (_iso(shift(ref, days=offset)), []))


def _build_night_of(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``dans la nuit de jeudi à vendredi``: the night is dated by its first day."""
    weekday = WEEKDAYS[match["wd"].lower()]
    tense = _tense_at(ctx, match.start(), match.end())
    yield _relative(match, "day", lambda ref: (_iso(resolve_weekday(weekday, ref, None, tense)), []))


_DAYPART_ONLY = _rx(_DAYPART_PHRASE)


def _build_anaphoric(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    phrase = match.group(0).lower()
    kind = ("night" if "nuit" in phrase else "next_day" if "lendemain" in phrase
            else "previous_day" if "veille" in phrase
            else "daypart" if _DAYPART_ONLY.fullmatch(phrase) else "same_day")
    if kind == "daypart" and _tense_at(ctx, match.start(), match.end()) in ("present", "unknown"):
        return  # ``les ados veillent en soirée``: a habit, no day
    yield Timex(match.start(), match.end(), None, "day", "relative", anaphoric=kind)


# A capitalised weekday right after a capitalised word that is not the first of its sentence is a word of a
# title (``Le Parisien Dimanche``, ``France Dimanche``): a weekday mid-sentence is written in lower case.
_TITLE_WORD_BEFORE = re.compile(r"\w[ \t]+[A-ZÀ-ÖØ-Þ][\w'’-]*[ \t]$")
_TITLE_WINDOW = 60


def _in_title(text: str, start: int) -> bool:
    """Whether the weekday word starting at ``start`` is capitalised inside a capitalised title."""
    return text[start].isupper() and _TITLE_WORD_BEFORE.search(text, max(0, start - _TITLE_WINDOW),
                                                                 start) is not None


def _build_weekday(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    if _inside_name(ctx, match.start("wd"), match.end("wd")) or _in_title(ctx.text, match.start("wd")):
        return
    weekday = WEEKDAYS[match["wd"].lower()]
    modifier = (match["mod"] or "").lower() or None
    tense = _tense_at(ctx, match.start(), match.end())
    yield _relative(match, "day",
                    lambda ref: (_iso(resolve_weekday(weekday, ref, modifier, tense)), []))


def _build_week(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    phrase = match.group(0).lower()
    weeks = -1 if ("derni" in phrase or "passé" in phrase) else 1 if "prochain" in phrase else 0
    if weeks == 0 and ("week" in phrase or phrase.endswith("fin de semaine")):
        # ``ce week-end`` said on a Monday is the one just past: the weekend's Saturday, by the tense
        tense = _tense_at(ctx, match.start(), match.end())
        yield _relative(match, "week", lambda ref: (_iso_week(resolve_weekday(5, ref, None, tense)), []))
        return
    yield _relative(match, "week", lambda ref: (_iso_week(shift(ref, days=7 * weeks)), []))


def _build_month_deictic(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    phrase = match.group(0).lower()
    months = -1 if ("derni" in phrase or "passé" in phrase) else 1 if "prochain" in phrase else 0
    yield _relative(match, "month", lambda ref: (_month_value(ref, months), []))


def _build_year_deictic(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    phrase = match.group(0).lower()
    years = -1 if ("derni" in phrase or "passé" in phrase) else 1 if "prochain" in phrase else 0
    yield _relative(match, "year", lambda ref: (_year_value(ref.year + years), []))


def _build_offset(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    amount = _number(match["n"])
    unit = match["unit"]
    sign = 1 if match["dir"].lower() == "dans" else -1
    unit_word = unit.lower()
    granularity = ("day" if unit_word.startswith(("jour", "heure")) else "week" if unit_word.startswith("sem")
                   else "month" if unit_word.startswith("mois") else "year")
    if unit_word.startswith("heure") and (amount is None or amount < 24):
        return  # ``il y a 3 heures`` is clock time (and mostly a comment's or a page's stamp)
    if amount is None:  # ``il y a quelques jours``: a real expression nobody can place on a calendar
        yield Timex(match.start(), match.end(), None, granularity, "relative", flags=["vague"])
        return
    yield _relative(match, granularity, lambda ref: (resolve_offset(amount, unit, ref, sign)[0], []))


EVENT_ANCHORED = "event_anchored"


# A day number alone, closed by punctuation or ``et le``: ``ouvert le 10 mars, il doit durer jusqu'au 28.``
# (not a street number: ``au 28, rue des Lilas``).
_DAY_OF_MONTH_END = (r"(?=\s*(?:[,.;:)]|$)(?!\s*,?\s*(?:rue|avenue|boulevard|bd|place|quai|chemin)\b)"
                     r"|\s+et\s+le\s)")


def _build_day_of_month(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``jusqu'au 28``, ``le 4``: a day of the month of the date the text gave just before (agency copy)."""
    if _counts_something(ctx, match.start("day"), match.end("day")):
        return
    yield Timex(match.start(), match.end(), None, "day", "relative", anaphoric="day_of_month",
                day_of_month=_day_number(match["day"]))


def _build_anaphoric_offset(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``deux jours plus tard``, ``un an plus tôt``, ``trois semaines auparavant``: from the prior date."""
    amount = _number(match["n"])
    unit = _offset_unit(match["unit"])
    granularity = _OFFSET_GRANULARITY[unit]
    if amount is None:  # ``quelques jours plus tard``: real, but nobody can place it
        yield Timex(match.start(), match.end(), None, granularity, "relative", flags=["vague"])
        return
    later = match["dir"].lower() in ("plus tard", "après")
    offset = EventOffset("", amount if later else -amount, unit)
    yield Timex(match.start(), match.end(), None, granularity, "relative", anaphoric="offset", offset=offset)


def _build_year_before_after(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``l'année précédente`` / ``l'année suivante``: one year from the latest year the text gave."""
    amount = -1 if match["dir"].lower() in ("précédent", "précédente", "d'avant") else 1
    yield Timex(match.start(), match.end(), None, "year", "relative", anaphoric="offset",
                offset=EventOffset("", amount, "an"))


def _build_event_offset(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``un jour après son limogeage``: placed by the event the noun names, once the events are known.

    The value stays NULL here; :func:`pipeline.anchoring.resolve_event_anchored` fills it in from the
    article's dated event of that type (``event_offset`` reads the phrase back).
    """
    offset = event_offset(match.group(0))
    if offset is None or offset.noun in HOLIDAYS or offset.noun in _NOT_EVENT_NOUNS:
        return
    yield Timex(match.start(), match.end(), None, offset.granularity, "relative", flags=[EVENT_ANCHORED])


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


def _build_this_part(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``en début d'année``, ``cette année``-like phrases without a shift: the reference year."""
    yield _relative(match, "year", lambda ref: (_year_value(ref.year), []))


_B = r"(?<![\w-])"  # left word boundary that also refuses a hyphen (``mi-mai`` is matched as a whole)
_E = r"(?![\w])"

# ``un jour (seulement) après son limogeage``, ``deux semaines avant l'élection``, ``au lendemain de sa
# nomination``, ``la veille du scrutin``: an offset from an event named by a noun.
_EVENT_OFFSET = _rx(
    rf"(?<![\w-])(?:(?P<n>{_NUMBER_RE})\s+(?P<unit>jours?|semaines?|mois|ans?|années?)\s+"
    r"(?:seulement\s+|à peine\s+|tout juste\s+|juste\s+|exactement\s+|pile\s+)?(?P<dir>après|avant)"
    r"|(?:au\s+|à la\s+|la\s+|le\s+)?(?P<rel>lendemain|veille))\s+(?:de\s+|d'|du\s+|des\s+)?"
    r"(?:(?:son|sa|ses|leur|leurs|le|la|les|cette|ce|cet)\s+|l')?(?P<noun>[^\W\d_][\w-]{2,})(?![\w-])")

_RULES: list[Rule] = [
    Rule("full_date", _rx(
        rf"{_B}(?:(?P<wd>{_WEEKDAY_RE}),?\s+)?(?:le\s+)?(?P<day>{_DAY_RE})\s+(?P<month>{_MONTH_ANY_RE})"
        rf"\s+(?P<year>\d{{4}}){_E}{_TIME_SUFFIX}"), _build_full_date),
    Rule("numeric_date", _rx(
        r"(?<![\d/.\-])(?P<day>[0-3]?\d)(?P<sep>[/.\-])(?P<month>[01]?\d)(?P=sep)(?P<year>(?:19|20)\d{2})"
        r"(?![\d/])"), _build_numeric_date),
    Rule("iso_date", _rx(r"(?<![\d\-])(?P<year>(?:19|20)\d{2})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?!\d)"),
         _build_numeric_date),
    Rule("night_range", _rx(
        rf"{_B}(?:dans |durant |pendant )?la nuit du (?P<day>{_DAY_RE})\s+au\s+(?:{_DAY_RE})\s+"
        rf"(?P<month>{_MONTH_FULL_RE})(?:\s+(?P<year>\d{{4}}))?{_E}"), _build_night_range),
    Rule("month_range", _rx(
        rf"{_B}(?:de|d'|entre)\s*(?P<m1>{_MONTH_FULL_RE})\s+(?:à|au mois d'|et|jusqu'à|jusqu'en)\s*"
        rf"(?P<m2>{_MONTH_FULL_RE})(?:\s+(?P<year>\d{{4}}))?{_E}(?!\s*\d)"), _build_month_range),
    Rule("range_first_day", _rx(
        rf"{_B}(?:du|les|entre)\s+(?P<day>{_DAY_RE})(?=\s*(?:au|et|-|–)\s*(?:{_DAY_RE})\s+"
        rf"(?P<month>{_MONTH_FULL_RE})(?:\s+(?P<year>\d{{4}}))?{_E})"), _build_range_first_day),
    Rule("day_month", _rx(
        rf"{_B}(?:(?P<wd>{_WEEKDAY_RE}),?\s+)?(?:le\s+)?(?P<day>{_DAY_RE})\s+(?P<month>{_MONTH_FULL_RE})"
        rf"(?:\s+(?P<mod>dernier|prochain))?{_E}(?!\s*\d){_TIME_SUFFIX}"), _build_day_month),
    Rule("holiday", _rx(
        r"(?<!\bpère )(?<!\bPère )(?<!\bde )(?<!\bdu )(?<!\bdes )(?<!\bd')(?<![\w-])"
        r"(?P<name>noël|noel|jour de l'an|nouvel an|toussaint|saint-sylvestre|saint-valentin|halloween)"
        r"(?:\s+(?P<year>(?:19|20)\d{2}))?(?:\s+(?P<mod>dernier|prochain))?(?![\w])"),
         _build_holiday),
    Rule("movable_holiday", _rx(
        r"(?<![\w-])(?:(?:le |la |à la |à l'|l')\s*)?"
        r"(?P<name>lundi de pâques|lundi de pentecôte|vendredi saint|pâques|ascension|pentecôte)"
        r"(?:\s+(?P<year>(?:19|20)\d{2}))?(?:\s+(?P<mod>dernier|dernière|prochain|prochaine))?(?![\w])"),
         _build_movable_holiday),
    Rule("month_year", _rx(
        rf"{_B}(?:(?:début|fin|mi-|courant|en|depuis|dès)\s*)?(?P<month>{_MONTH_ANY_RE})\s+(?P<year>\d{{4}})"
        rf"{_E}"), _build_month_year),
    Rule("month", _rx(
        rf"{_B}(?:(?:en|depuis|dès|début|fin|mi-|courant|jusqu'en|d'ici|au mois de|le mois de|"
        rf"en fin de mois de|(?:au |le |à la |la |depuis le |depuis la )?(?:début|fin|milieu) du mois de)"
        rf"\s*(?P<month>{_MONTH_FULL_RE})(?:\s+(?P<mod>dernier|prochain))?|(?P<month2>{_MONTH_FULL_RE})\s+"
        rf"(?P<mod2>dernier|prochain)){_E}(?!\s*\d)"), lambda m, c: _build_month(_Merged(m), c)),
    Rule("year", _rx(
        rf"{_B}(?:en|depuis|dès|jusqu'en|jusqu'à|avant|après|vers|d'ici à|d'ici|à l'horizon|horizon|fin|pour|"
        rf"début|mi-|courant|l'an|"
        rf"l'année|année|saison|exercice|automne|printemps|hiver|été)\s*(?P<year>{_YEAR_RE}){_NOT_A_YEAR_AFTER}"),
         _build_year),
    Rule("bare_year", _rx(rf"(?<![\w-])(?P<year>(?:19|20)\d{{2}})(?![\w-]|[.,/]\d){_NOT_A_YEAR_AFTER}"
                          r"(?!\s+(?:rue|avenue|boulevard|bd|allée|chemin|impasse|quai|place|route)\b)"),
         _build_bare_year),
    Rule("short_year_date", _rx(
        rf"{_B}(?:(?:{_WEEKDAY_RE}),?\s+)?(?:le\s+)?(?P<day>{_DAY_RE})\s+(?P<month>{_MONTH_FULL_RE})\s+'?"
        rf"(?P<yy>\d{{2}})(?![\w-]|[.,/:]\d|\s*(?:%|€|h\b|heures?|ans|km))"), _build_short_year_date),
    Rule("short_year_month", _rx(
        rf"{_B}(?:(?:début|fin|mi-|courant|en|depuis|dès)\s*)?(?P<month>{_MONTH_FULL_RE})\s+'?"
        rf"(?P<yy>\d{{2}})(?![\w-]|[.,/:]\d|\s*(?:%|€|h\b|heures?|ans|km))"), _build_short_year_date),
    Rule("short_year", _rx(
        r"(?<![\w-])(?:fin|début|mi-|courant|depuis|dès|jusqu'en|en)\s*'?"
        rf"(?P<yy>\d{{2}})(?![\w-]|[.,/:]\d|\s*(?:[-–à]\s*\d|%|€|h\b|heures?|ans|km)){_NOT_A_YEAR_AFTER}"),
         _build_short_year),
    Rule("bare_month", _rx(rf"(?<![\w-])(?<!\d )(?<!\der )(?P<month>{_MONTH_FULL_RE})(?![\w-])(?!\s*\d)"),
         _build_bare_month),
    Rule("year_range", _rx(
        rf"{_B}(?:de|entre)\s+(?P<y1>{_YEAR_RE})\s*(?:à|et|-|–)\s*(?P<y2>{_YEAR_RE}){_NOT_A_YEAR_AFTER}"),
         _build_year_range),
    Rule("season_year", _rx(
        rf"{_B}(?:au |à l'|l'|en |cet? )?(?P<season>printemps|été|automne|hiver)\s+(?P<year>{_YEAR_RE})"
        rf"{_NOT_A_YEAR_AFTER}"), _build_season_year),
    Rule("season", _rx(
        r"(?<![\w-])(?:(?:ce |cet )(?P<season>printemps|été|automne|hiver)(?:\s+(?P<mod>dernier|prochain))?"
        r"|(?:l'|le )(?P<season2>printemps|été|automne|hiver)\s+(?P<mod2>dernier|prochain))"
        r"(?![\w])(?!\s*\d)"), lambda m, c: _build_season(_Merged(m), c)),
    Rule("quarter", _rx(
        rf"{_B}(?:au |le |du )?(?P<ord>premier|1er|deuxième|second|2e|troisième|3e|quatrième|4e|dernier)"
        rf"\s+trimestre\s+(?:de\s+|d'\s*)?(?P<year>{_YEAR_RE}){_E}"), _build_quarter),
    Rule("decade", _rx(rf"{_B}(?:les |des |aux )?années\s+(?P<decade>(?:19|20)\d0|[3-9]0){_E}(?!\s*\d)"),
         _build_decade),
    Rule("century", _rx(r"(?<![\w-])(?:au |le |du )?(?P<roman>[XVI]{1,5})(?:e|ème|è)\s+siècle(?![\w])"),
         _build_century),
    Rule("deictic_day", _rx(
        rf"(?<![\w-])(?<!\bde )(?<!\bd')(?P<word>aujourd'hui|avant-hier|après-demain|hier|demain)(?![\w-])"
        rf"{_TIME_SUFFIX}"), _build_deictic_day),
    Rule("deictic_day_with_part", _rx(
        rf"(?<![\w-])d'(?P<word>hier|aujourd'hui)\s+(?:matin|soir|après-midi)(?![\w]){_CLOCK_RE}?"),
         _build_deictic_day),
    Rule("part_of_today", _rx(
        r"(?<![\w-])(?:ce matin|ce midi|cet après-midi|ce soir|cette nuit|la nuit dernière|cette matinée|"
        r"cette soirée)(?![\w-])"), _build_part_of_today),
    Rule("night_of", _rx(
        rf"{_B}(?:dans )?la nuit (?:de|du) (?P<wd>{_WEEKDAY_RE}) (?:à|au) (?:{_WEEKDAY_RE}){_E}"),
         _build_night_of),
    Rule("anaphoric", _rx(
        r"(?<![\w-])(?:dans la nuit(?! de| du| d')|le lendemain(?! de| du| d')|la veille(?! de| du| d'| au)|"
        rf"le soir même|le jour même|ce jour-là|{_DAYPART_PHRASE}(?! de| du| d'))(?![\w])"),
         _build_anaphoric),
    Rule("daypart_of_deictic_day", _rx(
        rf"(?<![\w-])(?:{_DAYPART_PHRASE}|(?:dans |durant |pendant )?la nuit|le matin|le soir)\s+"
        r"d'(?P<word>hier|aujourd'hui)(?![\w-])"), _build_deictic_day),
    Rule("weekday", _rx(
        rf"(?<![\w-])(?<!\ble )(?<!\bLe )(?<!\bdu )(?<!\bau )(?<!\bchaque )(?<!\bles )(?<!\bun )"
        rf"(?:(?:ce|cette)\s+)?(?P<wd>{_WEEKDAY_RE})(?![\w-])"
        rf"(?!\s+(?:gras|saint|noir|de pâques|de pentecôte))"
        rf"(?:\s+(?P<mod>dernier|prochain|passé))?{_TIME_SUFFIX}"), _build_weekday),
    Rule("week", _rx(
        r"(?<![\w-])(?:cette semaine|la semaine (?:dernière|passée|prochaine)|ce week-?end|"
        r"le week-?end (?:dernier|passé|prochain)|en (?:début|fin) de semaine(?: (?:dernière|prochaine))?|"
        r"(?:à |d'ici |d'ici à )?la fin de (?:la )?semaine(?: (?:dernière|prochaine))?|cette fin de semaine|"
        r"(?:au |le |depuis le )?début de (?:la )?semaine)(?![\w-])(?! de| d')"), _build_week),
    Rule("month_deictic", _rx(
        r"(?<![\w-])(?:ce mois-ci|ce mois|le mois (?:dernier|passé|prochain)|en (?:début|fin) de mois|"
        r"(?:au |le |depuis le |à la |la |depuis la )?(?:début|fin|milieu) du mois)"
        r"(?![\w-])(?! de)"), _build_month_deictic),
    Rule("year_deictic", _rx(
        r"(?<![\w-])(?:cette année|l'année (?:dernière|passée|prochaine)|l'an (?:dernier|passé|prochain)|"
        r"l'année en cours)(?![\w-])"), _build_year_deictic),
    Rule("this_part_of_year", _rx(
        r"(?<![\w-])(?:en (?:début|fin|milieu) d'année|"
        r"(?:au |le |depuis le |à la |la |depuis la )?(?:début|fin|milieu) de l'année)(?![\w-])"
        r"(?!\s+(?:dernière|prochaine|passée|\d))"), _build_this_part),
    Rule("year_before_after", _rx(
        r"(?<![\w-])l'(?:année|an) (?P<dir>précédente?|suivante?|d'avant|d'après)(?![\w-])"),
         _build_year_before_after),
    Rule("event_offset", _EVENT_OFFSET, _build_event_offset),
    Rule("day_of_month", _rx(
        rf"(?<![\w-])(?:le|du|au|jusqu'au|depuis le|dès le|avant le|après le)\s+(?P<day>{_DAY_RE})(?![\w-])"
        rf"{_DAY_OF_MONTH_END}"), _build_day_of_month),
    Rule("anaphoric_offset", _rx(
        rf"(?<![\w-])(?P<n>{_NUMBER_RE})\s+(?P<unit>jours?|semaines?|mois|ans?|années?)\s+"
        r"(?P<dir>plus tard|plus tôt|auparavant|(?:après|avant)(?=\s*[,.;:]))(?![\w-])"),
         _build_anaphoric_offset),
    Rule("offset", _rx(
        rf"(?<![\w-])(?P<dir>il y a|dans|voici|voilà)\s+(?P<n>{_NUMBER_RE})\s+"
        r"(?P<unit>jours?|semaines?|mois|ans?|années?|heures)(?![\w-])"
        r"(?!\s+(?:de|d'|plus|après|avant|auparavant))"), _build_offset),
]


# A cheap test a paragraph must pass (on its lowercased text) before a rule's full pattern, with its
# look-behinds at every position, is run: most paragraphs name no month, weekday or holiday at all.
_MONTH_HINT = r"janv|f[ée]v|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c"
_WEEKDAY_HINT = "|".join(WEEKDAYS)
_RULE_HINTS: dict[str, re.Pattern[str]] = {name: re.compile(hint) for name, hint in {
    "full_date": _MONTH_HINT, "night_range": "nuit", "month_range": _MONTH_HINT,
    "range_first_day": _MONTH_HINT, "day_month": _MONTH_HINT, "month_year": _MONTH_HINT, "month": _MONTH_HINT,
    "numeric_date": r"\d[/.\-]\d", "iso_date": r"\d-\d",
    "holiday": r"no[eë]l|jour de l|nouvel an|toussaint|saint-|halloween",
    "movable_holiday": r"pâques|pentecôte|ascension|vendredi saint",
    "year": r"\d{4}", "bare_year": r"\d{4}", "short_year_date": _MONTH_HINT, "short_year_month": _MONTH_HINT,
    "bare_month": _MONTH_HINT, "short_year": r"\b\d{2}\b",
    "year_range": r"\d{4}", "season_year": r"\d{4}", "quarter": "trimestre",
    "season": "printemps|été|automne|hiver", "decade": "années", "century": "siècle",
    "deictic_day": "hier|demain|aujourd", "deictic_day_with_part": "hier|aujourd",
    "part_of_today": "matin|midi|soir|nuit", "night_of": "nuit",
    "anaphoric": "nuit|lendemain|veille|même|jour-là|journée|matinée|soirée|après-midi|aube|petit matin",
    "daypart_of_deictic_day": "d'hier|d'aujourd", "weekday": _WEEKDAY_HINT, "week": "semaine|week",
    "month_deictic": "mois", "year_deictic": r"année|\ban\b", "this_part_of_year": "année",
    "year_before_after": r"l'(?:année|an) ", "day_of_month": r"(?:le|du|au) \d",
    "event_offset": "après|avant|lendemain|veille", "anaphoric_offset": "plus t|auparavant|après|avant",
    "offset": r"il y a|dans|voici|voilà",
}.items()}


class _Merged:
    """A match view where the alternative groups ``month2``/``mod2`` read as ``month``/``mod``."""

    def __init__(self, match: re.Match[str]):
        self._match = match

    def __getitem__(self, name: str) -> str | None:
        return self._match[name] or self._match.groupdict().get(f"{name}2")

    def start(self, *args: str) -> int:
        return self._match.start(*args)

    def end(self, *args: str) -> int:
        return self._match.end(*args)

    def group(self, *args: int | str) -> str:
        return self._match.group(*args)


def _inside_name(ctx: Context, start: int, end: int) -> bool:
    """A weekday word inside a person/organisation name of several words (``Vendredi Lefèvre``).

    Entities do not overlap: the only one that can hold the word is the last one starting at or before it.
    """
    index = bisect_right(ctx.name_starts, start) - 1
    if index < 0 or end > ctx.names[index].end_char:
        return False
    others = [t for t in ctx.names[index] if t.idx < start or t.idx >= end]
    return any(t.is_alpha and t.text[:1].isupper() and t.lower_ not in MONTHS_FULL for t in others)


# Streets, squares and schools named after a date (``place du 14 Juillet``, ``rue du 8 Mai 1945``): the date
# is part of a place name. (The hyphenated spelling, ``rue du 8-Mai-1945``, is never matched by the rules.)
# ``pont`` and ``cours`` are left out: ``le pont du 1er mai`` is a long weekend, ``au cours du 3 mars``
# a date.
_PLACE_NAMED_BY_DATE = _rx(
    r"(?<![\w-])(?:rue|place|avenue|boulevard|bd|square|quai|allée|impasse|esplanade|parvis|carrefour|"
    r"rond-point|gare|lycée|collège|école|stade)[ \t]{1,3}du[ \t]{1,3}$")
_RANGE_GOES_ON = _rx(r"[ \t]{0,3}(?:au|à|et|-|–)[ \t]{0,3}\d")  # ``gare fermée du 3 au 10 mars``: a range
_PLACE_WINDOW = 30


def _names_a_place(text: str, start: int, end: int) -> bool:
    """Whether the expression at ``start:end`` is the date in a place name (``avenue du 11 Novembre``)."""
    return (_PLACE_NAMED_BY_DATE.search(text, max(0, start - _PLACE_WINDOW), start) is not None
            and _RANGE_GOES_ON.match(text, end) is None)


def _outside_place_names(found: list[Timex], text: str) -> list[Timex]:
    """The expressions that are not, or not inside, the date of a place name (``rue du 8 Mai 1945`` is
    neither 1945-05-08 nor ``Mai 1945``)."""
    places = sorted((t.start, t.end) for t in found if _names_a_place(text, t.start, t.end))
    if not places:
        return found
    starts = [start for start, _ in places]
    ends = list(accumulate((end for _, end in places), max))

    def inside_a_place(timex: Timex) -> bool:
        index = bisect_right(starts, timex.start) - 1
        return index >= 0 and timex.start < ends[index]

    return [t for t in found if not inside_a_place(t)]


# A part of the day before the day it belongs to: ``dans la soirée de jeudi``, ``le matin du 12 mars``.
_DAYPART_BEFORE = _rx(
    rf"(?<![\w-])(?:{_DAYPART_PHRASE}|(?:dans |durant |pendant )?la nuit|le matin|le soir|au matin|au soir)"
    r"\s+(?:de|du|d')\s*$")
_DAYPART_WINDOW = 60


def _with_day_parts_before(chosen: list[Timex], text: str) -> list[Timex]:
    """Day expressions widened to the part of the day written before them (``dans la soirée de jeudi`` is
    one expression, the day), as long as the widened one overlaps no other expression."""
    previous_end = 0
    for timex in chosen:
        if timex.granularity == "day" and timex.anaphoric is None:
            window = max(previous_end, timex.start - _DAYPART_WINDOW)
            before = _DAYPART_BEFORE.search(text, window, timex.start)
            if before is not None:
                timex.start = before.start()
        previous_end = timex.end
    return chosen


def _select(found: list[Timex]) -> list[Timex]:
    """Non-overlapping expressions: earliest start first, then the longest."""
    chosen: list[Timex] = []
    for timex in sorted(found, key=lambda t: (t.start, -(t.end - t.start))):
        # taken in order of start, the chosen ones do not overlap: only the last can reach this one
        if not chosen or timex.start >= chosen[-1].end:
            chosen.append(timex)
    return chosen


def detect(doc: Doc, text: str | None = None) -> list[Timex]:
    """Every expression of one paragraph, unresolved (deictic ones carry their resolver).

    ``text``: ``doc.text`` when the caller has it already (spaCy rebuilds it on every access).
    """
    text = doc.text if text is None else text
    lower = text.lower()
    ctx = Context.of(doc, text)
    found = [timex for rule in _RULES if (hint := _RULE_HINTS.get(rule.name)) is None or hint.search(lower)
             for match in rule.pattern.finditer(text) for timex in rule.build(match, ctx)]
    return _with_day_parts_before(_select(_outside_place_names(found, text)), text)


# --- embedded social-media posts --------------------------------------------------------------------------

POST_SIGNATURE = _rx(
    rf"[–—-]\s*[^\n()]{{1,80}}\(@\w+\)\s*(?P<date>(?:{_DAY_RE})\s+(?:{_MONTH_FULL_RE})\s+\d{{4}})\s*$")
_POST_MAX_LINES = 8
_PROSE_LINE_CHARS = 200


def post_date_paragraphs(paragraphs: list[ParsedParagraph]) -> dict[int, int]:
    """paragraph index -> index of the signature paragraph of the embedded post it belongs to.

    A post is signed ``– Name (@handle) 18 novembre 2023``; its text is the lines just above, as long as
    they do not look like article prose (short, or starting with a lowercase letter or a dash).
    """
    owner: dict[int, int] = {}
    for i, para in enumerate(paragraphs):
        if not POST_SIGNATURE.search(para.text):
            continue
        owner[i] = i
        j = i - 1
        while j >= 0 and i - j <= _POST_MAX_LINES and j not in owner:
            line = paragraphs[j].text
            prose = len(line) > _PROSE_LINE_CHARS and line[:1].isupper()
            if prose and j != i - 1:
                break
            owner[j] = i
            if prose:
                break
            j -= 1
    return owner


# --- resolution of one document ---------------------------------------------------------------------------

@dataclass
class _Resolved:
    paragraph: ParsedParagraph
    timex: Timex
    timex_id: str = ""


def _detect_document(parse: DocumentParse) -> list[list[_Resolved]]:
    """Every expression of the article, per paragraph, with its id; nothing resolved yet."""
    by_paragraph: list[list[_Resolved]] = []
    count = 0
    for para in parse.paragraphs:
        items = [_Resolved(para, t) for t in detect(para.doc, para.text)]
        for item in items:
            item.timex_id = f"{parse.doc_id}:t{count:03d}"
            count += 1
        by_paragraph.append(items)
    return by_paragraph


def _resolve_all(by_paragraph: list[list[_Resolved]], posts: dict[int, int],
                 reference: dt.date | None) -> list[_Resolved]:
    """Resolve detected expressions in reading order (anaphoric ones read the values before them).

    One pass: the latest valued day and year seen so far are carried along, never searched for again
    (a paragraph may hold thousands of expressions). An anaphoric expression with nothing before it to
    count from is dropped; one whose value falls outside ``VALUE_YEARS`` keeps its anchor and value NULL.
    """
    above: _Resolved | None = None  # the latest valued day of the paragraph above
    above_dated: _Resolved | None = None  # the latest expression with a calendar year, paragraph above
    for index, items in enumerate(by_paragraph):
        post_date = _post_signature_date(by_paragraph, posts.get(index))
        last_day: _Resolved | None = None
        last_year: _Resolved | None = None
        last_dated: _Resolved | None = None
        for item in items:
            if not _resolve_year_offset(item, last_dated or above_dated):
                _resolve_one(item, reference, post_date, last_day or above)
            _take_year_from_sentence(item, last_year)
            if item.timex.value:
                if item.timex.granularity == "day":
                    last_day = item
                elif item.timex.granularity == "year":
                    last_year = item
                if _calendar_year(item.timex) is not None:
                    last_dated = item
        above, above_dated = last_day, last_dated
    _date_event_offsets_from_text([r for items in by_paragraph for r in items])
    return [r for items in by_paragraph for r in items
            if not (r.timex.anaphoric and r.timex.anchor is None
                    and r.timex.anaphoric not in _FALLS_BACK_ON_REFERENCE)]


def _calendar_year(timex: Timex) -> int | None:
    """The calendar year of a valued day, week, month or year expression (None for decades, centuries)."""
    if timex.value is None or timex.granularity not in ("day", "week", "month", "year"):
        return None
    head = timex.value[:4]
    return int(head) if head.isdigit() else None


def _resolve_year_offset(item: _Resolved, previous: _Resolved | None) -> bool:
    """``trois ans plus tard``, ``l'année précédente``: counted in years from the latest expression before
    it that has a year (``l'édition 2019 [...] trois ans plus tard`` is 2022), whatever its granularity.
    False when ``item`` is not such an offset; with nothing before it, it stays unanchored (dropped)."""
    offset = item.timex.offset
    if item.timex.anaphoric != "offset" or offset is None or offset.unit != "an":
        return False
    if previous is not None and (year := _calendar_year(previous.timex)) is not None:
        item.timex.value, item.timex.anchor = _year_value(year + offset.amount), previous.timex_id
    return True


def _date_event_offsets_from_text(items: list[_Resolved]) -> None:
    """``Le scrutin aura lieu le 12 mars. [...] Trois jours avant le scrutin, ...``: an event-anchored
    expression takes the date the text gives its event (:func:`_dates_event`).

    The nearest such day before the expression wins, else the first after; without one the value stays
    NULL for ``pipeline/anchoring.py`` to fill from the article's events.
    """
    pending = [(position, item) for position, item in enumerate(items)
               if item.timex.value is None and EVENT_ANCHORED in item.timex.flags]
    if not pending:
        return
    days = [(position, r) for position, r in enumerate(items)
            if r.timex.value and r.timex.granularity == "day" and EVENT_ANCHORED not in r.timex.flags]
    for position, item in pending:
        offset = event_offset(item.paragraph.text[item.timex.start:item.timex.end])
        if offset is None:
            continue
        stated = [(at, day) for at, day in days if _dates_event(day, offset.noun, item)]
        if not stated:
            continue
        before = [day for at, day in stated if at < position]
        day = before[-1] if before else stated[0][1]
        item.timex.value = offset.apply(dt.date.fromisoformat(day.timex.value))
        item.timex.anchor = day.timex_id


def _dates_event(day: _Resolved, noun: str, phrase: _Resolved) -> bool:
    """Whether ``day`` is the date the text gives the event ``noun``: the date hangs on the noun (``le scrutin
    du 12 mars``) or on a verb whose subject or object is the noun (``le scrutin aura lieu le 12 mars``),
    never the noun inside the event-anchored ``phrase`` itself."""
    span = day.paragraph.doc.char_span(day.timex.start, day.timex.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False

    def names_event(token: Token) -> bool:
        inside_phrase = (phrase.paragraph is day.paragraph
                         and phrase.timex.start <= token.idx < phrase.timex.end)
        return token.lower_ in (noun, noun + "s") and not inside_phrase

    token = span.root
    for _ in range(_EVENT_HOPS):
        if token.head is token:
            break
        token = token.head
        if names_event(token):
            return True
        if token.pos_ in ("VERB", "AUX"):
            return any(names_event(child) for child in token.children if child.dep_ in _EVENT_ROLES)
    return False


_EVENT_HOPS = 3  # arcs from the date up to the noun or the verb it hangs on
_EVENT_ROLES = ("nsubj", "nsubj:pass", "obj")


def _resolve_document(parse: DocumentParse) -> list[_Resolved]:
    posts = post_date_paragraphs(parse.paragraphs)
    return _resolve_all(_detect_document(parse), posts, parse.reference_date)


def values_by_reference(parse: DocumentParse) -> Callable[[dt.date], dict[str, tuple[str | None, str]]]:
    """Detect once, then resolve for any reference date: ``timex_id -> (value, granularity)``.

    What dating an article from the corpus needs: many candidate days, one detection (the costly part).
    """
    detected = _detect_document(parse)
    posts = post_date_paragraphs(parse.paragraphs)

    def values_at(reference: dt.date) -> dict[str, tuple[str | None, str]]:
        fresh = [[_Resolved(r.paragraph, replace(r.timex, flags=list(r.timex.flags)), r.timex_id)
                  for r in items] for items in detected]
        resolved = _resolve_all(fresh, posts, reference)
        return {r.timex_id: (r.timex.value, r.timex.granularity) for r in resolved}

    return values_at


def _take_year_from_sentence(item: _Resolved, year: _Resolved | None) -> None:
    """``L'an dernier, ... il a fermé le 20 décembre``: a yearless date takes the year stated earlier in
    its sentence rather than the one nearest the reference date.

    ``year``: the latest valued year-level expression before ``item`` in its paragraph.
    """
    if item.timex.month_day is None or item.timex.value is None or year is None:
        return
    sentence = item.paragraph.doc.char_span(item.timex.start, item.timex.end, alignment_mode="expand")
    if sentence is None or len(sentence) == 0 or year.timex.start < sentence.sent.start_char:
        return
    month, day = item.timex.month_day
    date = _safe_date(int(year.timex.value), month, day)
    if date is not None and date.isoformat() != item.timex.value:
        item.timex.value, item.timex.anchor = date.isoformat(), year.timex_id


def _post_signature_date(by_paragraph: list[list[_Resolved]], owner: int | None) -> _Resolved | None:
    if owner is None:
        return None
    days = [r for r in by_paragraph[owner] if r.timex.granularity == "day" and r.timex.kind == "absolute"]
    return days[-1] if days else None


_ANAPHORIC_SHIFT = {"night": 0, "daypart": 0, "same_day": 0, "next_day": 1, "previous_day": -1}
# Anaphoric kinds that, with no date before them, are the reference day (``dans la soirée`` in a news story
# is the evening of the day it reports, like ``dans la nuit``).
_FALLS_BACK_ON_REFERENCE = {"night", "daypart"}


def _resolve_one(item: _Resolved, reference: dt.date | None, post: _Resolved | None,
                 previous_day: _Resolved | None) -> None:
    """Value and anchor of one expression. ``previous_day``: the latest day-level date before it, in its
    paragraph or else the one above (a narrative goes on across paragraphs: ``Le 12 février, il a été
    arrêté.`` / ``Le lendemain, ...``)."""
    timex = item.timex
    if timex.anaphoric:
        if previous_day is not None and previous_day.timex.value:
            base = dt.date.fromisoformat(previous_day.timex.value)
            if timex.day_of_month is not None:
                timex.value = _iso(_safe_date(base.year, base.month, timex.day_of_month))
            elif timex.anaphoric == "offset" and timex.offset is not None:
                timex.value = timex.offset.apply(base)
            else:
                timex.value = _iso(shift(base, days=_ANAPHORIC_SHIFT[timex.anaphoric]))
            timex.anchor = previous_day.timex_id
        elif timex.anaphoric in _FALLS_BACK_ON_REFERENCE and reference is not None:
            timex.value, timex.anchor = _iso(shift(reference)), ANCHOR_REFERENCE
        return
    if not timex.anchor_needed or timex.resolver is None:
        return
    if post is not None and post is not item and post.timex.value:
        base, anchor = dt.date.fromisoformat(post.timex.value), post.timex_id
    elif reference is not None:
        base, anchor = reference, ANCHOR_REFERENCE
    else:
        timex.flags.append("no_reference_date")
        return
    value, flags = timex.resolver(base)
    timex.value, timex.anchor = value, anchor
    timex.flags.extend(flags)


def extract_temporal_expressions(parses: Iterable[DocumentParse]) -> pl.DataFrame:
    """``temporal_expressions`` rows for every document."""
    rows = []
    for parse in parses:
        for item in _resolve_document(parse):
            start, end = item.paragraph.doc_span(item.timex.start, item.timex.end)
            rows.append({
                "doc_id": parse.doc_id, "doc_char_start": start, "doc_char_end": end,
                "timex_id": item.timex_id, "paragraph_id": item.paragraph.paragraph_id,
                "text": parse.text[start:end], "value": item.timex.value,
                "granularity": item.timex.granularity, "kind": item.timex.kind, "anchor": item.timex.anchor,
                "flags": FLAGS_SEPARATOR.join(dict.fromkeys(item.timex.flags)) or None,
            })
    empty = empty_frame("temporal_expressions")
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty


# --- reference date from the text -------------------------------------------------------------------------

# A publication or update label followed by a date: ``Publié le 12 mars 2024 à 10h``, ``Mis à jour le
# 12/03/2024``, ``Mise à jour du 22-11-2023``, ``Dernière modification : ...``. Several may share a line.
_PUBLISHED_LABELS = (r"date de publication|mis en ligne|mise en ligne|publié|publiée|posté|postée|paru|parue|"
                     r"diffusé|diffusée")
_UPDATED_LABELS = (r"dernière mise à jour|dernière modification|mis à jour|mise à jour|modifié|modifiée|"
                   r"actualisé|actualisée|maj")
_DATELINE_LABEL = _rx(
    rf"(?<![\w-])(?:(?P<updated>{_UPDATED_LABELS})|(?P<published>{_PUBLISHED_LABELS}))(?![\w-])\s*"
    rf"(?:le|du|:|,|-|–)?\s*(?:(?:{_WEEKDAY_RE}),?\s+)?(?P<date>[^\n]{{0,40}})")
# A press dateline at the start of a line: ``PARIS, le 12 mars 2024 -`` or ``Lyon (AFP) - 12 mars 2024``.
_DATELINE_PLACE = _rx(
    r"^[A-ZÉÈÀÂÎ][\w'’ -]{1,40}(?:\s*\([A-Z]{2,6}\))?\s*(?:,|-|–)\s*(?:le\s+)?(?P<date>[^\n]{0,40})")
# A page header's bare timestamp line: ``Le 14 mars 2024 à 18h32``, ``Jeudi 14 mars 2024 - 18:32``,
# ``14/03/2024 18h32 - Mis à jour le ...``: a date at the start and nothing but a time or labels after it.
_HEADER_DATE_START = _rx(rf"^(?:le\s+)?(?:(?:{_WEEKDAY_RE}),?\s+)?")
_HEADER_DATE_REST = _rx(
    # possessive \s*+: three optional groups in a row must not re-split one run of spaces (quadratic)
    r"^\s*+(?:(?:à|-|–|,|\|)?\s*+\d{1,2}\s*+[h:]\s*+\d{0,2}(?:\s*+min)?)?\s*+"
    r"(?:(?:[-–|•,]\s*+)?(?:mis à jour|mise à jour|modifié|actualisé|lecture|par\s)[^\n]*)?\s*+$")
_FULL_DATE_ONLY = [r.pattern for r in _RULES if r.name in ("full_date", "numeric_date", "iso_date")]
_PROSE_CHARS = 200  # a line this long is article prose: the page header is above the first one


# ``16/09/24``: a two-digit year, only trusted in a page's own stamp (``Publié le 16/09/24 à 11h47``).
_SHORT_YEAR_DATE = _rx(r"(?<![\d/.\-])(?P<day>[0-3]?\d)(?P<sep>[/.\-])(?P<month>[01]?\d)(?P=sep)"
                       r"(?P<year>\d{2})(?![\d/])")


def _short_year_dates(text: str) -> list[tuple[dt.date, str]]:
    found = []
    for match in _SHORT_YEAR_DATE.finditer(text):
        date = _safe_date(2000 + int(match["year"]), int(match["month"]), int(match["day"]))
        if date is not None:
            found.append((date, match.group(0)))
    return found


def _dates_in(text: str, short_years: bool = False) -> list[tuple[dt.date, str]]:
    """Every full (day, month, year) date of ``text`` with its surface form, in reading order."""
    found = []
    if short_years:
        found = [(text.find(surface), date, surface) for date, surface in _short_year_dates(text)]
    for pattern in _FULL_DATE_ONLY:
        for match in pattern.finditer(text.replace("\u00a0", " ").replace("\u2019", "'")):
            month = _month_number(match["month"]) if not match["month"].isdigit() else int(match["month"])
            if month is None:
                continue
            date = _safe_date(int(match["year"]), month, _day_number(match["day"]))
            if date is not None:
                found.append((match.start(), date, text[match.start():match.end()]))
    return [(date, surface) for _, date, surface in sorted(found, key=lambda f: f[0])]


def _date_opening(head: str, within: int = 25) -> tuple[dt.date, str] | None:
    """The full date ``head`` starts with (within a few characters), if any."""
    dates = _dates_in(head, short_years=True)
    if dates and head.find(dates[0][1]) <= within:
        return dates[0]
    return None


def _header_timestamp(line: str) -> dt.date | None:
    """The date of a bare timestamp line (``Le 14 mars 2024 à 18h32``), None for any other line."""
    start = _HEADER_DATE_START.match(line).end()
    dates = _dates_in(line[start:], short_years=True)
    if not dates or not line[start:].startswith(dates[0][1]):
        return None
    rest = line[start + len(dates[0][1]):]
    return dates[0][0] if _HEADER_DATE_REST.match(rest) else None


class _Stamp(NamedTuple):
    kind: str  # "published" | "updated" | "dateline" | "header"
    date: dt.date
    evidence: str


def _page_stamps(text: str) -> list[_Stamp]:
    """Publication and update stamps of a page, in reading order."""
    stamps: list[_Stamp] = []
    in_header = True
    for line in text.replace("\u00a0", " ").splitlines():
        stripped = line.strip()
        for match in _DATELINE_LABEL.finditer(stripped):
            opening = _date_opening(match["date"])
            if opening:
                kind = "updated" if match["updated"] else "published"
                stamps.append(_Stamp(kind, opening[0], stripped[match.start():match.end()].strip()))
        place = _DATELINE_PLACE.match(stripped)
        if place and (opening := _date_opening(place["date"])):
            stamps.append(_Stamp("dateline", opening[0], stripped[:80]))
        elif in_header and len(stripped) <= 80 and (date := _header_timestamp(stripped)):
            stamps.append(_Stamp("header", date, stripped))
        if len(stripped) > _PROSE_CHARS:
            in_header = False
    return [stamp for stamp in stamps if stamp.date.year in REFERENCE_YEARS]


def reference_date_from_text(text: str) -> ReferenceDate:
    """The date an article speaks from, found in its own text.

    1. ``in_text``: the page's publication stamp: the first date introduced by a publication label
       (``Publié le``), a press dateline (``PARIS, 12 mars 2024 (AFP) -``) or a bare timestamp line in the
       page header (above the first paragraph of prose). The first, because a page's own stamp comes
       before the related-article teasers; the publication, not the update, because the text was
       written then (``hier`` in a story updated the next morning still means the day before
       publication). Without a publication stamp, the latest update label (``Mise à jour du ...``);
    2. ``inferred``: else the latest full day-level date the article writes out (an article does not
       report days after the one it is written on; earlier ones are its past);
    3. ``none``: no full date at all.
    Only dates of ``REFERENCE_YEARS`` are candidates: ``Publié le 31 décembre 9999`` is not a stamp.
    """
    stamps = _page_stamps(text)
    published = [s for s in stamps if s.kind != "updated"]
    if published:
        stamp = published[0]
        return ReferenceDate(stamp.date, "in_text", f"{stamp.kind}: {stamp.evidence[:80]!r}")
    if stamps:
        stamp = max(stamps, key=lambda s: s.date)
        return ReferenceDate(stamp.date, "in_text", f"updated: {stamp.evidence[:80]!r}")
    dates = [(date, surface) for date, surface in _dates_in(text) if date.year in REFERENCE_YEARS]
    if dates:
        date, surface = max(dates, key=lambda d: d[0])
        evidence = f"latest full date in the text ({len(dates)} found): {surface!r}"
        return ReferenceDate(date, "inferred", evidence)
    return ReferenceDate(None, "none", None)

"""Value normalisation: calendar arithmetic that turns an expression into an ISO value.

Pure ``datetime`` code, no spaCy and no patterns; a date outside ``VALUE_YEARS`` gives None (``shift``).
"""

from __future__ import annotations

import datetime as dt

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

from pipeline.temporal.vocabulary import MONTHS_ABBREV, MONTHS_FULL, NUMBER_WORDS, ROMAN, SEASONS

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

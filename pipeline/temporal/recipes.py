"""A relative expression's value from its recipe and a base day: the calendar arithmetic of each kind.

Detection writes what to compute (a :class:`Recipe`, plain data that travels as row columns); resolution
calls :func:`apply_recipe` with the reference date, an embedded post's date, or each candidate day of an
undated article, without the parse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from pipeline.temporal.normalise import (
    _iso,
    _iso_week,
    _month_value,
    _year_value,
    resolve_day_month,
    resolve_month,
    resolve_movable_holiday,
    resolve_offset,
    resolve_season,
    resolve_weekday,
    shift,
)
from pipeline.temporal.timex import Recipe

_Outcome = tuple[str | None, list[str]]  # the ISO value (None when it cannot be placed) and flags


def _day_month(r: Recipe, base: dt.date) -> _Outcome:
    date, flags = resolve_day_month(r.month, r.day, base, r.modifier, r.tense, r.weekday)
    return (date.isoformat() if date else None), flags


def _movable_holiday(r: Recipe, base: dt.date) -> _Outcome:
    date = resolve_movable_holiday(r.amount, base, r.modifier, r.tense)
    return (date.isoformat() if date else None), []


def _season(r: Recipe, base: dt.date) -> _Outcome:
    value = resolve_season(r.season, base, r.modifier)
    return (value[:4] if value else None), []


_KINDS: dict[str, Callable[[Recipe, dt.date], _Outcome]] = {
    "day_month": _day_month,  # ``le 20 décembre``, ``Noël dernier``, ``du 12 au 15 mars``
    "month": lambda r, base: (resolve_month(r.month, base, r.modifier, r.tense), []),  # ``en mai``
    "movable_holiday": _movable_holiday,  # ``à Pâques``: ``amount`` days after Easter
    "season": _season,  # ``cet été``
    "day_shift": lambda r, base: (_iso(shift(base, days=r.amount)), []),  # ``hier``, ``ce soir``
    "weekday": lambda r, base: (_iso(resolve_weekday(r.weekday, base, r.modifier, r.tense)), []),
    # ``ce week-end``: the week of the weekend's Saturday, by the tense
    "weekend_of": lambda r, base: (_iso_week(resolve_weekday(r.weekday, base, None, r.tense)), []),
    "week_shift": lambda r, base: (_iso_week(shift(base, days=7 * r.amount)), []),  # ``la semaine dernière``
    "month_shift": lambda r, base: (_month_value(base, r.amount), []),  # ``le mois prochain``
    "year_shift": lambda r, base: (_year_value(base.year + r.amount), []),  # ``l'an dernier``
    "offset": lambda r, base: (resolve_offset(r.amount, r.unit, base, 1)[0], []),  # ``il y a huit ans``
}
RECIPE_KINDS = frozenset(_KINDS)


def apply_recipe(recipe: Recipe, base: dt.date) -> _Outcome:
    """The value of an expression of ``recipe`` said on ``base``, and the flags the calculation adds."""
    return _KINDS[recipe.kind](recipe, base)

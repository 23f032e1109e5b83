"""Builders: what each rule makes of one match (a ``Timex``, absolute or with its recipe), and the
context filters a match must pass (counts, titles, names)."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator

from dateutil.easter import easter

from pipeline.temporal.event_offsets import (
    _NOT_EVENT_NOUNS,
    _OFFSET_GRANULARITY,
    EventOffset,
    _offset_unit,
    event_offset,
)
from pipeline.temporal.normalise import (
    VALUE_YEARS,
    _day_number,
    _iso,
    _month_number,
    _number,
    _roman,
    _safe_date,
    shift,
)
from pipeline.temporal.tense import _tense_at
from pipeline.temporal.timex import Context, Recipe, Timex
from pipeline.temporal.vocabulary import (
    _DAYPART_PHRASE,
    _YEAR_RE,
    EVENT_ANCHORED,
    HOLIDAYS,
    MONTHS_FULL,
    MOVABLE_HOLIDAYS,
    ORDINAL_QUARTERS,
    SEASONS,
    WEEKDAYS,
    _rx,
)


def _relative(match: re.Match[str], granularity: str, recipe: Recipe,
              start: int | None = None, end: int | None = None, flags: list[str] | None = None) -> Timex:
    return Timex(match.start() if start is None else start, match.end() if end is None else end, None,
                 granularity, "relative", anchor_needed=True, recipe=recipe, flags=flags or [])


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
        yield _relative(match, "month", Recipe("month", month=month, tense=_tense_at(ctx, start, end)),
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
    yield _relative(match, "day", Recipe("day_month", month=month, day=day, tense=_tense_at(ctx, start, end)),
                    start, end)


def _build_day_month(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    month = _month_number(match["month"])
    day = _day_number(match["day"])
    weekday = WEEKDAYS[match["wd"].lower()] if match["wd"] else None
    modifier = (match["mod"] or "").lower() or None
    tense = _tense_at(ctx, match.start(), match.end())
    timex = _relative(match, "day", Recipe("day_month", month=month, day=day, weekday=weekday,
                                           modifier=modifier, tense=tense))
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
    yield _relative(match, "day", Recipe("movable_holiday", amount=offset, modifier=modifier, tense=tense))


def _build_holiday(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    month, day = HOLIDAYS[match["name"].lower()]
    if match["year"]:
        yield Timex(match.start(), match.end(), _iso(_safe_date(int(match["year"]), month, day)), "day",
                    "absolute")
        return
    modifier = (match["mod"] or "").lower() or None
    tense = _tense_at(ctx, match.start(), match.end())
    yield _relative(match, "day", Recipe("day_month", month=month, day=day, modifier=modifier, tense=tense))


def _build_month_year(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    month = _month_number(match["month"])
    if month is not None and int(match["year"]) in VALUE_YEARS:
        yield Timex(match.start(), match.end(), f"{int(match['year']):04d}-{month:02d}", "month", "absolute")


def _build_month(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    month = MONTHS_FULL[match["month"].lower()]
    modifier = (match["mod"] or "").lower() or None
    tense = _tense_at(ctx, match.start(), match.end())
    yield _relative(match, "month", Recipe("month", month=month, modifier=modifier, tense=tense))


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
    yield _relative(match, "month", Recipe("month", month=month, tense=tense))


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
    yield _relative(match, "year", Recipe("season", season=season, modifier=modifier),
                    flags=[f"season_{code}"])


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
    yield _relative(match, "day", Recipe("day_shift", amount=_DAY_OFFSETS[match["word"].lower()]))


def _build_part_of_today(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``ce matin``, ``ce soir``, ``cette nuit``: the reference day; ``la nuit dernière``: the day before."""
    offset = -1 if "derni" in match.group(0).lower() else 0
    yield _relative(match, "day", Recipe("day_shift", amount=offset))


def _build_night_of(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``dans la nuit de jeudi à vendredi``: the night is dated by its first day."""
    weekday = WEEKDAYS[match["wd"].lower()]
    tense = _tense_at(ctx, match.start(), match.end())
    yield _relative(match, "day", Recipe("weekday", weekday=weekday, tense=tense))


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
    yield _relative(match, "day", Recipe("weekday", weekday=weekday, modifier=modifier, tense=tense))


def _build_week(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    phrase = match.group(0).lower()
    weeks = -1 if ("derni" in phrase or "passé" in phrase) else 1 if "prochain" in phrase else 0
    if weeks == 0 and ("week" in phrase or phrase.endswith("fin de semaine")):
        # ``ce week-end`` said on a Monday is the one just past: the weekend's Saturday, by the tense
        tense = _tense_at(ctx, match.start(), match.end())
        yield _relative(match, "week", Recipe("weekend_of", weekday=5, tense=tense))
        return
    yield _relative(match, "week", Recipe("week_shift", amount=weeks))


def _build_month_deictic(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    phrase = match.group(0).lower()
    months = -1 if ("derni" in phrase or "passé" in phrase) else 1 if "prochain" in phrase else 0
    yield _relative(match, "month", Recipe("month_shift", amount=months))


def _build_year_deictic(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    phrase = match.group(0).lower()
    years = -1 if ("derni" in phrase or "passé" in phrase) else 1 if "prochain" in phrase else 0
    yield _relative(match, "year", Recipe("year_shift", amount=years))


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
    if unit_word.startswith("heure"):  # ``il y a 48 heures``: the day it falls on
        amount, unit = amount // 24, "jour"
    yield _relative(match, granularity, Recipe("offset", amount=sign * amount, unit=unit))


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


def _build_this_part(match: re.Match[str], ctx: Context) -> Iterator[Timex]:
    """``en début d'année``, ``cette année``-like phrases without a shift: the reference year."""
    yield _relative(match, "year", Recipe("year_shift", amount=0))


def _inside_name(ctx: Context, start: int, end: int) -> bool:
    """A weekday word inside a person/organisation name of several words (``Vendredi Lefèvre``).

    Entities do not overlap: the only one that can hold the word is the last one starting at or before it.
    """
    index = bisect_right(ctx.name_starts, start) - 1
    if index < 0 or end > ctx.names[index].end_char:
        return False
    others = [t for t in ctx.names[index] if t.idx < start or t.idx >= end]
    return any(t.is_alpha and t.text[:1].isupper() and t.lower_ not in MONTHS_FULL for t in others)

"""The rule table: one pattern per expression family with its builder, and the cheap hints that skip
a rule on paragraphs it cannot match."""

from __future__ import annotations

import re

from pipeline.temporal.builders import (
    _build_anaphoric,
    _build_anaphoric_offset,
    _build_bare_month,
    _build_bare_year,
    _build_century,
    _build_day_month,
    _build_day_of_month,
    _build_decade,
    _build_deictic_day,
    _build_event_offset,
    _build_full_date,
    _build_holiday,
    _build_month,
    _build_month_deictic,
    _build_month_range,
    _build_month_year,
    _build_movable_holiday,
    _build_night_of,
    _build_night_range,
    _build_numeric_date,
    _build_offset,
    _build_part_of_today,
    _build_quarter,
    _build_range_first_day,
    _build_season,
    _build_season_year,
    _build_short_year,
    _build_short_year_date,
    _build_this_part,
    _build_week,
    _build_weekday,
    _build_year,
    _build_year_before_after,
    _build_year_deictic,
    _build_year_range,
)
from pipeline.temporal.event_offsets import _EVENT_OFFSET
from pipeline.temporal.timex import Rule
from pipeline.temporal.vocabulary import (
    _CLOCK_RE,
    _DAY_RE,
    _DAYPART_PHRASE,
    _MONTH_ANY_RE,
    _MONTH_FULL_RE,
    _NOT_A_YEAR_AFTER,
    _NUMBER_RE,
    _TIME_SUFFIX,
    _WEEKDAY_RE,
    _YEAR_RE,
    WEEKDAYS,
    _rx,
)

# A day number alone, closed by punctuation or ``et le``: ``ouvert le 10 mars, il doit durer jusqu'au 28.``
# (not a street number: ``au 28, rue des Lilas``).
_DAY_OF_MONTH_END = (r"(?=\s*(?:[,.;:)]|$)(?!\s*,?\s*(?:rue|avenue|boulevard|bd|place|quai|chemin)\b)"
                     r"|\s+et\s+le\s)")


_B = r"(?<![\w-])"  # left word boundary that also refuses a hyphen (``mi-mai`` is matched as a whole)
_E = r"(?![\w])"


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

"""The reference date of a document found in its own text: publication stamps, datelines, page header
timestamps, else the latest full date it writes out."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from pipeline.temporal.normalise import REFERENCE_YEARS, _day_number, _month_number, _safe_date
from pipeline.temporal.rules import _RULES
from pipeline.temporal.timex import ReferenceDate
from pipeline.temporal.vocabulary import _WEEKDAY_RE, _rx

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

"""Resolution of one article's detected expressions, without its parse: values in reading order
(reference date, anaphora, a post's date, a year stated earlier in the sentence, an event's date given by
the text). Pure functions over :class:`Timex` records rebuilt from the detected rows (``export.py``); the
parse facts they need were read by the detector (``component.py``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from pipeline.temporal.normalise import _iso, _safe_date, _year_value, shift
from pipeline.temporal.recipes import apply_recipe
from pipeline.temporal.timex import Timex
from pipeline.temporal.vocabulary import ANCHOR_REFERENCE, EVENT_ANCHORED


@dataclass
class _Resolved:
    paragraph: int | None  # index of the paragraph in the article
    timex: Timex
    timex_id: str = ""
    row: dict = field(default_factory=dict)  # the detected row it comes from (offsets, text, ids)


@dataclass(frozen=True)
class ArticleTimexes:
    """One article's detected expressions, per paragraph (index -> its expressions, every paragraph up to
    the last that holds one or signs a post), and the embedded posts (line -> signature paragraph)."""

    doc_id: str
    by_paragraph: tuple[tuple[_Resolved, ...], ...]
    posts: dict[int, int]

    def fresh(self) -> list[list[_Resolved]]:
        """Copies to resolve once (resolution writes values, anchors and flags into them)."""
        return [[_Resolved(r.paragraph, replace(r.timex, flags=list(r.timex.flags)), r.timex_id, r.row)
                 for r in items] for items in self.by_paragraph]


def resolve_article(article: ArticleTimexes, reference: dt.date | None) -> list[_Resolved]:
    """The article's expressions resolved against ``reference`` (dropped anaphora left out)."""
    return _resolve_all(article.fresh(), article.posts, reference)


def values_at(article: ArticleTimexes, reference: dt.date) -> dict[str, tuple[str | None, str]]:
    """``timex_id -> (value, granularity)`` of the article's expressions if it spoke from ``reference``:
    what dating an article from the corpus tries on each candidate day."""
    return {r.timex_id: (r.timex.value, r.timex.granularity) for r in resolve_article(article, reference)}


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
        offset = item.timex.offset  # read from the phrase by the detector
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
    never the noun inside the event-anchored ``phrase`` itself. The detector listed the words to look at
    (``event_words``)."""
    same_paragraph = phrase.paragraph == day.paragraph
    return any(word in (noun, noun + "s")
               and not (same_paragraph and phrase.timex.start <= at < phrase.timex.end)
               for word, at in day.timex.event_words)


def _take_year_from_sentence(item: _Resolved, year: _Resolved | None) -> None:
    """``L'an dernier, ... il a fermé le 20 décembre``: a yearless date takes the year stated earlier in
    its sentence rather than the one nearest the reference date.

    ``year``: the latest valued year-level expression before ``item`` in its paragraph.
    """
    if item.timex.month_day is None or item.timex.value is None or year is None:
        return
    sentence_start = item.timex.sentence_start  # read by the detector
    if sentence_start is None or year.timex.start < sentence_start:
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
    if not timex.anchor_needed or timex.recipe is None:
        return
    if post is not None and post is not item and post.timex.value:
        base, anchor = dt.date.fromisoformat(post.timex.value), post.timex_id
    elif reference is not None:
        base, anchor = reference, ANCHOR_REFERENCE
    else:
        timex.flags.append("no_reference_date")
        return
    value, flags = apply_recipe(timex.recipe, base)
    timex.value, timex.anchor = value, anchor
    timex.flags.extend(flags)

"""The structures of the temporal stage: a detected expression, what detecting it may look at, a rule,
and the reference date of a document."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from spacy.tokens import Doc, Span

from pipeline.temporal.event_offsets import EventOffset


class Recipe(NamedTuple):
    """How an expression's value is computed from a base day (the reference date or a post's date): the
    kind of calculation and its arguments, as data, so that it survives as row columns (see
    :func:`pipeline.temporal.recipes.apply_recipe` for each kind)."""

    kind: str  # day_month | month | movable_holiday | season | day_shift | weekday | weekend_of | week_shift
    #            | month_shift | year_shift | offset
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    modifier: str | None = None
    tense: str | None = None
    amount: int | None = None  # signed
    unit: str | None = None
    season: str | None = None


class ReferenceDate(NamedTuple):
    date: dt.date | None
    basis: str  # "in_text" | "inferred" | "none" (the sidecar case is decided by ingest)
    evidence: str | None


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
    # for "offset": ``deux jours plus tard`` is +2 days from the prior date; for an event-anchored expression
    # (flag ``event_anchored``), ``trois jours avant le scrutin``: -3 days from the event's date
    offset: EventOffset | None = None
    month_day: tuple[int, int] | None = None  # yearless ``20 décembre``: the sentence may give its year
    day_of_month: int | None = None  # ``jusqu'au 28`` (anaphoric ``day_of_month``): the prior date's month
    anchor_needed: bool = False  # resolved against the reference date (or an embedded post's date)
    recipe: Recipe | None = None  # how, when ``anchor_needed``
    # What resolution needs from the parse, read by the detector (``component.py``):
    sentence_start: int | None = None  # where the sentence of a yearless ``month_day`` date starts
    # a day expression's candidate event words: (lowercase, offset) of the tokens that name what it dates
    event_words: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Context:
    """What detecting one expression may look at (never the reference date: detection is done once and
    resolved against any reference date, see :func:`pipeline.temporal.resolve.values_at`)."""

    doc: Doc
    text: str  # ``doc.text``, which spaCy rebuilds from the tokens on every access
    # person and organisation names, by position (``doc.ents`` is rebuilt on every access too)
    names: tuple[Span, ...] = ()
    name_starts: tuple[int, ...] = ()

    @classmethod
    def of(cls, doc: Doc, text: str) -> Context:
        names = tuple(ent for ent in doc.ents if ent.label_ in ("PER", "ORG"))
        return cls(doc, text, names, tuple(ent.start_char for ent in names))


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: re.Pattern[str]
    build: Callable[[re.Match[str], Context], Iterator[Timex]]

"""Detected expressions as rows: what the ``timex_detector`` component found in an article's paragraphs,
exported once with its document offsets, ready to be resolved against any reference date without the
parse (``resolve.py``).

One row per expression, in reading order (``position``), with its id. The columns hold the detection's
decisions (granularity, kind, flags, anaphora), the recipe of a relative expression and the parse facts
the component read (``sentence_start``, ``event_words``); offsets ``start``/``end`` are the paragraph
doc's, as the parse facts are.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.detection import detect_in
from pipeline.model import DocumentParse
from pipeline.temporal.component import COMPONENT, found_in  # importing it registers the factory
from pipeline.temporal.event_offsets import EventOffset
from pipeline.temporal.posts import post_date_paragraphs
from pipeline.temporal.timex import Recipe, Timex

_RECIPE_SCHEMA = {"recipe": pl.Utf8, "recipe_month": pl.Int64, "recipe_day": pl.Int64,
                  "recipe_weekday": pl.Int64, "recipe_modifier": pl.Utf8, "recipe_tense": pl.Utf8,
                  "recipe_amount": pl.Int64, "recipe_unit": pl.Utf8, "recipe_season": pl.Utf8}
DETECTED_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.Utf8, "timex_id": pl.Utf8, "position": pl.Int64,
    "paragraph": pl.Int64,  # index of the paragraph in the article
    "paragraph_id": pl.Utf8, "start": pl.Int64, "end": pl.Int64,
    "doc_char_start": pl.Int64, "doc_char_end": pl.Int64, "text": pl.Utf8,
    "value": pl.Utf8, "granularity": pl.Utf8, "kind": pl.Utf8, "flags": pl.List(pl.Utf8),
    "anaphoric": pl.Utf8, "offset_noun": pl.Utf8, "offset_amount": pl.Int64, "offset_unit": pl.Utf8,
    "month_day_month": pl.Int64, "month_day_day": pl.Int64, "day_of_month": pl.Int64,
    "anchor_needed": pl.Boolean, **_RECIPE_SCHEMA,
    "sentence_start": pl.Int64, "event_words": pl.List(pl.Utf8), "event_word_starts": pl.List(pl.Int64),
    "post_owner": pl.Int64,  # index of the signature paragraph of the embedded post the line belongs to
}


def empty_detected() -> pl.DataFrame:
    return pl.DataFrame(schema=DETECTED_SCHEMA)


def detect_temporal_expressions(parses: Iterable[DocumentParse]) -> pl.DataFrame:
    """The detected rows of every article (run the component, then export)."""
    rows = [row for parse in parses for row in detected_rows(detect_in(parse, COMPONENT))]
    return pl.DataFrame(rows, schema=DETECTED_SCHEMA, orient="row") if rows else empty_detected()


def detected_rows(parse: DocumentParse) -> list[tuple]:
    """One article's rows (in :data:`DETECTED_SCHEMA` order), from ``doc.spans["timex"]`` of its
    paragraphs (the component must have run)."""
    posts = post_date_paragraphs(parse.paragraphs)
    rows = []
    for index, para in enumerate(parse.paragraphs):
        for timex in found_in(para.doc):
            start, end = para.doc_span(timex.start, timex.end)
            position = len(rows)
            rows.append((parse.doc_id, f"{parse.doc_id}:t{position:03d}", position, index, para.paragraph_id,
                         timex.start, timex.end, start, end, parse.text[start:end], *_timex_columns(timex),
                         posts.get(index)))
    return rows


def _timex_columns(timex: Timex) -> tuple:
    """The columns of one expression, from ``value`` to ``event_word_starts``."""
    offset = timex.offset or EventOffset(None, None, None)
    month, day = timex.month_day or (None, None)
    recipe = tuple(timex.recipe) if timex.recipe is not None else (None,) * len(_RECIPE_SCHEMA)
    words = [word for word, _ in timex.event_words]
    starts = [at for _, at in timex.event_words]
    return (timex.value, timex.granularity, timex.kind, list(timex.flags), timex.anaphoric, *offset, month,
            day, timex.day_of_month, timex.anchor_needed, *recipe, timex.sentence_start, words, starts)


def timex_of(row: dict) -> Timex:
    """The expression of one detected row (a fresh object: resolution fills in its value and anchor)."""
    offset = (EventOffset(row["offset_noun"], row["offset_amount"], row["offset_unit"])
              if row["offset_amount"] is not None else None)
    recipe = (Recipe(*(row[column] for column in _RECIPE_SCHEMA)) if row["recipe"] is not None else None)
    month_day = (row["month_day_month"], row["month_day_day"]) if row["month_day_month"] is not None else None
    return Timex(row["start"], row["end"], row["value"], row["granularity"], row["kind"],
                 flags=list(row["flags"]), anaphoric=row["anaphoric"], offset=offset, month_day=month_day,
                 day_of_month=row["day_of_month"], anchor_needed=row["anchor_needed"], recipe=recipe,
                 sentence_start=row["sentence_start"],
                 event_words=tuple(zip(row["event_words"], row["event_word_starts"], strict=True)))

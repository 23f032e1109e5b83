"""``temporal_expressions`` rows: detected rows (``export.py``) resolved against each article's reference
date (``resolve.py``), with no parse in between."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from pipeline.model import DocumentParse
from pipeline.schemas import empty_frame
from pipeline.temporal.export import DETECTED_SCHEMA, detect_temporal_expressions, timex_of
from pipeline.temporal.resolve import ArticleTimexes, _Resolved, resolve_article
from pipeline.temporal.vocabulary import FLAGS_SEPARATOR


def extract_temporal_expressions(parses: Iterable[DocumentParse]) -> pl.DataFrame:
    """``temporal_expressions`` rows for every document: detect (the component), export, resolve."""
    references: dict[str, dt.date | None] = {}

    def noting(parses: Iterable[DocumentParse]) -> Iterable[DocumentParse]:
        for parse in parses:
            references[parse.doc_id] = parse.reference_date
            yield parse

    detected = detect_temporal_expressions(noting(parses))
    return resolve_temporal_expressions(detected, references)


def resolve_temporal_expressions(detected: pl.DataFrame, references: dict[str, dt.date | None]
                                 ) -> pl.DataFrame:
    """``temporal_expressions`` rows of the detected rows, each article resolved against its reference
    date (``references``: doc_id -> date; an article missing from it has none)."""
    rows = [_output_row(item) for article in articles_of(detected)
            for item in resolve_article(article, references.get(article.doc_id))]
    empty = empty_frame("temporal_expressions")
    return pl.DataFrame(rows, schema=empty.schema, orient="row") if rows else empty


def articles_of(detected: pl.DataFrame) -> list[ArticleTimexes]:
    """The detected rows as one :class:`ArticleTimexes` per article, in the order articles first appear."""
    by_doc: dict[str, list[dict]] = {}
    for row in detected.select(DETECTED_SCHEMA.keys()).iter_rows(named=True):
        by_doc.setdefault(row["doc_id"], []).append(row)
    return [_article(doc_id, sorted(rows, key=lambda row: row["position"]))
            for doc_id, rows in by_doc.items()]


def _article(doc_id: str, rows: list[dict]) -> ArticleTimexes:
    owners = [row["post_owner"] for row in rows if row["post_owner"] is not None]
    size = max([row["paragraph"] for row in rows] + owners) + 1  # a post's signature may hold none
    by_paragraph: list[list[_Resolved]] = [[] for _ in range(size)]
    for row in rows:
        item = _Resolved(row["paragraph"], timex_of(row), row["timex_id"], row)
        by_paragraph[row["paragraph"]].append(item)
    posts = {row["paragraph"]: row["post_owner"] for row in rows if row["post_owner"] is not None}
    return ArticleTimexes(doc_id, tuple(tuple(items) for items in by_paragraph), posts)


def _output_row(item: _Resolved) -> tuple:
    """One ``temporal_expressions`` row, in the table's column order."""
    row, timex = item.row, item.timex
    return (row["doc_id"], row["doc_char_start"], row["doc_char_end"], item.timex_id, row["paragraph_id"],
            row["text"], timex.value, timex.granularity, timex.kind, timex.anchor,
            FLAGS_SEPARATOR.join(dict.fromkeys(timex.flags)) or None)

"""Quotations and the quoted text that is not one, published side by side so the filter can be audited.

``pipeline.quotes`` drops what sits in quotation marks without being somebody's words (titles of works,
product names, terms, translations, teasers, posts, repeats) and says why. The per-article stage machinery
caches one frame per article, so both travel in one frame, told apart by :data:`DROPPED_REASON`, and are split
again before publishing (``quotes`` and ``dropped_quotations``).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.model import DocumentParse
from pipeline.quotes import extract_quotes_audited
from pipeline.schemas import empty_frame

DROPPED_REASON = "dropped_reason"  # null on a quotation, the reason on a dropped one
DROPPED_COLUMNS = ("doc_id", "doc_char_start", "doc_char_end", "text")


def empty_quotes_and_drops() -> pl.DataFrame:
    """The columns of ``quotes`` plus :data:`DROPPED_REASON`, with no rows."""
    return empty_frame("quotes").with_columns(pl.lit(None, dtype=pl.Utf8).alias(DROPPED_REASON))


def extract_quotes_and_drops(parses: Iterable[DocumentParse], entity_mentions: pl.DataFrame,
                             entities: pl.DataFrame) -> pl.DataFrame:
    """``quotes`` rows, then one row per dropped quotation (only its span, text and reason filled)."""
    kept, dropped = extract_quotes_audited(parses, entity_mentions, entities)
    empty = empty_quotes_and_drops()
    drops = dropped.select(*DROPPED_COLUMNS, pl.col("reason").alias(DROPPED_REASON))
    return pl.concat(
        [kept.with_columns(pl.lit(None, dtype=pl.Utf8).alias(DROPPED_REASON)), drops], how="diagonal"
    ).select(empty.columns).cast(empty.schema)


def split_quotes_and_drops(rows: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(``quotes``, ``dropped_quotations``) from the rows of :func:`extract_quotes_and_drops`."""
    is_drop = pl.col(DROPPED_REASON).is_not_null()
    quotes = rows.filter(~is_drop).drop(DROPPED_REASON).sort("quote_id")
    drops = (rows.filter(is_drop).select(*DROPPED_COLUMNS, pl.col(DROPPED_REASON).alias("reason"))
             .sort("doc_id", "doc_char_start"))
    return quotes, drops

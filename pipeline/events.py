"""STUB: dated events and the cross-article timeline (to be written)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.model import DocumentParse
from pipeline.schemas import empty_frame


def extract_dated_events(parses: Iterable[DocumentParse], temporal_expressions: pl.DataFrame,
                         entity_mentions: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """``dated_events`` rows for every document."""
    return empty_frame("dated_events")


def build_timeline(dated_events: pl.DataFrame, documents: pl.DataFrame) -> pl.DataFrame:
    """``timeline``: one row per real-world event, merged across articles."""
    return empty_frame("timeline")

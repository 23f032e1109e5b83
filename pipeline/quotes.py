"""STUB: quotations and their speakers (to be written)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.model import DocumentParse
from pipeline.schemas import empty_frame


def extract_quotes(parses: Iterable[DocumentParse], entity_mentions: pl.DataFrame,
                   entities: pl.DataFrame) -> pl.DataFrame:
    """``quotes`` rows for every document."""
    return empty_frame("quotes")

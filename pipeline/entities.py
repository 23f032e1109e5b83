"""STUB: entity mentions and canonical entities (to be written)."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.model import DocumentParse
from pipeline.schemas import empty_frame


def build_entities(parses: Iterable[DocumentParse]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``entity_mentions`` and ``entities`` tables for the corpus."""
    return empty_frame("entity_mentions"), empty_frame("entities")

"""STUB: temporal expressions and the reference date of a document (to be written)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

import polars as pl

from pipeline.model import DocumentParse
from pipeline.schemas import empty_frame


class ReferenceDate(NamedTuple):
    date: dt.date | None
    basis: str  # "in_text" | "inferred" | "none" (the sidecar case is decided by ingest)
    evidence: str | None


def reference_date_from_text(text: str) -> ReferenceDate:
    """The date an article speaks from, found in its own text."""
    return ReferenceDate(None, "none", None)


def extract_temporal_expressions(parses: Iterable[DocumentParse]) -> pl.DataFrame:
    """``temporal_expressions`` rows for every document."""
    return empty_frame("temporal_expressions")

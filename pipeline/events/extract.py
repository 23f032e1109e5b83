"""Entry point: the ``dated_events`` rows of every document, detected in its paragraphs
(``event_detector``), exported once to candidate rows, and resolved against its expressions' values and
its entity mentions."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.events.candidates import candidates_and_references
from pipeline.events.resolve import resolve_events
from pipeline.model import DocumentParse


def extract_dated_events(parses: Iterable[DocumentParse], temporal_expressions: pl.DataFrame,
                         entity_mentions: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """``dated_events`` rows for every document: detect, export, resolve."""
    candidates, references = candidates_and_references(parses, temporal_expressions)
    return resolve_events(candidates, temporal_expressions, entity_mentions, entities, references)

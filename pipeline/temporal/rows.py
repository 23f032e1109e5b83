"""``temporal_expressions`` rows: resolved expressions with their document offsets."""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.model import DocumentParse
from pipeline.schemas import empty_frame
from pipeline.temporal.resolve import _resolve_document
from pipeline.temporal.vocabulary import FLAGS_SEPARATOR


def extract_temporal_expressions(parses: Iterable[DocumentParse]) -> pl.DataFrame:
    """``temporal_expressions`` rows for every document."""
    rows = []
    for parse in parses:
        for item in _resolve_document(parse):
            start, end = item.paragraph.doc_span(item.timex.start, item.timex.end)
            rows.append({
                "doc_id": parse.doc_id, "doc_char_start": start, "doc_char_end": end,
                "timex_id": item.timex_id, "paragraph_id": item.paragraph.paragraph_id,
                "text": parse.text[start:end], "value": item.timex.value,
                "granularity": item.timex.granularity, "kind": item.timex.kind, "anchor": item.timex.anchor,
                "flags": FLAGS_SEPARATOR.join(dict.fromkeys(item.timex.flags)) or None,
            })
    empty = empty_frame("temporal_expressions")
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty

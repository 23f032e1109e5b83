"""documents -> paragraphs: split into paragraphs, drop boilerplate, normalise characters 1:1.

FIRST VERSION (to be replaced by the boilerplate rules): one paragraph per non-empty line.
"""

from __future__ import annotations

import re

import polars as pl

from pipeline.schemas import empty_frame

# Same-length substitutions only, so paragraph offsets map 1:1 onto documents.text.
_CHAR_MAP = str.maketrans({
    "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " ",
    "\t": " ", "\n": " ", "\r": " ",
})


def normalise_chars(text: str) -> str:
    """Typographic apostrophes -> ', non-breaking spaces and line breaks -> space; length unchanged."""
    return text.translate(_CHAR_MAP)


def split_document(doc_id: str, text: str) -> tuple[list[dict], list[dict]]:
    """Paragraph rows and boilerplate rows of one document (offsets into ``text``)."""
    paragraphs: list[dict] = []
    for match in re.finditer(r"[^\n]+", text):
        start, end = _strip_span(text, match.start(), match.end())
        if start >= end:
            continue
        index = len(paragraphs)
        paragraphs.append({
            "doc_id": doc_id, "doc_char_start": start, "doc_char_end": end,
            "paragraph_id": f"{doc_id}:{index:04d}", "paragraph_index": index,
            "text": normalise_chars(text[start:end]), "is_heading": False,
        })
    return paragraphs, []


def _strip_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def split_paragraphs(documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``paragraphs`` and ``boilerplate`` tables for every document."""
    paras: list[dict] = []
    boiler: list[dict] = []
    for row in documents.select("doc_id", "text").iter_rows(named=True):
        p, b = split_document(row["doc_id"], row["text"])
        paras.extend(p)
        boiler.extend(b)
    return _frame("paragraphs", paras), _frame("boilerplate", boiler)


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    empty = empty_frame(table)
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty

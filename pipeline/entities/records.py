"""The records passed between the entity steps: a cleaned :class:`Mention`, a :class:`_Candidate` being
built inside one paragraph, and the mentions as cacheable rows.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import polars as pl


@dataclass(frozen=True)
class Mention:
    """One cleaned mention of a named entity, with the evidence its context gives about its label."""

    mention_id: str
    doc_id: str
    paragraph_id: str
    doc_char_start: int
    doc_char_end: int
    text: str  # exact slice of documents.text
    form: str  # same span in the paragraph's normalised characters (apostrophes, spaces)
    ner_label: str  # spaCy's label, "" for mentions found by rule (handles, signatures)
    votes: tuple[tuple[str, float], ...]  # label -> weight, from spaCy and from the context
    local_key: str  # canonical key inside the article


@dataclass
class _Candidate:
    """A mention being built inside one paragraph (paragraph-relative offsets)."""

    start: int
    end: int
    ner_label: str
    votes: Counter
    is_handle: bool = False

    def form(self, text: str) -> str:
        return text[self.start:self.end]


MENTION_ROW_SCHEMA = {
    "mention_id": pl.Utf8, "doc_id": pl.Utf8, "paragraph_id": pl.Utf8, "doc_char_start": pl.Int64,
    "doc_char_end": pl.Int64, "text": pl.Utf8, "form": pl.Utf8, "ner_label": pl.Utf8, "votes": pl.Utf8,
    "local_key": pl.Utf8,
}


def mentions_frame(mentions: Iterable[Mention]) -> pl.DataFrame:
    """Per-document mentions as rows (votes as JSON), the form the stage cache stores."""
    rows = [{**m.__dict__, "votes": json.dumps(m.votes)} for m in mentions]
    return pl.DataFrame(rows, schema=MENTION_ROW_SCHEMA)

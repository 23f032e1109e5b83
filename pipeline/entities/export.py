"""What ``entity_detector`` wrote on an article's paragraph docs, exported once to rows.

Two frames, in reading order, for :mod:`pipeline.entities.resolve` (which reads no doc):

- candidates (:data:`CANDIDATE_SCHEMA`): one row per detected mention, with its paragraph offsets, its
  ``form`` (the parsed characters), its ``text`` (the exact slice of ``documents.text``) and
  ``doc_offsets``, the document offset of each character of ``form``: the article-level steps narrow
  some mentions ("La France" -> "France", a glued name cut in two) and map the new bounds through it, the
  way :meth:`ParsedParagraph.doc_span` would (a run of spaces collapsed inside a name shifts them);
- paragraphs (:data:`PARAGRAPH_SCHEMA`): each paragraph's parsed text (the context of its mentions) and
  the two paragraph facts the article-level filters read.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.entities.component import mention_attributes, votes_json
from pipeline.model import DocumentParse, ParsedParagraph

CANDIDATE_SCHEMA = {
    "doc_id": pl.Utf8, "paragraph_id": pl.Utf8, "start": pl.Int64, "end": pl.Int64, "form": pl.Utf8,
    "text": pl.Utf8, "doc_offsets": pl.List(pl.Int64), "ner_label": pl.Utf8, "votes": pl.Utf8,
    "is_handle": pl.Boolean,
}
PARAGRAPH_SCHEMA = {
    "doc_id": pl.Utf8, "paragraph_id": pl.Utf8, "text": pl.Utf8, "lower_words": pl.List(pl.Utf8),
    "common_initialisms": pl.List(pl.Utf8),
}


def export_rows(parses: Iterable[DocumentParse]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(candidates, paragraphs) of articles whose paragraph docs went through ``entity_detector``."""
    candidates: list[dict] = []
    paragraphs: list[dict] = []
    for parse in parses:
        for paragraph in parse.paragraphs:
            facts = paragraph.doc._
            candidates.extend(_candidate_rows(parse, paragraph))
            paragraphs.append({
                "doc_id": parse.doc_id, "paragraph_id": paragraph.paragraph_id, "text": paragraph.text,
                "lower_words": facts.entity_lower_words,
                "common_initialisms": facts.entity_common_initialisms,
            })
    return (pl.DataFrame(candidates, schema=CANDIDATE_SCHEMA),
            pl.DataFrame(paragraphs, schema=PARAGRAPH_SCHEMA))


def _candidate_rows(parse: DocumentParse, paragraph: ParsedParagraph) -> Iterable[dict]:
    text = paragraph.text
    for span, (start, end), votes, is_handle in mention_attributes(paragraph.doc):
        doc_start, doc_end = paragraph.doc_span(start, end)
        yield {
            "doc_id": parse.doc_id, "paragraph_id": paragraph.paragraph_id, "start": start, "end": end,
            "form": text[start:end], "text": parse.text[doc_start:doc_end],
            "doc_offsets": [paragraph.doc_offset(i) for i in range(start, end)], "ner_label": span.label_,
            "votes": votes_json(votes), "is_handle": is_handle,
        }

"""Export: what ``event_detector`` wrote in the paragraphs of each article, once, as per-article rows
(``CANDIDATE_SCHEMA``) with document offsets. The rows hold no value of any expression: they stay right
when an article's values change (an event-anchored expression resolved, an undated article dated from the
corpus), and ``resolve`` dates the events from them and the current values.

The rows' kinds and columns are in ``candidate_rows``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

import polars as pl

from pipeline.detection import detect_in
from pipeline.events.candidate_rows import CANDIDATE_SCHEMA, DATE, HAPPENING, INHERIT, RECENT_PAST, SIGNATURE
from pipeline.events.component import (
    COMPONENT,
    HAPPENINGS,
    RECENT,
    SENTENCES,
    SIGNATURES,
    TRIGGERS,
    TimexSpan,
)
from pipeline.model import DocumentParse, ParsedParagraph
from pipeline.temporal import post_date_paragraphs

_TimexRow = tuple[str, int, int]  # timex_id, doc start, doc end


def detect_event_candidates(parses: Iterable[DocumentParse],
                            temporal_expressions: pl.DataFrame) -> pl.DataFrame:
    """Candidate rows of every article: its paragraphs run through ``event_detector``, exported once.

    Only the expressions' ids and offsets are read from ``temporal_expressions``, never their values.
    """
    return candidates_and_references(parses, temporal_expressions)[0]


def candidates_and_references(parses: Iterable[DocumentParse], temporal_expressions: pl.DataFrame
                              ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The candidate rows, and each article's reference date as its parse carries it (``doc_id``,
    ``reference_date``): what :func:`resolve.resolve_events` needs besides the expressions and entities."""
    timexes = _timexes_by_paragraph(temporal_expressions)
    columns: dict[str, list] = {name: [] for name in CANDIDATE_SCHEMA}
    references: dict[str, list] = {"doc_id": [], "reference_date": []}
    for parse in parses:
        references["doc_id"].append(parse.doc_id)
        references["reference_date"].append(parse.reference_date)
        for para in parse.paragraphs:
            para.doc._.event_timexes = _local(timexes.get(para.paragraph_id, []), para)
            para.doc._.event_text = para.text  # cached on the paragraph: the detector need not rebuild it
        detect_in(parse, COMPONENT)
        for para in parse.paragraphs:
            para.doc._.event_text = None  # a doc kept for later stages does not keep a copy of its text
        for order, row in enumerate(_article_rows(parse)):
            for name, value in zip(CANDIDATE_SCHEMA, (parse.doc_id, order, *row), strict=True):
                columns[name].append(value)
    return (pl.DataFrame(columns, schema=CANDIDATE_SCHEMA),
            pl.DataFrame(references, schema={"doc_id": pl.Utf8, "reference_date": pl.Date}))


def _timexes_by_paragraph(temporal_expressions: pl.DataFrame) -> dict[str, list[_TimexRow]]:
    """paragraph_id -> its expressions in reading order (grouped once, not filtered per paragraph)."""
    grouped: dict[str, list[_TimexRow]] = {}
    ordered = temporal_expressions.sort("doc_id", "doc_char_start").select(
        "paragraph_id", "timex_id", "doc_char_start", "doc_char_end")
    for paragraph_id, *row in ordered.iter_rows():
        grouped.setdefault(paragraph_id, []).append(tuple(row))
    return grouped


def _local(rows: list[_TimexRow], para: ParsedParagraph) -> list[TimexSpan]:
    """The expressions with offsets in the paragraph's doc (``ParsedParagraph.local_offset``)."""
    out = []
    for timex_id, doc_start, doc_end in rows:
        start = para.local_offset(doc_start)
        out.append((timex_id, start, para.local_offset(doc_end - 1) + 1 if doc_end > doc_start else start))
    return out


def _article_rows(parse: DocumentParse) -> list[tuple]:
    """Rows of one article (every column after ``doc_id`` and ``order``), in the order the rules read them:
    paragraph by paragraph, sentence by sentence (dates, happenings, borrowed dates, recent past), then the
    paragraph's signature line."""
    owners = post_date_paragraphs(parse.paragraphs)
    rows: list[tuple] = []
    for position, para in enumerate(parse.paragraphs):
        owner = owners.get(position)
        rows.extend(_paragraph_rows(parse.text, para, position, owner if owner != position else None))
    return rows


def _paragraph_rows(text: str, para: ParsedParagraph, position: int, post_owner: int | None) -> list[tuple]:
    doc = para.doc
    sents = list(doc.spans[SENTENCES])
    starts = [sent.start for sent in sents]
    rank = {timex_id: n for n, (timex_id, _, _) in enumerate(doc._.event_timexes or [])}
    by_sentence: list[dict[str, list[tuple]]] = [{} for _ in sents]
    where: dict[int, tuple[int, int, str]] = {}  # sentence -> its document offsets and text

    def add(kind: str, span, n: int, timex_id: str | None, distance: int | None = None,
            sort_key: int = 0) -> None:
        sent = sents[n]
        if n not in where:
            start, end = para.doc_span(sent.start_char, sent.end_char)
            where[n] = (start, end, text[start:end])
        by_sentence[n].setdefault(kind, []).append((sort_key, (
            para.paragraph_id, position, post_owner, n, kind, span.start, span.label_,
            span._.event_trigger if kind != HAPPENING else span[0].lemma_.lower(), timex_id, distance,
            sent._.event_breaks_narrative if kind == INHERIT else None,
            [para.doc_offset(i) for i in span._.event_designators], *where[n])))

    for span in doc.spans[TRIGGERS]:
        n = bisect_right(starts, span.start) - 1
        if sents[n]._.event_has_timex:
            for timex_id, distance in span._.event_dates:
                add(DATE, span, n, timex_id, distance)
        elif span._.event_inheritable:
            add(INHERIT, span, n, None)
    for span in doc.spans[HAPPENINGS]:
        for timex_id in span._.event_happening_dates:
            add(HAPPENING, span, bisect_right(starts, span.start) - 1, timex_id, sort_key=rank[timex_id])
    for span in doc.spans[RECENT]:
        add(RECENT_PAST, span, bisect_right(starts, span.start) - 1, None)
    rows = [row for kinds in by_sentence for kind in (DATE, HAPPENING, INHERIT, RECENT_PAST)
            for _, row in sorted(kinds.get(kind, []), key=lambda item: item[0])]
    for line in doc.spans[SIGNATURES]:
        start, end = para.doc_span(line.start_char, line.end_char)
        designators = [para.doc_offset(i) for i in line._.event_designators]
        rows.extend((para.paragraph_id, position, post_owner, None, SIGNATURE, line.root.i, "statement",
                     "publier", timex_id, None, None, designators, start, end, text[start:end])
                    for timex_id in line._.event_signature_dates)
    return rows


"""Entry point: the ``dated_events`` rows of every document, from its paragraphs, its temporal
expressions and its entity mentions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from pipeline.events.paragraphs import _paragraph_events
from pipeline.events.participants import _antecedents, _mentions_by_doc, _participants
from pipeline.events.records import DatedTimex, _Event, _Signature
from pipeline.model import DocumentParse, ParsedParagraph
from pipeline.schemas import empty_frame
from pipeline.spans import SpanIndex
from pipeline.temporal import POST_SIGNATURE, post_date_paragraphs

_TimexRow = tuple[str, int, int, str | None, str]  # timex_id, doc start, doc end, value, granularity


def _timexes_by_paragraph(temporal_expressions: pl.DataFrame) -> dict[str, list[_TimexRow]]:
    """paragraph_id -> its expressions in reading order (grouped once, not filtered per paragraph)."""
    grouped: dict[str, list[_TimexRow]] = {}
    ordered = temporal_expressions.sort("doc_id", "doc_char_start").select(
        "paragraph_id", "timex_id", "doc_char_start", "doc_char_end", "value", "granularity")
    for paragraph_id, *row in ordered.iter_rows():
        grouped.setdefault(paragraph_id, []).append(tuple(row))
    return grouped


def _document_timexes(rows: list[_TimexRow],
                      para: ParsedParagraph) -> tuple[list[DatedTimex], list[tuple[int, int]]]:
    dated, spans = [], []
    for timex_id, doc_start, doc_end, value, granularity in rows:
        start = para.local_offset(doc_start)
        end = para.local_offset(doc_end - 1) + 1 if doc_end > doc_start else start
        spans.append((start, end))
        if value is not None:
            dated.append(DatedTimex(timex_id, start, end, value, granularity))
    return dated, spans


def _signature(para: ParsedParagraph, timexes: list[DatedTimex]) -> _Signature | None:
    """The signature of an embedded post in this paragraph, with the date it carries."""
    match = POST_SIGNATURE.search(para.text)
    if match is None:
        return None
    days = [t for t in timexes if t.granularity == "day" and match.start() <= t.start < match.end()]
    return _Signature(days[-1], match.start(), match.end()) if days else None


def _document_events(parse: DocumentParse, timexes: dict[str, list[_TimexRow]]) -> list[_Event]:
    owners = post_date_paragraphs(parse.paragraphs)
    per_paragraph = [_document_timexes(timexes.get(p.paragraph_id, []), p) for p in parse.paragraphs]
    signatures = [_signature(p, dated) for p, (dated, _) in zip(parse.paragraphs, per_paragraph, strict=True)]
    events: list[_Event] = []
    recent = _reference_month(parse.reference_date)
    for index, para in enumerate(parse.paragraphs):
        dated, spans = per_paragraph[index]
        owner = owners.get(index)
        post = signatures[owner] if owner is not None and owner != index else None
        events.extend(_paragraph_events(para, dated, spans, signatures[index], post.timex if post else None,
                                        recent))
    return events


def _reference_month(reference: dt.date | None) -> DatedTimex | None:
    """The month of the reference date, as the date of what the article says has just happened."""
    return None if reference is None else DatedTimex(None, 0, 0, reference.strftime("%Y-%m"), "month")


def extract_dated_events(parses: Iterable[DocumentParse], temporal_expressions: pl.DataFrame,
                         entity_mentions: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """``dated_events`` rows for every document."""
    mentions = _mentions_by_doc(entity_mentions, entities, temporal_expressions)
    organisations = set(entities.filter(pl.col("label") == "ORG")["entity_id"].to_list())
    timexes = _timexes_by_paragraph(temporal_expressions)
    rows = []
    for parse in parses:
        ordered = mentions.get(parse.doc_id, [])
        doc_mentions = SpanIndex(ordered, lambda m: (m[0], m[1]))
        n = 0
        for event in _document_events(parse, timexes):
            start, end = event.para.doc_span(event.sent.start_char, event.sent.end_char)
            names, ids = _participants(doc_mentions, start, end)
            for entity_id, name in _antecedents(event, ordered, organisations):
                if entity_id not in ids:
                    names.insert(0, name)
                    ids.insert(0, entity_id)
            if event.needs_participant and not names:
                continue
            n += 1
            rows.append({
                "doc_id": parse.doc_id, "doc_char_start": start, "doc_char_end": end,
                "event_id": f"{parse.doc_id}:e{n - 1:03d}", "paragraph_id": event.para.paragraph_id,
                "timex_id": event.timex.timex_id, "date_value": event.timex.value,
                "granularity": event.timex.granularity, "event_type": event.trigger.event_type,
                "trigger": event.trigger_lemma or event.trigger.name or event.trigger.token.lemma_.lower(),
                "participants": names, "participant_ids": ids, "sentence": parse.text[start:end],
            })
    empty = empty_frame("dated_events")
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty

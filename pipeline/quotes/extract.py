"""Entry point of the quotes stage: every article's quotations, posts and drops, with the entity stage's
mentions as candidate speakers.
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.model import DocumentParse
from pipeline.quotes.article import Article
from pipeline.quotes.attribute import _attribute
from pipeline.quotes.candidates import _person_candidates
from pipeline.quotes.export import detect_and_export
from pipeline.quotes.filters import _drop_reason, _governed_by_cue, _is_scare_quote
from pipeline.quotes.marks import _quote_text, stitch_quotations
from pipeline.quotes.posts import _find_posts
from pipeline.quotes.records import _Mention, _RawQuote
from pipeline.quotes.rows import _attribute_headlines, _dropped_row, _post_row, _quote_row
from pipeline.quotes.signatures import _signed_paragraphs
from pipeline.quotes.textutil import _norm
from pipeline.schemas import empty_frame


def extract_quotes(parses: Iterable[DocumentParse], entity_mentions: pl.DataFrame,
                   entities: pl.DataFrame) -> pl.DataFrame:
    """``quotes`` rows for every document."""
    return extract_quotes_audited(parses, entity_mentions, entities)[0]


DROPPED_SCHEMA = {"doc_id": pl.String, "doc_char_start": pl.Int64, "doc_char_end": pl.Int64,
                  "text": pl.String, "reason": pl.String}


def extract_quotes_audited(parses: Iterable[DocumentParse], entity_mentions: pl.DataFrame,
                           entities: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(``quotes`` rows, what was in quotation marks and dropped, with the reason): the drops can be
    audited ("title", "product", "term", "translation", "teaser", "post", "duplicate")."""
    names = _entity_names(entities)
    mentions_by_doc = _mentions_by_doc(entity_mentions, names)
    rows: list[dict] = []
    dropped: list[dict] = []
    for parse in parses:
        kept, drops = _document_quotes(parse, mentions_by_doc.get(parse.doc_id, []))
        rows.extend(kept)
        dropped.extend(drops)
    frame = pl.DataFrame(rows, schema=empty_frame("quotes").schema) if rows else empty_frame("quotes")
    return frame, pl.DataFrame(dropped, schema=DROPPED_SCHEMA)


def _entity_names(entities: pl.DataFrame) -> dict[str, tuple[str, str]]:
    """entity_id -> (canonical name, label); empty when the entity stage produced nothing."""
    if entities is None or entities.is_empty() or not {"entity_id", "name"} <= set(entities.columns):
        return {}
    labels = entities["label"] if "label" in entities.columns else [None] * entities.height
    rows = zip(entities["entity_id"], entities["name"], labels, strict=True)
    return {eid: (name, label or "") for eid, name, label in rows}


def _mentions_by_doc(entity_mentions: pl.DataFrame,
                     names: dict[str, tuple[str, str]]) -> dict[str, list[_Mention]]:
    needed = {"doc_id", "entity_id", "doc_char_start", "doc_char_end"}
    if entity_mentions is None or entity_mentions.is_empty() or not needed <= set(entity_mentions.columns):
        return {}
    out: dict[str, list[_Mention]] = {}
    for row in entity_mentions.iter_rows(named=True):
        name, label = names.get(row["entity_id"], (row.get("text") or "", row.get("label") or ""))
        label = label or row.get("label") or ""
        out.setdefault(row["doc_id"], []).append(
            _Mention(row["doc_char_start"], row["doc_char_end"], row["entity_id"], name, label))
    for mentions in out.values():
        mentions.sort(key=lambda m: m.start)
    return out


def _document_quotes(parse: DocumentParse, mentions: list[_Mention]) -> tuple[list[dict], list[dict]]:
    """(quote rows, dropped quotations with their reason) of one article."""
    if not parse.paragraphs:
        return [], []
    found = detect_and_export(parse)  # detection: the quote components over the paragraph docs
    doc = Article(found, mentions)
    raw_quotes = stitch_quotations(found.layout.texts, found.pieces_by_paragraph)
    raw_quotes = sorted(raw_quotes + _signed_paragraphs(doc, raw_quotes), key=lambda q: q.open_at)
    doc.set_quoted((doc.doc_off(q.open_at[0], q.open_at[1]),
                    doc.doc_end(*q.close_at) if q.close_at else doc.doc_end(q.last_para, q.pieces[-1][2]))
                   for q in raw_quotes)
    doc.persons = _person_candidates(doc)
    posts = _find_posts(found)
    rows: list[dict] = []
    dropped: list[dict] = []
    seen_texts: set[str] = set()
    for post in posts:
        rows.append(_post_row(doc, post))
        seen_texts.add(_norm(post.text))
    previous_drop: tuple[_RawQuote, str] | None = None
    named_things: dict[str, str] = {}  # titles and names dropped so far: quoted again, they are dropped again
    for quote in raw_quotes:
        text = _quote_text(found.layout, quote)
        reason = named_things.get(_norm(text)) or _drop_reason(doc, quote, text, posts, previous_drop)
        attribution = _attribute(doc, quote, text) if reason is None else None
        if attribution is not None and _is_scare_quote(text) and not _governed_by_cue(attribution):
            reason = "term"
        if reason in ("title", "product") or (reason in ("term", "translation") and len(text.split()) <= 3):
            named_things[_norm(text)] = reason
        key = _norm(text)
        if reason is None and key in seen_texts:
            reason = "duplicate"
        if reason is not None or attribution is None:
            dropped.append(_dropped_row(doc, quote, text, reason or "term"))
            previous_drop = (quote, reason or "term")
            continue
        previous_drop = None
        seen_texts.add(key)
        doc.attributed.append((quote, text, attribution))
        rows.append(_quote_row(doc, quote, text, attribution))
    _attribute_headlines(doc, rows)
    rows.sort(key=lambda r: r["doc_char_start"])
    for n, row in enumerate(rows):
        row["quote_id"] = f"{parse.doc_id}:q{n:03d}"
    return rows, dropped

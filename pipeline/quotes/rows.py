"""The rows of ``quotes`` and of the dropped quotations, and the speaker a heading takes from the passage
that quotes it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pipeline.quotes.article import Article
from pipeline.quotes.filters import _quote_kind
from pipeline.quotes.layout import ParagraphLayout
from pipeline.quotes.records import _CONFIDENCE, _Attribution, _Post, _RawQuote
from pipeline.quotes.textutil import _norm


def _attribute_headlines(doc: Article, rows: list[dict]) -> None:
    """A quotation used as a heading before the passage that quotes it takes that passage's speaker: a
    weakly attributed quotation whose words are part of a later, firmly attributed one."""
    for n, row in enumerate(rows):
        firm = row["confidence"] >= _CONFIDENCE["clause"]
        if row["kind"] == "post" or firm or len(_norm(row["text"]).split()) < 2:
            continue
        key = _norm(row["text"])
        later = next((r for r in rows[n + 1:] if r["kind"] != "post"
                      and r["confidence"] >= _CONFIDENCE["clause"]
                      and r["speaker"] and key in _norm(r["text"])), None)
        if later is not None:
            row.update(speaker=later["speaker"], speaker_entity_id=later["speaker_entity_id"],
                       cue=later["cue"])


def _dropped_row(doc: Article, quote: _RawQuote, text: str, reason: str) -> dict:
    p0, s0, _ = quote.pieces[0]
    pn, _, en = quote.pieces[-1]
    return {"doc_id": doc.doc_id, "doc_char_start": doc.doc_off(p0, s0),
            "doc_char_end": doc.doc_end(pn, en),
            "text": text, "reason": reason}


def _quote_row(doc: Article, quote: _RawQuote, text: str, attribution: _Attribution) -> dict:
    p0, s0, _ = quote.pieces[0]
    pn, _, en = quote.pieces[-1]
    confidence = attribution.confidence * (1.0 if quote.close_at else 0.5)
    speaker = attribution.speaker
    return {
        "quote_id": "", "doc_id": doc.doc_id, "paragraph_id": doc.layout.paras[p0].paragraph_id,
        "doc_char_start": doc.doc_off(p0, s0), "doc_char_end": doc.doc_end(pn, en), "text": text,
        "kind": _quote_kind(doc, quote, text), "speaker": speaker.name if speaker else None,
        "speaker_entity_id": speaker.entity_id if speaker else None, "cue": attribution.cue,
        "confidence": round(confidence, 3), "quote_date": None,
    }


def _post_row(doc: Article, post: _Post) -> dict:
    mention = doc.mention_at(*post.name_span)
    name, entity_id = post.speaker_name, None
    if mention is not None and mention.entity_id:
        name, entity_id = mention.name or name, mention.entity_id
    para = _paragraph_index_at(doc.layout.paras, post.start, post.end)
    return {
        "quote_id": "", "doc_id": doc.doc_id, "paragraph_id": doc.layout.paras[para].paragraph_id,
        "doc_char_start": post.start, "doc_char_end": post.end, "text": post.text, "kind": "post",
        "speaker": name, "speaker_entity_id": entity_id, "cue": "post", "confidence": 0.95,
        "quote_date": post.date,
    }


def _paragraph_index_at(paras: Sequence[ParagraphLayout], start: int, end: int) -> int:
    """The paragraph holding ``start``, else the first one overlapping ``[start, end)``."""
    for i, pp in enumerate(paras):
        if pp.contains(start):
            return i
    return next(i for i, pp in enumerate(paras) if pp.doc_char_start < end and start < pp.doc_char_end)

"""Attribution from a line under the quotation: a signature ``— Name, role`` or a credit line "Name,
role" that is no paragraph of the article; and paragraphs that are a signed quotation without marks.
"""

from __future__ import annotations

import re

from pipeline.quotes.article import Article
from pipeline.quotes.naming import _full_person_name, _speaker_from_mention
from pipeline.quotes.records import _CONFIDENCE, _Attribution, _RawQuote, _Speaker
from pipeline.quotes.textutil import _clean, _strip_elision

_SIGNATURE_NAME = r"[A-ZÀ-Þ][\w'’.-]+(?:\s+(?:[A-ZÀ-Þ][\w'’.-]+|de|du|van|von|da|di|le|la)){1,3}"
# "— Jeanne Roux" or "— Jeanne Roux, viticultrice à Beaune": a dash, a name, an optional short role.
# Both are matched against a whole line: anchored (\A), a 10,000-character line costs one pass, not one per
# position.
_DASH_SIGNATURE = re.compile(r"\A\s*[—–-]\s*(?P<name>" + _SIGNATURE_NAME + r")\s*(?:,[^\n«»“”\"]{0,60})?\s*")
# "Jeanne Roux" alone on its line (a pull quote's signature, the role if any on the next line).
_BARE_SIGNATURE = re.compile(r"\A\s*(?P<name>" + _SIGNATURE_NAME + r")\s*")
# "Jeanne Roux, analyste chez X, spécialisée dans …": a credit line under a pull quote, a name and a role in
# lower case; taken only when the line is no article prose (see :func:`_credit_line`).
_CREDIT_SIGNATURE = re.compile(r"\A\s*(?P<name>" + _SIGNATURE_NAME + r"),\s+[a-zà-ÿ][^\n«»“”\"]{0,200}\Z")
_NOT_NAME_WORDS = frozenset({"selon", "pour", "par", "avec", "merci", "photo", "crédit", "source", "lire"})


def _signature(doc: Article, pi: int, dash_required: bool) -> _Speaker | None:
    """The person signing the paragraph ``pi`` on the next line, when that line is only a name
    ("— Jeanne Roux, viticultrice", "Jeanne Roux"). Without a dash the name must be a person the article
    names (an entity mention or a spaCy person), so that a heading is never taken for a signature. The
    line is read from the document text: a dash line may not have been kept as a paragraph."""
    next_line = _line_after(doc, pi)
    if next_line is None:
        return None
    line, line_start = next_line
    match = _DASH_SIGNATURE.fullmatch(line)
    dashed = match is not None
    if match is None and not dash_required:
        match = _BARE_SIGNATURE.fullmatch(line)
    if match is None or match.group("name").split()[0].lower() in _NOT_NAME_WORDS:
        return None
    start, end = line_start + match.start("name"), line_start + match.end("name")
    mention = doc.mention_at(start, end)
    if mention is not None and mention.label == "PER":
        return _speaker_from_mention(doc, mention)
    following = next((i for i, q in enumerate(doc.layout.paras) if q.contains(start)), None)
    ents = doc.rows.person_ents[following] if following is not None else []
    ent = next((text for s, e, text in ents if s < end and start < e), None)
    if ent is not None:
        return _Speaker(_full_person_name(doc, _strip_elision(ent)), None, True)
    if dashed:
        if mention is not None and mention.entity_id:
            return _Speaker(mention.name, mention.entity_id, True)
        return _Speaker(_clean(match.group("name")), None, True)
    return None


def _line_after(doc: Article, pi: int) -> tuple[str, int] | None:
    """(the next non-blank line of the document after paragraph ``pi``, its document offset)."""
    if pi >= len(doc.layout.paras):
        return None
    line_start = doc.layout.source.find("\n", doc.layout.paras[pi].doc_char_end)
    if line_start < 0:
        return None
    rest = doc.layout.source[line_start:]
    stripped = rest.lstrip()
    return stripped.split("\n", 1)[0], line_start + len(rest) - len(stripped)


def _credit_line(doc: Article, pi: int) -> _Speaker | None:
    """The person a credit line under the quotation ending paragraph ``pi`` names ("Jeanne Roux, analyste
    chez X"), when the line is not article prose: no paragraph of the article holds it, or the paragraph is
    that line alone, a person's name and no verb. Only for marked quotations: under a plain paragraph, such
    a line is as likely a photo caption."""
    next_line = _line_after(doc, pi)
    if next_line is None:
        return None
    line, line_start = next_line
    match = _CREDIT_SIGNATURE.match(line)
    holder = next((i for i, pp in enumerate(doc.layout.paras) if pp.contains(line_start)), None)
    if match is None or match.group("name").split()[0].lower() in _NOT_NAME_WORDS or \
            (holder is not None and not doc.rows.only_a_credit[holder]):
        return None
    name = _clean(match.group("name"))
    known = next((m for m in doc.persons if m.entity_id and m.name == name), None)
    return _speaker_from_mention(doc, known) if known is not None else _Speaker(name, None, True)


def _signed_quote(doc: Article, quote: _RawQuote) -> _Attribution | None:
    """A quotation that ends its paragraph, signed on the next line."""
    if quote.close_at is not None:
        cpi, coff = quote.close_at
        if doc.layout.texts[cpi][coff:].strip(" .…") != "":
            return None
    speaker = _signature(doc, quote.last_para, dash_required=quote.family != "block")
    if speaker is None and quote.family != "block":
        speaker = _credit_line(doc, quote.last_para)
    return _Attribution(speaker, "signature", _CONFIDENCE["inverted"]) if speaker else None


def _signed_paragraphs(doc: Article, marked: list[_RawQuote]) -> list[_RawQuote]:
    """Block quotations without marks: a paragraph of speech followed by a line holding only a named
    person (a pull quote signed under it)."""
    taken = {p for q in marked for p, _, _ in q.pieces}
    out = []
    for pi, text in enumerate(doc.layout.texts):
        if pi in taken or len(text.split()) < 6 or text.rstrip().endswith(":") or re.search(r'[«»“”"]', text):
            continue
        if _signature(doc, pi, dash_required=False) is None:
            continue
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        out.append(_RawQuote([(pi, start, end)], (pi, start), (pi, end), "block"))
    return out

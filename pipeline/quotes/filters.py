"""What sits in quotation marks without being somebody's words (titles, product names, terms,
translations, teasers, posts, scare quotes): the reason a quotation is dropped, and the kind of a kept one.
"""

from __future__ import annotations

import re

from pipeline.quotes.article import Article
from pipeline.quotes.records import _Attribution, _MarkFacts, _Post, _RawQuote
from pipeline.quotes.words import CUES_AFTER, FIRST_AND_SECOND_PERSON, SHORT_QUOTE_WORDS, TEASER_PREFIXES


def _drop_reason(doc: Article, quote: _RawQuote, text: str, posts: list[_Post],
                 previous: tuple[_RawQuote, str] | None) -> str | None:
    """Why a quotation is not reported: a teaser line, a post already reported, or words in quotation marks
    that are not a quotation (a title of a work, a product's name, a term, a translation)."""
    para_text = doc.layout.texts[quote.first_para].strip().lower()
    if para_text.startswith(TEASER_PREFIXES):
        return "teaser"
    start, end = doc.doc_off(*quote.pieces[0][:2]), doc.doc_end(quote.last_para, quote.pieces[-1][2])
    if any(p.start <= start and end <= p.end and (end - start) >= 0.9 * (p.end - p.start) for p in posts):
        return "post"
    if quote.family == "block":
        return None
    reason = _cue_reason(doc, quote, text) or _noun_label(doc, quote, text)
    if reason is not None:
        return reason
    if previous is not None and previous[1] in ("title", "product", "term") and \
            _listed_after(doc, previous[0], quote):
        return previous[1]  # "« A », « B » ou encore « C »": the same kind as the first of the list
    if _looks_like_title(text) or _looks_like_name(text):
        return "title"
    return None


def _cue_reason(doc: Article, quote: _RawQuote, text: str) -> str | None:
    """The reason given by a cue word right before the marks ("la série « … »", "le mot « … »", read by
    the ``quote_detector`` component) or right after them ("« fetus » en anglais"), or by parentheses
    around a quotation (a translation)."""
    if len(re.findall(r"\w+", text)) > 15:
        return None
    pi, open_off = quote.open_at
    texts = doc.layout.texts
    if texts[pi][:open_off].rstrip().endswith("("):
        return "translation"
    facts = _facts_before(doc, pi, open_off)
    if facts is not None:
        reason = facts.cue_capitalised if text[:1].isupper() or not text[:1].isalpha() else facts.cue_lower
        if reason is not None:
            return reason
    if quote.close_at is not None:
        cpi, coff = quote.close_at
        following = re.sub(r"^[\s,;:)\-–]+", "", texts[cpi][coff:coff + 40]).lower()
        for words, reason in CUES_AFTER.items():
            if following.startswith(words):
                return reason
    return None


def _facts_before(doc: Article, pi: int, open_off: int) -> _MarkFacts | None:
    """The parse facts of the words before the opening mark; when the quotation opens its paragraph, those
    of the paragraph before (the cue ends it)."""
    facts = doc.rows.mark_facts.get((pi, open_off))
    if facts is not None and facts.words_before:
        return facts
    return doc.rows.end_facts[pi - 1] if pi > 0 else None


def _noun_label(doc: Article, quote: _RawQuote, text: str) -> str | None:
    """"term" for one lower-case noun in quotation marks glued to the noun it labels ("des packs « cadeau »",
    "un effet « rebond »"): a compound name, not somebody's words (an adjective, "une tournure
    « inattendue »", may well be quoted). The parse decided it in the ``quote_detector`` component."""
    if not re.fullmatch(r"[a-zà-ÿ][\w'-]*", text.strip()):
        return None
    facts = doc.rows.mark_facts.get(quote.open_at)
    return "term" if facts is not None and facts.noun_label else None


def _listed_after(doc: Article, earlier: _RawQuote, quote: _RawQuote) -> bool:
    """``quote`` follows ``earlier`` in a list: only a comma, "et", "ou" or "ou encore" between them."""
    if earlier.close_at is None or earlier.close_at[0] != quote.open_at[0]:
        return False
    between = doc.layout.texts[quote.open_at[0]][earlier.close_at[1]:quote.open_at[1]].strip().lower()
    return re.fullmatch(r"(,|et|ou|ou encore|, ou encore|, et|, ou)?", between) is not None


def _looks_like_name(text: str) -> bool:
    """One word shaped like a brand or an acronym (« EuroDreams », « FIFA », « Aero5 »), not speech."""
    word = text.strip()
    return re.fullmatch(r"[\w-]+", word) is not None and \
        re.search(r"[a-zà-ÿ][A-ZÀ-Þ]|^[A-ZÀ-Þ0-9-]{2,}$|\d", word) is not None


def _looks_like_title(text: str) -> bool:
    """A name in quotation marks (« Le Monde », « Star Wars ») rather than quoted words."""
    words = [re.sub(r"^(?:[dl]|qu)['’]", "", w, flags=re.IGNORECASE) for w in re.findall(r"[\w'’-]+", text)]
    small = {"de", "du", "des", "la", "le", "les", "l'", "et", "of", "the", "a", "an", "d'", "en", "à",
             "to", "in", "on", "for", "with", "and", "or", "at", "by", "from", "my", "your"}
    content = [w for w in words if w.lower() not in small]
    return 2 <= len(words) <= 6 and bool(content) and all(w[0].isupper() for w in content) \
        and not text.rstrip().endswith((".", "!", "?", "…"))


def _is_scare_quote(text: str) -> bool:
    """A few words with no first- or second-person pronoun: possibly a term, not speech."""
    words = re.findall(r"\w+'?", text.lower())
    return len(words) <= SHORT_QUOTE_WORDS and not any(w in FIRST_AND_SECOND_PERSON for w in words)


def _governed_by_cue(attribution: _Attribution) -> bool:
    """A short quotation is kept only when a speech cue of its sentence (or a reporting frame) governs it."""
    return attribution.speaker is not None and attribution.confidence >= 0.55


def _quote_kind(doc: Article, quote: _RawQuote, text: str) -> str:
    words = len(re.findall(r"\w+", text))
    before = doc.layout.texts[quote.first_para][:quote.open_at[1]].rstrip()
    starts_sentence = not before or before.endswith((":", ".", "!", "?", "…"))
    if text[:1].isupper() or starts_sentence or words >= 10:
        return "direct"
    return "partial"

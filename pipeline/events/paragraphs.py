"""The sentences events are read in (spaCy's, with verbless fragments glued to what follows), and whether a
sentence continues the previous one's date (rule 5)."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from pipeline.french.tense import verb_tense

# Tenses after which a sentence no longer speaks of the previous sentence's date (rule 5).
_BREAKING_TENSES = {"future", "conditional", "unknown"}
_FINAL_PUNCTUATION = (".", "!", "?", "…", "»", '"', ":")


def breaks_narrative(sent: Span) -> bool:
    """A sentence whose main verb is future/conditional/pluperfect does not continue the previous date."""
    root = sent.root
    if root.pos_ not in ("VERB", "AUX"):
        return False
    if verb_tense(root) in _BREAKING_TENSES:
        return True
    return any(c.dep_.startswith("aux") and "Imp" in c.morph.get("Tense") for c in root.children)


def sentences(doc: Doc) -> list[Span]:
    """spaCy sentences, with verbless fragments cut off by a comma glued to the next one.

    The parser sometimes makes ``Lundi ,`` a sentence of its own; the date then belongs to what follows.
    """
    out: list[Span] = []
    pending: int | None = None
    for sent in doc.sents:
        start = sent.start if pending is None else pending
        text = sent.text.rstrip()
        verbless = not any(t.pos_ in ("VERB", "AUX") for t in sent)
        if verbless and not text.endswith(_FINAL_PUNCTUATION) and sent.end < len(doc):
            pending = start
            continue
        out.append(doc[start:sent.end])
        pending = None
    if pending is not None:
        out.append(doc[pending:len(doc)])
    return out

"""Context of an expression: the tense it is read in (``depuis``, ``jusqu'à``, else the tense of the verb
governing it, ``pipeline/french/tense.py``), which decides whether a bare ``vendredi`` is the last Friday or
the next one."""

from __future__ import annotations

from pipeline.french.tense import governing_verb, verb_tense
from pipeline.temporal.timex import Context
from pipeline.temporal.vocabulary import _rx

_SINCE = _rx(r"(?:^|\s)depuis(?:\s+(?:le|la|l'))?\s*$")
_UNTIL = _rx(r"(?:^|\s)(?:jusqu'(?:à|au|aux|en)?|d'ici(?: à| au)?)(?:\s+(?:le|la|l'|ce|cette))?\s*$")


def _tense_at(ctx: Context, start: int, end: int) -> str:
    """The tense an expression is read in. ``depuis février`` is in the past whatever the verb;
    ``jusqu'à dimanche`` looks ahead, or is read as present (nearest) under a past verb."""
    before, phrase = ctx.text[max(0, start - 20):start], ctx.text[start:end].lower()
    if _SINCE.search(before) or phrase.startswith("depuis"):
        return "past"
    tense = verb_tense(governing_verb(ctx.doc, start, end))
    if _UNTIL.search(before) or phrase.startswith(("jusqu'", "d'ici")):
        return "present" if tense == "past" else "future"
    return tense

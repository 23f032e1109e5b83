"""Detection in one paragraph: every rule's matches, minus dates of place names, overlaps resolved
(longest first), day parts joined to their day."""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from spacy.tokens import Doc

from pipeline.temporal.rules import _RULE_HINTS, _RULES
from pipeline.temporal.timex import Context, Timex
from pipeline.temporal.vocabulary import _DAYPART_PHRASE, _rx

# Streets, squares and schools named after a date (``place du 14 Juillet``, ``rue du 8 Mai 1945``): the date
# is part of a place name. (The hyphenated spelling, ``rue du 8-Mai-1945``, is never matched by the rules.)
# ``pont`` and ``cours`` are left out: ``le pont du 1er mai`` is a long weekend, ``au cours du 3 mars``
# a date.
_PLACE_NAMED_BY_DATE = _rx(
    r"(?<![\w-])(?:rue|place|avenue|boulevard|bd|square|quai|allée|impasse|esplanade|parvis|carrefour|"
    r"rond-point|gare|lycée|collège|école|stade)[ \t]{1,3}du[ \t]{1,3}$")
_RANGE_GOES_ON = _rx(r"[ \t]{0,3}(?:au|à|et|-|–)[ \t]{0,3}\d")  # ``gare fermée du 3 au 10 mars``: a range
_PLACE_WINDOW = 30


def _names_a_place(text: str, start: int, end: int) -> bool:
    """Whether the expression at ``start:end`` is the date in a place name (``avenue du 11 Novembre``)."""
    return (_PLACE_NAMED_BY_DATE.search(text, max(0, start - _PLACE_WINDOW), start) is not None
            and _RANGE_GOES_ON.match(text, end) is None)


def _outside_place_names(found: list[Timex], text: str) -> list[Timex]:
    """The expressions that are not, or not inside, the date of a place name (``rue du 8 Mai 1945`` is
    neither 1945-05-08 nor ``Mai 1945``)."""
    places = sorted((t.start, t.end) for t in found if _names_a_place(text, t.start, t.end))
    if not places:
        return found
    starts = [start for start, _ in places]
    ends = list(accumulate((end for _, end in places), max))

    def inside_a_place(timex: Timex) -> bool:
        index = bisect_right(starts, timex.start) - 1
        return index >= 0 and timex.start < ends[index]

    return [t for t in found if not inside_a_place(t)]


# A part of the day before the day it belongs to: ``dans la soirée de jeudi``, ``le matin du 12 mars``.
_DAYPART_BEFORE = _rx(
    rf"(?<![\w-])(?:{_DAYPART_PHRASE}|(?:dans |durant |pendant )?la nuit|le matin|le soir|au matin|au soir)"
    r"\s+(?:de|du|d')\s*$")
_DAYPART_WINDOW = 60


def _with_day_parts_before(chosen: list[Timex], text: str) -> list[Timex]:
    """Day expressions widened to the part of the day written before them (``dans la soirée de jeudi`` is
    one expression, the day), as long as the widened one overlaps no other expression."""
    previous_end = 0
    for timex in chosen:
        if timex.granularity == "day" and timex.anaphoric is None:
            window = max(previous_end, timex.start - _DAYPART_WINDOW)
            before = _DAYPART_BEFORE.search(text, window, timex.start)
            if before is not None:
                timex.start = before.start()
        previous_end = timex.end
    return chosen


def _select(found: list[Timex]) -> list[Timex]:
    """Non-overlapping expressions: earliest start first, then the longest."""
    chosen: list[Timex] = []
    for timex in sorted(found, key=lambda t: (t.start, -(t.end - t.start))):
        # taken in order of start, the chosen ones do not overlap: only the last can reach this one
        if not chosen or timex.start >= chosen[-1].end:
            chosen.append(timex)
    return chosen


def detect(doc: Doc, text: str | None = None) -> list[Timex]:
    """Every expression of one paragraph, unresolved (relative ones carry their recipe).

    ``text``: ``doc.text`` when the caller has it already (spaCy rebuilds it on every access).
    """
    text = doc.text if text is None else text
    lower = text.lower()
    ctx = Context.of(doc, text)
    found = [timex for rule in _RULES if (hint := _RULE_HINTS.get(rule.name)) is None or hint.search(lower)
             for match in rule.pattern.finditer(text) for timex in rule.build(match, ctx)]
    return _with_day_parts_before(_select(_outside_place_names(found, text)), text)

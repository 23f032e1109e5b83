"""Who takes part in an event: the entity mentions of its sentence (not those that are dates), and the
organisation a designator subject (``l'entreprise``) refers back to."""

from __future__ import annotations

from bisect import bisect_left

import polars as pl
from spacy.tokens import Token

from pipeline.events.records import _Event
from pipeline.events.vocabulary import ORG_DESIGNATORS
from pipeline.spans import SpanIndex

_Mention = tuple[int, int, str, str]  # doc start, doc end, entity_id, canonical name


def _mentions_by_doc(entity_mentions: pl.DataFrame, entities: pl.DataFrame,
                     temporal_expressions: pl.DataFrame) -> dict[str, list[_Mention]]:
    """doc_id -> [(start, end, entity_id, canonical name)] sorted by position.

    Mentions overlapping a temporal expression are left out: ``Vendredi`` tagged as a person by the
    NER is a date here, not a participant. Linear in the article's size (see :func:`_overlapping_a_timex`).
    """
    if entity_mentions.is_empty():
        return {}
    joined = (entity_mentions.select("doc_id", "doc_char_start", "doc_char_end", "entity_id")
              .join(entities.select("entity_id", "name"), on="entity_id", how="inner"))
    if not temporal_expressions.is_empty():
        overlapping = _overlapping_a_timex(joined, temporal_expressions)
        joined = joined.join(overlapping, on=["doc_id", "doc_char_start", "entity_id"], how="anti")
    joined = joined.sort("doc_id", "doc_char_start")
    out: dict[str, list[_Mention]] = {}
    for row in joined.iter_rows():
        out.setdefault(row[0], []).append(row[1:])
    return out


def _designator_subjects(event: _Event) -> list[Token]:
    """Subjects of the event's verb (or of its sentence's main verb) that refer back to an organisation:
    a noun of ``event_org_designators.txt`` after a definite or demonstrative article (``le journal
    américain, qui a racheté ...``: the relative ``qui`` stands for the noun it follows)."""
    verbs = [event.trigger.token, event.sent.root]
    found = []
    for verb in verbs:
        for child in verb.children:
            if not child.dep_.startswith("nsubj"):
                continue
            noun = verb.head if "Rel" in child.morph.get("PronType") and verb.dep_ == "acl:relcl" else child
            if noun.lemma_.lower() in ORG_DESIGNATORS and any(
                    d.dep_ == "det" and d.lemma_.lower() in ("le", "ce") for d in noun.children):
                found.append(noun)
    return found


def _antecedents(event: _Event, mentions: list[_Mention], organisations: set[str]) -> list[tuple[str, str]]:
    """(entity_id, name) of the organisation each designator subject of the event refers back to: the one
    the text names last before it (``organisations``: the ids of the ORG entities)."""
    out = []
    for noun in _designator_subjects(event):
        position = event.para.span_offsets(noun)[0]
        before = [m for m in mentions[:bisect_left([m[0] for m in mentions], position)]
                  if m[2] in organisations and m[1] <= position]
        if before:
            out.append((before[-1][2], before[-1][3]))
    return out


def _overlapping_a_timex(mentions: pl.DataFrame, temporal_expressions: pl.DataFrame) -> pl.DataFrame:
    """(doc_id, doc_char_start, entity_id) of the mentions that overlap a temporal expression.

    A mention [s, e) overlaps an expression [ts, te) iff ts < e and s < te. Of the article's expressions
    with ts < e (by start, the last one is found by an as-of join), one reaches past s iff the running
    maximum of their ends does: no pair of mention and expression is ever built.
    """
    times = (temporal_expressions.select("doc_id", t_start="doc_char_start", t_end="doc_char_end")
             .sort("doc_id", "t_start")
             .with_columns(t_reach=pl.col("t_end").cum_max().over("doc_id")))
    return (mentions.sort("doc_id", "doc_char_end")
            .join_asof(times, left_on="doc_char_end", right_on="t_start", by="doc_id", strategy="backward",
                       allow_exact_matches=False, check_sortedness=False)
            .filter(pl.col("t_reach") > pl.col("doc_char_start"))
            .select("doc_id", "doc_char_start", "entity_id").unique())


def _participants(mentions: SpanIndex[_Mention], start: int, end: int) -> tuple[list[str], list[str]]:
    """Canonical names and ids of the entities mentioned in ``[start, end)``, in reading order."""
    names: dict[str, str] = {}
    for _, _, entity_id, name in mentions.overlapping(start, end):
        names.setdefault(entity_id, name)
    return list(names.values()), list(names.keys())

"""Who takes part in an event: the entity mentions of its sentence (not those that are dates), and the
organisation a designator subject (``l'entreprise``) refers back to. Rows only: no doc is read here."""

from __future__ import annotations

from bisect import bisect_left

import polars as pl

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


class ArticleMentions:
    """One article's mentions (by position), looked up by span and by "last organisation before"."""

    def __init__(self, mentions: list[_Mention], organisations: set[str]):
        self._index = SpanIndex(mentions, lambda m: (m[0], m[1]))
        self._organisations = [m for m in mentions if m[2] in organisations]  # by position
        self._organisation_starts = [m[0] for m in self._organisations]

    def participants(self, start: int, end: int) -> tuple[list[str], list[str]]:
        """Canonical names and ids of the entities mentioned in ``[start, end)``, in reading order."""
        names: dict[str, str] = {}
        for _, _, entity_id, name in self._index.overlapping(start, end):
            names.setdefault(entity_id, name)
        return list(names.values()), list(names.keys())

    def antecedent(self, position: int) -> tuple[str, str] | None:
        """(entity_id, name) of the organisation the text names last before ``position`` (a designator
        subject such as ``l'entreprise``), or None."""
        for n in range(bisect_left(self._organisation_starts, position) - 1, -1, -1):
            _, end, entity_id, name = self._organisations[n]
            if end <= position:  # only organisations overlapping ``position`` are passed over
                return entity_id, name
        return None

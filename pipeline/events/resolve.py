"""Resolution: the ``dated_events`` rows from the candidate rows (``candidates``) and the current values of
the expressions. Everything here depends on values, reference dates or other tables, and nothing on a doc:
re-dating an article needs its candidate rows and its new values, never its parse again.

The choices, per article in reading order (rules of ``pipeline/events/__init__.py``):
- only an expression with a value dates; the signature of an embedded post (its last day-valued expression)
  dates nothing in its own line but the line itself (rule 4) and the post's lines (rule 6);
- each trigger takes its nearest valued expression (the first in reading order on ties), and one event per
  event type of a sentence: the trigger nearest to its expression (rules 2-3);
- an expression no trigger took, not of a value already taken, and not a decade or a century, dates its verb
  as a happening, kept when it has a participant (rule 7);
- a sentence without expression borrows the post's date (rule 6), else the first date of the previous
  sentence's own trigger events unless its tense breaks the narrative (rule 5), else the reference month
  dates its ``venir de`` + trigger (rule 8);
- participants are the entities mentioned in the sentence, after the organisation each designator subject
  refers back to (the ORG entity named last before it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from itertools import groupby

import polars as pl

from pipeline.events.candidate_rows import DATE, HAPPENING, INHERIT, RECENT_PAST, SIGNATURE
from pipeline.events.participants import ArticleMentions, _mentions_by_doc
from pipeline.schemas import empty_frame

# Granularities that name a period rather than the date of something that happened (rule 7).
_PERIOD_GRANULARITIES = {"decade", "century"}


@dataclass(frozen=True)
class _Date:
    timex_id: str | None  # None: the reference month (rule 8)
    value: str
    granularity: str


@dataclass(frozen=True)
class _Found:
    row: dict  # the candidate row: where the event is, its type and trigger
    date: _Date
    needs_participant: bool = False  # rule 7: a happening with no participant is dropped


def resolve_events(candidates: pl.DataFrame, temporal_expressions: pl.DataFrame,
                   entity_mentions: pl.DataFrame, entities: pl.DataFrame,
                   reference_dates: pl.DataFrame) -> pl.DataFrame:
    """``dated_events`` rows of the articles of ``candidates``, with the values of
    ``temporal_expressions`` and the reference dates of ``reference_dates`` (``doc_id``,
    ``reference_date``; an article missing there has none)."""
    mentions = _mentions_by_doc(entity_mentions, entities, temporal_expressions)
    organisations = set(entities.filter(pl.col("label") == "ORG")["entity_id"].to_list())
    valued = temporal_expressions.filter(pl.col("value").is_not_null())
    values = {timex_id: _Date(timex_id, value, granularity) for timex_id, value, granularity
              in valued.select("timex_id", "value", "granularity").iter_rows()}
    references = dict(reference_dates.select("doc_id", "reference_date").iter_rows())
    schema = empty_frame("dated_events").schema
    columns: dict[str, list] = {name: [] for name in schema}
    for article in candidates.partition_by("doc_id", maintain_order=True):
        doc_id = article["doc_id"][0]
        found = article_events(article.sort("order").to_dicts(), values, _month(references.get(doc_id)))
        for row in _event_rows(doc_id, found, ArticleMentions(mentions.get(doc_id, []), organisations)):
            for name, value in zip(schema, row, strict=True):
                columns[name].append(value)
    return pl.DataFrame(columns, schema=schema)


def _month(reference: dt.date | None) -> str | None:
    """The month of the reference date: the date of what the article says has just happened (rule 8)."""
    return None if reference is None else reference.strftime("%Y-%m")


def article_events(rows: list[dict], values: dict[str, _Date], month: str | None) -> list[_Found]:
    """The events of one article, in reading order, from its candidate rows (sorted by ``order``)."""
    signatures = _signatures(rows, values)
    events: list[_Found] = []
    for paragraph, paragraph_rows in groupby(rows, key=lambda row: row["paragraph"]):
        events.extend(_paragraph_events(paragraph, list(paragraph_rows), values, signatures, month))
    return events


def _signatures(rows: list[dict], values: dict[str, _Date]) -> dict[int, _Found]:
    """paragraph -> its post signature, dated by the last day-valued expression of the line (rule 4)."""
    found: dict[int, _Found] = {}
    for row in rows:
        date = values.get(row["timex_id"]) if row["kind"] == SIGNATURE else None
        if date is not None and date.granularity == "day":
            found[row["paragraph"]] = _Found(row, date)
    return found


def _paragraph_events(paragraph: int, rows: list[dict], values: dict[str, _Date],
                      signatures: dict[int, _Found], month: str | None) -> list[_Found]:
    signature = signatures.get(paragraph)
    owner = rows[0]["post_owner"]
    post = signatures.get(owner) if owner is not None else None
    events: list[_Found] = []
    previous_own: list[_Found] = []  # events of the previous sentence dated by its own expression
    previous: int | None = None
    sentence_rows = (row for row in rows if row["kind"] != SIGNATURE)
    for sentence, grouped in groupby(sentence_rows, key=lambda row: row["sentence"]):
        by_kind: dict[str, list[dict]] = {}
        for row in grouped:
            by_kind.setdefault(row["kind"], []).append(row)
        if previous is None or sentence != previous + 1:
            previous_own = []  # a sentence between them had no event of its own
        own = _own_events(by_kind, values, signature.date.timex_id if signature else None)
        found = own
        borrowing = by_kind.get(INHERIT, [])
        if not found and borrowing:  # only a sentence without an expression of its own borrows
            if post is not None:  # rule 6: a line of an embedded post speaks from the post's date
                found = [_Found(row, post.date) for row in borrowing]
            elif previous_own and not borrowing[0]["breaks_narrative"]:  # rule 5
                found = [_Found(row, previous_own[0].date) for row in borrowing]
        if not found and month is not None:  # rule 8
            found = [_Found(row, _Date(None, month, "month")) for row in by_kind.get(RECENT_PAST, [])]
        events.extend(found)
        previous_own = [event for event in own if not event.needs_participant]  # rule 5 follows triggers only
        previous = sentence
    if signature is not None:  # rule 4
        events.append(signature)
    return events


def _own_events(by_kind: dict[str, list[dict]], values: dict[str, _Date],
                signature: str | None) -> list[_Found]:
    """Rules 2, 3 and 7 in a sentence with expressions: each trigger's nearest valued expression, one event
    per event type (the trigger nearest to its expression), then the happenings of the expressions left."""
    best: dict[str, tuple[int, _Found]] = {}
    for _, trigger_rows in groupby(by_kind.get(DATE, []), key=lambda row: row["token"]):
        dated = [(row, values[row["timex_id"]]) for row in trigger_rows
                 if row["timex_id"] in values and row["timex_id"] != signature]
        if not dated:
            continue
        row, date = min(dated, key=lambda pair: pair[0]["distance"])
        current = best.get(row["event_type"])
        if current is None or row["distance"] < current[0]:
            best[row["event_type"]] = (row["distance"], _Found(row, date))
    found = [event for _, event in sorted(best.values(), key=lambda pair: pair[1].row["token"])]
    used = {event.date.timex_id for event in found}
    taken = {event.date.value for event in found}
    for row in by_kind.get(HAPPENING, []):
        date = values.get(row["timex_id"])
        if (date is None or date.timex_id == signature or date.timex_id in used or date.value in taken
                or date.granularity in _PERIOD_GRANULARITIES):
            continue
        taken.add(date.value)
        found.append(_Found(row, date, needs_participant=True))
    return found


def _event_rows(doc_id: str, events: list[_Found], mentions: ArticleMentions) -> list[tuple]:
    """``dated_events`` rows of one article (in the table's column order): participants, then ids in
    reading order."""
    rows = []
    for event in events:
        row, date = event.row, event.date
        start, end = row["doc_char_start"], row["doc_char_end"]
        names, ids = mentions.participants(start, end)
        for position in row["designators"]:
            antecedent = mentions.antecedent(position)
            if antecedent is not None and antecedent[0] not in ids:
                ids.insert(0, antecedent[0])
                names.insert(0, antecedent[1])
        if event.needs_participant and not names:
            continue
        rows.append((doc_id, start, end, f"{doc_id}:e{len(rows):03d}", row["paragraph_id"], date.timex_id,
                     date.value, date.granularity, row["event_type"], row["trigger"], names, ids,
                     row["sentence_text"]))
    return rows

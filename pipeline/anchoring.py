"""Dates that need the events: event-anchored expressions, and articles with no date of their own.

:func:`resolve_dates` runs the per-article steps of the dates stage (temporal expressions, then dated
events) and two passes that look beyond one expression:

1. **Event-anchored expressions** (``un jour seulement après son limogeage``, ``au lendemain de sa
   nomination``, ``deux semaines avant l'élection``). The noun is looked up in the event lexicon
   (``events.EVENT_TRIGGERS``); the expression is placed relative to the article's own dated event of that
   type (the nearest one before it in the text, else the nearest after) and its ``anchor`` is that event's
   ``timex_id``. The article's events are then extracted again, so the action of that sentence is dated.
   Without such an event the value stays NULL.
2. **Articles without a reference date** are dated from the corpus (``pipeline/corpus_dating.py``): each
   candidate day is tried over the article's detected temporal rows, never over its parse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from pipeline.cache import SegmentCache, text_keys_with_last_part
from pipeline.corpus_dating import (
    BASIS_CORPUS,
    ReportIndex,
    Values,
    agreements_of,
    answer_key,
    best_day,
    candidate_days,
    relative_events_by_doc,
    reports_of,
    timex_ids_of,
    values_on_days,
)
from pipeline.events import EVENT_TRIGGERS
from pipeline.isolation import ArticleFailure, Error, failures_frame, merge_failures, no_failures
from pipeline.schemas import empty_frame
from pipeline.temporal import EVENT_ANCHORED, ReferenceDate, articles_of, event_offset

PROBE_DAY = dt.date(2001, 1, 3)  # any day will do: it only shows which events depend on the reference date
CORPUS_DATING = "reference_dates"  # the stage a failure to date an article from the corpus is recorded under
ARTICLES_PER_BATCH = 256  # undated articles dated together (bounds the memory of their candidate days)

# --- 1. event-anchored expressions -----------------------------------------------------------------------

def event_type_of_noun(noun: str) -> str | None:
    """``limogeage`` -> ``dismissal``; plurals (``élections``) are looked up singular."""
    noun = noun.lower()
    for form in (noun, noun[:-1] if noun.endswith(("s", "x")) else noun):
        event_type = EVENT_TRIGGERS.get(form)
        if event_type is not None:
            return event_type
    return None


def resolve_event_anchored(timexes: pl.DataFrame, events: pl.DataFrame) -> tuple[pl.DataFrame, set[str]]:
    """Fill in the value of event-anchored expressions from their article's events.

    Returns the updated expressions and the ids of the articles whose expressions changed.
    """
    pending = timexes.filter(pl.col("value").is_null() & pl.col("flags").str.contains(EVENT_ANCHORED))
    if pending.is_empty() or events.is_empty():
        return timexes, set()
    pending_docs = pending["doc_id"].unique().to_list()
    day_events = _day_events_by_article_and_type(
        events.filter((pl.col("granularity") == "day") & pl.col("doc_id").is_in(pending_docs))
    )
    updates: dict[str, tuple[str, str]] = {}
    for row in pending.iter_rows(named=True):
        offset = event_offset(row["text"])
        event_type = event_type_of_noun(offset.noun) if offset else None
        if offset is None or event_type is None:
            continue
        anchor = _anchor_event(day_events.get((row["doc_id"], event_type), []), row["doc_char_start"])
        if anchor is not None:
            updates[row["timex_id"]] = (offset.apply(dt.date.fromisoformat(anchor["date_value"])),
                                        anchor["timex_id"])
    if not updates:
        return timexes, set()
    ids = pl.col("timex_id")
    updated = timexes.with_columns(
        value=pl.when(ids.is_in(list(updates))).then(ids.replace_strict(
            {k: v for k, (v, _) in updates.items()}, default=None)).otherwise(pl.col("value")),
        anchor=pl.when(ids.is_in(list(updates))).then(ids.replace_strict(
            {k: a for k, (_, a) in updates.items()}, default=None)).otherwise(pl.col("anchor")),
    )
    changed = set(timexes.filter(ids.is_in(list(updates)))["doc_id"].to_list())
    return updated, changed


def _day_events_by_article_and_type(day_events: pl.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """``(doc_id, event_type) ->`` the article's day-dated events of that type, by position (ties keep
    the table's order): one pass over the events instead of a filter per expression."""
    grouped: dict[tuple[str, str], list[dict]] = {}
    for event in day_events.iter_rows(named=True):
        grouped.setdefault((event["doc_id"], event["event_type"]), []).append(event)
    for candidates in grouped.values():
        candidates.sort(key=lambda event: event["doc_char_start"])
    return grouped


def _anchor_event(candidates: list[dict], position: int) -> dict | None:
    """Of an article's dated events of one type (by position), the one nearest before ``position`` (else
    nearest after), outside the sentence that holds the expression."""
    outside = [e for e in candidates if not e["doc_char_start"] <= position < e["doc_char_end"]]
    before = [e for e in outside if e["doc_char_start"] < position]
    if before:
        return before[-1]
    return outside[0] if outside else None


# --- the stage --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DateSteps:
    """The per-article steps of the dates stage, supplied by the caller (which may cache them)."""

    timexes: Callable[[pl.DataFrame], pl.DataFrame]  # documents -> their temporal_expressions rows
    events: Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame]  # documents, their timexes -> event rows
    detected: Callable[[pl.DataFrame], pl.DataFrame]  # documents -> their detected temporal rows


@dataclass(frozen=True)
class DatedCorpus:
    temporal_expressions: pl.DataFrame
    dated_events: pl.DataFrame
    reference_dates: pl.DataFrame
    failures: pl.DataFrame = field(default_factory=no_failures)  # articles the corpus dating failed on


def resolve_dates(documents: pl.DataFrame, steps: DateSteps, values_cache: SegmentCache | None = None,
                  answers_cache: SegmentCache | None = None) -> DatedCorpus:
    """Temporal expressions, dated events and the reference date used, for every article.

    ``values_cache``: where the values of undated articles on candidate days are kept between runs (see
    :func:`_candidate_values`); ``answers_cache``: where each undated article's answer is kept, under a
    digest of what it was computed from (:func:`_cached_answers`). Without them, all is computed every time.
    """
    timexes, events = _per_article(documents, steps)
    found, failures = _date_from_corpus(documents, steps, events, values_cache, answers_cache)
    if found:
        redated = (documents.filter(pl.col("doc_id").is_in(list(found)))
                   .with_columns(reference_date=pl.col("doc_id").replace_strict(
                       {d: r.date for d, r in found.items()}, return_dtype=pl.Date)))
        more_timexes, more_events = _per_article(redated, steps)
        keep = ~pl.col("doc_id").is_in(list(found))
        timexes = pl.concat([timexes.filter(keep), more_timexes]).sort("timex_id")
        events = pl.concat([events.filter(keep), more_events]).sort("event_id")
    return DatedCorpus(timexes, events, reference_dates_frame(documents, found), failures)


def _per_article(documents: pl.DataFrame, steps: DateSteps) -> tuple[pl.DataFrame, pl.DataFrame]:
    timexes = steps.timexes(documents)
    events = steps.events(documents, timexes)
    timexes, changed = resolve_event_anchored(timexes, events)
    if changed:
        redo = pl.col("doc_id").is_in(list(changed))
        events = pl.concat([events.filter(~redo),
                            steps.events(documents.filter(redo), timexes.filter(redo))]).sort("event_id")
    return timexes, events


def _date_from_corpus(documents: pl.DataFrame, steps: DateSteps, events: pl.DataFrame,
                      values_cache: SegmentCache | None, answers_cache: SegmentCache | None
                      ) -> tuple[dict[str, ReferenceDate], pl.DataFrame]:
    """Reference dates of the undated articles that the corpus can date, and the articles that failed.

    Which of an article's events depend on its reference date is found by running the per-article
    steps with a stand-in day (``PROBE_DAY``; cached like any run). An article whose answer is cached under
    the same inputs keeps it; the others try their candidate days: the values their expressions take on
    each are their detected rows resolved against that day, one article at a time. An article that raises
    is recorded and keeps no reference date.
    """
    undated = documents.filter(pl.col("reference_date").is_null())
    if undated.is_empty() or events.is_empty():
        return {}, no_failures()
    probed = undated.with_columns(reference_date=pl.lit(PROBE_DAY, dtype=pl.Date))
    probe_timexes = steps.timexes(probed)
    relative = relative_events_by_doc(probe_timexes, steps.events(probed, probe_timexes))
    index = ReportIndex(reports_of(events))
    content = dict(undated.select("doc_id", "content_sha256").iter_rows())
    keys = {doc_id: answer_key(index, doc_id, content[doc_id], relative[doc_id])
            for doc_id in undated["doc_id"].to_list() if relative.get(doc_id)}
    answers = _cached_answers(answers_cache, keys)
    todo = [doc_id for doc_id in keys if doc_id not in answers]
    failures = []
    # a batch of articles at a time: what one can agree with is a few sets of up to thousands of days per
    # event, and their values on every candidate day are many rows
    for start in range(0, len(todo), ARTICLES_PER_BATCH):
        batch = todo[start : start + ARTICLES_PER_BATCH]
        agreements = {doc_id: agreements_of(index, doc_id, relative[doc_id]) for doc_id in batch}
        candidates = {doc_id: days for doc_id, found in agreements.items() if (days := candidate_days(found))}
        wanted = {doc_id: (timex_ids_of(relative[doc_id]), days) for doc_id, days in candidates.items()}
        values, failed = _candidate_values(undated, wanted, steps, values_cache)
        failures.append(failed)
        raised = set(failed["doc_id"].to_list())
        fresh = {doc_id: best_day(agreements[doc_id], candidates[doc_id], values.get(doc_id, {}))
                 if doc_id in candidates else None
                 for doc_id in batch if doc_id not in raised}
        _store_answers(answers_cache, keys, fresh)
        answers.update(fresh)
    found = {doc_id: answer for doc_id, answer in answers.items() if answer is not None}
    return found, merge_failures(failures)


ANSWERS_SCHEMA = {"key": pl.Utf8, "doc_id": pl.Utf8, "reference_date": pl.Date, "evidence": pl.Utf8}


def _cached_answers(cache: SegmentCache | None, keys: dict[str, str]) -> dict[str, ReferenceDate | None]:
    """``doc_id ->`` the answer cached under the article's current key (None: no day agreed)."""
    cached = None if cache is None else cache.lookup(list(keys.values()))
    if cached is None:
        return {}
    current = {key: doc_id for doc_id, key in keys.items()}
    return {current[key]: ReferenceDate(day, BASIS_CORPUS, evidence) if day is not None else None
            for key, day, evidence in cached.select("key", "reference_date", "evidence").iter_rows()
            if key in current}


def _store_answers(cache: SegmentCache | None, keys: dict[str, str],
                   answers: dict[str, ReferenceDate | None]) -> None:
    if cache is None or not answers:
        return
    rows = [(keys[doc_id], doc_id, None if answer is None else answer.date,
             None if answer is None else answer.evidence) for doc_id, answer in answers.items()]
    cache.store(pl.DataFrame(rows, schema=ANSWERS_SCHEMA, orient="row"))


VALUES_SCHEMA = {"doc_id": pl.Utf8, "day": pl.Date, "timex_id": pl.Utf8, "value": pl.Utf8,
                 "granularity": pl.Utf8, "key": pl.Utf8}


def _candidate_values(undated: pl.DataFrame, wanted: dict[str, tuple[tuple[str, ...], list[dt.date]]],
                      steps: DateSteps, cache: SegmentCache | None) -> tuple[dict[str, Values], pl.DataFrame]:
    """``doc_id ->`` its values on every candidate day, and the articles that raised.

    Cached per article, day and set of expressions (which expressions matter depends on the corpus's
    entities too): a new article changes the reports many undated articles are compared with, but only new
    candidate days are resolved again, from the article's detected rows, one article at a time.
    """
    content = dict(undated.select("doc_id", "content_sha256").iter_rows())
    key_of = {
        (doc_id, day): key
        for doc_id, (timex_ids, days) in wanted.items()
        for day, key in zip(days, text_keys_with_last_part(
            ("corpus_values", doc_id, content[doc_id], *timex_ids), (d.isoformat() for d in days)),
            strict=True)
    }
    cached = None if cache is None else cache.lookup(list(key_of.values()))
    values: dict[str, Values] = {}
    known: set[str] = set()
    if cached is not None:
        for doc_id, day, timex_id, value, granularity, key in cached.select(VALUES_SCHEMA.keys()).iter_rows():
            values.setdefault(doc_id, {}).setdefault(day, {})[timex_id] = (value, granularity)
            known.add(key)
    missing: dict[str, tuple[tuple[str, ...], list[dt.date]]] = {}
    for (doc_id, day), key in key_of.items():
        if key not in known:
            missing.setdefault(doc_id, (wanted[doc_id][0], []))[1].append(day)
    if not missing:
        return values, no_failures()
    fresh, failures = _values_over_rows(steps.detected(undated.filter(pl.col("doc_id").is_in(list(missing)))),
                                        missing)
    rows = [(doc_id, day, timex_id, *by_day[day].get(timex_id, (None, "")), key_of[doc_id, day])
            for doc_id, by_day in fresh.items()
            for day in missing[doc_id][1] for timex_id in missing[doc_id][0]]
    if cache is not None:
        cache.store(pl.DataFrame(rows, schema=VALUES_SCHEMA, orient="row"))
    for doc_id, by_day in fresh.items():
        values.setdefault(doc_id, {}).update(by_day)
    for doc_id in failures["doc_id"].to_list():
        values.pop(doc_id, None)  # an article that raised is not dated from days cached before
    return values, failures


def _values_over_rows(detected: pl.DataFrame, wanted: dict[str, tuple[tuple[str, ...], list[dt.date]]]
                      ) -> tuple[dict[str, Values], pl.DataFrame]:
    """:func:`values_on_days` one article at a time: an article that raises is recorded, the others kept."""
    values: dict[str, Values] = {}
    failures: list[ArticleFailure] = []
    for article in articles_of(detected):
        try:
            values.update(values_on_days([article], {article.doc_id: wanted[article.doc_id]}))
        except Exception as error:  # one article's failure costs it its date, nothing else
            failures.append(ArticleFailure(article.doc_id, CORPUS_DATING, Error.of(error)))
    return values, failures_frame(failures) if failures else no_failures()


def reference_dates_frame(documents: pl.DataFrame, found: dict[str, ReferenceDate]) -> pl.DataFrame:
    """``reference_dates``: the date each article's relative expressions were resolved against, and why."""
    rows = []
    for doc_id, date, basis, evidence in documents.select(
            "doc_id", "reference_date", "reference_date_basis", "reference_date_evidence").iter_rows():
        if doc_id in found:
            date, basis, evidence = found[doc_id]
        rows.append({"doc_id": doc_id, "reference_date": date, "basis": basis, "evidence": evidence})
    empty = empty_frame("reference_dates")
    return pl.DataFrame(rows, schema=empty.schema).sort("doc_id") if rows else empty


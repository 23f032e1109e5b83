"""Dates that need the events: event-anchored expressions, and articles with no date of their own.

:func:`resolve_dates` runs the per-article steps of the dates stage (temporal expressions, then dated
events) and two passes that look beyond one expression:

1. **Event-anchored expressions** (``un jour seulement après son limogeage``, ``au lendemain de sa
   nomination``, ``deux semaines avant l'élection``). The noun is looked up in the event lexicon
   (``events.EVENT_TRIGGERS``); the expression is placed relative to the article's own dated event of that
   type (the nearest one before it in the text, else the nearest after) and its ``anchor`` is that event's
   ``timex_id``. The article's events are then extracted again, so the action of that sentence is dated.
   Without such an event the value stays NULL.
2. **Articles without a reference date** (no sidecar, no dateline, no full date in the text) are dated from
   the corpus. Each day the article could speak from is tried (days around the dates of the events other
   articles report with a participant in common) and scored by how well the article's own relative dates
   then agree with those reports, per event of the article, best class first:
     - ``exact``: an event of the same type with a shared participant on the same day;
     - ``near``: an event with a shared participant within three days (this is what fixes the year of
       ``mardi 20 novembre`` when nothing else in the article does);
     - ``coarse``: an event of the same type with a shared participant on an overlapping month or year.
   The best day wins (more exact, then more near, then more coarse agreements), the earliest on ties: a
   report is written soon after what it reports. At least one exact or near agreement is required;
   otherwise the article keeps no reference date and its relative expressions stay NULL. The basis is
   ``corpus`` and the evidence names the expression, the event and the article it agrees with.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import polars as pl

from pipeline.events import EVENT_TRIGGERS, date_bounds, extract_dated_events
from pipeline.model import DocumentParse
from pipeline.schemas import empty_frame
from pipeline.temporal import (
    ANCHOR_REFERENCE,
    EVENT_ANCHORED,
    ReferenceDate,
    event_offset,
    extract_temporal_expressions,
    values_by_reference,
)

BASIS_CORPUS = "corpus"
NEAR_DAYS = 3  # a shared participant's event this close makes a ``near`` agreement
CANDIDATE_DAYS = range(-7, 9)  # days around a reported event the article might speak from
MAX_CANDIDATES = 240  # cap on the days tried per article (most supported first)


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
    day_events = events.filter(pl.col("granularity") == "day")
    updates: dict[str, tuple[str, str]] = {}
    for row in pending.iter_rows(named=True):
        offset = event_offset(row["text"])
        event_type = event_type_of_noun(offset.noun) if offset else None
        if offset is None or event_type is None:
            continue
        anchor = _anchor_event(day_events, row["doc_id"], event_type, row["doc_char_start"])
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


def _anchor_event(day_events: pl.DataFrame, doc_id: str, event_type: str, position: int) -> dict | None:
    """The article's dated event of that type nearest before ``position`` (else nearest after), outside
    the sentence that holds the expression."""
    candidates = day_events.filter(
        (pl.col("doc_id") == doc_id) & (pl.col("event_type") == event_type)
        & ~((pl.col("doc_char_start") <= position) & (position < pl.col("doc_char_end")))
    )
    if candidates.is_empty():
        return None
    before = candidates.filter(pl.col("doc_char_start") < position)
    if before.height:
        return before.sort("doc_char_start").row(-1, named=True)
    return candidates.sort("doc_char_start").row(0, named=True)


# --- 2. articles dated from the corpus ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Report:
    """An event another article reports, as the comparison needs it."""

    doc_id: str
    event_type: str
    participants: frozenset[str]
    lo: dt.date
    hi: dt.date
    is_day: bool
    date_value: str


@dataclass(frozen=True)
class _Relative:
    """An event of the undated article whose date depends on the reference date."""

    event_type: str
    participants: frozenset[str]
    names: tuple[str, ...]
    timex_id: str
    timex_text: str


def _reports(events: pl.DataFrame) -> list[_Report]:
    out = []
    for row in events.iter_rows(named=True):
        if not row["participant_ids"]:
            continue
        lo, hi = date_bounds(row["date_value"], row["granularity"])
        out.append(_Report(row["doc_id"], row["event_type"], frozenset(row["participant_ids"]), lo, hi,
                           row["granularity"] == "day", row["date_value"]))
    return out


def _relative_events(timexes: pl.DataFrame, events: pl.DataFrame) -> list[_Relative]:
    dependent = timexes.filter(pl.col("anchor") == ANCHOR_REFERENCE).select("timex_id", "text")
    joined = events.join(dependent, on="timex_id", how="inner")
    return [_Relative(r["event_type"], frozenset(r["participant_ids"]), tuple(r["participants"]),
                      r["timex_id"], r["text"])
            for r in joined.iter_rows(named=True) if r["participant_ids"]]


@dataclass(frozen=True)
class _Comparable:
    """The reports one event of the undated article can agree with, indexed by day."""

    exact: dict[dt.date, _Report]  # same type, shared participant, day-level: by day
    near: dict[dt.date, _Report]  # shared participant, day-level, any type: by day
    coarse: list[_Report]  # same type, shared participant, coarser than a day


def _comparable(event: _Relative, reports: list[_Report]) -> _Comparable:
    exact: dict[dt.date, _Report] = {}
    near: dict[dt.date, _Report] = {}
    coarse: list[_Report] = []
    for report in reports:
        if not event.participants & report.participants:
            continue
        same_type = report.event_type == event.event_type
        if report.is_day:
            near.setdefault(report.lo, report)
            if same_type:
                exact.setdefault(report.lo, report)
        elif same_type:
            coarse.append(report)
    return _Comparable(exact, near, coarse)


def _agreement(reports: _Comparable, value: str, granularity: str) -> tuple[int, _Report | None]:
    """Best agreement class of one event dated ``value``: 3 exact, 2 near, 1 coarse, 0 none."""
    lo, hi = date_bounds(value, granularity)
    if granularity == "day":
        if lo in reports.exact:
            return 3, reports.exact[lo]
        for shift in sorted(range(-NEAR_DAYS, NEAR_DAYS + 1), key=abs):
            report = reports.near.get(lo + dt.timedelta(days=shift))
            if report is not None:
                return 2, report
        return 0, None
    for report in reports.coarse:
        if lo <= report.hi and report.lo <= hi:
            return 1, report
    return 0, None


def _candidate_days(relative: list[_Relative], reports: list[_Report]) -> list[dt.date]:
    """Days around the day-level reports that share a participant with one of the article's events."""
    support: dict[dt.date, int] = {}
    participants = frozenset().union(*(e.participants for e in relative))
    for report in reports:
        if report.is_day and report.participants & participants:
            for shift in CANDIDATE_DAYS:
                day = report.lo + dt.timedelta(days=shift)
                support[day] = support.get(day, 0) + 1
    ranked = sorted(support, key=lambda day: (-support[day], day))[:MAX_CANDIDATES]
    return sorted(ranked)


def relative_events(parse: DocumentParse, mentions: pl.DataFrame, entities: pl.DataFrame,
                    probe_day: dt.date) -> list[_Relative]:
    """The article's events whose date depends on its reference date, found with any stand-in day."""
    probe = replace(parse, reference_date=probe_day)
    timexes = extract_temporal_expressions([probe])
    return _relative_events(timexes, extract_dated_events([probe], timexes, mentions, entities))


def corpus_reference_date(parse: DocumentParse, mentions: pl.DataFrame, entities: pl.DataFrame,
                          reported: pl.DataFrame) -> ReferenceDate | None:
    """The day an undated article most plausibly speaks from, given the events other articles report."""
    reports = _reports(reported.filter(pl.col("doc_id") != parse.doc_id))
    day_reports = [r.lo for r in reports if r.is_day]
    if not day_reports:
        return None
    relative = relative_events(parse, mentions, entities, min(day_reports))
    if not relative:
        return None
    values_at = values_by_reference(parse)
    comparable = [_comparable(event, reports) for event in relative]
    best: tuple[tuple[int, int, int], dt.date, str] | None = None
    for day in _candidate_days(relative, reports):
        score, evidence = _score_day(values_at(day), relative, comparable)
        if score[0] + score[1] and (best is None or score > best[0]):
            best = (score, day, evidence)
    if best is None:
        return None
    return ReferenceDate(best[1], BASIS_CORPUS, best[2])


def _score_day(values: dict[str, tuple[str | None, str]], relative: list[_Relative],
               comparable: list[_Comparable]) -> tuple[tuple[int, int, int], str]:
    counts = [0, 0, 0, 0]
    evidence: tuple[int, str] = (0, "")
    for event, reports in zip(relative, comparable, strict=True):
        value, granularity = values.get(event.timex_id, (None, ""))
        if value is None:
            continue
        level, report = _agreement(reports, value, granularity)
        counts[level] += 1
        if report is not None and level > evidence[0]:
            evidence = (level, _evidence(level, event, report))
    return (counts[3], counts[2], counts[1]), evidence[1]


def _evidence(level: int, event: _Relative, report: _Report) -> str:
    """Why this day: the expression, the article's event and the report it agrees with."""
    who = ", ".join(event.names[:3])
    if level == 3:
        return (f"{event.timex_text!r} then dates the {event.event_type} of {who} on the day "
                f"{report.doc_id} reports it ({report.date_value})")
    if level == 2:
        return (f"{event.timex_text!r} then dates the {event.event_type} of {who} within {NEAR_DAYS} days "
                f"of the {report.event_type} {report.doc_id} reports on {report.date_value}")
    return (f"{event.timex_text!r} then dates the {event.event_type} of {who} within the period "
            f"{report.doc_id} reports it ({report.date_value})")


# --- the stage --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DateSteps:
    """The per-article steps of the dates stage, supplied by the caller (which may cache them)."""

    timexes: Callable[[pl.DataFrame], pl.DataFrame]  # documents -> their temporal_expressions rows
    events: Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame]  # documents, their timexes -> event rows
    parses: Callable[[pl.DataFrame], Iterable[DocumentParse]]  # documents -> their parses


@dataclass(frozen=True)
class DatedCorpus:
    temporal_expressions: pl.DataFrame
    dated_events: pl.DataFrame
    reference_dates: pl.DataFrame


def resolve_dates(documents: pl.DataFrame, steps: DateSteps, mentions: pl.DataFrame,
                  entities: pl.DataFrame) -> DatedCorpus:
    """Temporal expressions, dated events and the reference date used, for every article."""
    timexes, events = _per_article(documents, steps)
    found = _date_from_corpus(documents, steps, mentions, entities, events)
    if found:
        redated = (documents.filter(pl.col("doc_id").is_in(list(found)))
                   .with_columns(reference_date=pl.col("doc_id").replace_strict(
                       {d: r.date for d, r in found.items()}, return_dtype=pl.Date)))
        more_timexes, more_events = _per_article(redated, steps)
        keep = ~pl.col("doc_id").is_in(list(found))
        timexes = pl.concat([timexes.filter(keep), more_timexes]).sort("timex_id")
        events = pl.concat([events.filter(keep), more_events]).sort("event_id")
    return DatedCorpus(timexes, events, reference_dates_frame(documents, found))


def _per_article(documents: pl.DataFrame, steps: DateSteps) -> tuple[pl.DataFrame, pl.DataFrame]:
    timexes = steps.timexes(documents)
    events = steps.events(documents, timexes)
    timexes, changed = resolve_event_anchored(timexes, events)
    if changed:
        redo = pl.col("doc_id").is_in(list(changed))
        events = pl.concat([events.filter(~redo),
                            steps.events(documents.filter(redo), timexes.filter(redo))]).sort("event_id")
    return timexes, events


def _date_from_corpus(documents: pl.DataFrame, steps: DateSteps, mentions: pl.DataFrame,
                      entities: pl.DataFrame, events: pl.DataFrame) -> dict[str, ReferenceDate]:
    undated = documents.filter(pl.col("reference_date").is_null())
    if undated.is_empty() or events.is_empty():
        return {}
    found = {}
    for parse in steps.parses(undated):
        own = mentions.filter(pl.col("doc_id") == parse.doc_id)
        reference = corpus_reference_date(parse, own, entities, events)
        if reference is not None:
            found[parse.doc_id] = reference
    return found


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

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
from dataclasses import dataclass

import polars as pl

from pipeline.cache import SegmentCache, text_key
from pipeline.events import EVENT_TRIGGERS, date_bounds
from pipeline.model import DocumentParse
from pipeline.schemas import empty_frame
from pipeline.temporal import (
    ANCHOR_REFERENCE,
    EVENT_ANCHORED,
    ReferenceDate,
    event_offset,
    values_by_reference,
)

BASIS_CORPUS = "corpus"
PROBE_DAY = dt.date(2001, 1, 3)  # any day will do: it only shows which events depend on the reference date
NEAR_DAYS = 3  # a shared participant's event this close makes a ``near`` agreement
CANDIDATE_DAYS = range(-7, 9)  # days around a reported event the article might speak from
MAX_BASE_DAYS = 12  # report days an article is tried around (those most of its events share first)


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
    participants: tuple[str, ...]  # entity ids, sorted (a stable ``repr`` for the cache key)
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


def _relative_events_by_doc(timexes: pl.DataFrame, events: pl.DataFrame) -> dict[str, list[_Relative]]:
    """doc_id -> its events dated by an expression that depends on the reference date."""
    dependent = timexes.filter(pl.col("anchor") == ANCHOR_REFERENCE).select("timex_id", "text")
    joined = events.join(dependent, on="timex_id", how="inner").sort("event_id")
    out: dict[str, list[_Relative]] = {}
    for r in joined.iter_rows(named=True):
        if r["participant_ids"]:
            out.setdefault(r["doc_id"], []).append(_Relative(
                r["event_type"], tuple(sorted(r["participant_ids"])), tuple(r["participants"]),
                r["timex_id"], r["text"]))
    return out


@dataclass(frozen=True)
class _Comparable:
    """The reports one event of the undated article can agree with, indexed by day."""

    exact: dict[dt.date, _Report]  # same type, shared participant, day-level: by day
    near: dict[dt.date, _Report]  # shared participant, day-level, any type: by day
    coarse: list[_Report]  # same type, shared participant, coarser than a day


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


def _keep_two(reports: list[_Report], report: _Report) -> None:
    """Keep up to two reports from different articles: one survives excluding the article being dated."""
    if len(reports) < 2 and all(r.doc_id != report.doc_id for r in reports):
        reports.append(report)


class _ReportIndex:
    """The corpus's reports indexed by participant (and type) and day, built once per run: dating an
    article looks up the days of the reports it shares someone with, not every report."""

    def __init__(self, reports: list[_Report]):
        self.near: dict[str, dict[dt.date, list[_Report]]] = {}
        self.exact: dict[tuple[str, str], dict[dt.date, list[_Report]]] = {}
        self.coarse: dict[tuple[str, str], dict[tuple[dt.date, dt.date], list[_Report]]] = {}
        self.support: dict[str, dict[dt.date, int]] = {}
        for report in sorted(reports, key=lambda r: (r.lo, r.hi, r.doc_id, r.event_type)):
            for participant in report.participants:
                if report.is_day:
                    _keep_two(self.near.setdefault(participant, {}).setdefault(report.lo, []), report)
                    typed = self.exact.setdefault((participant, report.event_type), {})
                    _keep_two(typed.setdefault(report.lo, []), report)
                    days = self.support.setdefault(participant, {})
                    days[report.lo] = days.get(report.lo, 0) + 1
                else:
                    spans = self.coarse.setdefault((participant, report.event_type), {})
                    _keep_two(spans.setdefault((report.lo, report.hi), []), report)

    def comparable(self, event: _Relative, exclude_doc: str) -> _Comparable:
        exact: dict[dt.date, _Report] = {}
        near: dict[dt.date, _Report] = {}
        coarse: dict[tuple[dt.date, dt.date], _Report] = {}
        for participant in event.participants:
            _merge(exact, self.exact.get((participant, event.event_type), {}), exclude_doc)
            _merge(near, self.near.get(participant, {}), exclude_doc)
            _merge(coarse, self.coarse.get((participant, event.event_type), {}), exclude_doc)
        return _Comparable(exact, near, [coarse[k] for k in sorted(coarse)])



def _candidate_days(comparable: list[_Comparable]) -> list[dt.date]:
    """Days around the days of the reports the article's events can agree with: the days most of its
    events have a report on first (at most ``MAX_BASE_DAYS``), each widened by ``CANDIDATE_DAYS``."""
    support: dict[dt.date, int] = {}
    for reports in comparable:
        for day in reports.near:
            support[day] = support.get(day, 0) + 1
    base = sorted(support, key=lambda day: (-support[day], day))[:MAX_BASE_DAYS]
    return sorted({day + dt.timedelta(days=shift) for day in base for shift in CANDIDATE_DAYS})


def _merge(into: dict, reports_by_key: dict, exclude_doc: str) -> None:
    """For each key, the report of another article with the smallest doc_id (a stable choice).

    Each list holds at most two reports of different articles (:func:`_keep_two`), so the first one
    not from ``exclude_doc`` is the first or the second. This runs once per day a participant is reported
    on, per event of every undated article: no generator per key.
    """
    for key, reports in reports_by_key.items():
        report = reports[0]
        if report.doc_id == exclude_doc:
            if len(reports) < 2:
                continue
            report = reports[1]
        current = into.get(key)
        if current is None or report.doc_id < current.doc_id:
            into[key] = report


_Values = dict[dt.date, dict[str, tuple[str | None, str]]]  # day -> timex_id -> (value, granularity)


@dataclass(frozen=True)
class _Question:
    """Dating one undated article: its events that depend on the reference date, the reports each can
    agree with, and the days to try."""

    doc_id: str
    relative: list[_Relative]
    comparable: list[_Comparable]
    candidates: list[dt.date]

    @property
    def timex_ids(self) -> tuple[str, ...]:
        return tuple(sorted({event.timex_id for event in self.relative}))


def _question(doc_id: str, relative: list[_Relative], index: _ReportIndex) -> _Question:
    comparable = [index.comparable(event, doc_id) for event in relative]
    return _Question(doc_id, relative, comparable, _candidate_days(comparable))


def _answer(question: _Question, values_by_day: _Values) -> ReferenceDate | None:
    """Try every candidate day; the best agreement wins (see the module docstring)."""
    best: tuple[tuple[int, int, int], dt.date, str] | None = None
    for day in question.candidates:
        score, evidence = _score_day(values_by_day.get(day, {}), question.relative, question.comparable)
        if score[0] + score[1] and (best is None or score > best[0]):
            best = (score, day, evidence)
    if best is None:
        return None
    return ReferenceDate(best[1], BASIS_CORPUS, best[2])


VALUES_SCHEMA = {"doc_id": pl.Utf8, "day": pl.Date, "timex_id": pl.Utf8, "value": pl.Utf8,
                 "granularity": pl.Utf8}


def values_on_days(parses: Iterable[DocumentParse],
                   wanted: dict[str, tuple[tuple[str, ...], list[dt.date]]]) -> pl.DataFrame:
    """For each parse, the values its expressions ``timex_ids`` take on each of ``days`` as reference date.

    The costly part of dating from the corpus (detection needs the parse), and a function of the article
    and the day alone: the stage caches it per article and day, so a re-run only computes new days.
    """
    rows: dict[str, list] = {column: [] for column in VALUES_SCHEMA}
    for parse in parses:
        timex_ids, days = wanted[parse.doc_id]
        values_at = values_by_reference(parse)
        for day in days:
            values = values_at(day)
            for timex_id in timex_ids:
                value, granularity = values.get(timex_id, (None, ""))
                for column, item in zip(VALUES_SCHEMA, (parse.doc_id, day, timex_id, value, granularity),
                                        strict=True):
                    rows[column].append(item)
    return pl.DataFrame(rows, schema=VALUES_SCHEMA)


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
    # (function, documents, values by doc_id) -> function(their parses, those values): rows
    over_parses: Callable[[Callable[..., pl.DataFrame], pl.DataFrame, dict[str, object]], pl.DataFrame]


@dataclass(frozen=True)
class DatedCorpus:
    temporal_expressions: pl.DataFrame
    dated_events: pl.DataFrame
    reference_dates: pl.DataFrame


def resolve_dates(documents: pl.DataFrame, steps: DateSteps,
                  values_cache: SegmentCache | None = None) -> DatedCorpus:
    """Temporal expressions, dated events and the reference date used, for every article.

    ``values_cache``: where the values of undated articles on candidate days are kept between runs (see
    :func:`_date_from_corpus`); without it they are computed every time.
    """
    timexes, events = _per_article(documents, steps)
    found = _date_from_corpus(documents, steps, events, values_cache)
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


def _date_from_corpus(documents: pl.DataFrame, steps: DateSteps, events: pl.DataFrame,
                      values_cache: SegmentCache | None) -> dict[str, ReferenceDate]:
    """Reference dates of the undated articles that the corpus can date.

    Which of an article's events depend on its reference date is found by running the per-article
    steps with a stand-in day (``PROBE_DAY``; cached like any run). The values those expressions take on
    each candidate day come from ``values_cache`` when known: a new article changes the reports many
    undated articles are compared with, but only new candidate days need their parses again.
    """
    undated = documents.filter(pl.col("reference_date").is_null())
    if undated.is_empty() or events.is_empty():
        return {}
    probed = undated.with_columns(reference_date=pl.lit(PROBE_DAY, dtype=pl.Date))
    probe_timexes = steps.timexes(probed)
    relative = _relative_events_by_doc(probe_timexes, steps.events(probed, probe_timexes))
    index = _ReportIndex(_reports(events))
    questions = {doc_id: _question(doc_id, relative[doc_id], index)
                 for doc_id in undated["doc_id"].to_list() if relative.get(doc_id)}
    values = _candidate_values(undated, questions, steps, values_cache)
    return {doc_id: answer for doc_id, question in questions.items()
            if (answer := _answer(question, values.get(doc_id, {}))) is not None}


def _candidate_values(undated: pl.DataFrame, questions: dict[str, _Question], steps: DateSteps,
                      cache: SegmentCache | None) -> dict[str, _Values]:
    """``doc_id -> day -> timex_id -> (value, granularity)`` on every candidate day of every question.

    Cached per article, day and set of expressions (the expressions that matter depend on the corpus's
    entities too); the rest is computed over the articles' parses.
    """
    content = dict(undated.select("doc_id", "content_sha256").iter_rows())
    key_of = {(doc_id, day): text_key("corpus_values", doc_id, content[doc_id], day.isoformat(),
                                      *question.timex_ids)
              for doc_id, question in questions.items() for day in question.candidates}
    cached = None if cache is None else cache.lookup(list(key_of.values()))
    known = set() if cached is None else set(cached["key"].to_list())
    missing: dict[str, list[dt.date]] = {}
    for (doc_id, day), key in key_of.items():
        if key not in known:
            missing.setdefault(doc_id, []).append(day)
    parts = [] if cached is None else [cached.select(VALUES_SCHEMA.keys())]
    if missing:
        wanted = {doc_id: (questions[doc_id].timex_ids, days) for doc_id, days in missing.items()}
        fresh = steps.over_parses(values_on_days, undated.filter(pl.col("doc_id").is_in(list(missing))),
                                  wanted)
        if cache is not None:
            keys = pl.DataFrame([(doc_id, day, key) for (doc_id, day), key in key_of.items()],
                                schema={"doc_id": pl.Utf8, "day": pl.Date, "key": pl.Utf8}, orient="row")
            cache.store(fresh.join(keys, on=["doc_id", "day"], how="left"))
        parts.append(fresh)
    values: dict[str, _Values] = {}
    for doc_id, day, timex_id, value, granularity in pl.concat(parts or [pl.DataFrame(
            schema=VALUES_SCHEMA)]).iter_rows():
        values.setdefault(doc_id, {}).setdefault(day, {})[timex_id] = (value, granularity)
    return values


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

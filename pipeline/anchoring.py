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
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache

import polars as pl

from pipeline.cache import SegmentCache, text_keys_with_last_part
from pipeline.events import EVENT_TRIGGERS, date_bounds
from pipeline.model import DocumentParse
from pipeline.schemas import empty_frame
from pipeline.temporal import (
    ANCHOR_REFERENCE,
    EVENT_ANCHORED,
    REFERENCE_YEARS,
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
    participants: tuple[str, ...]  # entity ids, sorted
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


NEAR_SHIFTS = tuple(sorted(range(-NEAR_DAYS, NEAR_DAYS + 1), key=abs))  # 0, -1, 1, -2, 2, ...


def _keep_two(reports: list[_Report], report: _Report) -> None:
    """Keep up to two reports from different articles: one survives excluding the article being dated."""
    if len(reports) < 2 and all(r.doc_id != report.doc_id for r in reports):
        reports.append(report)


def _pick(lists: Iterable[list[_Report] | None], exclude_doc: str) -> _Report | None:
    """Among the lists found for one day or span (one per participant), the report of another article
    with the smallest doc_id (a stable choice).

    Each list holds at most two reports of different articles (:func:`_keep_two`), so the first one not
    from ``exclude_doc`` is the first or the second.
    """
    best = None
    for reports in lists:
        if not reports:
            continue
        report = reports[0]
        if report.doc_id == exclude_doc:
            if len(reports) < 2:
                continue
            report = reports[1]
        if best is None or report.doc_id < best.doc_id:
            best = report
    return best


class _Days:
    """Days (ordinals) reported per key, and per key and article the days only that article reports, so
    that "days reported by another article than X" is a few set operations, not a scan of the reports."""

    def __init__(self) -> None:
        self.reports: dict[object, dict[int, list[_Report]]] = {}
        self._days: dict[object, frozenset[int]] = {}
        self._sole: dict[object, dict[str, frozenset[int]]] = {}

    def add(self, key: object, day: int, report: _Report) -> None:
        _keep_two(self.reports.setdefault(key, {}).setdefault(day, []), report)

    def freeze(self) -> None:
        for key, by_day in self.reports.items():
            self._days[key] = frozenset(by_day)
            sole: dict[str, set[int]] = {}
            for day, reports in by_day.items():
                if len(reports) == 1:
                    sole.setdefault(reports[0].doc_id, set()).add(day)
            self._sole[key] = {doc_id: frozenset(days) for doc_id, days in sole.items()}

    def by_others(self, keys: Iterable[object], exclude_doc: str) -> set[int]:
        """Days on which some key has a report of another article than ``exclude_doc``."""
        keys = list(keys)
        days = set().union(*(self._days.get(key, ()) for key in keys))
        only_excluded = [self._sole.get(key, {}).get(exclude_doc, frozenset()) for key in keys]
        if any(only_excluded):
            kept = set().union(*(self._days.get(key, frozenset()) - sole
                                 for key, sole in zip(keys, only_excluded, strict=True)))
            days -= set().union(*only_excluded) - kept
        return days

    def report(self, keys: Iterable[object], day: int, exclude_doc: str) -> _Report | None:
        return _pick((self.reports.get(key, {}).get(day) for key in keys), exclude_doc)


class _ReportIndex:
    """The corpus's reports indexed by participant (and type) and day, built once per run: dating an
    article looks up the days of the reports it shares someone with, never every report."""

    def __init__(self, reports: list[_Report]):
        self.near = _Days()  # day-level reports by participant
        self.exact = _Days()  # day-level reports by (participant, type)
        self.coarse: dict[tuple[str, str], dict[tuple[int, int], list[_Report]]] = {}  # coarser ones
        for report in sorted(reports, key=lambda r: (r.lo, r.hi, r.doc_id, r.event_type)):
            lo, hi = report.lo.toordinal(), report.hi.toordinal()
            for participant in report.participants:
                if report.is_day:
                    self.near.add(participant, lo, report)
                    self.exact.add((participant, report.event_type), lo, report)
                else:
                    spans = self.coarse.setdefault((participant, report.event_type), {})
                    _keep_two(spans.setdefault((lo, hi), []), report)
        self.near.freeze()
        self.exact.freeze()

    def agreements(self, event: _Relative, exclude_doc: str) -> _Agreements:
        typed = [(participant, event.event_type) for participant in event.participants]
        return _Agreements(self, event, exclude_doc, typed,
                           near=self.near.by_others(event.participants, exclude_doc),
                           exact=self.exact.by_others(typed, exclude_doc))

    def coarse_reports(self, typed: list[tuple[str, str]], exclude_doc: str) -> list[_Report]:
        """Coarser-than-a-day reports of another article, one per span (see :func:`_pick`), by span."""
        spans = sorted({span for key in typed for span in self.coarse.get(key, {})})
        picked = (_pick((self.coarse.get(key, {}).get(span) for key in typed), exclude_doc) for span in spans)
        return [report for report in picked if report is not None]


@dataclass
class _Agreements:
    """What one event of the undated article can agree with: the days of the reports of other articles
    with a shared participant (``near``) and also of its type (``exact``)."""

    index: _ReportIndex
    event: _Relative
    exclude_doc: str
    typed: list[tuple[str, str]]
    near: set[int]
    exact: set[int]
    _coarse: list[_Report] | None = None

    def level(self, lo: int, hi: int, is_day: bool) -> int:
        """Best agreement class of the event dated [lo, hi]: 3 exact, 2 near, 1 coarse, 0 none."""
        if is_day:
            if lo in self.exact:
                return 3
            return 2 if any(lo + shift in self.near for shift in NEAR_SHIFTS) else 0
        return 1 if self._coarse_report(lo, hi) is not None else 0

    def report(self, lo: int, hi: int, is_day: bool) -> _Report | None:
        """The report behind :meth:`level` (for the evidence of the day chosen)."""
        participants = self.event.participants
        if not is_day:
            return self._coarse_report(lo, hi)
        if lo in self.exact:
            return self.index.exact.report(self.typed, lo, self.exclude_doc)
        for shift in NEAR_SHIFTS:
            if lo + shift in self.near:
                return self.index.near.report(participants, lo + shift, self.exclude_doc)
        return None

    def _coarse_report(self, lo: int, hi: int) -> _Report | None:
        if self._coarse is None:
            self._coarse = self.index.coarse_reports(self.typed, self.exclude_doc)
        for report in self._coarse:
            if lo <= report.hi.toordinal() and report.lo.toordinal() <= hi:
                return report
        return None


# Candidate days an undated article may speak from: the reference-date years (a report dated 9999-12-31
# must not widen into the year 10000, which ``datetime`` cannot hold).
_REFERENCE_ORDINALS = range(dt.date(REFERENCE_YEARS.start, 1, 1).toordinal(),
                            dt.date(REFERENCE_YEARS.stop - 1, 12, 31).toordinal() + 1)


def _candidate_days(agreements: list[_Agreements]) -> list[dt.date]:
    """Days around the days of the reports the article's events can agree with: the days most of its
    events have a report on first (at most ``MAX_BASE_DAYS``), each widened by ``CANDIDATE_DAYS``."""
    support: Counter[int] = Counter()
    for agreement in agreements:
        support.update(agreement.near)  # counted in C: near sets hold hundreds of days
    base = sorted(support, key=lambda day: (-support[day], day))[:MAX_BASE_DAYS]
    days = {day + shift for day in base for shift in CANDIDATE_DAYS}
    return [dt.date.fromordinal(day) for day in sorted(days) if day in _REFERENCE_ORDINALS]


_Values = dict[dt.date, dict[str, tuple[str | None, str]]]  # day -> timex_id -> (value, granularity)


@cache
def _ordinal_bounds(value: str, granularity: str) -> tuple[int, int, bool]:
    lo, hi = date_bounds(value, granularity)
    return lo.toordinal(), hi.toordinal(), granularity == "day"


def _answer(agreements: list[_Agreements], candidates: list[dt.date], values_by_day: _Values
            ) -> ReferenceDate | None:
    """Try every candidate day; the best agreement wins (see the module docstring): more exact, then more
    near, then more coarse agreements, the earliest day on ties, and at least one exact or near."""
    best: tuple[tuple[int, int, int], dt.date] | None = None
    for day in candidates:
        counts = [0, 0, 0, 0]
        values = values_by_day.get(day, {})
        for agreement in agreements:
            value, granularity = values.get(agreement.event.timex_id, (None, ""))
            if value is not None:
                counts[agreement.level(*_ordinal_bounds(value, granularity))] += 1
        score = (counts[3], counts[2], counts[1])
        if score[0] + score[1] and (best is None or score > best[0]):
            best = (score, day)
    if best is None:
        return None
    return ReferenceDate(best[1], BASIS_CORPUS, _evidence_on(agreements, values_by_day[best[1]]))


def _evidence_on(agreements: list[_Agreements], values: dict[str, tuple[str | None, str]]) -> str:
    """The evidence of the day chosen: the first event with the best agreement, and its report."""
    found: list[tuple[int, _Agreements, tuple[int, int, bool]]] = []
    for agreement in agreements:
        value, granularity = values.get(agreement.event.timex_id, (None, ""))
        if value is not None:
            bounds = _ordinal_bounds(value, granularity)
            found.append((agreement.level(*bounds), agreement, bounds))
    level, agreement, bounds = max(found, key=lambda item: item[0])  # max keeps the first of the best
    report = agreement.report(*bounds)
    assert report is not None, "a day is chosen only with an agreement"
    return _evidence(level, agreement.event, report)


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
    # one article at a time: what it can agree with is a few sets of days per event, rebuilt when scored
    candidates = {doc_id: days for doc_id in undated["doc_id"].to_list() if relative.get(doc_id)
                  if (days := _candidate_days(_agreements(index, doc_id, relative[doc_id])))}
    values = _candidate_values(undated, relative, candidates, steps, values_cache)
    found = {}
    for doc_id, days in candidates.items():
        answer = _answer(_agreements(index, doc_id, relative[doc_id]), days, _by_day(values.get(doc_id)))
        if answer is not None:
            found[doc_id] = answer
    return found


def _agreements(index: _ReportIndex, doc_id: str, relative: list[_Relative]) -> list[_Agreements]:
    return [index.agreements(event, doc_id) for event in relative]


def _timex_ids(relative: list[_Relative]) -> tuple[str, ...]:
    return tuple(sorted({event.timex_id for event in relative}))


def _candidate_values(undated: pl.DataFrame, relative: dict[str, list[_Relative]],
                      candidates: dict[str, list[dt.date]], steps: DateSteps,
                      cache: SegmentCache | None) -> dict[str, pl.DataFrame]:
    """``doc_id ->`` its rows of :data:`VALUES_SCHEMA` on every candidate day (frames, not Python objects:
    at 10,000 articles there are millions).

    Cached per article, day and set of expressions (the expressions that matter depend on the corpus's
    entities too); the rest is computed over the articles' parses.
    """
    content = dict(undated.select("doc_id", "content_sha256").iter_rows())
    timex_ids = {doc_id: _timex_ids(relative[doc_id]) for doc_id in candidates}
    key_of = {
        (doc_id, day): key
        for doc_id, days in candidates.items()
        for day, key in zip(days, text_keys_with_last_part(
            ("corpus_values", doc_id, content[doc_id], *timex_ids[doc_id]), (d.isoformat() for d in days)),
            strict=True)
    }
    cached = None if cache is None else cache.lookup(list(key_of.values()))
    known = set() if cached is None else set(cached["key"].to_list())
    missing: dict[str, list[dt.date]] = {}
    for (doc_id, day), key in key_of.items():
        if key not in known:
            missing.setdefault(doc_id, []).append(day)
    parts = [pl.DataFrame(schema=VALUES_SCHEMA)] if cached is None else [cached.select(VALUES_SCHEMA.keys())]
    if missing:
        wanted = {doc_id: (timex_ids[doc_id], days) for doc_id, days in missing.items()}
        fresh = steps.over_parses(values_on_days, undated.filter(pl.col("doc_id").is_in(list(missing))),
                                  wanted)
        if cache is not None:
            keys = pl.DataFrame([(doc_id, day, key) for (doc_id, day), key in key_of.items()],
                                schema={"doc_id": pl.Utf8, "day": pl.Date, "key": pl.Utf8}, orient="row")
            cache.store(fresh.join(keys, on=["doc_id", "day"], how="left"))
        parts.append(fresh)
    return {key[0]: rows for key, rows in pl.concat(parts).partition_by("doc_id", as_dict=True).items()}


def _by_day(rows: pl.DataFrame | None) -> _Values:
    """One article's values as ``day -> timex_id -> (value, granularity)``."""
    values: _Values = {}
    for _, day, timex_id, value, granularity in () if rows is None else rows.iter_rows():
        values.setdefault(day, {})[timex_id] = (value, granularity)
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

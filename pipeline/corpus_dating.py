"""Articles without a reference date (no sidecar, no dateline, no full date in the text), dated from the
corpus, over rows: no parse is read here.

Each day the article could speak from is tried (days around the dates of the events other articles report
with a participant in common) and scored by how well the article's own relative dates then agree with
those reports, per event of the article, best class first:
  - ``exact``: an event of the same type with a shared participant on the same day;
  - ``near``: an event with a shared participant within three days (this is what fixes the year of
    ``mardi 20 novembre`` when nothing else in the article does);
  - ``coarse``: an event of the same type with a shared participant on an overlapping month or year.
The best day wins (more exact, then more near, then more coarse agreements), the earliest on ties: a report
is written soon after what it reports. At least one exact or near agreement is required; otherwise the
article keeps no reference date and its relative expressions stay NULL. The basis is ``corpus`` and the
evidence names the expression, the event and the article it agrees with.

The article's values on each candidate day come from its detected temporal rows, resolved against that day
(:func:`pipeline.temporal.values_at`): a pure function of the rows and the day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import polars as pl

from pipeline.cache import text_key
from pipeline.events import date_bounds
from pipeline.temporal import ANCHOR_REFERENCE, REFERENCE_YEARS, ArticleTimexes, ReferenceDate, values_at

BASIS_CORPUS = "corpus"
NEAR_DAYS = 3  # a shared participant's event this close makes a ``near`` agreement
CANDIDATE_DAYS = range(-7, 9)  # days around a reported event the article might speak from
MAX_BASE_DAYS = 12  # report days an article is tried around (those most of its events share first)

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


def _fingerprint(report: _Report) -> tuple[str, str, str, str, str]:
    """What dating reads of a report: whose it is, its type and its dates (the evidence names them)."""
    return report.doc_id, report.event_type, report.lo.isoformat(), report.hi.isoformat(), report.date_value


def reports_of(events: pl.DataFrame) -> list[_Report]:
    out = []
    for row in events.iter_rows(named=True):
        if not row["participant_ids"]:
            continue
        lo, hi = date_bounds(row["date_value"], row["granularity"])
        out.append(_Report(row["doc_id"], row["event_type"], frozenset(row["participant_ids"]), lo, hi,
                           row["granularity"] == "day", row["date_value"]))
    return out


def relative_events_by_doc(timexes: pl.DataFrame, events: pl.DataFrame) -> dict[str, list[_Relative]]:
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


class ReportIndex:
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
        self._digests: dict[tuple[str, object], str] = {}

    def inputs_digest(self, relative: list[_Relative]) -> list[str]:
        """Digests of every part of the index an article's events read: the reports kept per participant
        and day, per participant, type and day, and per participant and type over coarser spans. While
        they are unchanged, so is the article's answer (a new article reporting a day that two others
        report already changes none of them)."""
        keys = sorted({(kind, key) for event in relative for participant in event.participants
                       for kind, key in (("near", participant), ("exact", (participant, event.event_type)),
                                         ("coarse", (participant, event.event_type)))})
        return [self._digest(kind, key) for kind, key in keys]

    def _digest(self, kind: str, key: object) -> str:
        memo = (kind, key)
        if memo not in self._digests:
            groups = (self.coarse if kind == "coarse" else getattr(self, kind).reports).get(key, {})
            self._digests[memo] = text_key(kind, key, *(
                (span, [_fingerprint(report) for report in reports])
                for span, reports in sorted(groups.items())))
        return self._digests[memo]

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

    index: ReportIndex
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


def candidate_days(agreements: list[_Agreements]) -> list[dt.date]:
    """Days around the days of the reports the article's events can agree with: the days most of its
    events have a report on first (at most ``MAX_BASE_DAYS``), each widened by ``CANDIDATE_DAYS``."""
    support: Counter[int] = Counter()
    for agreement in agreements:
        support.update(agreement.near)  # counted in C: near sets hold hundreds of days
    base = sorted(support, key=lambda day: (-support[day], day))[:MAX_BASE_DAYS]
    days = {day + shift for day in base for shift in CANDIDATE_DAYS}
    return [dt.date.fromordinal(day) for day in sorted(days) if day in _REFERENCE_ORDINALS]


Values = dict[dt.date, dict[str, tuple[str | None, str]]]  # day -> timex_id -> (value, granularity)


@cache
def _ordinal_bounds(value: str, granularity: str) -> tuple[int, int, bool]:
    lo, hi = date_bounds(value, granularity)
    return lo.toordinal(), hi.toordinal(), granularity == "day"


def best_day(agreements: list[_Agreements], candidates: list[dt.date], values_by_day: Values
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



def values_on_days(articles: Iterable[ArticleTimexes],
                   wanted: dict[str, tuple[tuple[str, ...], list[dt.date]]]) -> dict[str, Values]:
    """For each article, the values its expressions ``timex_ids`` take on each of ``days`` as reference
    date: ``doc_id -> day -> timex_id -> (value, granularity)`` (an expression dropped that day is absent).

    Over the article's detected rows: resolving them is cheap, detecting them (the parse) is done once.
    """
    out: dict[str, Values] = {}
    for article in articles:
        timex_ids, days = wanted[article.doc_id]
        by_day = out.setdefault(article.doc_id, {})
        for day in days:
            values = values_at(article, day)
            by_day[day] = {timex_id: values[timex_id] for timex_id in timex_ids if timex_id in values}
    return out


def agreements_of(index: ReportIndex, doc_id: str, relative: list[_Relative]) -> list[_Agreements]:
    return [index.agreements(event, doc_id) for event in relative]


def answer_key(index: ReportIndex, doc_id: str, content_sha256: str, relative: list[_Relative]) -> str:
    """Everything an undated article's answer is computed from: its file, its events that depend on the
    reference date, and the parts of the corpus's report index those events read."""
    events = [(e.event_type, e.participants, e.names, e.timex_id, e.timex_text) for e in relative]
    return text_key("corpus_answer", doc_id, content_sha256, *events, *index.inputs_digest(relative))


def timex_ids_of(relative: list[_Relative]) -> tuple[str, ...]:
    return tuple(sorted({event.timex_id for event in relative}))


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


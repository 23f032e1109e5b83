"""``timeline``: the same real-world event reported by several articles, merged (date bounds of an ISO
value, compatible reports, connected components)."""

from __future__ import annotations

import datetime as dt
import hashlib

import polars as pl
from dateutil.relativedelta import relativedelta

from pipeline.schemas import empty_frame
from pipeline.unionfind import UnionFind


def date_bounds(value: str, granularity: str) -> tuple[dt.date, dt.date]:
    """First and last day an ISO value covers (``2023-W46`` -> 13..19 Nov 2023, ``2015`` -> the year).

    A period that ends after 31 December 9999 (``9999-W52``, the winter of 9999) ends on that day.
    """
    if granularity == "day":
        day = dt.date.fromisoformat(value)
        return day, day
    if granularity == "week":
        year, week = value.split("-W")
        monday = dt.date.fromisocalendar(int(year), int(week), 1)
        return monday, _period_end(monday, days=7)
    if granularity == "month":
        year, month = map(int, value.split("-"))
        first = dt.date(year, month, 1)
        return first, _period_end(first, months=1)
    if granularity in ("year", "season", "quarter"):
        year = int(value[:4])
        return dt.date(year, 1, 1), dt.date(year, 12, 31) if granularity == "year" else _season_end(value)
    span = 10 if granularity == "decade" else 100
    first = int(value) * span
    return dt.date(max(first, 1), 1, 1), dt.date(first + span - 1, 12, 31)


def _period_end(first: dt.date, days: int = 0, months: int = 0) -> dt.date:
    """The last day of the period of ``months`` months (or ``days`` days) that starts on ``first``; a period
    running past the end of the calendar (``9999-W52``, ``9999-12``) ends on 31 December 9999."""
    try:
        return first + relativedelta(months=months, days=days) - dt.timedelta(days=1)
    except (OverflowError, ValueError):
        return dt.date.max


def _season_end(value: str) -> dt.date:
    year, code = int(value[:4]), value[5:]
    ends = {"SP": (5, 31), "SU": (8, 31), "FA": (11, 30), "Q1": (3, 31), "Q2": (6, 30), "Q3": (9, 30),
            "Q4": (12, 31), "WI": (12, 31)}
    month, day = ends[code]
    if code == "WI":  # December to the end of February of the next year
        return _period_end(dt.date(year, 12, 1), months=3)
    return dt.date(year, month, day)


_GRANULARITY_RANK = {"day": 0, "week": 1, "month": 2, "season": 3, "quarter": 3, "year": 4, "decade": 5,
                     "century": 6}


def _bounds_by_value(dated_events: pl.DataFrame) -> pl.DataFrame:
    """``lo``/``hi`` per distinct (date_value, granularity): a corpus repeats few dates, so ``date_bounds``
    runs once per distinct value instead of once per event."""
    distinct = dated_events.select("date_value", "granularity").unique()
    bounds = [date_bounds(v, g) for v, g in distinct.iter_rows()]
    return distinct.with_columns(lo=pl.Series([b[0] for b in bounds], dtype=pl.Date),
                                 hi=pl.Series([b[1] for b in bounds], dtype=pl.Date))


def _overlap_links(events: pl.DataFrame) -> pl.DataFrame:
    """(node, node_b) links with the same connected components as all compatible pairs.

    Compatible: same type, overlapping dates, a shared participant. Materialising every pair is quadratic
    in the events of a frequent participant; instead, within each (type, participant) group sorted by
    ``lo``, an event overlaps an earlier one iff its ``lo`` is <= the running max of the earlier ``hi``,
    and linking it to its predecessor then yields the same components (one link per exploded row).
    """
    group = ["event_type", "participant_ids"]
    exploded = (events.select("node", "event_type", "lo", "hi", "participant_ids")
                .explode("participant_ids", empty_as_null=True)
                .filter(pl.col("participant_ids").is_not_null())
                .sort(*group, "lo"))
    return (exploded.with_columns(reach=pl.col("hi").cum_max().shift(1).over(group),
                                  node_b=pl.col("node").shift(1).over(group))
            .filter(pl.col("lo") <= pl.col("reach"))
            .select("node", "node_b"))


def _component_roots(n_nodes: int, links: pl.DataFrame) -> list[int]:
    """Node -> the smallest node of its component (``pipeline/unionfind.py``: the smallest key leads).

    Nodes are event_ids in sorted order, so the smallest node is the cluster's smallest event_id.
    """
    groups: UnionFind[int] = UnionFind()
    for a, b in links.iter_rows():
        groups.union(a, b)
    return [groups.find(node) for node in range(n_nodes)]


def _cluster_keys(events: pl.DataFrame) -> pl.Series:
    """Per event row, the smallest event_id of its merged cluster (merging is transitive)."""
    ids = events["event_id"].unique().sort()
    nodes = events.with_columns(node=pl.col("event_id").rank("dense").cast(pl.Int64) - 1)
    roots = _component_roots(ids.len(), _overlap_links(nodes))
    return ids.gather(pl.Series(roots, dtype=pl.Int64)).gather(nodes["node"]).alias("cluster")


def build_timeline(dated_events: pl.DataFrame, reference_dates: pl.DataFrame) -> pl.DataFrame:
    """``timeline``: one row per real-world event, merged across articles.

    Two reports are the same event when they have the same type, dates that overlap (``2023-11`` and
    ``2023-11-17`` do) and share a participant; merging is transitive. A row keeps the most precise date
    reported, the participants by number of reports, and the earliest report by the reporting document's
    reference date.
    """
    if dated_events.is_empty():
        return empty_frame("timeline")
    events = (dated_events.join(_bounds_by_value(dated_events), on=["date_value", "granularity"],
                                how="left", nulls_equal=True, maintain_order="left")
              .with_columns(rank=pl.col("granularity").replace_strict(_GRANULARITY_RANK, default=9)))
    events = (events.with_columns(_cluster_keys(events))
              .join(reference_dates.select("doc_id", pl.col("reference_date").alias("reported_on")),
                    on="doc_id", how="left")
              .sort("cluster", pl.col("reported_on").fill_null(dt.date.max), "doc_id", "doc_char_start"))
    participants = (events.select("cluster", "participants")
                    .explode("participants", empty_as_null=True).drop_nulls()
                    .group_by("cluster", "participants").len()
                    .sort("cluster", "len", "participants", descending=[False, True, False])
                    .group_by("cluster", maintain_order=True).agg(pl.col("participants")))
    timeline = (events.group_by("cluster", maintain_order=True).agg(
        date_value=pl.col("date_value").sort_by("rank").first(),
        granularity=pl.col("granularity").sort_by("rank").first(),
        event_type=pl.col("event_type").first(),
        n_sources=pl.col("doc_id").n_unique().cast(pl.Int64),
        doc_ids=pl.col("doc_id").unique(maintain_order=True),
        event_ids=pl.col("event_id"),
        first_doc_id=pl.col("doc_id").first(),
        first_reported_on=pl.col("reported_on").first(),
        sentence=pl.col("sentence").first(),
    ).join(participants, on="cluster", how="left")
        .with_columns(participants=pl.col("participants").fill_null(pl.lit([], dtype=pl.List(pl.Utf8))),
                      timeline_id=pl.col("cluster").map_elements(_timeline_id, return_dtype=pl.Utf8))
        .sort("date_value", "event_type", "timeline_id"))
    return timeline.select(empty_frame("timeline").columns)


def _timeline_id(cluster: str) -> str:
    """Deterministic id from the cluster's smallest event_id."""
    return "tl:" + hashlib.sha1(cluster.encode()).hexdigest()[:12]

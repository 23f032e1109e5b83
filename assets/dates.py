"""Temporal expressions, the events they date, each article's reference date, and the timeline."""


from collections.abc import Callable

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.checks import counts_by, schema_check_spec
from assets.resources import DaskCluster, PipelinePaths, SpacyModel
from assets.stage_io import (
    cache_metadata,
    errors_result,
    mentions_with_names,
    n_failed,
    only,
    parsed_articles,
    stage_cache,
    stage_outputs,
    table_result,
    usable_keys,
)
from pipeline.anchoring import DateSteps, resolve_dates
from pipeline.events import build_timeline, detect_event_candidates, empty_candidates, resolve_events
from pipeline.incremental import CacheStats, document_keys, run_per_document
from pipeline.isolation import StageRows, merge_failures, resolved_isolated
from pipeline.schemas import empty_frame
from pipeline.temporal import detect_temporal_expressions, empty_detected, resolve_temporal_expressions
from pipeline.workers import ArticleWork

# What the dates stage reads; an article's dates also depend on the events of the others (anchoring.py).
_DATE_INPUTS = ("documents", "paragraphs", "parsed_paragraphs", "entity_mentions", "entities")


@dg.multi_asset(
    **stage_outputs(
        "dates",
        {
            "temporal_expressions": "Every date a reader can place on a calendar, normalised to ISO.",
            "dated_events": "Actions anchored by a temporal expression, typed, with their participants.",
            "reference_dates": "The date each article's relative expressions were resolved against, and why.",
        },
        errors=("date_errors", "dates"),
    ),
    internal_asset_deps={
        "temporal_expressions": {dg.AssetKey(k) for k in _DATE_INPUTS},
        "dated_events": {dg.AssetKey(k) for k in (*_DATE_INPUTS, "temporal_expressions")},
        "reference_dates": {dg.AssetKey(k) for k in ("documents", "dated_events")},
        "date_errors": {dg.AssetKey(k) for k in _DATE_INPUTS},
    },
)
def resolve_dates_stage(
    context: AssetExecutionContext,
    documents: pl.DataFrame,
    paragraphs: pl.DataFrame,
    parsed_paragraphs: pl.LazyFrame,  # scanned, never loaded whole: workers read their chunk's rows
    entity_mentions: pl.DataFrame,
    entities: pl.DataFrame,
    paths: PipelinePaths,
    spacy_model: SpacyModel,
    dask_cluster: DaskCluster,
):
    """Temporal expressions resolved against each article's reference date, then the events they date.

    Temporal expressions and event candidates are detected once per article (the ``timex_detector`` and
    ``event_detector`` components over the stored parses, on the workers, cached whatever the reference
    date) and resolved over those rows in the run process for any reference date and set of values (each
    cached per article). Event-anchored expressions and articles without a date of their own are then
    resolved from the events (``pipeline/anchoring.py``), over rows: a re-dated article is never parsed
    again.
    """
    named_mentions = mentions_with_names(entity_mentions, entities)
    usable = parsed_articles(paragraphs, parsed_paragraphs)
    stats: dict[str, list[CacheStats]] = {"temporal_expressions": [], "dated_events": []}
    failed: list[pl.DataFrame] = []  # every pass's failures (the same article may fail in several)

    def noted(result: StageRows) -> pl.DataFrame:
        failed.append(result.failures)
        return result.rows

    def detected(cache_name: str, function: Callable[..., pl.DataFrame], docs: pl.DataFrame,
                 keyed: tuple[pl.DataFrame, ...], stage: str, empty: pl.DataFrame, sort_by: list[str]
                 ) -> StageRows:
        """A detection function's rows over the stored parses (on the workers), cached per article under a
        key without the reference date: detection never reads it, so one entry serves every date the
        article is resolved against. ``keyed``: per-article frames it reads, digested into the key too."""
        undated = docs.with_columns(reference_date=pl.lit(None, dtype=pl.Date))
        rows, _ = run_per_document(
            stage_cache(paths, spacy_model, cache_name),
            usable_keys(document_keys(cache_name, undated, *keyed), usable),
            lambda ids: dask_cluster.run(
                ArticleWork(function, docs, paragraphs, parsed_paragraphs, per_article=keyed, stage=stage),
                ids,
            ),
            empty=empty,
            sort_by=sort_by,
        )
        return rows

    def detected_of(docs: pl.DataFrame) -> StageRows:
        """Temporal expressions detected by the ``timex_detector`` component."""
        return detected("timex_detection", detect_temporal_expressions, docs, (), "temporal_expressions",
                        empty_detected(), ["doc_id", "position"])

    def resolved_rows(docs: pl.DataFrame, doc_ids: set[str]) -> StageRows:
        """The articles' detected rows resolved against their reference dates (in the run process)."""
        detection = detected_of(only(docs, doc_ids))
        references = dict(docs.select("doc_id", "reference_date").iter_rows())
        return resolved_isolated(
            "temporal_expressions", detection, doc_ids,
            lambda ids: resolve_temporal_expressions(only(detection.rows, ids), references),
        )

    def timexes_of(docs: pl.DataFrame) -> pl.DataFrame:
        # only the articles not resolved before against the same date read their detected rows
        rows, stat = run_per_document(
            stage_cache(paths, spacy_model, "temporal_expressions"),
            usable_keys(document_keys("temporal_expressions", docs), usable),
            lambda ids: resolved_rows(docs, ids),
            empty=empty_frame("temporal_expressions"),
            sort_by="timex_id",
        )
        stats["temporal_expressions"].append(stat)
        return noted(rows)

    def detected_in(docs: pl.DataFrame) -> pl.DataFrame:
        return noted(detected_of(docs))

    def candidates_of(docs: pl.DataFrame, timexes: pl.DataFrame) -> StageRows:
        """Event candidates detected by the ``event_detector`` component. It reads the expressions' ids and
        offsets, never their values, so an article re-dated (anchoring, corpus dating) finds its candidates
        here and is never parsed again."""
        spans = timexes.select("doc_id", "paragraph_id", "timex_id", "doc_char_start", "doc_char_end")
        return detected("event_candidates", detect_event_candidates, docs, (spans,), "dated_events",
                        empty_candidates(), ["doc_id", "order"])

    def resolved_events(docs: pl.DataFrame, timexes: pl.DataFrame, doc_ids: set[str]) -> StageRows:
        """The articles' event candidates resolved with their expressions' values (in the run process)."""
        detection = candidates_of(only(docs, doc_ids), only(timexes, doc_ids))
        references = docs.select("doc_id", "reference_date")
        return resolved_isolated(
            "dated_events", detection, doc_ids,
            lambda ids: resolve_events(only(detection.rows, ids), only(timexes, ids),
                                       only(entity_mentions, ids), entities, only(references, ids)),
        )

    def events_of(docs: pl.DataFrame, timexes: pl.DataFrame) -> pl.DataFrame:
        rows, stat = run_per_document(
            stage_cache(paths, spacy_model, "dated_events"),
            usable_keys(
                document_keys("dated_events", docs, timexes, only(named_mentions, set(docs["doc_id"]))),
                usable,
            ),
            lambda ids: resolved_events(docs, timexes, ids),
            empty=empty_frame("dated_events"),
            sort_by="event_id",
        )
        stats["dated_events"].append(stat)
        return noted(rows)

    steps = DateSteps(timexes=timexes_of, events=events_of, detected=detected_in)
    dated = resolve_dates(documents, steps, stage_cache(paths, spacy_model, "corpus_dating_values"),
                          stage_cache(paths, spacy_model, "corpus_dating_answers"))
    timexes, events, references = dated.temporal_expressions, dated.dated_events, dated.reference_dates
    failures = merge_failures([*failed, dated.failures])
    resolved = int(timexes["value"].is_not_null().sum()) if timexes.height else 0
    yield from table_result(
        "temporal_expressions",
        timexes,
        n_expressions=timexes.height,
        n_resolved=resolved,
        granularity=counts_by(timexes, "granularity"),
        kind=counts_by(timexes, "kind"),
        n_failed_articles=n_failed(failures, "temporal_expressions"),
        **cache_metadata(stats["temporal_expressions"][0]),
    )
    yield from table_result(
        "dated_events",
        events,
        n_events=events.height,
        event_types=counts_by(events, "event_type"),
        n_failed_articles=n_failed(failures, "dated_events"),
        **cache_metadata(stats["dated_events"][0]),
    )
    yield from table_result(
        "reference_dates",
        references,
        basis=counts_by(references, "basis"),
        n_failed_articles=n_failed(failures, "reference_dates"),
    )
    yield from errors_result(context, "date_errors", failures)


@dg.asset(kinds={"polars"}, group_name="dates", check_specs=[schema_check_spec("timeline")])
def timeline(dated_events: pl.DataFrame, reference_dates: pl.DataFrame):
    """The same real-world event reported by several articles becomes one row."""
    rows = build_timeline(dated_events, reference_dates)
    multi = int((rows["n_sources"] > 1).sum()) if rows.height else 0
    yield from table_result(
        "timeline", rows, single=True, n_timeline_events=rows.height, n_multi_source=multi
    )



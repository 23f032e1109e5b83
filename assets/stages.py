"""One asset per pipeline stage. Each asset calls :mod:`pipeline`, validates its tables (blocking checks)
and reports row counts, a preview and stage-specific counts to the UI."""

import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.checks import counts_by, schema_check_result, schema_check_spec, table_metadata
from assets.resources import PipelinePaths, SpacyModel
from pipeline.entities import build_entities
from pipeline.events import build_timeline, extract_dated_events
from pipeline.ingest import read_corpus
from pipeline.nlp import cache_for, iter_document_parses, parse_paragraphs_cached
from pipeline.paragraphs import split_paragraphs
from pipeline.quotes import extract_quotes
from pipeline.temporal import extract_temporal_expressions
from pipeline.warehouse import corpus_changes, publish, read_published


def _result(
    table: str, frame: pl.DataFrame, *, single: bool = False, **extra: object
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """The table as the step's output (stored by the IO manager) and its blocking schema check.

    ``single``: a one-output asset, whose output Dagster names ``result``; multi-assets use the table name.
    """
    yield dg.Output(frame, output_name="result" if single else table, metadata=table_metadata(frame, extra))
    yield schema_check_result(table, frame)


@dg.multi_asset(
    outs={
        "documents": dg.AssetOut(
            description="One row per usable article: decoded text, metadata, reference date.",
            kinds={"polars"},
            group_name="ingest",
        ),
        "rejected_documents": dg.AssetOut(
            description="Every input file that could not be used, with the reason.",
            kinds={"polars"},
            group_name="ingest",
        ),
    },
    check_specs=[schema_check_spec("documents"), schema_check_spec("rejected_documents")],
)
def ingest(paths: PipelinePaths):
    """Read every article under ``SEEDS_DIR``; unusable files are recorded, never dropped, never fatal."""
    documents, rejected = read_corpus(Path(paths.seeds_dir))
    changes = corpus_changes(documents, read_published(Path(paths.warehouse_dir), "documents"))
    yield from _result(
        "documents",
        documents,
        n_documents=documents.height,
        n_rejected=rejected.height,
        **{f"n_{kind}": count for kind, count in changes.items()},
        reference_date_basis=counts_by(documents, "reference_date_basis"),
        seeds_dir=paths.seeds_dir,
    )
    yield from _result("rejected_documents", rejected, reasons=counts_by(rejected, "reason"))


@dg.multi_asset(
    outs={
        "paragraphs": dg.AssetOut(
            description="Cleaned paragraphs with offsets into documents.text.",
            kinds={"polars"},
            group_name="ingest",
        ),
        "boilerplate": dg.AssetOut(
            description="Lines removed as page chrome, with the rule that removed them.",
            kinds={"polars"},
            group_name="ingest",
        ),
    },
    check_specs=[schema_check_spec("paragraphs"), schema_check_spec("boilerplate")],
)
def clean_paragraphs(documents: pl.DataFrame):
    """Split articles into paragraphs and drop navigation, promos, credits, footers and teasers."""
    paragraphs, boilerplate = split_paragraphs(documents)
    yield from _result(
        "paragraphs",
        paragraphs,
        n_paragraphs=paragraphs.height,
        n_headings=int(paragraphs["is_heading"].sum()) if paragraphs.height else 0,
    )
    yield from _result(
        "boilerplate", boilerplate, n_lines_removed=boilerplate.height, rules=counts_by(boilerplate, "rule")
    )


@dg.asset(kinds={"spacy", "polars"}, group_name="nlp", check_specs=[schema_check_spec("parsed_paragraphs")])
def parsed_paragraphs(paragraphs: pl.DataFrame, spacy_model: SpacyModel, paths: PipelinePaths):
    """The one spaCy pass (``nlp.pipe`` in batches) over every paragraph not parsed before, kept as DocBin.

    Parses are cached by paragraph text, model version and pipeline version: a re-run parses only new text.
    """
    started = time.perf_counter()
    cache = cache_for(spacy_model.model_name, paths.parse_cache_root())
    parsed, stats = parse_paragraphs_cached(
        spacy_model.get, paragraphs, cache, batch_size=spacy_model.batch_size, n_process=spacy_model.n_process
    )
    seconds = time.perf_counter() - started
    yield from _result(
        "parsed_paragraphs",
        parsed,
        single=True,
        model=spacy_model.model_name,
        n_paragraphs=stats.n_paragraphs,
        n_from_cache=stats.n_from_cache,
        n_parsed=stats.n_parsed,
        seconds=round(seconds, 2),
        chars_parsed_per_second=round(stats.chars_parsed / seconds) if seconds and stats.chars_parsed else 0,
        cache_dir=str(cache.directory),
    )


@dg.multi_asset(
    outs={
        "entity_mentions": dg.AssetOut(
            description="Every named-entity mention, linked to its canonical entity.",
            kinds={"spacy", "polars"},
            group_name="entities",
        ),
        "entities": dg.AssetOut(
            description="One row per canonical entity across the corpus.",
            kinds={"polars"},
            group_name="entities",
        ),
    },
    check_specs=[schema_check_spec("entity_mentions"), schema_check_spec("entities")],
)
def extract_entities(documents: pl.DataFrame, paragraphs: pl.DataFrame, parsed_paragraphs: pl.DataFrame):
    """spaCy NER mentions grouped into canonical entities, with labels repaired by agreement and context."""
    mentions, entities = build_entities(iter_document_parses(documents, paragraphs, parsed_paragraphs))
    yield from _result("entity_mentions", mentions, n_mentions=mentions.height)
    yield from _result("entities", entities, n_entities=entities.height, labels=counts_by(entities, "label"))


@dg.asset(kinds={"polars"}, group_name="dates", check_specs=[schema_check_spec("temporal_expressions")])
def temporal_expressions(
    documents: pl.DataFrame, paragraphs: pl.DataFrame, parsed_paragraphs: pl.DataFrame, entities: pl.DataFrame
):
    """Every date a reader can place on a calendar, normalised to ISO against the reference date."""
    del entities  # ordering only: dates are resolved after entities so labels like weekday-names are settled
    timexes = extract_temporal_expressions(iter_document_parses(documents, paragraphs, parsed_paragraphs))
    resolved = int(timexes["value"].is_not_null().sum()) if timexes.height else 0
    yield from _result(
        "temporal_expressions",
        timexes,
        single=True,
        n_expressions=timexes.height,
        n_resolved=resolved,
        granularity=counts_by(timexes, "granularity"),
        kind=counts_by(timexes, "kind"),
    )


@dg.asset(kinds={"polars"}, group_name="dates", check_specs=[schema_check_spec("dated_events")])
def dated_events(
    documents: pl.DataFrame,
    paragraphs: pl.DataFrame,
    parsed_paragraphs: pl.DataFrame,
    temporal_expressions: pl.DataFrame,
    entity_mentions: pl.DataFrame,
    entities: pl.DataFrame,
):
    """Actions anchored by a temporal expression, typed from a trigger lexicon, with their participants."""
    events = extract_dated_events(
        iter_document_parses(documents, paragraphs, parsed_paragraphs),
        temporal_expressions,
        entity_mentions,
        entities,
    )
    yield from _result(
        "dated_events",
        events,
        single=True,
        n_events=events.height,
        event_types=counts_by(events, "event_type"),
    )


@dg.asset(kinds={"polars"}, group_name="dates", check_specs=[schema_check_spec("timeline")])
def timeline(dated_events: pl.DataFrame, documents: pl.DataFrame):
    """The same real-world event reported by several articles becomes one row."""
    rows = build_timeline(dated_events, documents)
    multi = int((rows["n_sources"] > 1).sum()) if rows.height else 0
    yield from _result("timeline", rows, single=True, n_timeline_events=rows.height, n_multi_source=multi)


@dg.asset(kinds={"polars"}, group_name="quotes", check_specs=[schema_check_spec("quotes")])
def quotes(
    documents: pl.DataFrame,
    paragraphs: pl.DataFrame,
    parsed_paragraphs: pl.DataFrame,
    entity_mentions: pl.DataFrame,
    entities: pl.DataFrame,
    dated_events: pl.DataFrame,
):
    """Reported quotations with their speakers resolved to entities (pronouns included)."""
    del dated_events  # ordering only: the stage order of the design is dates, then quotes
    rows = extract_quotes(
        iter_document_parses(documents, paragraphs, parsed_paragraphs), entity_mentions, entities
    )
    attributed = int(rows["speaker"].is_not_null().sum()) if rows.height else 0
    yield from _result(
        "quotes",
        rows,
        single=True,
        n_quotes=rows.height,
        n_attributed=attributed,
        kinds=counts_by(rows, "kind"),
    )


@dg.asset(kinds={"duckdb", "parquet"}, group_name="warehouse", pool="duckdb_writer")
def warehouse(
    context: AssetExecutionContext,
    paths: PipelinePaths,
    documents: pl.DataFrame,
    rejected_documents: pl.DataFrame,
    paragraphs: pl.DataFrame,
    boilerplate: pl.DataFrame,
    entity_mentions: pl.DataFrame,
    entities: pl.DataFrame,
    temporal_expressions: pl.DataFrame,
    dated_events: pl.DataFrame,
    timeline: pl.DataFrame,
    quotes: pl.DataFrame,
) -> dg.MaterializeResult:
    """Publish every table as Parquet under ``warehouse/parquet/<table>/`` and into ``warehouse/news.duckdb``.

    The DuckDB file is built beside the old one and renamed over it, so readers never see a half-written
    database and an open reader never blocks the run.
    """
    tables = {
        "documents": documents,
        "rejected_documents": rejected_documents,
        "paragraphs": paragraphs,
        "boilerplate": boilerplate,
        "entity_mentions": entity_mentions,
        "entities": entities,
        "temporal_expressions": temporal_expressions,
        "dated_events": dated_events,
        "timeline": timeline,
        "quotes": quotes,
    }
    report = publish(tables, Path(paths.warehouse_dir))
    context.log.info(f"published {report.database}")
    return dg.MaterializeResult(
        metadata={
            "database": dg.MetadataValue.path(str(report.database)),
            "parquet_dir": dg.MetadataValue.path(str(report.parquet_dir)),
            "row_counts": dg.MetadataValue.json(report.row_counts),
        }
    )

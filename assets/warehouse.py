"""The published warehouse: every table as one release of Parquet files and a DuckDB database."""

from pathlib import Path

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.resources import PipelinePaths
from pipeline.isolation import ERRORS_TABLE, merge_failures
from pipeline.warehouse import corpus_changes, publish, read_published


@dg.asset(kinds={"duckdb", "parquet"}, group_name="warehouse")
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
    reference_dates: pl.DataFrame,
    dated_events: pl.DataFrame,
    timeline: pl.DataFrame,
    quotes: pl.DataFrame,
    dropped_quotations: pl.DataFrame,
    paragraph_errors: pl.DataFrame,
    parse_errors: pl.DataFrame,
    entity_errors: pl.DataFrame,
    date_errors: pl.DataFrame,
    quote_errors: pl.DataFrame,
) -> dg.MaterializeResult:
    """Publish every table as one release: Parquet under ``warehouse/parquet/<table>/`` and
    ``warehouse/news.duckdb``, both links into ``warehouse/current``.

    Its metadata says how many articles are new, changed, unchanged and removed since the release it
    replaces. The release folder is written completely, then ``current`` is switched in one rename:
    readers never see half a publish, an open reader never blocks the run; publishers are serialised by a
    kernel file lock.
    """
    tables = {
        "documents": documents,
        "rejected_documents": rejected_documents,
        "paragraphs": paragraphs,
        "boilerplate": boilerplate,
        "entity_mentions": entity_mentions,
        "entities": entities,
        "temporal_expressions": temporal_expressions,
        "reference_dates": reference_dates,
        "dated_events": dated_events,
        "timeline": timeline,
        "quotes": quotes,
        "dropped_quotations": dropped_quotations,
        ERRORS_TABLE: merge_failures(
            [paragraph_errors, parse_errors, entity_errors, date_errors, quote_errors]
        ),
    }
    # what this release changes in the corpus, against the release it replaces (a report only)
    previous = read_published(Path(paths.warehouse_dir), "documents", columns=["doc_id", "content_sha256"])
    changes = corpus_changes(documents, previous)
    report = publish(tables, Path(paths.warehouse_dir))
    context.log.info(f"published {report.database}")
    return dg.MaterializeResult(
        metadata={
            "database": dg.MetadataValue.path(str(report.database)),
            "parquet_dir": dg.MetadataValue.path(str(report.parquet_dir)),
            "release": dg.MetadataValue.text(report.release.name),
            "row_counts": dg.MetadataValue.json(report.row_counts),
            **{f"n_{kind}": count for kind, count in changes.items()},
        }
    )


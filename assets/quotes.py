"""Quotations with their speakers, and the quoted text that is not a quotation."""


import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.checks import counts_by
from assets.resources import DaskCluster, PipelinePaths, SpacyModel
from assets.stage_io import (
    cache_metadata,
    errors_result,
    mentions_with_names,
    parsed_articles,
    stage_cache,
    stage_outputs,
    table_result,
    usable_keys,
)
from pipeline.incremental import document_keys, run_per_document
from pipeline.quote_audit import empty_quotes_and_drops, extract_quotes_and_drops, split_quotes_and_drops
from pipeline.speaker_linking import link_speakers_across_corpus
from pipeline.workers import ArticleWork


@dg.multi_asset(
    **stage_outputs(
        "quotes",
        {
            "quotes": "Reported quotations with their speakers resolved to entities (pronouns included).",
            "dropped_quotations": "Text in quotation marks that is not a quotation (a title, a product, a "
            "term...), with the reason: the audit trail of the quotation filter.",
        },
        errors=("quote_errors", "quotes"),
    ),
    deps=["dated_events"],  # ordering only: the stage order of the design is dates, then quotes
)
def quotes(
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
    """Reported quotations with their speakers resolved to entities (pronouns included)."""
    work = ArticleWork(
        extract_quotes_and_drops,
        documents,
        paragraphs,
        parsed_paragraphs,
        per_article=(entity_mentions,),
        shared=(entities,),
        stage="quotes",
    )
    result, stats = run_per_document(
        stage_cache(paths, spacy_model, "quotes"),
        usable_keys(
            document_keys("quotes", documents, mentions_with_names(entity_mentions, entities)),
            parsed_articles(paragraphs, parsed_paragraphs),
        ),
        lambda ids: dask_cluster.run(work, ids),
        empty=empty_quotes_and_drops(),
        sort_by=["doc_id", "doc_char_start"],
    )
    rows, drops = split_quotes_and_drops(result.rows)
    rows = link_speakers_across_corpus(rows, entity_mentions, entities)  # corpus-wide: runs every time
    attributed = int(rows["speaker"].is_not_null().sum()) if rows.height else 0
    yield from table_result(
        "quotes",
        rows,
        n_quotes=rows.height,
        n_attributed=attributed,
        kinds=counts_by(rows, "kind"),
        n_failed_articles=result.failures.height,
        **cache_metadata(stats),
    )
    yield from table_result(
        "dropped_quotations", drops, n_dropped=drops.height, reasons=counts_by(drops, "reason")
    )
    yield from errors_result(context, "quote_errors", result.failures)



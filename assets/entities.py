"""Entity mentions and the canonical entities they are grouped into."""


import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.checks import counts_by
from assets.resources import DaskCluster, PipelinePaths, SpacyModel
from assets.stage_io import (
    cache_metadata,
    errors_result,
    parsed_articles,
    stage_cache,
    stage_outputs,
    table_result,
    usable_keys,
)
from pipeline.entities import article_mentions, mentions_frame, merge_corpus_rows
from pipeline.incremental import document_keys, run_per_document
from pipeline.workers import ArticleWork


@dg.multi_asset(
    **stage_outputs(
        "entities",
        {
            "entity_mentions": "Every named-entity mention, linked to its canonical entity.",
            "entities": "One row per canonical entity across the corpus.",
        },
        errors=("entity_errors", "entity"),
        spacy=["entity_mentions"],
    )
)
def extract_entities(
    context: AssetExecutionContext,
    documents: pl.DataFrame,
    paragraphs: pl.DataFrame,
    parsed_paragraphs: pl.LazyFrame,  # scanned, never loaded whole: workers read their chunk's rows
    paths: PipelinePaths,
    spacy_model: SpacyModel,
    dask_cluster: DaskCluster,
):
    """spaCy NER mentions grouped into canonical entities, with labels repaired by agreement and context.

    The per-article step is cached and runs in the rule workers; the corpus-level merge runs over every
    article each time.
    """
    work = ArticleWork(article_mentions, documents, paragraphs, parsed_paragraphs, stage="entity_mentions")
    raw, stats = run_per_document(
        stage_cache(paths, spacy_model, "entities"),
        usable_keys(document_keys("entities", documents), parsed_articles(paragraphs, parsed_paragraphs)),
        lambda doc_ids: dask_cluster.run(work, doc_ids),
        empty=mentions_frame([]),
        sort_by="mention_id",
    )
    mentions, entities = merge_corpus_rows(raw.rows)
    n_failed = raw.failures.height
    yield from table_result(
        "entity_mentions",
        mentions,
        n_mentions=mentions.height,
        n_failed_articles=n_failed,
        **cache_metadata(stats),
    )
    yield from table_result(
        "entities", entities, n_entities=entities.height, labels=counts_by(entities, "label")
    )
    yield from errors_result(context, "entity_errors", raw.failures)



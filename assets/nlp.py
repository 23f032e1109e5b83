"""The one spaCy pass over every paragraph not parsed before (``parsed_paragraphs``)."""

import time

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.resources import DaskCluster, PipelinePaths, SpacyModel
from assets.stage_io import (
    errors_result,
    stage_outputs,
    table_result,
)
from pipeline.nlp import cache_for, parse_paragraphs_cached

# The rule stages scan this table lazily (``pl.LazyFrame`` inputs) and each chunk of consecutive articles
# reads its own rows: small row groups with min/max statistics let a chunk's ``doc_id`` filter skip the
# rest of the file (rows are in ``paragraph_id`` order, i.e. grouped by article).
PARSED_STORAGE = {"statistics": True, "row_group_size": 2048}


@dg.multi_asset(
    **stage_outputs(
        "nlp",
        {
            "parsed_paragraphs": "Every paragraph's spaCy doc (tokens, morphology, parse, entities) as "
            "DocBin bytes.",
        },
        errors=("parse_errors", "parse"),
        spacy=["parsed_paragraphs"],
        storage={"parsed_paragraphs": PARSED_STORAGE},
    )
)
def parsed_paragraphs(
    context: AssetExecutionContext,
    paragraphs: pl.DataFrame,
    spacy_model: SpacyModel,
    paths: PipelinePaths,
    dask_cluster: DaskCluster,
):
    """The one spaCy pass (``nlp.pipe`` in batches) over every paragraph not parsed before, kept as DocBin.

    Parses are cached by paragraph text, model version and pipeline version: a re-run parses only new text.
    An article with a paragraph the model raises on is left unparsed, and the rule stages skip it.
    """
    started = time.perf_counter()
    cache = cache_for(spacy_model.model_name, paths.parse_cache_root())
    parsed, stats = parse_paragraphs_cached(
        spacy_model.loader(),
        paragraphs,
        cache,
        batch_size=spacy_model.batch_size,
        n_process=spacy_model.n_process,
        fanout=dask_cluster.fanout(),
        # the rule stages need no model: the workers free its memory before the table is read back
        after_parse=dask_cluster.fanout().release_models,
    )
    seconds = time.perf_counter() - started
    yield from table_result(
        "parsed_paragraphs",
        parsed,
        model=spacy_model.model_name,
        n_paragraphs=stats.n_paragraphs,
        n_from_cache=stats.n_from_cache,
        n_parsed=stats.n_parsed,
        seconds=round(seconds, 2),
        chars_parsed_per_second=round(stats.chars_parsed / seconds) if seconds and stats.chars_parsed else 0,
        cache_dir=str(cache.directory),
        n_failed_articles=stats.failures.height,
    )
    yield from errors_result(context, "parse_errors", stats.failures)



"""Ingest: the input folder -> ``documents`` and ``rejected_documents``, then cleaned ``paragraphs`` and the
``boilerplate`` lines removed as page chrome."""

from pathlib import Path

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.checks import counts_by
from assets.resources import DaskCluster, PipelinePaths, SpacyModel
from assets.stage_io import (
    cache_metadata,
    errors_result,
    stage_cache,
    stage_outputs,
    table_result,
)
from pipeline.incremental import document_keys, run_per_document
from pipeline.ingest import read_corpus
from pipeline.isolation import StageRows, merge_failures
from pipeline.paragraphs import split_paragraphs
from pipeline.schemas import empty_frame
from pipeline.workers import TextWork, run_text_stage


@dg.multi_asset(
    **stage_outputs(
        "ingest",
        {
            "documents": "One row per usable article: decoded text, metadata, reference date.",
            "rejected_documents": "Every input file that could not be used, with the reason.",
        },
    )
)
def ingest(paths: PipelinePaths, dask_cluster: DaskCluster):
    """Read every article under ``SEEDS_DIR``; unusable files are recorded, never dropped, never fatal.

    Articles read before come from the ingest cache. When enough articles are new or changed, the run's Dask
    cluster starts now (``pipeline/distributed.py``), on the core that reading and cleaning, single-threaded,
    leave idle. How the corpus changed since the last publish is the ``warehouse`` asset's report.
    """
    work_ahead: list[int] = []

    def start_workers_for(n_articles: int) -> None:
        work_ahead.append(n_articles)
        if dask_cluster.worth_starting(n_articles):
            dask_cluster.start()

    documents, rejected = read_corpus(
        Path(paths.seeds_dir), cache_dir=paths.parse_cache_root(), on_work_ahead=start_workers_for
    )
    yield from table_result(
        "documents",
        documents,
        n_documents=documents.height,
        n_rejected=rejected.height,
        n_articles_read=sum(work_ahead),  # new or changed since the ingest cache saw them; the rest is cached
        reference_date_basis=counts_by(documents, "reference_date_basis"),
        seeds_dir=paths.seeds_dir,
    )
    yield from table_result("rejected_documents", rejected, reasons=counts_by(rejected, "reason"))


@dg.multi_asset(
    **stage_outputs(
        "ingest",
        {
            "paragraphs": "Cleaned paragraphs with offsets into documents.text.",
            "boilerplate": "Lines removed as page chrome, with the rule that removed them.",
        },
        errors=("paragraph_errors", "paragraph"),
    )
)
def clean_paragraphs(
    context: AssetExecutionContext,
    documents: pl.DataFrame,
    paths: PipelinePaths,
    spacy_model: SpacyModel,
    dask_cluster: DaskCluster,
):
    """Split articles into paragraphs and drop navigation, promos, credits, footers and teasers.

    Splitting is per article, so both tables are cached per article like the later stages. The articles
    not cached go to the run's Dask cluster when it is up (ingest started it for enough new articles).
    """
    split_of: dict[frozenset[str], tuple[StageRows, StageRows]] = {}

    def split(doc_ids: set[str]) -> tuple[StageRows, StageRows]:
        """Both tables of these articles, computed once for the two cache lookups."""
        key = frozenset(doc_ids)
        if key not in split_of:
            work = TextWork(split_paragraphs, documents, stage="paragraphs")
            (paras, lines), failures = run_text_stage(dask_cluster.fanout(), work, doc_ids)
            split_of[key] = (StageRows(paras, failures), StageRows(lines, failures))
        return split_of[key]

    paragraphs, stats = run_per_document(
        stage_cache(paths, spacy_model, "paragraphs"),
        document_keys("paragraphs", documents),
        lambda ids: split(ids)[0],
        empty=empty_frame("paragraphs"),
        sort_by="paragraph_id",
    )
    boilerplate, _ = run_per_document(
        stage_cache(paths, spacy_model, "boilerplate"),
        document_keys("boilerplate", documents),
        lambda ids: split(ids)[1],
        empty=empty_frame("boilerplate"),
        sort_by=["doc_id", "doc_char_start"],
    )
    failures = merge_failures([paragraphs.failures, boilerplate.failures])
    paragraphs, boilerplate = paragraphs.rows, boilerplate.rows
    yield from table_result(
        "paragraphs",
        paragraphs,
        n_paragraphs=paragraphs.height,
        n_headings=int(paragraphs["is_heading"].sum()) if paragraphs.height else 0,
        n_failed_articles=failures.height,
        **cache_metadata(stats),
    )
    yield from table_result(
        "boilerplate",
        boilerplate,
        n_lines_removed=boilerplate.height,
        rules=counts_by(boilerplate, "rule"),
        n_failed_articles=failures.height,
    )
    yield from errors_result(context, "paragraph_errors", failures)



"""Ingest: the input folder -> ``documents`` and ``rejected_documents``, then cleaned ``paragraphs`` and the
``boilerplate`` lines removed as page chrome."""

from pathlib import Path

import dagster as dg
import polars as pl
from dagster import AssetExecutionContext

from assets.checks import counts_by, schema_check_spec
from assets.resources import DaskCluster, PipelinePaths, SpacyModel
from assets.stage_io import cache_metadata, errors_out, errors_result, only, stage_cache, table_result
from pipeline.incremental import document_keys, run_per_document
from pipeline.ingest import read_corpus, unseen_article_count
from pipeline.isolation import ERRORS_TABLE, StageRows, failures_frame, merge_failures, run_isolated
from pipeline.paragraphs import split_paragraphs
from pipeline.schemas import empty_frame
from pipeline.warehouse import corpus_changes, read_published


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
def ingest(paths: PipelinePaths, spacy_model: SpacyModel, dask_cluster: DaskCluster):
    """Read every article under ``SEEDS_DIR``; unusable files are recorded, never dropped, never fatal.

    When enough articles are new or changed, the run's Dask cluster starts now (``pipeline/distributed.py``),
    on the core that reading and cleaning, single-threaded, leave idle.
    """
    warehouse_dir = Path(paths.warehouse_dir)
    previous = read_published(warehouse_dir, "documents", columns=["doc_id", "content_sha256"])
    known = {
        doc_id
        for table in (previous, read_published(warehouse_dir, "rejected_documents", columns=["doc_id"]))
        if table is not None
        for doc_id in table["doc_id"].to_list()
    }
    if not stage_cache(paths, spacy_model, "entities").directory.exists():
        known = set()  # new extraction code (or model): every article goes through the rule stages again
    if dask_cluster.worth_starting(unseen_article_count(Path(paths.seeds_dir), known)):
        dask_cluster.start()
    documents, rejected = read_corpus(Path(paths.seeds_dir), cache_dir=paths.parse_cache_root())
    changes = corpus_changes(documents, previous)
    if dask_cluster.worth_starting(changes["new"] + changes["changed"]):
        dask_cluster.start()  # edited articles: known names, new text
    yield from table_result(
        "documents",
        documents,
        n_documents=documents.height,
        n_rejected=rejected.height,
        **{f"n_{kind}": count for kind, count in changes.items()},
        reference_date_basis=counts_by(documents, "reference_date_basis"),
        seeds_dir=paths.seeds_dir,
    )
    yield from table_result("rejected_documents", rejected, reasons=counts_by(rejected, "reason"))


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
        "paragraph_errors": errors_out("paragraph", "ingest"),
    },
    check_specs=[
        schema_check_spec("paragraphs"),
        schema_check_spec("boilerplate"),
        schema_check_spec("paragraph_errors", ERRORS_TABLE),
    ],
)
def clean_paragraphs(
    context: AssetExecutionContext, documents: pl.DataFrame, paths: PipelinePaths, spacy_model: SpacyModel
):
    """Split articles into paragraphs and drop navigation, promos, credits, footers and teasers.

    Splitting is per article, so both tables are cached per article like the later stages.
    """
    split_of: dict[frozenset[str], tuple[StageRows, StageRows]] = {}

    def split(doc_ids: set[str]) -> tuple[StageRows, StageRows]:
        """Both tables of these articles, computed once for the two cache lookups."""
        key = frozenset(doc_ids)
        if key not in split_of:
            parts, failed = run_isolated(
                "paragraphs", sorted(doc_ids), lambda ids: split_paragraphs(only(documents, set(ids)))
            )
            failures = failures_frame(failed)
            split_of[key] = (
                StageRows(pl.concat([paras for paras, _ in parts]), failures),
                StageRows(pl.concat([lines for _, lines in parts]), failures),
            )
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



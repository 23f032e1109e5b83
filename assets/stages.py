"""One asset per pipeline stage. Each asset calls :mod:`pipeline`, validates its tables (blocking checks)
and reports row counts, a preview and stage-specific counts to the UI.

No single article can fail a run (``pipeline/isolation.py``): each per-article stage has an ``<stage>_errors``
output naming the articles it failed on, with the error; their rows of that stage are left out, and the
warehouse publishes the union as ``article_errors``. The steps over the whole corpus (entity merge, event
anchoring, corpus dating, timeline) still fail the run when they raise: they are not per article.
"""

import time
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import polars as pl
import spacy
from dagster import AssetExecutionContext

from assets.checks import counts_by, schema_check_result, schema_check_spec, table_metadata
from assets.resources import DaskCluster, PipelinePaths, SpacyModel
from pipeline import PIPELINE_VERSION
from pipeline.anchoring import DateSteps, resolve_dates
from pipeline.cache import SegmentCache, namespace
from pipeline.entities import article_mentions, mentions_frame, merge_corpus_rows
from pipeline.events import build_timeline, extract_dated_events
from pipeline.incremental import CacheStats, document_keys, run_per_document
from pipeline.ingest import read_corpus, unseen_article_count
from pipeline.isolation import ERRORS_TABLE, StageRows, failures_frame, merge_failures, run_isolated
from pipeline.nlp import cache_for, parse_paragraphs_cached
from pipeline.paragraphs import split_paragraphs
from pipeline.quote_audit import empty_quotes_and_drops, extract_quotes_and_drops, split_quotes_and_drops
from pipeline.schemas import empty_frame
from pipeline.temporal import extract_temporal_expressions
from pipeline.versions import stage_version
from pipeline.warehouse import corpus_changes, publish, read_published
from pipeline.workers import ArticleWork


def _result(
    table: str, frame: pl.DataFrame, *, single: bool = False, **extra: object
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """The table as the step's output (stored by the IO manager) and its blocking schema check.

    ``single``: a one-output asset, whose output Dagster names ``result``; multi-assets use the table name.
    """
    yield dg.Output(frame, output_name="result" if single else table, metadata=table_metadata(frame, extra))
    yield schema_check_result(table, frame)


def _errors_out(stage: str, group: str) -> dg.AssetOut:
    return dg.AssetOut(
        description=f"Articles the {stage} stage raised on, with the error: their rows of it are left out.",
        kinds={"polars"},
        group_name=group,
    )


def _errors_result(
    context: AssetExecutionContext, table: str, failures: pl.DataFrame
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """A stage's failed articles as its ``<stage>_errors`` output (``article_errors`` rows), and logged."""
    for stage, doc_id, error_type, message in failures.select(
        "stage", "doc_id", "error_type", "message"
    ).rows():
        context.log.warning(f"{stage}: article {doc_id} left out: {error_type}: {message}")
    yield dg.Output(
        failures,
        output_name=table,
        metadata=table_metadata(
            failures, {"n_failed_articles": failures.height, "stages": counts_by(failures, "stage")}
        ),
    )
    yield schema_check_result(table, failures, model=ERRORS_TABLE)


def _n_failed(failures: pl.DataFrame, stage: str) -> int:
    return int((failures["stage"] == stage).sum())


def _without(keys: dict[str, str], usable: set[str]) -> dict[str, str]:
    """The cache keys of the articles a rule stage reads (``usable``) only."""
    return {doc_id: key for doc_id, key in keys.items() if doc_id in usable}


def _parsed_articles(paragraphs: pl.DataFrame, parsed: pl.DataFrame) -> set[str]:
    """The articles the rule stages read: those with paragraphs, every one of them parsed.

    An article the split or the parse failed on is skipped, neither computed nor cached (its stage cache
    key does not depend on its parse), so once it parses its rows are computed then.
    """
    unparsed = paragraphs.join(parsed.select("paragraph_id"), on="paragraph_id", how="anti")
    return set(paragraphs["doc_id"].to_list()) - set(unparsed["doc_id"].to_list())


def _stage_cache(paths: PipelinePaths, spacy_model: SpacyModel, stage: str) -> SegmentCache:
    """Per-article results of ``stage`` for this model and this version of the stage's own code.

    Editing one stage's rules recomputes that stage; later stages follow through their cache keys, which
    digest the rows they read (``pipeline/versions.py``).
    """
    version = spacy.util.get_package_version(spacy_model.model_name) or "unknown"
    folder = namespace(spacy_model.model_name, version, f"{PIPELINE_VERSION}-{stage_version(stage)}")
    return SegmentCache(paths.parse_cache_root() / "stages" / folder / stage)


def _cache_metadata(stats: CacheStats) -> dict[str, int]:
    return {"n_articles_from_cache": stats.n_from_cache, "n_articles_computed": stats.n_computed}


def _only(frame: pl.DataFrame, doc_ids: set[str]) -> pl.DataFrame:
    return frame.filter(pl.col("doc_id").is_in(pl.Series(sorted(doc_ids), dtype=pl.Utf8).implode()))


def _named_mentions(entity_mentions: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """Each mention with its entity's canonical name and label: what quotes and events read of entities."""
    return entity_mentions.select("doc_id", "mention_id", "entity_id", "doc_char_start", "doc_char_end").join(
        entities.select("entity_id", "name", "label"), on="entity_id", how="left"
    )


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
    if not _stage_cache(paths, spacy_model, "entities").directory.exists():
        known = set()  # new extraction code (or model): every article goes through the rule stages again
    if dask_cluster.worth_starting(unseen_article_count(Path(paths.seeds_dir), known)):
        dask_cluster.start()
    documents, rejected = read_corpus(Path(paths.seeds_dir), cache_dir=paths.parse_cache_root())
    changes = corpus_changes(documents, previous)
    if dask_cluster.worth_starting(changes["new"] + changes["changed"]):
        dask_cluster.start()  # edited articles: known names, new text
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
        "paragraph_errors": _errors_out("paragraph", "ingest"),
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
                "paragraphs", sorted(doc_ids), lambda ids: split_paragraphs(_only(documents, set(ids)))
            )
            failures = failures_frame(failed)
            split_of[key] = (
                StageRows(pl.concat([paras for paras, _ in parts]), failures),
                StageRows(pl.concat([lines for _, lines in parts]), failures),
            )
        return split_of[key]

    paragraphs, stats = run_per_document(
        _stage_cache(paths, spacy_model, "paragraphs"),
        document_keys("paragraphs", documents),
        lambda ids: split(ids)[0],
        empty=empty_frame("paragraphs"),
        sort_by="paragraph_id",
    )
    boilerplate, _ = run_per_document(
        _stage_cache(paths, spacy_model, "boilerplate"),
        document_keys("boilerplate", documents),
        lambda ids: split(ids)[1],
        empty=empty_frame("boilerplate"),
        sort_by=["doc_id", "doc_char_start"],
    )
    failures = merge_failures([paragraphs.failures, boilerplate.failures])
    paragraphs, boilerplate = paragraphs.rows, boilerplate.rows
    yield from _result(
        "paragraphs",
        paragraphs,
        n_paragraphs=paragraphs.height,
        n_headings=int(paragraphs["is_heading"].sum()) if paragraphs.height else 0,
        n_failed_articles=failures.height,
        **_cache_metadata(stats),
    )
    yield from _result(
        "boilerplate",
        boilerplate,
        n_lines_removed=boilerplate.height,
        rules=counts_by(boilerplate, "rule"),
        n_failed_articles=failures.height,
    )
    yield from _errors_result(context, "paragraph_errors", failures)


@dg.multi_asset(
    outs={
        "parsed_paragraphs": dg.AssetOut(
            description="Every paragraph's spaCy doc (tokens, morphology, parse, entities) as DocBin bytes.",
            kinds={"spacy", "polars"},
            group_name="nlp",
        ),
        "parse_errors": _errors_out("parse", "nlp"),
    },
    check_specs=[schema_check_spec("parsed_paragraphs"), schema_check_spec("parse_errors", ERRORS_TABLE)],
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
    )
    seconds = time.perf_counter() - started
    yield from _result(
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
    yield from _errors_result(context, "parse_errors", stats.failures)


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
        "entity_errors": _errors_out("entity", "entities"),
    },
    check_specs=[
        schema_check_spec("entity_mentions"),
        schema_check_spec("entities"),
        schema_check_spec("entity_errors", ERRORS_TABLE),
    ],
)
def extract_entities(
    context: AssetExecutionContext,
    documents: pl.DataFrame,
    paragraphs: pl.DataFrame,
    parsed_paragraphs: pl.DataFrame,
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
        _stage_cache(paths, spacy_model, "entities"),
        _without(document_keys("entities", documents), _parsed_articles(paragraphs, parsed_paragraphs)),
        lambda doc_ids: dask_cluster.run(work, doc_ids),
        empty=mentions_frame([]),
        sort_by="mention_id",
    )
    mentions, entities = merge_corpus_rows(raw.rows)
    n_failed = raw.failures.height
    yield from _result(
        "entity_mentions",
        mentions,
        n_mentions=mentions.height,
        n_failed_articles=n_failed,
        **_cache_metadata(stats),
    )
    yield from _result("entities", entities, n_entities=entities.height, labels=counts_by(entities, "label"))
    yield from _errors_result(context, "entity_errors", raw.failures)


# What the dates stage reads; an article's dates also depend on the events of the others (anchoring.py).
_DATE_INPUTS = ("documents", "paragraphs", "parsed_paragraphs", "entity_mentions", "entities")


@dg.multi_asset(
    outs={
        "temporal_expressions": dg.AssetOut(
            description="Every date a reader can place on a calendar, normalised to ISO.",
            kinds={"polars"},
            group_name="dates",
        ),
        "dated_events": dg.AssetOut(
            description="Actions anchored by a temporal expression, typed, with their participants.",
            kinds={"polars"},
            group_name="dates",
        ),
        "reference_dates": dg.AssetOut(
            description="The date each article's relative expressions were resolved against, and why.",
            kinds={"polars"},
            group_name="dates",
        ),
        "date_errors": _errors_out("dates", "dates"),
    },
    internal_asset_deps={
        "temporal_expressions": {dg.AssetKey(k) for k in _DATE_INPUTS},
        "dated_events": {dg.AssetKey(k) for k in (*_DATE_INPUTS, "temporal_expressions")},
        "reference_dates": {dg.AssetKey(k) for k in ("documents", "dated_events")},
        "date_errors": {dg.AssetKey(k) for k in _DATE_INPUTS},
    },
    check_specs=[
        schema_check_spec("temporal_expressions"),
        schema_check_spec("dated_events"),
        schema_check_spec("reference_dates"),
        schema_check_spec("date_errors", ERRORS_TABLE),
    ],
)
def resolve_dates_stage(
    context: AssetExecutionContext,
    documents: pl.DataFrame,
    paragraphs: pl.DataFrame,
    parsed_paragraphs: pl.DataFrame,
    entity_mentions: pl.DataFrame,
    entities: pl.DataFrame,
    paths: PipelinePaths,
    spacy_model: SpacyModel,
    dask_cluster: DaskCluster,
):
    """Temporal expressions resolved against each article's reference date, then the events they date.

    Per-article steps are cached; event-anchored expressions and articles without a date of their own
    are then resolved from the events (``pipeline/anchoring.py``).
    """
    named_mentions = _named_mentions(entity_mentions, entities)
    usable = _parsed_articles(paragraphs, parsed_paragraphs)
    stats: dict[str, list[CacheStats]] = {"temporal_expressions": [], "dated_events": []}
    failed: list[pl.DataFrame] = []  # every pass's failures (the same article may fail in several)

    def noted(result: StageRows) -> pl.DataFrame:
        failed.append(result.failures)
        return result.rows

    def timexes_of(docs: pl.DataFrame) -> pl.DataFrame:
        rows, stat = run_per_document(
            _stage_cache(paths, spacy_model, "temporal_expressions"),
            _without(document_keys("temporal_expressions", docs), usable),
            lambda ids: dask_cluster.run(
                ArticleWork(
                    extract_temporal_expressions,
                    docs,
                    paragraphs,
                    parsed_paragraphs,
                    stage="temporal_expressions",
                ),
                ids,
            ),
            empty=empty_frame("temporal_expressions"),
            sort_by="timex_id",
        )
        stats["temporal_expressions"].append(stat)
        return noted(rows)

    def events_of(docs: pl.DataFrame, timexes: pl.DataFrame) -> pl.DataFrame:
        rows, stat = run_per_document(
            _stage_cache(paths, spacy_model, "dated_events"),
            _without(
                document_keys("dated_events", docs, timexes, _only(named_mentions, set(docs["doc_id"]))),
                usable,
            ),
            lambda ids: dask_cluster.run(
                ArticleWork(
                    extract_dated_events,
                    docs,
                    paragraphs,
                    parsed_paragraphs,
                    per_article=(timexes, entity_mentions),
                    shared=(entities,),
                    stage="dated_events",
                ),
                ids,
            ),
            empty=empty_frame("dated_events"),
            sort_by="event_id",
        )
        stats["dated_events"].append(stat)
        return noted(rows)

    steps = DateSteps(
        timexes=timexes_of,
        events=events_of,
        over_parses=lambda function, docs, values: noted(
            dask_cluster.run(
                ArticleWork(
                    function,
                    docs,
                    paragraphs,
                    parsed_paragraphs,
                    by_article=(values,),
                    stage="reference_dates",
                ),
                set(docs["doc_id"]) & usable,
            )
        ),
    )
    dated = resolve_dates(documents, steps, _stage_cache(paths, spacy_model, "corpus_dating_values"))
    timexes, events, references = dated.temporal_expressions, dated.dated_events, dated.reference_dates
    failures = merge_failures(failed)
    resolved = int(timexes["value"].is_not_null().sum()) if timexes.height else 0
    yield from _result(
        "temporal_expressions",
        timexes,
        n_expressions=timexes.height,
        n_resolved=resolved,
        granularity=counts_by(timexes, "granularity"),
        kind=counts_by(timexes, "kind"),
        n_failed_articles=_n_failed(failures, "temporal_expressions"),
        **_cache_metadata(stats["temporal_expressions"][0]),
    )
    yield from _result(
        "dated_events",
        events,
        n_events=events.height,
        event_types=counts_by(events, "event_type"),
        n_failed_articles=_n_failed(failures, "dated_events"),
        **_cache_metadata(stats["dated_events"][0]),
    )
    yield from _result(
        "reference_dates",
        references,
        basis=counts_by(references, "basis"),
        n_failed_articles=_n_failed(failures, "reference_dates"),
    )
    yield from _errors_result(context, "date_errors", failures)


@dg.asset(kinds={"polars"}, group_name="dates", check_specs=[schema_check_spec("timeline")])
def timeline(dated_events: pl.DataFrame, reference_dates: pl.DataFrame):
    """The same real-world event reported by several articles becomes one row."""
    rows = build_timeline(dated_events, reference_dates)
    multi = int((rows["n_sources"] > 1).sum()) if rows.height else 0
    yield from _result("timeline", rows, single=True, n_timeline_events=rows.height, n_multi_source=multi)


@dg.multi_asset(
    outs={
        "quotes": dg.AssetOut(
            description="Reported quotations with their speakers resolved to entities (pronouns included).",
            kinds={"polars"},
            group_name="quotes",
        ),
        "dropped_quotations": dg.AssetOut(
            description="Text in quotation marks that is not a quotation (a title, a product, a term...), "
            "with the reason: the audit trail of the quotation filter.",
            kinds={"polars"},
            group_name="quotes",
        ),
        "quote_errors": _errors_out("quotes", "quotes"),
    },
    deps=["dated_events"],  # ordering only: the stage order of the design is dates, then quotes
    check_specs=[
        schema_check_spec("quotes"),
        schema_check_spec("dropped_quotations"),
        schema_check_spec("quote_errors", ERRORS_TABLE),
    ],
)
def quotes(
    context: AssetExecutionContext,
    documents: pl.DataFrame,
    paragraphs: pl.DataFrame,
    parsed_paragraphs: pl.DataFrame,
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
        _stage_cache(paths, spacy_model, "quotes"),
        _without(
            document_keys("quotes", documents, _named_mentions(entity_mentions, entities)),
            _parsed_articles(paragraphs, parsed_paragraphs),
        ),
        lambda ids: dask_cluster.run(work, ids),
        empty=empty_quotes_and_drops(),
        sort_by=["doc_id", "doc_char_start"],
    )
    rows, drops = split_quotes_and_drops(result.rows)
    attributed = int(rows["speaker"].is_not_null().sum()) if rows.height else 0
    yield from _result(
        "quotes",
        rows,
        n_quotes=rows.height,
        n_attributed=attributed,
        kinds=counts_by(rows, "kind"),
        n_failed_articles=result.failures.height,
        **_cache_metadata(stats),
    )
    yield from _result(
        "dropped_quotations", drops, n_dropped=drops.height, reasons=counts_by(drops, "reason")
    )
    yield from _errors_result(context, "quote_errors", result.failures)


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

    The release folder is written completely, then ``current`` is switched in one rename: readers never see
    half a publish, an open reader never blocks the run; publishers are serialised by a kernel file lock.
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
    report = publish(tables, Path(paths.warehouse_dir))
    context.log.info(f"published {report.database}")
    return dg.MaterializeResult(
        metadata={
            "database": dg.MetadataValue.path(str(report.database)),
            "parquet_dir": dg.MetadataValue.path(str(report.parquet_dir)),
            "release": dg.MetadataValue.text(report.release.name),
            "row_counts": dg.MetadataValue.json(report.row_counts),
        }
    )

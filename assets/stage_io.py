"""What every stage asset shares: its outputs with their blocking schema checks, its failed articles as
``<stage>_errors``, and its per-article cache.

No single article can fail a run (``pipeline/isolation.py``): each per-article stage has an ``<stage>_errors``
output naming the articles it failed on, with the error; their rows of that stage are left out, and the
warehouse publishes the union as ``article_errors``. The steps over the whole corpus (entity merge, event
anchoring, corpus dating, timeline) still fail the run when they raise: they are not per article.
"""

from collections.abc import Iterable, Iterator

import dagster as dg
import polars as pl
import spacy
from dagster import AssetExecutionContext

from assets.checks import counts_by, schema_check_result, schema_check_spec, table_metadata
from assets.resources import PipelinePaths, SpacyModel
from pipeline import PIPELINE_VERSION
from pipeline.cache import SegmentCache, namespace
from pipeline.incremental import CacheStats
from pipeline.isolation import ERRORS_TABLE
from pipeline.versions import stage_version


def table_result(
    table: str, frame: pl.DataFrame, *, single: bool = False, **extra: object
) -> Iterator[dg.Output | dg.AssetCheckResult]:
    """The table as the step's output (stored by the IO manager) and its blocking schema check.

    ``single``: a one-output asset, whose output Dagster names ``result``; multi-assets use the table name.
    """
    yield dg.Output(frame, output_name="result" if single else table, metadata=table_metadata(frame, extra))
    yield schema_check_result(table, frame)


def stage_outputs(
    group: str, tables: dict[str, str], errors: tuple[str, str] | None = None, spacy: Iterable[str] = (),
    storage: dict[str, dict[str, object]] | None = None,
) -> dict[str, object]:
    """``outs`` and ``check_specs`` of a stage's multi-asset: each table (name -> description) in ``group``
    with its blocking schema check, and the stage's ``<stage>_errors`` output (``errors``: its name and the
    stage as the description says it) checked against the ``article_errors`` model. Tables in ``spacy``
    carry spaCy output (the UI shows the kind). ``storage``: per table, how the Parquet IO manager writes
    it (dagster-polars reads ``row_group_size``, ``statistics``... from the output's metadata)."""
    outs = {
        name: dg.AssetOut(
            description=description,
            kinds={"spacy", "polars"} if name in set(spacy) else {"polars"},
            group_name=group,
            metadata=(storage or {}).get(name),
        )
        for name, description in tables.items()
    }
    checks = [schema_check_spec(name) for name in tables]
    if errors is not None:
        name, stage = errors
        outs[name] = dg.AssetOut(
            description=f"Articles the {stage} stage raised on, with the error: their rows of it are "
            "left out.",
            kinds={"polars"},
            group_name=group,
        )
        checks.append(schema_check_spec(name, ERRORS_TABLE))
    return {"outs": outs, "check_specs": checks}


def errors_result(
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


def n_failed(failures: pl.DataFrame, stage: str) -> int:
    return int((failures["stage"] == stage).sum())


def usable_keys(keys: dict[str, str], usable: set[str]) -> dict[str, str]:
    """The cache keys of the articles a rule stage reads (``usable``) only."""
    return {doc_id: key for doc_id, key in keys.items() if doc_id in usable}


def parsed_articles(paragraphs: pl.DataFrame, parsed: pl.DataFrame | pl.LazyFrame) -> set[str]:
    """The articles the rule stages read: those with paragraphs, every one of them parsed.

    An article the split or the parse failed on is skipped, neither computed nor cached (its stage cache
    key does not depend on its parse), so once it parses its rows are computed then. ``parsed`` may be
    the stored table scanned lazily: only its ``paragraph_id`` column is read here.
    """
    ids = parsed.select("paragraph_id")
    ids = ids.collect() if isinstance(ids, pl.LazyFrame) else ids
    unparsed = paragraphs.join(ids, on="paragraph_id", how="anti")
    return set(paragraphs["doc_id"].to_list()) - set(unparsed["doc_id"].to_list())


def stage_cache(paths: PipelinePaths, spacy_model: SpacyModel, stage: str) -> SegmentCache:
    """Per-article results of ``stage`` for this model and this version of the stage's own code.

    Editing one stage's rules recomputes that stage; later stages follow through their cache keys, which
    digest the rows they read (``pipeline/versions.py``).
    """
    version = spacy.util.get_package_version(spacy_model.model_name) or "unknown"
    folder = namespace(spacy_model.model_name, version, f"{PIPELINE_VERSION}-{stage_version(stage)}")
    return SegmentCache(paths.parse_cache_root() / "stages" / folder / stage)


def cache_metadata(stats: CacheStats) -> dict[str, int]:
    return {"n_articles_from_cache": stats.n_from_cache, "n_articles_computed": stats.n_computed}


def only(frame: pl.DataFrame, doc_ids: set[str]) -> pl.DataFrame:
    return frame.filter(pl.col("doc_id").is_in(pl.Series(sorted(doc_ids), dtype=pl.Utf8).implode()))


def mentions_with_names(entity_mentions: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """Each mention with its entity's canonical name and label: what quotes and events read of entities."""
    return entity_mentions.select("doc_id", "mention_id", "entity_id", "doc_char_start", "doc_char_end").join(
        entities.select("entity_id", "name", "label"), on="entity_id", how="left"
    )



"""Per-article caching of the extraction stages, so a re-run only sends new or changed articles through them.

Each stage's per-article output is cached under a key that digests everything that output depends on: the
stage, the article's id, text and reference date, and the article's rows of the tables the stage reads
(its entity mentions with their canonical names, its temporal expressions). Unchanged articles come
from the cache without rebuilding their spaCy docs; corpus-level steps (canonical entities, timeline) are
recomputed from the per-article results every run. The cache folder is namespaced by the code fingerprint,
so any change to the extraction rules recomputes everything. An article a stage failed on is not cached
(not even as "no rows"): the next run tries it again, so a fixed bug or input is never silently empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import polars as pl
from spacy.vocab import Vocab

from pipeline.cache import SegmentCache, text_key
from pipeline.isolation import StageRows, no_failures
from pipeline.model import DocumentParse
from pipeline.nlp import iter_document_parses

NO_ROWS = "_no_rows"  # marks an article whose result is empty, so it is not recomputed every run


@dataclass(frozen=True)
class CacheStats:
    n_documents: int
    n_from_cache: int
    n_computed: int


def document_keys(stage: str, documents: pl.DataFrame, *depends_on: pl.DataFrame) -> dict[str, str]:
    """``doc_id -> key`` for one stage: its name, the article's id, file content hash and reference date,
    and a digest of the article's rows in each table of ``depends_on`` (each must have a ``doc_id`` column).

    The content hash stands for the text: decoding is part of the code the cache namespace fingerprints.
    """
    digests = [rows_digest_by_doc(frame) for frame in depends_on]
    rows = documents.select("doc_id", "content_sha256", "reference_date").iter_rows()
    return {
        doc_id: text_key(stage, doc_id, content, reference_date, *(d.get(doc_id, "") for d in digests))
        for doc_id, content, reference_date in rows
    }


def rows_digest_by_doc(frame: pl.DataFrame) -> dict[str, str]:
    """``doc_id -> digest`` of that article's rows (all columns, in a stable order)."""
    if frame.is_empty():
        return {}
    columns = sorted(frame.columns)
    as_text = frame.select(
        "doc_id",
        pl.concat_str(
            [pl.col(c).cast(pl.Utf8, strict=False).fill_null("∅") for c in columns], separator="\x1f"
        ).alias("row"),
    )
    grouped = as_text.group_by("doc_id").agg(pl.col("row").sort().str.join("\x1e"))
    return {doc_id: text_key(rows) for doc_id, rows in grouped.iter_rows()}


def run_per_document(
    cache: SegmentCache,
    keys: dict[str, str],
    compute: Callable[[set[str]], StageRows],
    empty: pl.DataFrame,
    sort_by: str | list[str],
) -> tuple[StageRows, CacheStats]:
    """Rows of every article in ``keys``: cached ones read back, the others computed by ``compute(doc_ids)``
    (rows with a ``doc_id`` column and exactly the columns of ``empty``, and the articles that failed) and
    cached, except the failed ones."""
    cached = cache.lookup(list(keys.values()))
    hit_keys = set() if cached is None else set(cached["key"].to_list())
    missing = {doc_id for doc_id, key in keys.items() if key not in hit_keys}
    fresh = compute(missing) if missing else StageRows(empty, no_failures())
    failed = fresh.failed_ids
    computed = fresh.rows.filter(~pl.col("doc_id").is_in(pl.Series(sorted(failed), dtype=pl.Utf8).implode()))
    _remember(cache, keys, missing - failed, computed)
    parts = [computed]
    if cached is not None:
        parts.insert(0, cached.filter(~pl.col(NO_ROWS)).select(empty.columns).cast(empty.schema))
    rows = pl.concat(parts, how="vertical").sort(sort_by)
    return StageRows(rows, fresh.failures), CacheStats(len(keys), len(keys) - len(missing), len(missing))


def _remember(cache: SegmentCache, keys: dict[str, str], computed: set[str], rows: pl.DataFrame) -> None:
    key_of = pl.DataFrame(
        {"doc_id": list(keys), "key": list(keys.values())}, schema={"doc_id": pl.Utf8, "key": pl.Utf8}
    )
    with_rows = rows.join(key_of, on="doc_id", how="left").with_columns(pl.lit(False).alias(NO_ROWS))
    silent = sorted(computed - set(rows["doc_id"].to_list()))
    markers = pl.DataFrame(
        {"key": [keys[d] for d in silent], NO_ROWS: [True] * len(silent)},
        schema={"key": pl.Utf8, NO_ROWS: pl.Boolean},
    )
    cache.store(pl.concat([with_rows, markers], how="diagonal"))


def parses_of(
    documents: pl.DataFrame,
    paragraphs: pl.DataFrame,
    parsed: pl.DataFrame | pl.LazyFrame,
    doc_ids: set[str],
    vocab: Vocab | None = None,
) -> Iterator[DocumentParse]:
    """The parsed articles among ``doc_ids`` only: unchanged articles never have their docs rebuilt."""
    wanted = pl.Series(sorted(doc_ids), dtype=pl.Utf8)

    def only(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.filter(pl.col("doc_id").is_in(wanted.implode()))

    return iter_document_parses(only(documents), only(paragraphs), parsed, vocab)

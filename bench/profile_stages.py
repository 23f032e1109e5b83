"""Time the rule stages in one process, without Dagster and without caches, on the tables of a finished run.

    python -m bench.profile_stages $DAGSTER_HOME/storage/tables [--articles 200]

Wrap it in ``py-spy record -f raw`` (or run it under ``pyinstrument``) to see where each stage spends its
time: this is how the hot spots in README's "Performance" section were found.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl

from pipeline.entities import document_entities, mentions_frame, merge_corpus_rows
from pipeline.events import extract_dated_events
from pipeline.incremental import parses_of
from pipeline.quotes import extract_quotes
from pipeline.temporal import extract_temporal_expressions


def _timed(name: str, work: Callable[[], object]) -> object:
    started = time.perf_counter()
    result = work()
    print(f"{name:<24} {time.perf_counter() - started:7.2f} s", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("tables", type=Path)
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()

    def table(name: str) -> pl.DataFrame:
        return pl.read_parquet(args.tables / f"{name}.parquet")

    documents = table("documents").sort("doc_id").head(args.articles)
    ids = set(documents["doc_id"].to_list())
    keep = pl.col("doc_id").is_in(pl.Series(sorted(ids), dtype=pl.Utf8).implode())
    paragraphs, parsed = table("paragraphs").filter(keep), table("parsed_paragraphs").filter(keep)

    def parses():
        return parses_of(documents, paragraphs, parsed, ids)

    _timed("rebuild docs", lambda: sum(1 for _ in parses()))
    raw = _timed(
        "entities per article", lambda: mentions_frame(m for p in parses() for m in document_entities(p))
    )
    mentions, entities = _timed("entities merge", lambda: merge_corpus_rows(raw))
    timexes = _timed("temporal_expressions", lambda: extract_temporal_expressions(parses()))
    _timed("dated_events", lambda: extract_dated_events(parses(), timexes, mentions, entities))
    _timed("quotes", lambda: extract_quotes(parses(), mentions, entities))


if __name__ == "__main__":
    main()

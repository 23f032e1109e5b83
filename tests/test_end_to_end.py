"""Materialise every asset over seeds/ into a temporary warehouse, through Dagster, with the real model."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import polars as pl
import pytest

from pipeline.paragraphs import normalise_chars
from pipeline.warehouse import DATABASE_NAME
from tests.runs import materialize_folder

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
TABLES = [
    "documents",
    "rejected_documents",
    "paragraphs",
    "boilerplate",
    "entity_mentions",
    "entities",
    "temporal_expressions",
    "reference_dates",
    "dated_events",
    "timeline",
    "quotes",
    "dropped_quotations",
    "article_errors",
]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> tuple[dg.ExecuteInProcessResult, Path]:
    warehouse = tmp_path_factory.mktemp("warehouse")
    storage = tmp_path_factory.mktemp("storage")
    result = materialize_folder(SEEDS, warehouse, storage)
    return result, warehouse


@pytest.fixture(scope="module")
def con(run: tuple[dg.ExecuteInProcessResult, Path]) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(run[1] / DATABASE_NAME), read_only=True)
    yield connection
    connection.close()


def test_run_succeeds_and_every_check_passes(run: tuple[dg.ExecuteInProcessResult, Path]) -> None:
    result, _ = run
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert len(evaluations) == 18
    assert all(e.passed for e in evaluations), [e.asset_key for e in evaluations if not e.passed]


def test_every_table_is_published_as_parquet_and_duckdb(run, con: duckdb.DuckDBPyConnection) -> None:
    _, warehouse = run
    for table in TABLES:
        assert (warehouse / "parquet" / table / "data.parquet").exists(), table
        con.execute(f"SELECT * FROM {table} LIMIT 1")
    n_seeds = len(list(SEEDS.glob("*.txt")))
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == n_seeds
    assert con.execute("SELECT count(DISTINCT doc_id) FROM paragraphs").fetchone()[0] == n_seeds
    for table in ["entity_mentions", "entities", "temporal_expressions", "quotes"]:
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    assert con.execute("SELECT count(*) FROM reference_dates").fetchone()[0] == n_seeds


def test_paragraph_offsets_point_into_the_original_text(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("""
        SELECT p.text, substr(d.text, p.doc_char_start + 1, p.doc_char_end - p.doc_char_start)
        FROM paragraphs p JOIN documents d USING (doc_id)
    """).fetchall()
    assert rows
    for text, source in rows:
        assert normalise_chars(source) == text


@pytest.mark.parametrize("table", ["entity_mentions", "temporal_expressions"])
def test_mention_and_timex_spans_are_exactly_their_text(con: duckdb.DuckDBPyConnection, table: str) -> None:
    mismatches = con.execute(f"""
        SELECT t.text, substr(d.text, t.doc_char_start + 1, t.doc_char_end - t.doc_char_start) AS source
        FROM {table} t JOIN documents d USING (doc_id)
        WHERE source <> t.text
    """).fetchall()
    assert mismatches == []


def test_quote_spans_lie_inside_their_document(con: duckdb.DuckDBPyConnection) -> None:
    outside = con.execute("""
        SELECT q.quote_id FROM quotes q JOIN documents d USING (doc_id)
        WHERE q.doc_char_end > length(d.text) OR q.doc_char_start < 0
    """).fetchall()
    assert outside == []


def test_one_speaker_has_one_name_across_the_corpus(con: duckdb.DuckDBPyConnection) -> None:
    """A role left without an entity is not the bare start of a speaker the corpus names with its entity."""
    split = con.execute("""
        SELECT DISTINCT a.speaker, b.speaker FROM quotes a, quotes b
        WHERE a.speaker_entity_id IS NULL AND b.speaker_entity_id IS NOT NULL
          AND starts_with(lower(b.speaker), lower(a.speaker) || ' ')
    """).fetchall()
    assert split == []


def test_analyst_views_answer(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("SELECT * FROM who_said_what LIMIT 5").fetchall()
    con.execute("SELECT * FROM entity_cooccurrence ORDER BY n_paragraphs DESC LIMIT 5").fetchall()


def test_rerun_without_change_gives_identical_tables(
    run: tuple[dg.ExecuteInProcessResult, Path], tmp_path: Path
) -> None:
    """Same row counts, same ids, same values; and the second run parses nothing."""
    _, warehouse = run
    before = {t: pl.read_parquet(warehouse / "parquet" / t / "data.parquet") for t in TABLES}
    result = materialize_folder(SEEDS, warehouse, tmp_path)
    assert result.success
    parse = result.asset_materializations_for_node("parsed_paragraphs")[0].metadata
    assert parse["n_parsed"].value == 0
    ingest = {
        m.asset_key.to_user_string(): m.metadata for m in result.asset_materializations_for_node("ingest")
    }
    assert ingest["documents"]["n_articles_read"].value == 0  # every file from the ingest cache
    [published] = result.asset_materializations_for_node("warehouse")
    assert published.metadata["n_unchanged"].value == len(list(SEEDS.glob("*.txt")))
    for table in TABLES:
        after = pl.read_parquet(warehouse / "parquet" / table / "data.parquet")
        assert after.equals(before[table]), table

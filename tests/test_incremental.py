"""Re-runs cost only what changed: new or edited articles go through the stages, the rest comes from the
caches, and deleted articles disappear from every table."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb

from pipeline.warehouse import DATABASE_NAME
from tests.runs import materialize_folder

ROOT = Path(__file__).resolve().parent.parent
TABLES = ["documents", "paragraphs", "entity_mentions", "temporal_expressions", "dated_events", "quotes"]


def _materialize(seeds: Path, warehouse: Path, storage: Path) -> dg.ExecuteInProcessResult:
    result = materialize_folder(seeds, warehouse, storage)
    assert result.success
    return result


def _metadata(result: dg.ExecuteInProcessResult, node: str, asset: str) -> dict:
    found = [m for m in result.asset_materializations_for_node(node) if m.asset_key.to_user_string() == asset]
    return {key: value.value for key, value in found[0].metadata.items()}


def test_edit_and_delete_only_cost_what_changed(tmp_path: Path) -> None:
    seeds, warehouse, storage = tmp_path / "seeds", tmp_path / "warehouse", tmp_path / "storage"
    seeds.mkdir()
    kept, edited, deleted = sorted((ROOT / "seeds").glob("*.txt"))[:3]
    for path in (kept, edited, deleted):
        shutil.copy(path, seeds / path.name)
    _materialize(seeds, warehouse, storage)

    with (seeds / edited.name).open("a", encoding="utf-8") as handle:
        handle.write("\nLe conseil municipal de Quimper a voté mardi une motion de soutien aux salariés.\n")
    (seeds / deleted.name).unlink()
    result = _materialize(seeds, warehouse, storage)

    changes = _metadata(result, "warehouse", "warehouse")
    assert (changes["n_new"], changes["n_changed"], changes["n_unchanged"], changes["n_removed"]) == (
        0,
        1,
        1,
        1,
    )
    parse = _metadata(result, "parsed_paragraphs", "parsed_paragraphs")
    assert parse["n_parsed"] == 1  # only the added paragraph
    for node, asset in [
        ("extract_entities", "entity_mentions"),
        ("resolve_dates_stage", "temporal_expressions"),
        ("quotes", "quotes"),
        ("resolve_dates_stage", "dated_events"),
    ]:
        stats = _metadata(result, node, asset)
        assert stats["n_articles_computed"] <= 1, (
            asset
        )  # the edited article (or none when nothing it reads moved)
        assert stats["n_articles_from_cache"] >= 1, asset

    con = duckdb.connect(str(warehouse / DATABASE_NAME), read_only=True)
    try:
        for table in TABLES:
            gone = con.execute(f"SELECT count(*) FROM {table} WHERE doc_id = ?", [deleted.stem]).fetchone()[0]
            assert gone == 0, table
        assert con.execute("SELECT count(*) FROM entity_mentions WHERE text = 'Quimper'").fetchone()[0] == 1
    finally:
        con.close()

"""The code location loads and exposes every stage, its blocking checks and the job."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets.definitions import defs

STAGES = [
    "documents", "rejected_documents", "paragraphs", "boilerplate", "parsed_paragraphs", "entity_mentions",
    "entities", "temporal_expressions", "reference_dates", "dated_events", "timeline", "quotes", "warehouse",
    "dropped_quotations",
    "paragraph_errors", "parse_errors", "entity_errors", "date_errors", "quote_errors",
]


def test_definitions_load_every_stage() -> None:
    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys == set(STAGES)


def test_every_table_has_a_blocking_schema_check() -> None:
    graph = defs.resolve_asset_graph()
    checked = {key.asset_key.to_user_string() for key in graph.asset_check_keys}
    assert checked == set(STAGES) - {"warehouse"}
    for key in graph.asset_check_keys:
        assert graph.get_check_spec(key).blocking, key


def test_stage_order_follows_the_design() -> None:
    graph = defs.resolve_asset_graph()

    def upstream(name: str) -> set[str]:
        return {k.to_user_string() for k in graph.get(dg.AssetKey(name)).parent_keys}

    assert upstream("paragraphs") == {"documents"}
    assert "parsed_paragraphs" in upstream("entity_mentions")
    assert {"temporal_expressions", "entities"} <= upstream("dated_events")
    assert {"entities", "entity_mentions"} <= upstream("quotes")
    assert upstream("warehouse") >= {"documents", "quotes", "timeline", "dated_events"}


def test_job_and_resources_are_defined() -> None:
    assert defs.resolve_job_def("materialize_everything") is not None
    assert {"paths", "spacy_model", "io_manager"} <= set(defs.resources)


def test_nothing_imports_a_private_dagster_module() -> None:
    """Private names move between Dagster releases without notice (issue 17): none is used, anywhere."""
    root = Path(__file__).resolve().parent.parent
    files = [*root.glob("assets/**/*.py"), *root.glob("pipeline/**/*.py"), *root.glob("bench/**/*.py"),
             *root.glob("tests/**/*.py"), root / "dagster.yaml", root / "Makefile"]
    private = "dagster" + "._"  # spelled apart so this file does not match itself
    offenders = [str(path.relative_to(root)) for path in files if private in path.read_text(encoding="utf-8")]
    assert offenders == []


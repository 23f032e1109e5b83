"""A folder mixing plain text, saved web pages and a JSON Lines export, run end to end: each article's
paragraphs, date, quotes and entities, and a re-run after one JSON Lines line changed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from assets.automation import is_input_name, warehouse_difference
from pipeline.warehouse import DATABASE_NAME
from tests.runs import materialize_folder
from tests.test_formats_html import ARTICLE_PARAGRAPHS, CHROME, PAGES
from tests.test_incremental import _metadata

TEXT_ARTICLE = (
    "Nantes : le tramway reliera l'île de Nantes à Rezé en 2027\n\n"
    "Publié le 9 février 2024\n\n"
    "Le conseil de Nantes Métropole a voté vendredi la construction d'une nouvelle ligne de tramway entre "
    "l'île de Nantes et la commune de Rezé. Les travaux doivent commencer à l'automne et durer trois ans.\n\n"
    "« Cette ligne répond à une attente ancienne des habitants du sud de l'agglomération », a déclaré "
    "Bertrand Leroux, vice-président chargé des déplacements, à l'issue du vote.\n"
)
FEED = [
    {"id": "conseil-rennes", "title": "Rennes : le budget des écoles adopté", "published_at": "2024-01-18",
     "text": "Le conseil municipal de Rennes a adopté jeudi soir un budget de 12 millions d'euros pour "
             "rénover les écoles primaires de la ville. « Nos enfants méritent des bâtiments dignes », a "
             "affirmé l'adjointe chargée de l'éducation, Sophie Kerbrat, devant les élus. L'opposition a "
             "voté contre, jugeant la dépense mal préparée et trop tardive pour la rentrée prochaine."},
    {"text": "La ville de Brest va ouvrir trois nouvelles crèches d'ici à la fin de l'année, a annoncé lundi "
             "le maire, Paul Lagadec. Les travaux de la première, dans le quartier de Bellevue, ont déjà "
             "commencé. La municipalité prévoit de créer au total cent vingt places pour les jeunes enfants "
             "de la commune, selon le dossier présenté au conseil."},
]


def _write_folder(seeds: Path) -> None:
    seeds.mkdir()
    for name in ("article.html", "og_date.html", "home.html", "english.html"):
        (seeds / name).write_bytes((PAGES / name).read_bytes())
    (seeds / "tramway.txt").write_text(TEXT_ARTICLE, encoding="utf-8")
    _write_feed(seeds, [json.dumps(record, ensure_ascii=False) for record in FEED])


def _write_feed(seeds: Path, lines: list[str]) -> None:
    (seeds / "depeches.jsonl").write_text("\n".join([*lines, '{"id": "coupé", "text": "Le']) + "\n",
                                          encoding="utf-8")


def _run(seeds: Path, warehouse: Path, storage: Path) -> dg.ExecuteInProcessResult:
    result = materialize_folder(seeds, warehouse, storage)
    assert result.success
    assert all(check.passed for check in result.get_asset_check_evaluations())
    return result


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    seeds = tmp_path_factory.mktemp("mixed") / "seeds"
    _write_folder(seeds)
    warehouse, storage = tmp_path_factory.mktemp("warehouse"), tmp_path_factory.mktemp("storage")
    _run(seeds, warehouse, storage)
    return seeds, warehouse, storage


def _query(warehouse: Path, sql: str, *params: object) -> list[tuple]:
    con = duckdb.connect(str(warehouse / DATABASE_NAME), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


def test_every_format_is_read(mixed):
    _, warehouse, _ = mixed
    formats = dict(_query(warehouse, "SELECT doc_id, source_format FROM documents"))
    assert formats == {"article": "html", "og_date": "html", "tramway": "text", "conseil-rennes": "jsonl",
                       "depeches:2": "jsonl"}
    reasons = {(d, r) for d, r in _query(warehouse, "SELECT doc_id, reason FROM rejected_documents")}
    assert reasons == {("home", "no_article"), ("english", "not_french"), ("depeches:3", "invalid_json")}


def test_the_page_gives_the_article_paragraphs_and_no_chrome(mixed):
    _, warehouse, _ = mixed
    paragraphs = [t for (t,) in _query(warehouse, "SELECT text FROM paragraphs WHERE doc_id = 'article' "
                                                  "ORDER BY paragraph_index")]
    assert paragraphs[0].startswith("Grenoble : la métropole vote un plan")
    for start in ARTICLE_PARAGRAPHS:
        assert any(p.startswith(start) for p in paragraphs), start
    for chrome in CHROME:
        assert not any(chrome in p for p in paragraphs), chrome


def test_the_page_date_is_the_reference_date(mixed):
    _, warehouse, _ = mixed
    rows = dict((d, (r, b)) for d, r, b in _query(
        warehouse, "SELECT doc_id, reference_date, reference_date_basis FROM documents"))
    assert rows["article"] == (dt.date(2024, 3, 14), "html_metadata")
    assert rows["og_date"] == (dt.date(2023, 11, 20), "html_metadata")
    assert rows["tramway"] == (dt.date(2024, 2, 9), "in_text")
    assert rows["conseil-rennes"] == (dt.date(2024, 1, 18), "sidecar")
    final = _query(warehouse, "SELECT reference_date, basis FROM reference_dates WHERE doc_id = 'article'")
    assert final == [(dt.date(2024, 3, 14), "html_metadata")]
    # relative expressions of the page are resolved against it: "jeudi soir" is Thursday 14 March itself
    values = {v for (v,) in _query(warehouse, "SELECT value FROM temporal_expressions WHERE doc_id = ?",
                                   "article")}
    assert "2024-03-14" in values


def test_quotes_and_entities_of_the_page(mixed):
    _, warehouse, _ = mixed
    quotes = _query(warehouse, "SELECT text, speaker FROM quotes WHERE doc_id = 'article'")
    assert any(text.startswith("Ce plan change la vie quotidienne") and "Morvan" in (speaker or "")
               for text, speaker in quotes), quotes
    mentions = {t for (t,) in _query(warehouse, "SELECT text FROM entity_mentions WHERE doc_id = 'article'")}
    assert {"Grenoble", "Étienne Morvan", "Mathilde Quérel"} <= mentions
    assert not mentions & {"Claire Vasseur", "Chambéry", "Meylan"}  # byline, teaser, comment
    feed_quotes = _query(warehouse, "SELECT speaker FROM quotes WHERE doc_id = 'conseil-rennes'")
    assert any("Kerbrat" in (speaker or "") for (speaker,) in feed_quotes), feed_quotes


def test_editing_one_line_recomputes_only_that_article(mixed):
    seeds, warehouse, storage = mixed
    lines = [json.dumps(record, ensure_ascii=False) for record in FEED]
    lines[1] = lines[1].replace("trois nouvelles crèches", "quatre nouvelles crèches")
    _write_feed(seeds, lines)
    result = _run(seeds, warehouse, storage)
    changes = _metadata(result, "warehouse", "warehouse")
    assert (changes["n_new"], changes["n_changed"], changes["n_unchanged"], changes["n_removed"]) == (
        0, 1, 4, 0)
    assert _metadata(result, "parsed_paragraphs", "parsed_paragraphs")["n_parsed"] == 1
    for node, asset in [("extract_entities", "entity_mentions"), ("quotes", "quotes"),
                        ("resolve_dates_stage", "temporal_expressions")]:
        stats = _metadata(result, node, asset)
        assert stats["n_articles_computed"] <= 1, asset
        assert stats["n_articles_from_cache"] >= 4, asset
    texts = dict(_query(warehouse, "SELECT doc_id, text FROM documents"))
    assert "quatre nouvelles crèches" in texts["depeches:2"]

    _write_feed(seeds, lines[:1])  # the line without an id is removed: its rows go
    _run(seeds, warehouse, storage)
    for table in ("documents", "paragraphs", "entity_mentions", "quotes"):
        assert _query(warehouse, f"SELECT count(*) FROM {table} WHERE doc_id = 'depeches:2'") == [(0,)], table
    rejected = {d for (d,) in _query(warehouse, "SELECT doc_id FROM rejected_documents")}
    assert "depeches:2" in rejected  # the cut line is now line 2


def test_the_sensor_sees_the_warehouse_up_to_date_then_an_edited_feed(mixed):
    """The folder sensor's first tick compares the folder with the warehouse: a JSON Lines file's rows
    carry its lines' hashes, a page's fields come from the page, and neither is a difference."""
    seeds, warehouse, _ = mixed
    assert warehouse_difference(seeds, warehouse) is None
    assert is_input_name("depeches.jsonl") and is_input_name("article.HTML") and is_input_name("a.htm")

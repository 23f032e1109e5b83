"""A hostile input folder: every file is processed or rejected with a readable reason, nothing crashes,
and the good articles beside the bad ones come out whole."""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pytest

from pipeline.warehouse import DATABASE_NAME
from tests.runs import materialize_folder

ARTICLE = (
    "La municipalité de Rennes a présenté mardi 14 mars 2023 son nouveau plan de circulation. "
    "« Nous voulons rendre le centre aux piétons », a déclaré la maire, Nathalie Appéré, devant le conseil "
    "municipal. Selon elle, les travaux commenceront en septembre et dureront deux ans.\n\n"
    "Les commerçants du centre-ville se disent inquiets. Leur association a demandé une réunion avec la "
    "préfecture d'Ille-et-Vilaine, qui doit répondre la semaine prochaine. Plusieurs élus de l'opposition "
    "ont dénoncé un projet décidé sans concertation avec les habitants des quartiers concernés.\n"
)
ENGLISH = (
    "The city council of Leeds presented its new traffic plan on Tuesday. Residents and shop owners said "
    "they had not been consulted, and several councillors asked for a public meeting before any works begin. "
    "The mayor said the plan would be discussed again next month, after a consultation with local groups.\n"
)

EXPECTED_REJECTIONS = {
    "empty": "empty",
    "blank": "whitespace_only",
    "binary": "binary",
    "huge": "too_large",
    "one_long_line": "no_sentences",
    "english": "not_french",
    "orphan": "orphan_sidecar",
    "with_bad_sidecar": "bad_sidecar",
}
EXPECTED_DOCUMENTS = {
    "good",
    "utf16",
    "cp1252",
    "mojibake",
    "unbalanced",
    "nom avec espaces é",
    "with_bad_sidecar",
    "page",
}


def _write_hostile_folder(folder: Path) -> None:
    rng = random.Random(7)
    (folder / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "nom avec espaces é.txt").write_text(ARTICLE.replace("Rennes", "Brest"), encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("  \n\t\n   \n", encoding="utf-8")
    (folder / "binary.txt").write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    (folder / "utf16.txt").write_bytes(ARTICLE.encode("utf-16"))
    (folder / "cp1252.txt").write_bytes(ARTICLE.replace("Rennes", "Nîmes").encode("cp1252"))
    (folder / "mojibake.txt").write_bytes(ARTICLE.encode("utf-8").decode("latin-1").encode("utf-8"))
    (folder / "huge.txt").write_bytes((ARTICLE * 200_000)[:20_000_000].encode("utf-8"))
    words = ["commune", "travaux", "projet", "habitants", "conseil", "rue", "quartier", "ville"]
    (folder / "one_long_line.txt").write_text(
        " ".join(rng.choice(words) for _ in range(120_000)), encoding="utf-8"
    )
    (folder / "page.txt").write_text(
        "<!DOCTYPE html><html><head><title>Actu</title></head><body><nav><a href='/'>Accueil</a></nav>"
        f"<article><p>{ARTICLE}</p></article></body></html>",
        encoding="utf-8",
    )
    (folder / "english.txt").write_text(ENGLISH, encoding="utf-8")
    (folder / "unbalanced.txt").write_text(
        ARTICLE.replace("« Nous voulons rendre le centre aux piétons »", "« Nous voulons rendre le centre"),
        encoding="utf-8",
    )
    (folder / "with_bad_sidecar.txt").write_text(ARTICLE.replace("Rennes", "Lorient"), encoding="utf-8")
    (folder / "with_bad_sidecar.meta.json").write_text('{"published_at": "2023-03-14", ', encoding="utf-8")
    (folder / "orphan.meta.json").write_text('{"published_at": "2023-03-14"}', encoding="utf-8")


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    seeds = tmp_path_factory.mktemp("hostile")
    _write_hostile_folder(seeds)
    out = tmp_path_factory.mktemp("warehouse")
    result = materialize_folder(seeds, out, tmp_path_factory.mktemp("storage"))
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())
    return out


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse / DATABASE_NAME), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_bad_file_is_rejected_with_its_reason(warehouse: Path) -> None:
    rows = _query(warehouse, "SELECT doc_id, reason, detail FROM rejected_documents")
    reasons = {doc_id: reason for doc_id, reason, _ in rows}
    assert reasons == EXPECTED_REJECTIONS
    assert all(detail and len(detail) > 10 for _, _, detail in rows)


def test_every_usable_file_is_processed(warehouse: Path) -> None:
    kept = {doc_id for (doc_id,) in _query(warehouse, "SELECT doc_id FROM documents")}
    assert kept == EXPECTED_DOCUMENTS
    with_paragraphs = {d for (d,) in _query(warehouse, "SELECT DISTINCT doc_id FROM paragraphs")}
    assert with_paragraphs == EXPECTED_DOCUMENTS


def test_encodings_are_decoded_to_the_same_text(warehouse: Path) -> None:
    texts = dict(_query(warehouse, "SELECT doc_id, text FROM documents"))
    assert texts["utf16"] == texts["good"]
    assert texts["mojibake"] == texts["good"]
    assert "Nîmes" in texts["cp1252"]
    notes = dict(_query(warehouse, "SELECT doc_id, decode_notes FROM documents"))
    assert notes["mojibake"]


def test_good_articles_are_unaffected_by_their_neighbours(warehouse: Path) -> None:
    quotes = _query(warehouse, "SELECT doc_id, text FROM quotes WHERE doc_id = 'good'")
    assert any("centre aux piétons" in text for _, text in quotes)
    entities = {
        name
        for (name,) in _query(
            warehouse,
            """
        SELECT DISTINCT e.name FROM entity_mentions m JOIN entities e USING (entity_id)
        WHERE m.doc_id = 'good'
    """,
        )
    }
    assert "Rennes" in entities


def test_an_unclosed_quote_does_not_swallow_the_article(warehouse: Path) -> None:
    rows = _query(warehouse, "SELECT text FROM quotes WHERE doc_id = 'unbalanced'")
    assert all("commerçants" not in text for (text,) in rows)

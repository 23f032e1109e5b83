"""JSON Lines input: one article per line, a bad line is one row with its line number, the others are read;
editing one line re-reads only that article, removing it removes its row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest

from pipeline.formats.jsonl import BadLine, Record, read_records
from pipeline.ingest import corpus, read_corpus
from tests.test_formats_html import page
from tests.test_ingest import ENGLISH, FRENCH, write

OTHER = FRENCH.replace("budget", "plan de circulation").replace("écoles primaires", "rues du centre")
THIRD = FRENCH.replace("budget", "projet de piscine").replace("écoles primaires", "piscines municipales")


def line(**fields: object) -> str:
    return json.dumps(fields, ensure_ascii=False)


FEED_LINES = [
    line(id="budget-2024", text=FRENCH, title="Budget voté", url="https://exemple.fr/b", source="Exemple",
         published_at="2024-03-14T08:00:00+01:00"),
    line(text=OTHER),  # no id: <file stem>:2
    "",  # blank lines are skipped, not errors
    '{"id": "cassé", "text": "Le maire',  # 4: invalid JSON
    line(id="vide", title="Sans texte"),  # 5: no text
    line(id="budget-2024", text=THIRD),  # 6: duplicate id
    line(id=["liste"], text=THIRD),  # 7: bad id
    line(id="anglais", text=ENGLISH),  # 8: not French
    line(id="mauvaise-date", text=THIRD, published_at="le 14 mars"),  # 9: kept, bad field reported
    line(id="page", html=page("article.html")),  # 10: a saved page in a record
    "[1, 2, 3]",  # 11: not an object
]


def write_feed(folder: Path, lines: list[str], name: str = "flux.jsonl") -> Path:
    return write(folder, name, "\n".join(lines) + "\n")


def by_id(frame) -> dict[str, dict]:
    return {row["doc_id"]: row for row in frame.iter_rows(named=True)}


# ------------------------------------------------------------------------------------------ the reader


def test_read_records_splits_lines_and_names_bad_ones():
    raw = ("\ufeff" + line(id=7, text="Un texte.") + "\r\n\n" + line(html="<p>x</p>", title="T") + "\n"
           + '{"text": 3}\n' + '{"id": "", "text": "x"}\n' + "pas du json\n").encode("utf-8") + b"\xff\xfe\n"
    records = read_records(raw, max_line_bytes=1000)
    assert [r.line for r in records] == [1, 3, 4, 5, 6, 7]
    first, page_record = records[0], records[1]
    assert isinstance(first, Record) and (first.record_id, first.text) == ("7", "Un texte.")
    assert first.raw == line(id=7, text="Un texte.").encode("utf-8")  # no BOM, no line end
    assert isinstance(page_record, Record) and page_record.text is None and page_record.html == "<p>x</p>"
    assert page_record.fields == {"title": "T"}
    assert [(r.reason if isinstance(r, BadLine) else None) for r in records[2:]] == [
        "no_text", "bad_id", "invalid_json", "undecodable"]


def test_a_line_over_the_byte_limit_is_too_large():
    (record,) = read_records(line(text="x" * 200).encode(), max_line_bytes=100)
    assert isinstance(record, BadLine) and record.reason == "too_large"


# ------------------------------------------------------------------------------------------ via ingest


@pytest.fixture
def feed_folder(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    write_feed(seeds, FEED_LINES)
    return seeds


def test_good_lines_become_documents_and_bad_lines_rows(feed_folder: Path):
    documents, rejected = read_corpus(feed_folder)
    rows = by_id(documents)
    assert sorted(rows) == ["budget-2024", "flux:2", "mauvaise-date", "page"]
    assert {row["source_format"] for row in rows.values()} == {"jsonl"}
    assert all(row["source_path"] == str(feed_folder / "flux.jsonl") for row in rows.values())
    budget = rows["budget-2024"]
    assert budget["text"] == FRENCH
    assert (budget["title"], budget["url"]) == ("Budget voté", "https://exemple.fr/b")
    assert budget["source"] == "Exemple"
    assert budget["published_at"] == budget["reference_date"] == dt.date(2024, 3, 14)
    assert budget["reference_date_basis"] == "sidecar"  # the record's own field plays the sidecar's part
    assert budget["content_sha256"] == hashlib.sha256(FEED_LINES[0].encode("utf-8")).hexdigest()
    assert rows["mauvaise-date"]["published_at"] is None
    html = rows["page"]
    assert html["reference_date_basis"] == "html_metadata" and html["reference_date"] == dt.date(2024, 3, 14)
    assert html["title"].startswith("Grenoble") and "cookies" not in html["text"]

    found = {(row["doc_id"], row["reason"]) for row in rejected.iter_rows(named=True)}
    assert found == {("flux:4", "invalid_json"), ("vide", "no_text"), ("budget-2024", "duplicate_id"),
                     ("flux:7", "bad_id"), ("anglais", "not_french"), ("mauvaise-date", "bad_field"),
                     ("flux:11", "invalid_json")}
    details = {row["reason"]: row["detail"] for row in rejected.iter_rows(named=True)}
    assert details["bad_id"].startswith("Line 7 of flux.jsonl: ")
    assert details["duplicate_id"].startswith("Line 6 of flux.jsonl: ")
    assert details["not_french"].startswith("Line 8 of flux.jsonl: ")
    assert details["bad_field"].startswith("Line 9 of flux.jsonl: The record's published_at 'le 14 mars'")
    assert details["bad_field"].endswith("processed without it.")
    sizes = {row["doc_id"]: row["size_bytes"] for row in rejected.iter_rows(named=True)}
    assert sizes["vide"] == len(FEED_LINES[4].encode("utf-8"))


def test_an_id_used_by_a_file_is_a_duplicate(tmp_path: Path):
    write(tmp_path, "budget-2024.txt", FRENCH)
    write_feed(tmp_path, [line(id="budget-2024", text=OTHER), line(text=THIRD)])
    write(tmp_path, "flux.meta.json", json.dumps({"title": "Pas pour un flux"}))
    documents, rejected = read_corpus(tmp_path)
    assert sorted(documents["doc_id"]) == ["budget-2024", "flux:2"]
    assert by_id(documents)["budget-2024"]["source_format"] == "text"
    reasons = dict(zip(rejected["doc_id"], rejected["reason"], strict=True))
    assert reasons == {"budget-2024": "duplicate_id", "flux": "orphan_sidecar"}  # a feed has no sidecar


def test_an_unreadable_feed_is_one_row_and_an_empty_one_none(tmp_path: Path):
    write(tmp_path, "vide.jsonl", b"")
    (tmp_path / "dossier.jsonl").mkdir()
    write(tmp_path, "a.txt", FRENCH)
    documents, rejected = read_corpus(tmp_path)
    assert documents["doc_id"].to_list() == ["a"]
    assert dict(zip(rejected["doc_id"], rejected["reason"], strict=True)) == {"dossier": "unreadable"}


def test_editing_one_line_rereads_only_that_article(feed_folder: Path, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch):
    cache = tmp_path / "cache"
    first_documents, first_rejected = read_corpus(feed_folder, cache_dir=cache)
    prepared: list[int] = []
    original = corpus.prepare

    def counting(path: Path, raw: bytes, record=None):
        prepared.append(record.line)
        return original(path, raw, record)

    monkeypatch.setattr(corpus, "prepare", counting)
    documents, rejected = read_corpus(feed_folder, cache_dir=cache)
    assert prepared == []
    assert documents.equals(first_documents) and rejected.equals(first_rejected)

    edited = [*FEED_LINES]
    edited[1] = line(text=OTHER.replace("mardi", "mercredi"))
    write_feed(feed_folder, edited)
    documents, _ = read_corpus(feed_folder, cache_dir=cache)
    assert prepared == [2]
    after, before = by_id(documents), by_id(first_documents)
    assert "mercredi" in after["flux:2"]["text"]
    assert after["flux:2"]["content_sha256"] != before["flux:2"]["content_sha256"]
    assert all(after[d] == before[d] for d in ("budget-2024", "mauvaise-date", "page"))

    prepared.clear()
    write_feed(feed_folder, ["", *edited])  # every line moves down: the articles with an id stay cached
    documents, rejected = read_corpus(feed_folder, cache_dir=cache)
    assert prepared == [3]  # only the article without an id, whose id is its line number
    assert sorted(documents["doc_id"]) == ["budget-2024", "flux:3", "mauvaise-date", "page"]
    details = dict(zip(rejected["reason"], rejected["detail"], strict=True))
    assert details["not_french"].startswith("Line 9 of flux.jsonl: ")  # cached, renumbered


def test_removing_a_line_removes_its_row(feed_folder: Path, tmp_path: Path):
    cache = tmp_path / "cache"
    read_corpus(feed_folder, cache_dir=cache)
    write_feed(feed_folder, [FEED_LINES[1], *FEED_LINES[2:]])  # the first line is gone
    documents, rejected = read_corpus(feed_folder, cache_dir=cache)
    assert "budget-2024" not in set(rejected["doc_id"])  # its duplicate on line 6 is now the first
    assert sorted(documents["doc_id"]) == ["budget-2024", "flux:1", "mauvaise-date", "page"]
    assert "piscine" in by_id(documents)["budget-2024"]["text"]

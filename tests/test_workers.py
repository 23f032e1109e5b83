"""The rule stages in worker processes give exactly the rows they give in-process; an article a stage raises
on is recorded and left out, in the workers too, and only a stage broken for every input fails."""

from __future__ import annotations

import pickle
from pathlib import Path

import polars as pl
import pytest
from spacy.language import Language

from pipeline.entities import article_mentions, merge_corpus_rows
from pipeline.events import extract_dated_events
from pipeline.ingest import read_corpus
from pipeline.isolation import StageRows
from pipeline.nlp import cache_for, parse_paragraphs_cached
from pipeline.paragraphs import split_paragraphs
from pipeline.quotes import extract_quotes
from pipeline.temporal import extract_temporal_expressions
from pipeline.workers import ArticleWork, StageWorkers, worker_of

ARTICLES = {
    "budget": "Publié le 12 mars 2024.\n\nLe conseil municipal de Rennes a adopté mardi un budget en hausse. "
    "« Nous tiendrons nos engagements », a déclaré la maire, Nathalie Appéré.\n\n"
    "L'opposition, menée par Charles Compagnon, dénonce une dépense irresponsable.",
    "usine": "Publié le 3 février 2024.\n\nLe groupe Arcelor a annoncé vendredi la fermeture de son usine "
    "de Florange en 2025. « C'est un choc pour la vallée », a réagi le député Laurent Jacobelli.",
    "port": "Le port du Havre a rouvert le 15 janvier 2024 après trois jours de grève. Selon la direction, "
    "le trafic a repris dès le lendemain.\n\nLes dockers, eux, promettent de nouvelles actions.",
    "club": "Publié le 20 mai 2024.\n\nL'Olympique lyonnais a limogé son entraîneur Pierre Sage dimanche. "
    "« Il fallait un électrochoc », a expliqué le président John Textor lundi.",
}


@pytest.fixture(scope="module")
def work_inputs(tmp_path_factory: pytest.TempPathFactory, nlp: Language):
    folder = tmp_path_factory.mktemp("articles")
    for name, text in ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    documents, _ = read_corpus(folder)
    paragraphs, _ = split_paragraphs(documents)
    parsed, _ = parse_paragraphs_cached(lambda: nlp, paragraphs, cache_for("fr_core_news_md", Path(folder)))
    return documents, paragraphs, parsed


@pytest.fixture(scope="module")
def workers():
    pool = StageWorkers(2, min_articles=1, min_articles_now=1)
    yield pool
    pool.close()


def _same(a: StageRows, b: StageRows, key: str) -> None:
    assert a.failures.is_empty() and b.failures.is_empty()
    assert a.rows.height > 0
    assert a.rows.sort(key).equals(b.rows.sort(key))


def test_every_stage_gives_the_same_rows_in_workers(work_inputs, workers: StageWorkers):
    documents, paragraphs, parsed = work_inputs
    ids = set(documents["doc_id"])
    mentions_work = ArticleWork(article_mentions, documents, paragraphs, parsed)
    raw = workers.run(mentions_work, ids)
    assert workers.started
    _same(raw, mentions_work(), "mention_id")
    mentions, entities = merge_corpus_rows(raw.rows)
    timex_work = ArticleWork(extract_temporal_expressions, documents, paragraphs, parsed)
    timexes = workers.run(timex_work, ids)
    _same(timexes, timex_work(), "timex_id")
    timexes = timexes.rows
    events_work = ArticleWork(extract_dated_events, documents, paragraphs, parsed,
                              per_article=(timexes, mentions), shared=(entities,))
    _same(workers.run(events_work, ids), events_work(), "event_id")
    quotes_work = ArticleWork(extract_quotes, documents, paragraphs, parsed,
                              per_article=(mentions,), shared=(entities,))
    _same(workers.run(quotes_work, ids), quotes_work(), "quote_id")
    # a second pass reads docs the workers kept from the first: still the same rows
    _same(workers.run(quotes_work, ids), quotes_work(), "quote_id")


def test_each_article_always_goes_to_the_same_worker_once():
    ids = [f"a{i:03d}" for i in range(101)]
    per_worker = StageWorkers(2).chunks(ids)
    assert len(per_worker) == 2
    assert sorted(i for chunks in per_worker for chunk in chunks for i in chunk) == ids
    for worker, chunks in enumerate(per_worker):
        assert all(worker_of(i, 2) == worker for chunk in chunks for i in chunk)
        assert len(chunks) <= 5
    assert per_worker == StageWorkers(2).chunks(ids[:50] + ids[50:])


def test_work_for_some_articles_carries_only_their_rows(work_inputs):
    documents, paragraphs, parsed = work_inputs
    values = {"port": 1, "usine": 2}
    part = ArticleWork(_doc_ids_and_values, documents, paragraphs, parsed, by_article=(values,)).for_articles(
        {"port"})
    assert set(part.documents["doc_id"]) == set(part.paragraphs["doc_id"]) == {"port"}
    assert part.by_article == ({"port": 1},)
    assert part().rows.rows() == [("port", 1)]


def test_small_batches_stay_in_process_until_the_pool_is_up(work_inputs):
    documents, paragraphs, parsed = work_inputs
    idle = StageWorkers(2)  # default thresholds: far more articles than these four
    idle.run(ArticleWork(article_mentions, documents, paragraphs, parsed), set(documents["doc_id"]))
    assert not idle.started
    assert not idle.worth_starting(4) and idle.worth_starting(400)


def test_a_failing_article_is_recorded_and_the_others_come_back(work_inputs, workers: StageWorkers):
    """In the workers: the chunk that raised is run again article by article there, and the pool lives on."""
    documents, paragraphs, parsed = work_inputs
    ids = set(documents["doc_id"])
    failing = workers.run(
        ArticleWork(_mentions_but_not_usine, documents, paragraphs, parsed, stage="entity_mentions"), ids
    )
    assert workers.started
    assert failing.failures.select("doc_id", "stage", "error_type").rows() == [
        ("usine", "entity_mentions", "ValueError")
    ]
    assert failing.failures["message"][0].startswith("cannot read usine [at test_workers.py:")
    mentions = ArticleWork(article_mentions, documents, paragraphs, parsed)
    clean = mentions().rows.sort("mention_id")
    assert failing.rows.sort("mention_id").equals(clean.filter(pl.col("doc_id") != "usine"))
    assert workers.run(mentions, ids).rows.sort("mention_id").equals(clean)


def test_a_stage_broken_for_every_input_fails_and_stops_the_workers(work_inputs):
    documents, paragraphs, parsed = work_inputs
    pool = StageWorkers(2, min_articles=1, min_articles_now=1)
    with pytest.raises(ValueError, match="broken"):
        pool.run(ArticleWork(_always_fails, documents, paragraphs, parsed), set(documents["doc_id"]))
    assert not pool.started


def test_work_must_be_sendable():
    work = ArticleWork(lambda parses: pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), pl.DataFrame())
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(work)


def _doc_ids_and_values(parses, values: dict[str, int]) -> pl.DataFrame:
    return pl.DataFrame([(p.doc_id, values[p.doc_id]) for p in parses], schema=["doc_id", "value"],
                        orient="row")


def _mentions_but_not_usine(parses) -> pl.DataFrame:
    """``article_mentions`` raising when it reaches the article ``usine``, after those before it."""

    def guarded(parses):
        for parse in parses:
            if parse.doc_id == "usine":
                raise ValueError(f"cannot read {parse.doc_id}")
            yield parse

    return article_mentions(guarded(parses))


def _always_fails(parses) -> pl.DataFrame:
    raise ValueError("broken for every input")

"""The rule stages on a real local Dask cluster give exactly the rows they give in-process; an article a stage
raises on is recorded and left out, on the workers too; a stage broken for every input, or a worker that
dies, fails the stage at once."""

from __future__ import annotations

import os
import time
from pathlib import Path

import polars as pl
import pytest
from distributed import KilledWorker
from spacy.language import Language

from pipeline.distributed import Fanout
from pipeline.entities import article_mentions, merge_corpus_rows
from pipeline.events import extract_dated_events
from pipeline.ingest import read_corpus
from pipeline.isolation import StageRows
from pipeline.nlp import cache_for, parse_paragraphs_cached
from pipeline.paragraphs import split_paragraphs
from pipeline.quotes import extract_quotes
from pipeline.temporal import extract_temporal_expressions
from pipeline.workers import ArticleWork, TextWork, chunks, run_stage, run_text_stage

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
    cluster = Fanout(2, address="")  # a local cluster, whatever the environment names
    yield cluster
    cluster.close()


def _same(a: StageRows, b: StageRows, key: str) -> None:
    assert a.failures.is_empty() and b.failures.is_empty()
    assert a.rows.height > 0
    assert a.rows.sort(key).equals(b.rows.sort(key))


def _run(cluster: Fanout, work: ArticleWork, ids) -> StageRows:
    return run_stage(cluster, work, ids, min_articles_now=1)


def test_every_stage_gives_the_same_rows_on_the_cluster(work_inputs, workers: Fanout):
    documents, paragraphs, parsed = work_inputs
    ids = set(documents["doc_id"])
    mentions_work = ArticleWork(article_mentions, documents, paragraphs, parsed)
    raw = _run(workers, mentions_work, ids)
    assert workers.started and workers.workers() == 2
    _same(raw, mentions_work(), "mention_id")
    mentions, entities = merge_corpus_rows(raw.rows)
    timex_work = ArticleWork(extract_temporal_expressions, documents, paragraphs, parsed)
    timexes = _run(workers, timex_work, ids)
    _same(timexes, timex_work(), "timex_id")
    events_work = ArticleWork(extract_dated_events, documents, paragraphs, parsed,
                              per_article=(timexes.rows, mentions), shared=(entities,))
    _same(_run(workers, events_work, ids), events_work(), "event_id")
    quotes_work = ArticleWork(extract_quotes, documents, paragraphs, parsed,
                              per_article=(mentions,), shared=(entities,))
    _same(_run(workers, quotes_work, ids), quotes_work(), "quote_id")
    # a second pass may read docs a worker kept from the first: still the same rows
    _same(_run(workers, quotes_work, ids), quotes_work(), "quote_id")


def test_parses_scanned_from_the_stored_table_give_the_same_rows(work_inputs, workers: Fanout,
                                                                 tmp_path: Path):
    """A stage given ``parsed_paragraphs`` as a LazyFrame (the stored table, scanned) hands out chunks that
    still hold no DocBin bytes; each reads its own rows where it runs, and the rows are the same."""
    from assets.stage_io import parsed_articles

    documents, paragraphs, parsed = work_inputs
    ids = set(documents["doc_id"])
    parsed.write_parquet(tmp_path / "parsed.parquet", statistics=True, row_group_size=2)
    scanned = pl.scan_parquet(tmp_path / "parsed.parquet")
    lazy = ArticleWork(article_mentions, documents, paragraphs, scanned)
    eager = ArticleWork(article_mentions, documents, paragraphs, parsed)
    part = lazy.for_articles({"port"})
    assert isinstance(part.parsed, pl.LazyFrame)
    read = part.read_here().parsed  # what an existing cluster's chunk carries: its own rows only
    assert isinstance(read, pl.DataFrame)
    assert read.equals(parsed.filter(pl.col("doc_id") == "port"))
    assert read_here_rows(part) == read_here_rows(eager.for_articles({"port"}))
    _same(lazy(), eager(), "mention_id")
    _same(_run(workers, lazy, ids), eager(), "mention_id")
    assert parsed_articles(paragraphs, scanned) == parsed_articles(paragraphs, parsed) == ids


def test_the_split_gives_the_same_tables_on_the_cluster_and_loses_only_a_failing_article(
        work_inputs, workers: Fanout):
    """The paragraph split (documents only, no parse) mapped over the cluster: both tables as in-process,
    and an article it raises on is recorded, its rows left out, the others kept."""
    documents = work_inputs[0]
    ids = set(documents["doc_id"])
    expected = split_paragraphs(documents)
    (paras, lines), failures = run_text_stage(workers, TextWork(split_paragraphs, documents, "paragraphs"),
                                              ids, min_articles_now=1)
    assert failures.is_empty() and paras.height > 0
    assert paras.sort("paragraph_id").equals(expected[0].sort("paragraph_id"))
    assert lines.sort("doc_id", "doc_char_start").equals(expected[1].sort("doc_id", "doc_char_start"))
    (paras, _), failures = run_text_stage(workers, TextWork(_split_but_not_port, documents, "paragraphs"),
                                          ids, min_articles_now=1)
    assert failures.select("doc_id", "stage").rows() == [("port", "paragraphs")]
    assert paras.sort("paragraph_id").equals(
        expected[0].filter(pl.col("doc_id") != "port").sort("paragraph_id"))


def test_chunks_are_runs_of_consecutive_articles_each_once():
    ids = sorted(f"doc{i:04d}" for i in range(1000))
    cut = chunks(ids, 2)
    assert [i for chunk in cut for i in chunk] == ids
    assert max(len(chunk) for chunk in cut) == 64  # the cap, not 1000 / 8
    assert [len(chunk) for chunk in chunks(ids[:16], 2)] == [2] * 8  # four per worker


def test_work_for_some_articles_carries_only_their_rows(work_inputs):
    documents, paragraphs, parsed = work_inputs
    values = {"port": 1, "usine": 2}
    part = ArticleWork(_doc_ids_and_values, documents, paragraphs, parsed, by_article=(values,)).for_articles(
        {"port"})
    assert set(part.documents["doc_id"]) == set(part.paragraphs["doc_id"]) == {"port"}
    assert part.by_article == ({"port": 1},)
    assert part().rows.rows() == [("port", 1)]


def test_small_batches_stay_in_process_until_the_cluster_is_up(work_inputs):
    documents, paragraphs, parsed = work_inputs
    idle = Fanout(2, address="")  # default threshold: far more articles than these four
    run_stage(idle, ArticleWork(article_mentions, documents, paragraphs, parsed), set(documents["doc_id"]))
    assert not idle.started
    assert not idle.worth_it(4, 400) and idle.worth_it(400, 400)
    assert not Fanout(1, address="").worth_it(10_000, 400)  # one worker: never a cluster


def test_an_existing_cluster_gets_every_batch():
    """Named by Dask's setting, a cluster gets even one article (deciding connects to nothing)."""
    existing = Fanout(1, address="tcp://127.0.0.1:8786")
    assert existing.external and existing.worth_it(1, 400) and not existing.started


def test_a_failing_article_is_recorded_and_the_others_come_back(work_inputs, workers: Fanout):
    """On the cluster: the chunk that raised runs again article by article there; the cluster lives on."""
    documents, paragraphs, parsed = work_inputs
    ids = set(documents["doc_id"])
    failing = _run(workers, ArticleWork(_mentions_but_not_usine, documents, paragraphs, parsed,
                                        stage="entity_mentions"), ids)
    assert workers.started
    assert failing.failures.select("doc_id", "stage", "error_type").rows() == [
        ("usine", "entity_mentions", "ValueError")
    ]
    assert failing.failures["message"][0].startswith("cannot read usine [at test_workers.py:")
    mentions = ArticleWork(article_mentions, documents, paragraphs, parsed)
    clean = mentions().rows.sort("mention_id")
    assert failing.rows.sort("mention_id").equals(clean.filter(pl.col("doc_id") != "usine"))
    assert _run(workers, mentions, ids).rows.sort("mention_id").equals(clean)


def test_a_stage_broken_for_every_input_fails_and_the_cluster_serves_the_next(work_inputs, workers: Fanout):
    documents, paragraphs, parsed = work_inputs
    ids = set(documents["doc_id"])
    with pytest.raises(ValueError, match="broken"):
        _run(workers, ArticleWork(_always_fails, documents, paragraphs, parsed), ids)
    mentions = ArticleWork(article_mentions, documents, paragraphs, parsed)
    _same(_run(workers, mentions, ids), mentions(), "mention_id")


def test_a_worker_that_dies_mid_task_fails_the_stage_at_once(work_inputs):
    """A killed worker (out of memory, a signal) is not retried on the next one: the stage raises, no hang."""
    documents, paragraphs, parsed = work_inputs
    cluster = Fanout(2, address="")
    try:
        started = time.monotonic()
        with pytest.raises(KilledWorker):
            _run(cluster, ArticleWork(_dies, documents, paragraphs, parsed), set(documents["doc_id"]))
        assert time.monotonic() - started < 240
    finally:
        cluster.close()


def read_here_rows(work: ArticleWork) -> list[tuple]:
    """What a chunk read where it was handed out gives on a worker (it may cut itself again there)."""
    return work.read_here().for_articles({"port"}).batch_rows().rows()


def _split_but_not_port(documents: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    if "port" in documents["doc_id"].to_list():
        raise ValueError("cannot split port")
    return split_paragraphs(documents)


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


def _dies(parses) -> pl.DataFrame:
    os._exit(3)  # what the kernel's OOM killer does to a worker, as seen from the scheduler

"""Speed-ups that must not change a byte: the parse on Dask workers, the shared vocabulary, rebuilt docs."""

from __future__ import annotations

from functools import partial

import pytest
import spacy
from spacy.language import Language

import pipeline.nlp as nlp_module
from pipeline.distributed import Fanout, loaded_models
from pipeline.nlp import MODEL_NAME, _doc_to_bytes, _parsed_chunks, blank_vocab, doc_from_bytes, load_model

TEXTS = [
    "Le conseil municipal a adopté mardi soir un budget en hausse, a annoncé Marie Dupont.",
    "« Nous tiendrons nos engagements », a déclaré le maire de Lyon le 3 mars 2024.",
    "L’opposition dénonce une dépense irresponsable.",
    "Selon l'Insee, l'inflation a ralenti en janvier.",
] * 5


def _pipe(*args, **kwargs) -> list:
    """Every text's DocBin bytes (or error), in the order of the texts, whatever order the tasks end in."""
    return [blob for _, blobs in sorted(_parsed_chunks(*args, **kwargs), key=lambda chunk: chunk[0])
            for blob in blobs]

def test_parse_workers_give_the_same_docbins(nlp: Language, monkeypatch: pytest.MonkeyPatch):
    """On a real local Dask cluster: the same bytes in the same order, and the model loaded once per worker
    however many tasks and parses it serves."""
    in_process = [_doc_to_bytes(doc) for doc in nlp.pipe(TEXTS, batch_size=8)]
    monkeypatch.setattr(nlp_module, "TEXTS_PER_TASK", 6)  # tasks that do not line up with the batches
    cluster = Fanout(2, address="")
    try:
        cluster.start()
        loader = partial(load_model, MODEL_NAME)
        in_workers = list(_pipe(loader, TEXTS, batch_size=4, n_process=2, fanout=cluster))
        assert in_workers == in_process  # in order, and the batch a text is parsed in changes nothing
        assert list(_pipe(loader, TEXTS, batch_size=4, n_process=2, fanout=cluster)) == in_process
        assert set(cluster.client().run(loaded_models).values()) == {1}
    finally:
        cluster.close()


def test_a_parse_without_a_cluster_starts_one_for_itself(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(nlp_module, "MIN_PARAGRAPHS_PER_WORKER", 1)
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    started = []
    monkeypatch.setattr(Fanout, "map_as_completed",
                        lambda self, f, items: started.append(self) or enumerate(map(f, items)))
    blobs = list(_pipe(partial(load_model, MODEL_NAME), TEXTS[:4], batch_size=4, n_process=2))
    assert len(blobs) == 4 and len(started) == 1 and not started[0].started  # closed after the parse


def test_small_batches_stay_in_process(nlp: Language, monkeypatch: pytest.MonkeyPatch):
    def no_cluster(*args, **kwargs):
        raise AssertionError("a cluster was used for a handful of paragraphs")

    monkeypatch.setattr(Fanout, "client", no_cluster)
    idle = Fanout(2, address="")
    assert len(list(_pipe(lambda: nlp, TEXTS[:3], batch_size=8, n_process=2, fanout=idle))) == 3
    assert len(list(_pipe(lambda: nlp, TEXTS[:3], batch_size=8, n_process=2))) == 3


def test_shared_vocab_matches_a_blank_pipeline(nlp: Language):
    vocab, blank = blank_vocab(), spacy.blank("fr").vocab
    assert vocab is blank_vocab()
    assert sorted(vocab.lex_attr_getters) == sorted(blank.lex_attr_getters)
    assert vocab.get_noun_chunks is blank.get_noun_chunks
    doc = nlp(TEXTS[1])
    rebuilt = doc_from_bytes(_doc_to_bytes(doc), vocab)
    assert [(t.text, t.lemma_, t.dep_, t.like_num, t.is_stop) for t in rebuilt] == [
        (t.text, t.lemma_, t.dep_, t.like_num, t.is_stop) for t in doc]


def test_workers_drop_the_model_after_the_parse_and_load_it_again_if_asked(nlp: Language):
    """The parse step releases the local workers' models (the rule stages read docs with a blank vocabulary):
    none is left loaded, and a later parse still gives the same bytes."""
    in_process = [_doc_to_bytes(doc) for doc in nlp.pipe(TEXTS, batch_size=8)]
    cluster = Fanout(2, address="")
    try:
        cluster.start()
        loader = partial(load_model, MODEL_NAME)
        assert list(_pipe(loader, TEXTS, batch_size=4, n_process=2, fanout=cluster)) == in_process
        assert sum(cluster.client().run(loaded_models).values()) >= 1
        cluster.release_models()
        assert set(cluster.client().run(loaded_models).values()) == {0}
        assert list(_pipe(loader, TEXTS, batch_size=4, n_process=2, fanout=cluster)) == in_process
    finally:
        cluster.close()


def test_an_existing_cluster_keeps_its_models():
    """Releasing never reaches a cluster the run did not start (nor one that is not up)."""
    existing = Fanout(1, address="tcp://127.0.0.1:8786")
    existing.release_models()  # connects to nothing: it would raise if it tried
    assert not existing.started

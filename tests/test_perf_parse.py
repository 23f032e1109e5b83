"""Speed-ups that must not change a byte: parse workers, the shared vocabulary, rebuilt docs."""

from __future__ import annotations

from functools import partial

import pytest
import spacy
from spacy.language import Language

import pipeline.nlp as nlp_module
from pipeline.nlp import MODEL_NAME, _doc_to_bytes, _pipe, blank_vocab, doc_from_bytes, load_model

TEXTS = [
    "Le conseil municipal a adopté mardi soir un budget en hausse, a annoncé Marie Dupont.",
    "« Nous tiendrons nos engagements », a déclaré le maire de Lyon le 3 mars 2024.",
    "L’opposition dénonce une dépense irresponsable.",
    "Selon l'Insee, l'inflation a ralenti en janvier.",
] * 5


def test_parse_workers_give_the_same_docbins(nlp: Language, monkeypatch: pytest.MonkeyPatch):
    in_process = [_doc_to_bytes(doc) for doc in nlp.pipe(TEXTS, batch_size=8)]
    monkeypatch.setattr(nlp_module, "MIN_PARAGRAPHS_PER_WORKER", 1)
    monkeypatch.setattr(nlp_module, "TEXTS_PER_TASK", 6)  # tasks that do not line up with the batches
    in_workers = list(_pipe(partial(load_model, MODEL_NAME), TEXTS, batch_size=4, n_process=2))
    assert in_workers == in_process  # in order, and the batch a text is parsed in changes nothing


def test_small_batches_stay_in_process(nlp: Language, monkeypatch: pytest.MonkeyPatch):
    def no_fork(*args, **kwargs):
        raise AssertionError("a worker was started for a handful of paragraphs")

    monkeypatch.setattr(nlp_module, "worker_context", no_fork)
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

"""The detection pipeline (pipeline/detection.py): registered components over stored parses."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc, DocBin

from pipeline.detection import detect_docs, detector
from pipeline.nlp import MODEL_NAME, blank_vocab


@Language.factory("test_capitalised_words")
def _capitalised_words(nlp: Language, name: str):
    """A toy detector: each capitalised token not at a sentence start, in ``doc.spans["capitalised"]``."""

    def component(doc: Doc) -> Doc:
        doc.spans["capitalised"] = [doc[t.i : t.i + 1] for t in doc if t.is_title and not t.is_sent_start]
        return doc

    return component


@pytest.fixture(scope="module")
def stored_doc() -> Doc:
    """A parsed paragraph as the later stages get it: DocBin bytes rebuilt on the shared blank vocabulary."""
    nlp = spacy.load(MODEL_NAME)
    doc = nlp("Hier, la maire de Lille a reçu Paul Martin.")
    stored = DocBin(store_user_data=True)
    stored.add(doc)
    return next(DocBin().from_bytes(stored.to_bytes()).get_docs(blank_vocab()))


def test_a_detector_runs_registered_components_over_stored_parses(stored_doc: Doc) -> None:
    tokens = [(t.text, t.dep_, t.head.i) for t in stored_doc]
    detect_docs([stored_doc], "test_capitalised_words")
    assert [span.text for span in stored_doc.spans["capitalised"]] == ["Lille", "Paul", "Martin"]
    assert [(t.text, t.dep_, t.head.i) for t in stored_doc] == tokens  # the parse is left as it was


def test_a_detector_is_built_once_per_process_on_the_stored_parses_vocabulary() -> None:
    first = detector("test_capitalised_words")
    assert detector("test_capitalised_words") is first
    assert first.vocab is blank_vocab()
    assert first.pipe_names == ["test_capitalised_words"]

"""Shared fixtures: the real French model, loaded once per test session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from spacy.language import Language

from pipeline.model import DocumentParse
from pipeline.nlp import load_model, parse_text_for_tests

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def nlp() -> Language:
    return load_model()


@pytest.fixture(scope="session")
def parse(nlp: Language):
    """``parse(text, reference_date=None, doc_id="t")`` -> DocumentParse through the real splitter."""

    def _parse(text: str, reference_date: dt.date | None = None, doc_id: str = "t") -> DocumentParse:
        return parse_text_for_tests(nlp, text, doc_id=doc_id, reference_date=reference_date)

    return _parse


@pytest.fixture(scope="session")
def detected_by(nlp: Language):
    """``detected_by(text, *components)`` -> the paragraph parsed by the real model, then run through the
    named registered components (``pipeline/detection.py``; import their module first)."""
    from pipeline.detection import detect_docs

    def _detected(text: str, *components: str):
        doc = nlp(text)
        detect_docs([doc], *components)
        return doc

    return _detected

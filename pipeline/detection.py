"""The detection pipeline: the project's registered spaCy components, run over the stored parses.

Each rule stage's per-paragraph detection is a spaCy component registered with ``@Language.factory`` in its
package's ``component`` module (``pipeline/temporal/component.py``, ...). It reads a parsed paragraph doc
and writes what it finds to ``doc.spans[<key>]`` (with span attributes), never the doc's tokens or parse.
The stage then exports those spans once to per-article rows, and resolves the rows (offsets, ids, values,
speakers, corpus-level merges) as pure functions over polars frames.

The stored parses are rebuilt from DocBin bytes with :func:`pipeline.nlp.blank_vocab`; the detector shares
that vocabulary, so a component can run over them (``Language.pipe`` accepts ``Doc`` objects).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.model import DocumentParse
from pipeline.nlp import blank_vocab


@cache
def detector(*components: str) -> Language:
    """A blank French pipeline of only the named components, built once per process.

    The components' factories must be registered first: import the stage's ``component`` module.
    """
    import spacy

    nlp = spacy.blank("fr", vocab=blank_vocab())
    for name in components:
        nlp.add_pipe(name)
    return nlp


def detect_docs(docs: Iterable[Doc], *components: str) -> None:
    """Run the named components over ``docs`` in place (they add ``doc.spans``)."""
    for _ in detector(*components).pipe(docs):
        pass


def detect_in(parse: DocumentParse, *components: str) -> DocumentParse:
    """Run the named components over every paragraph doc of one article; returns the same parse."""
    detect_docs((paragraph.doc for paragraph in parse.paragraphs), *components)
    return parse

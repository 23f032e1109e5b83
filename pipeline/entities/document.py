"""The per-article step of the stage: detect (the ``entity_detector`` component over the stored paragraph
docs), export once to rows, resolve the rows over the article; and the whole stage (:func:`build_entities`)
for tests and tools.

Offsets: candidates live in the parsed paragraph text (runs of spaces collapsed, ``pipeline/collapse.py``)
and become document offsets at export, through :meth:`ParsedParagraph.doc_offset`; a mention's ``text`` is
the source slice, its ``form`` the parsed one (single spaces).
"""

from __future__ import annotations

from collections.abc import Iterable

import polars as pl

from pipeline.detection import detect_in
from pipeline.entities.component import COMPONENT
from pipeline.entities.corpus import merge_corpus_rows
from pipeline.entities.export import export_rows
from pipeline.entities.records import Mention
from pipeline.entities.resolve import article_rows, resolve_article, resolve_mentions
from pipeline.model import DocumentParse


def article_mentions(parses: Iterable[DocumentParse]) -> pl.DataFrame:
    """The per-article step of the stage (everything before the corpus merge), as cacheable rows."""
    return resolve_mentions(*export_rows(detect_in(parse, COMPONENT) for parse in parses))


def document_entities(parse: DocumentParse) -> list[Mention]:
    """Cleaned mentions of one article, each with a key that merges what the article ties together."""
    return [m for article, found in article_rows(*export_rows([detect_in(parse, COMPONENT)]))
            for m in resolve_article(article, found)]


def build_entities(parses: Iterable[DocumentParse]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``entity_mentions`` and ``entities`` tables for the corpus."""
    return merge_corpus_rows(article_mentions(parses))

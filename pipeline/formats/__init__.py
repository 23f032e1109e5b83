"""Readers for the input formats beside plain text: saved web pages (:mod:`.html`) and JSON Lines exports
(:mod:`.jsonl`). Each returns the article's text with the metadata its format carried; ingest runs the same
checks on that text whatever the format, so the readers only extract, they never judge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TEXT, HTML, JSONL = "text", "html", "jsonl"  # ``documents.source_format``
SOURCE_FORMATS = (TEXT, HTML, JSONL)


@dataclass(frozen=True)
class PageMetadata:
    """What a page or a record says about itself; a field it does not state is None."""

    title: str | None = None
    author: str | None = None
    site_name: str | None = None
    url: str | None = None
    published_at: dt.date | None = None


@dataclass(frozen=True)
class Extracted:
    """An article as a reader found it: its text (every offset will refer to it once canonicalised), the
    metadata of its page or record, and its ``origin`` (one of :data:`SOURCE_FORMATS`)."""

    text: str
    metadata: PageMetadata
    origin: str


@dataclass(frozen=True)
class NoArticle:
    """The input holds no article to extract (a home page, a listing, a login wall): why, for people."""

    detail: str


@dataclass(frozen=True)
class TooLarge:
    """The input is too big to extract safely (the cost would grow without bound): why, for people."""

    detail: str

"""Readers for the input formats beside plain text: saved web pages (:mod:`.html`) and JSON Lines exports
(:mod:`.jsonl`). Each returns the article's text with the metadata its format carried; ingest runs the same
checks on that text whatever the format, so the readers only extract, they never judge."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

TEXT, HTML, JSONL = "text", "html", "jsonl"  # ``documents.source_format``
SOURCE_FORMATS = (TEXT, HTML, JSONL)
# A publication date outside this range, from any source (a sidecar, a record's field, a page's markup), is a
# typing, export or markup error (``0001-01-01``, ``9999-12-31``) and would overflow date arithmetic
# downstream. Fixed bounds, never "today + n", so a result does not depend on the day it was computed (the
# ingest cache stores it).
MIN_PUBLISHED = dt.date(1800, 1, 1)
MAX_PUBLISHED = dt.date(2100, 12, 31)


def shorten(text: str, limit: int = 200) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis: a rejection's detail quotes a bad value, and a
    value may be megabytes long."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


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

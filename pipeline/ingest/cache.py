"""The ingest cache: a re-run does not decode, extract or language-check an article it has seen.

Decoding (ftfy, charset-normalizer), language detection (lingua) and the reference date cost ~7 ms a
file; a re-run over an unchanged corpus redid all of it. The cache key digests everything the result
depends on that is not code: the file's bytes, its sidecar's bytes, its path and its doc_id (a JSON Lines
article: its line's bytes, not its line number). Code and library versions name the cache folder. A file
that cannot be read (or whose sidecar cannot) is never cached (that is cheap), nor is an ``ingest_error``
(it may be transient, or fixed by new code).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
from pathlib import Path

import polars as pl

from pipeline.cache import SegmentCache, namespace, text_key
from pipeline.formats import JSONL
from pipeline.ingest.sidecars import SidecarFile
from pipeline.versions import stage_version

DATE_FIELDS = ("published_at", "reference_date")
DECODING_LIBRARIES = ("ftfy", "charset-normalizer", "lingua-language-detector", "trafilatura", "htmldate",
                      "justext", "lxml")
Result = tuple[dict | None, list[dict]]  # a document row (None: rejected) and its rejection rows


def ingest_cache(root: Path) -> SegmentCache:
    """The ingest cache under ``root``, namespaced by the pipeline code and the decoding libraries."""
    libraries = "-".join(importlib.metadata.version(n) for n in DECODING_LIBRARIES)
    return SegmentCache(root / "ingest" / namespace("ingest", libraries, stage_version("ingest")))


def file_key(path: Path, doc_id: str, raw: bytes, sidecar: SidecarFile) -> str | None:
    """The cache key of an article file and its sidecar; None (do not cache) if the sidecar is unusable."""
    if sidecar.problem is not None:
        return None
    meta_digest = "-" if sidecar.raw is None else hashlib.sha256(sidecar.raw).hexdigest()
    return text_key(str(path), doc_id, hashlib.sha256(raw).hexdigest(), meta_digest)


def record_key(path: Path, doc_id: str, raw: bytes) -> str:
    """The cache key of one JSON Lines article: its line's bytes, not its place in the file."""
    return text_key(str(path), doc_id, hashlib.sha256(raw).hexdigest(), JSONL)


def cached_results(cache: SegmentCache | None, keys: list[str]) -> dict[str, Result]:
    """The stored result of every key the cache holds."""
    rows = None if cache is None else cache.lookup(keys)
    if rows is None:
        return {}
    return {key: _decode_result(payload) for key, payload in rows.select("key", "payload").iter_rows()}


def remember(cache: SegmentCache | None, fresh: dict[str, Result]) -> None:
    """Store the results computed in this run."""
    if cache is not None and fresh:
        cache.store(pl.DataFrame(
            {"key": list(fresh), "payload": [_encode_result(*result) for result in fresh.values()]},
            schema={"key": pl.Utf8, "payload": pl.Utf8},
        ))


def _encode_result(document: dict | None, rejected: list[dict]) -> str:
    if document is not None:
        document = {k: v.isoformat() if k in DATE_FIELDS and v is not None else v
                    for k, v in document.items()}
    return json.dumps({"document": document, "rejected": rejected}, ensure_ascii=False)


def _decode_result(payload: str) -> Result:
    data = json.loads(payload)
    document = data["document"]
    if document is not None:
        document = {k: dt.date.fromisoformat(v) if k in DATE_FIELDS and v is not None else v
                    for k, v in document.items()}
    return document, data["rejected"]

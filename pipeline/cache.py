"""Content-addressed caches that let a re-run skip the work it has already done.

Two users: the spaCy parse of each paragraph (key: the paragraph text) and the per-article results of the
extraction stages (key: a digest of everything that article's result depends on). A cache folder is
namespaced by the model, its version and :func:`code_fingerprint` (the pipeline's own source), so a new
model or any change to the extraction code starts from an empty cache. Each run that computes something
appends one Parquet segment; segments are compacted when they pile up. Deleting a cache folder is always
safe: it only costs recomputation.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path

import polars as pl

from pipeline import PIPELINE_VERSION

MAX_SEGMENTS = 16


def text_key(*parts: object) -> str:
    """SHA-256 of the parts, joined unambiguously."""
    return _hashed(hashlib.sha256(), parts).hexdigest()


def text_keys_with_last_part(prefix: Sequence[object], last_parts: Iterable[object]) -> list[str]:
    """``text_key(*prefix, last)`` for each of ``last_parts``, hashing the shared prefix once."""
    shared = _hashed(hashlib.sha256(), prefix)
    return [_hashed(shared.copy(), (last,)).hexdigest() for last in last_parts]


def _hashed(digest: hashlib._Hash, parts: Iterable[object]) -> hashlib._Hash:
    """``digest`` updated with each part and a NUL after it (parts never contain NUL)."""
    for part in parts:
        digest.update(str(part).encode("utf-8"))
        digest.update(b"\0")
    return digest


@cache
def code_fingerprint() -> str:
    """:data:`PIPELINE_VERSION` plus a digest of the ``pipeline`` package's source files.

    Any edit to an extraction rule changes it, so cached results can never outlive the code that made them.
    """
    sources = sorted(Path(__file__).resolve().parent.glob("*.py"))
    return f"{PIPELINE_VERSION}-{text_key(*(p.read_bytes() for p in sources))[:12]}"


def namespace(model_name: str, model_version: str, pipeline_version: str) -> str:
    """Folder name that changes whenever cached results would no longer be valid."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"{model_name}-{model_version}-p{pipeline_version}")


class SegmentCache:
    """Parquet segments of rows carrying a ``key`` column; a key's rows all live in one segment."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _segments(self) -> list[Path]:
        return sorted(self.directory.glob("segment-*.parquet")) if self.directory.is_dir() else []

    def lookup(self, keys: list[str]) -> pl.DataFrame | None:
        """Every cached row whose key is in ``keys`` (one segment per key); None when nothing is cached."""
        segments = self._segments()
        if not segments or not keys:
            return None
        wanted = pl.Series("key", sorted(set(keys)), dtype=pl.Utf8)
        rows = (
            pl.scan_parquet(segments, include_file_paths="_segment")
            .filter(pl.col("key").is_in(wanted.implode()))
            .filter(pl.col("_segment") == pl.col("_segment").min().over("key"))
            .collect()
        )
        return rows.drop("_segment")

    def store(self, rows: pl.DataFrame) -> None:
        """Append rows as one segment, atomically; compact when segments pile up."""
        if rows.is_empty():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_atomically(rows, self.directory / f"segment-{uuid.uuid4().hex}.parquet")
        segments = self._segments()
        if len(segments) > MAX_SEGMENTS:
            merged = (
                pl.scan_parquet(segments, include_file_paths="_segment")
                .filter(pl.col("_segment") == pl.col("_segment").min().over("key"))
                .drop("_segment")
                .collect()
            )
            _write_atomically(merged, self.directory / f"segment-{uuid.uuid4().hex}.parquet")
            for segment in segments:
                segment.unlink(missing_ok=True)


PARSE_SCHEMA = {"key": pl.Utf8, "docbin": pl.Binary}


class ParseCache(SegmentCache):
    """``(key, docbin)`` rows: the parse of one paragraph text."""

    def lookup(self, keys: list[str]) -> pl.DataFrame:
        rows = super().lookup(keys)
        return pl.DataFrame(schema=PARSE_SCHEMA) if rows is None else rows.unique("key", keep="first")

    def store(self, rows: pl.DataFrame) -> None:
        super().store(rows.select(PARSE_SCHEMA.keys()))


def _write_atomically(frame: pl.DataFrame, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    frame.write_parquet(tmp, compression="zstd")
    os.replace(tmp, target)

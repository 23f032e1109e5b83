"""A content-addressed cache of spaCy parses, so re-runs only parse paragraphs they have not seen.

The key of a paragraph is the SHA-256 of its text; the cache folder is namespaced by the model name,
the model version and :data:`pipeline.PIPELINE_VERSION`, so changing any of them reparses everything.
Each run that parses something appends one Parquet segment; segments are compacted when they pile up.
Deleting the folder is always safe: it only costs a full reparse.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from pathlib import Path

import polars as pl

MAX_SEGMENTS = 16
_SCHEMA = {"key": pl.Utf8, "docbin": pl.Binary}


def text_key(text: str) -> str:
    """The cache key of one paragraph text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def namespace(model_name: str, model_version: str, pipeline_version: str) -> str:
    """Folder name that changes whenever cached parses would no longer be valid."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"{model_name}-{model_version}-p{pipeline_version}")


class ParseCache:
    """Parquet segments of ``(key, docbin)`` rows under ``directory``."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def _segments(self) -> list[Path]:
        return sorted(self.directory.glob("segment-*.parquet")) if self.directory.is_dir() else []

    def lookup(self, keys: list[str]) -> pl.DataFrame:
        """Cached ``(key, docbin)`` rows for those of ``keys`` that are present (one row per key)."""
        segments = self._segments()
        if not segments or not keys:
            return pl.DataFrame(schema=_SCHEMA)
        wanted = pl.Series("key", sorted(set(keys)), dtype=pl.Utf8)
        return (
            pl.scan_parquet(segments)
            .filter(pl.col("key").is_in(wanted.implode()))
            .unique("key", keep="first")
            .collect()
        )

    def store(self, rows: pl.DataFrame) -> None:
        """Append new ``(key, docbin)`` rows as one segment, atomically; compact when segments pile up."""
        if rows.is_empty():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_atomically(rows.select(_SCHEMA.keys()), self.directory / f"segment-{uuid.uuid4().hex}.parquet")
        segments = self._segments()
        if len(segments) > MAX_SEGMENTS:
            self._compact(segments)

    def _compact(self, segments: list[Path]) -> None:
        merged = pl.scan_parquet(segments).unique("key", keep="first").collect()
        _write_atomically(merged, self.directory / f"segment-{uuid.uuid4().hex}.parquet")
        for segment in segments:
            segment.unlink(missing_ok=True)


def _write_atomically(frame: pl.DataFrame, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.tmp")
    frame.write_parquet(tmp, compression="zstd")
    os.replace(tmp, target)

"""Content-addressed caches that let a re-run skip the work it has already done.

Two users: the spaCy parse of each paragraph (key: the paragraph text) and the per-article results of the
extraction stages (key: a digest of everything that article's result depends on). A cache folder is
namespaced by the model, its version and the code version of the stage that fills it
(``pipeline/versions.py``), so a new model or a change to that stage's rules starts from an empty cache.
Each run that computes something appends one Parquet segment; segments are compacted when they pile up.
Deleting a cache folder is always safe: it only costs recomputation.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
import shutil
import time
import uuid
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

import polars as pl

MAX_SEGMENTS = 16
# segment-<uuid>-<CRC-32 of the file>.parquet; segments written before checksums lack the last part
SEGMENT_NAME = re.compile(r"segment-[0-9a-f]{32}(?:-(?P<crc>[0-9a-f]{8}))?\.parquet")
STALE_TEMPORARY_SECONDS = 3600
SPOOL_PREFIX = ".spool-"  # a folder of pieces on their way into one segment (SegmentCache.spool)
# what reading a damaged Parquet file raises (a panic in polars' reader is not an Exception)
READ_ERRORS = (pl.exceptions.PolarsError, pl.exceptions.PanicException, OSError)

log = logging.getLogger(__name__)


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


def namespace(model_name: str, model_version: str, pipeline_version: str) -> str:
    """Folder name that changes whenever cached results would no longer be valid."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", f"{model_name}-{model_version}-p{pipeline_version}")


class SegmentCache:
    """Parquet segments of rows carrying a ``key`` column; a key's rows all live in one segment.

    A segment that cannot be read (truncated, garbled, empty, another schema) is a cache miss, never an
    error: it is logged with its path and moved aside (``*.damaged``), so the next run does not read it
    again. Each segment is read on its own, so a bad one costs only its own entries. Segments carry a
    CRC-32 of their bytes in their name, since Parquet has no checksum and a flipped byte in a data page
    may otherwise decode into wrong rows.
    """

    def __init__(self, directory: Path, schema: Mapping[str, pl.DataType] | None = None):
        """``schema``: the exact columns every segment must have (None: one shared by the segments)."""
        self.directory = Path(directory)
        self.schema = None if schema is None else dict(schema)

    def _segments(self) -> list[Path]:
        return sorted(self.directory.glob("segment-*.parquet")) if self.directory.is_dir() else []

    def lookup(self, keys: list[str]) -> pl.DataFrame | None:
        """Every cached row whose key is in ``keys`` (one segment per key); None when nothing is cached."""
        if not keys:
            return None
        wanted = pl.Series("key", sorted(set(keys)), dtype=pl.Utf8).implode()
        return self._read_all(lambda rows: rows.filter(pl.col("key").is_in(wanted)))

    def cached_keys(self, keys: list[str]) -> set[str]:
        """The keys among ``keys`` that have rows here (only the key column is read)."""
        wanted = pl.Series("key", sorted(set(keys)), dtype=pl.Utf8).implode()
        rows = self._read_all(lambda rows: rows.select("key").filter(pl.col("key").is_in(wanted)))
        return set() if rows is None else set(rows["key"].to_list())

    def store(self, rows: pl.DataFrame) -> None:
        """Append rows as one segment, atomically; compact when segments pile up."""
        if rows.is_empty():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        _write_segment(rows, self.directory)
        self._after_store()

    @contextlib.contextmanager
    def spool(self) -> Iterator[Spool]:
        """Rows written piece by piece (:meth:`Spool.write`) and stored as one segment when the block ends,
        even when it ends on an error: what was computed stays computed. The pieces wait on disk, so the
        rows are never all in memory at once."""
        spool = Spool(self.directory / f"{SPOOL_PREFIX}{uuid.uuid4().hex}")
        try:
            yield spool
        finally:
            if spool.parts:
                _sink_segment(pl.scan_parquet(spool.parts), self.directory)
            spool.remove()
            if spool.parts:
                self._after_store()

    def _after_store(self) -> None:
        _remove_stale_temporaries(self.directory)
        if len(self._segments()) > MAX_SEGMENTS:
            self._compact()

    def _compact(self) -> None:
        """Merge the readable segments into one; the unreadable ones are moved aside while reading."""
        segments = self._valid_segments()
        merged = self._read_all(lambda rows: rows, segments)
        if merged is None:
            return
        _write_segment(merged, self.directory)
        for segment in segments:
            segment.unlink(missing_ok=True)

    def _read_all(self, select: Callable[[pl.LazyFrame], pl.LazyFrame],
                  segments: list[Path] | None = None) -> pl.DataFrame | None:
        """``select`` applied to each readable segment, the rows of a key kept from its first segment only."""
        parts = []
        for index, segment in enumerate(self._valid_segments() if segments is None else segments):
            try:
                rows = select(pl.scan_parquet(segment)).collect()
            except READ_ERRORS as error:
                if segment.exists():  # else compacted or set aside by another run meanwhile: a miss
                    self._set_aside(segment, f"unreadable: {error}")
                continue
            parts.append(rows.with_columns(pl.lit(index, dtype=pl.UInt32).alias("_segment")))
        if not parts:
            return None
        rows = pl.concat(parts, how="vertical")
        return rows.filter(pl.col("_segment") == pl.col("_segment").min().over("key")).drop("_segment")

    def _valid_segments(self) -> list[Path]:
        """The segments whose bytes match their checksum and whose schema is the expected one.

        Without a fixed schema, the one most segments share (the newest on a tie) is expected.
        """
        schemas: dict[Path, dict[str, pl.DataType]] = {}
        for segment in self._segments():
            problem, schema = _inspect(segment)
            if problem is not None:
                self._set_aside(segment, problem)
            elif schema is not None:
                schemas[segment] = schema
        expected = self.schema if self.schema is not None else _most_common(schemas)
        valid = []
        for segment, schema in schemas.items():
            if schema == expected:
                valid.append(segment)
            else:
                self._set_aside(segment, f"schema {_describe(schema)}, expected {_describe(expected)}")
        return valid

    def _set_aside(self, segment: Path, reason: str) -> None:
        """Log the damaged segment and rename it out of the cache (a lost entry is only recomputed)."""
        target = segment.with_name(segment.name + ".damaged")
        try:
            os.replace(segment, target)
        except FileNotFoundError:  # another run set it aside first
            return
        except OSError as error:
            log.warning("cache segment %s is damaged (%s) and could not be moved aside: %s; "
                        "its entries are recomputed", segment, reason, error)
            return
        log.warning("cache segment %s is damaged (%s); moved to %s, its entries are recomputed",
                    segment, reason, target.name)


class Spool:
    """A folder of Parquet pieces on their way into one segment (:meth:`SegmentCache.spool`)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.parts: list[Path] = []

    def write(self, rows: pl.DataFrame) -> None:
        if rows.is_empty():
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        part = self.folder / f"part-{len(self.parts):06d}.parquet"
        rows.write_parquet(part, compression="zstd")
        self.parts.append(part)

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


PARSE_SCHEMA = {"key": pl.Utf8, "docbin": pl.Binary}


class ParseCache(SegmentCache):
    """``(key, docbin)`` rows: the parse of one paragraph text."""

    def __init__(self, directory: Path):
        super().__init__(directory, PARSE_SCHEMA)

    def lookup(self, keys: list[str]) -> pl.DataFrame:
        rows = super().lookup(keys)
        return pl.DataFrame(schema=PARSE_SCHEMA) if rows is None else rows.unique("key", keep="first")

    def store(self, rows: pl.DataFrame) -> None:
        super().store(rows.select(PARSE_SCHEMA.keys()))


def _write_segment(frame: pl.DataFrame, directory: Path) -> Path:
    return _new_segment(directory, lambda tmp: frame.write_parquet(tmp, compression="zstd"))


def _sink_segment(rows: pl.LazyFrame, directory: Path) -> Path:
    """:func:`_write_segment` for rows read lazily (streamed from disk to disk, never all in memory)."""
    return _new_segment(directory, lambda tmp: rows.sink_parquet(tmp, compression="zstd"))


def _new_segment(directory: Path, write: Callable[[Path], None]) -> Path:
    """A segment written by ``write`` and named after its CRC-32; atomic (readers never see half a file)."""
    directory.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    tmp = directory / f".segment-{name}.parquet.tmp"
    write(tmp)
    target = directory / f"segment-{name}-{_crc32(tmp):08x}.parquet"
    os.replace(tmp, target)
    return target


def _remove_stale_temporaries(directory: Path) -> None:
    """Delete half-written segments and spools that a killed run left behind (a live writer's are seconds
    old: a spool's folder is touched by every piece written into it)."""
    cutoff = time.time() - STALE_TEMPORARY_SECONDS
    for tmp in [*directory.glob(".segment-*.tmp"), *directory.glob(f"{SPOOL_PREFIX}*")]:
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < cutoff:
                shutil.rmtree(tmp) if tmp.is_dir() else tmp.unlink()


def _inspect(segment: Path) -> tuple[str | None, dict[str, pl.DataType] | None]:
    """``(why the segment is damaged, None)`` or ``(None, its schema)``; ``(None, None)`` when it vanished
    meanwhile (compacted or set aside by another run)."""
    match = SEGMENT_NAME.fullmatch(segment.name)
    try:
        if match and match["crc"] and _crc32(segment) != int(match["crc"], 16):
            return "its bytes do not match the checksum in its name", None
        schema = dict(pl.read_parquet_schema(segment))
    except READ_ERRORS as error:
        return (f"unreadable: {error}", None) if segment.exists() else (None, None)
    if schema.get("key") != pl.Utf8:
        return f"no text column 'key' in {_describe(schema)}", None
    return None, schema


def _most_common(schemas: dict[Path, dict[str, pl.DataType]]) -> dict[str, pl.DataType] | None:
    """The schema most segments share; on a tie, the newest segment's."""
    groups: dict[str, tuple[int, float, dict[str, pl.DataType]]] = {}
    for segment, schema in schemas.items():
        count, newest, _ = groups.get(_describe(schema), (0, 0.0, schema))
        groups[_describe(schema)] = (count + 1, max(newest, _mtime(segment)), schema)
    return max(groups.values(), key=lambda group: group[:2])[2] if groups else None


def _describe(schema: Mapping[str, pl.DataType] | None) -> str:
    return "{" + ", ".join(f"{name}: {dtype}" for name, dtype in (schema or {}).items()) + "}"


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _crc32(path: Path) -> int:
    crc = 0
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc

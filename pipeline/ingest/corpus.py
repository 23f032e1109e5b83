"""The input folder -> ``documents`` and ``rejected_documents``: every article listed, given its
``doc_id``, read once (or taken from the ingest cache), and recorded as a row or a rejection."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import polars as pl

from pipeline.formats.jsonl import BadLine, Record, read_records
from pipeline.ingest.cache import cached_results, file_key, ingest_cache, record_key, remember
from pipeline.ingest.content import build_language_detector, prefetched
from pipeline.ingest.documents import Article, Candidate, prepare, read_candidate
from pipeline.ingest.listing import (
    MAX_JSONL_BYTES,
    file_size,
    is_jsonl,
    list_inputs,
    read_limited,
    unlistable_rows,
)
from pipeline.ingest.rejections import Rejection, attempt, rejected_row
from pipeline.ingest.sidecars import SidecarFile, orphan_sidecars, read_sidecar, sidecar_path
from pipeline.schemas import empty_frame


def read_corpus(
    seeds_dir: Path,
    max_bytes: int = 10_000_000,
    cache_dir: Path | None = None,
    on_work_ahead: Callable[[int], None] | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``documents`` and ``rejected_documents`` for every ``*.txt``, ``*.html``, ``*.htm`` and ``*.jsonl``
    under ``seeds_dir`` (recursive, sorted, extension in any case; see :mod:`pipeline.ingest` for links,
    special files and JSON Lines).

    ``doc_id`` is the file name without extension (see :func:`assign_doc_ids` for shared names); a JSON
    Lines article's is its ``id``, else ``<file id>:<line number>``. With ``cache_dir``, an article whose
    bytes, sidecar bytes, path and id were seen before is not decoded, extracted or language-checked again
    (see :mod:`pipeline.ingest.cache`); for a JSON Lines file this holds line by line. An unexpected
    exception on one article is an ``ingest_error`` row for it, and is not cached.

    ``on_work_ahead(n)`` is called once the cache has been consulted and before any article is decoded, with
    the number of new or changed articles: the caller may start workers for the stages after this one.
    """
    root = Path(seeds_dir)
    listing = list_inputs(root)
    candidates, early = _candidates(root, listing.articles, max_bytes)
    detector = build_language_detector()  # lazy: it loads its language models on first use
    cache = None if cache_dir is None else ingest_cache(Path(cache_dir))
    known = cached_results(cache, [c.key for c in candidates if c.key is not None])
    to_read = [i for i, c in enumerate(candidates)
               if isinstance(c.raw, bytes) and (c.key is None or c.key not in known)]
    if on_work_ahead is not None:
        on_work_ahead(len(to_read))
    prepared = {i: attempt(prepare, candidates[i].path, candidates[i].raw, candidates[i].record)
                for i in to_read}
    detector = prefetched(detector, [a.decoded.text for a in prepared.values() if isinstance(a, Article)])
    documents: list[dict] = []
    rejected: list[dict] = []
    fresh: dict[str, tuple[dict | None, list[dict]]] = {}
    for i, candidate in enumerate(candidates):
        rejected.extend(early.get(i, []))
        if candidate.key is not None and candidate.key in known:
            document, problems = known[candidate.key]
        else:
            document, problems = read_candidate(candidate, prepared.get(i), detector, root)
            if candidate.key is not None and all(row["reason"] != "ingest_error" for row in problems):
                fresh[candidate.key] = (document, problems)
        if document is not None:
            documents.append(document)
        rejected.extend(_at_line(problems, candidate.record))
    rejected.extend(early.get(len(candidates), []))
    remember(cache, fresh)
    rejected.extend(orphan_sidecars(root, listing))
    rejected.extend(unlistable_rows(listing.unlistable))
    return _frame("documents", documents), _frame("rejected_documents", rejected)


def assign_doc_ids(paths: list[Path], root: Path) -> dict[Path, str]:
    """``doc_id`` per file: the file name without extension.

    When several files share a stem (in different subfolders, or ``a.txt`` beside ``a.TXT``), each of
    them gets its path relative to ``root`` without extension, with ``/`` replaced by ``__``
    (``2024/a.txt`` -> ``2024__a``); a clash that remains gets ``~2``, ``~3``... in sorted path order.
    Deterministic for a given folder.
    """
    stems: dict[str, int] = {}
    for path in paths:
        stems[path.stem] = stems.get(path.stem, 0) + 1
    ids: dict[Path, str] = {}
    used: set[str] = set()
    for path in sorted(paths):
        doc_id = path.stem
        if stems[path.stem] > 1:
            doc_id = "__".join(path.relative_to(root).with_suffix("").parts)
        base, n = doc_id, 1
        while doc_id in used:
            n += 1
            doc_id = f"{base}~{n}"
        used.add(doc_id)
        ids[path] = doc_id
    return ids


def _candidates(root: Path, paths: list[Path],
                max_bytes: int) -> tuple[list[Candidate], dict[int, list[dict]]]:
    """Every article to read, in path order (a JSON Lines file's lines in line order), and the rejection
    rows that come before candidate ``i`` (bad lines, unreadable JSON Lines files, duplicate ids). A
    line's id must be new: the files' ids are taken first, then the lines' in order."""
    files = [p for p in paths if not is_jsonl(p)]
    feeds = [p for p in paths if is_jsonl(p)]
    file_ids, feed_ids = assign_doc_ids(files, root), assign_doc_ids(feeds, root)
    candidates: list[Candidate] = []
    early: dict[int, list[dict]] = {}
    used: set[str] = set(file_ids.values())
    for path in paths:
        if path in file_ids:
            candidates.append(_file_candidate(path, file_ids[path], max_bytes, root))
            continue
        rows = early.setdefault(len(candidates), [])
        raw = attempt(read_limited, path, MAX_JSONL_BYTES, root)
        lines = raw if isinstance(raw, Rejection) else attempt(read_records, raw, max_bytes)
        if isinstance(lines, Rejection):
            rows.append(rejected_row(feed_ids[path], path, lines, file_size(path, root)))
            continue
        for line in lines:
            doc_id = line.record_id or f"{feed_ids[path]}:{line.line}"
            if isinstance(line, BadLine):
                rows.extend(_at_line([rejected_row(doc_id, path, Rejection(line.reason, line.detail),
                                                   len(line.raw))], line))
            elif doc_id in used:
                duplicate = Rejection("duplicate_id", f"The id {doc_id!r} is already used by another article "
                                                      "(an earlier line or file); this line is not read.")
                rows.extend(_at_line([rejected_row(doc_id, path, duplicate, len(line.raw))], line))
            else:
                used.add(doc_id)
                candidates.append(Candidate(doc_id, path, line.raw, record_key(path, doc_id, line.raw), line))
                rows = early.setdefault(len(candidates), [])
    return candidates, early


def _file_candidate(path: Path, doc_id: str, max_bytes: int, root: Path) -> Candidate:
    """An article file with its bytes and its sidecar, each read once, and its cache key; an unexpected
    exception while reading is an ``ingest_error`` in place of the bytes (never cached)."""
    read = attempt(_read_file, path, max_bytes, root)
    if isinstance(read, Rejection):
        return Candidate(doc_id, path, read, None)
    raw, sidecar = read
    if isinstance(raw, Rejection):
        return Candidate(doc_id, path, raw, None)
    return Candidate(doc_id, path, raw, file_key(path, doc_id, raw, sidecar), sidecar=sidecar)


def _read_file(path: Path, max_bytes: int, root: Path) -> tuple[bytes | Rejection, SidecarFile | None]:
    """The file's bytes (or why not) and, if it could be read, its sidecar."""
    raw = read_limited(path, max_bytes, root)
    if isinstance(raw, Rejection):
        return raw, None
    return raw, read_sidecar(sidecar_path(path), root)


def _at_line(rows: list[dict], line: Record | BadLine | None) -> list[dict]:
    """``rows`` of a JSON Lines article with its line number in front of each detail (kept out of the
    cache, so inserting a line above does not re-read the articles below)."""
    if line is None:
        return rows
    return [{**row, "detail": f"Line {line.line} of {Path(row['source_path']).name}: {row['detail']}"}
            for row in rows]


def _frame(table: str, rows: list[dict]) -> pl.DataFrame:
    empty = empty_frame(table)
    return pl.DataFrame(rows, schema=empty.schema) if rows else empty

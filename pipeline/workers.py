"""Per-article stage work on the run's Dask cluster, so the rule stages use every core, not one.

A stage's per-article work is described by an :class:`ArticleWork` (a module-level function and the tables
it reads); :func:`run_stage` cuts it into chunks of consecutive articles and maps them over the cluster
(``pipeline/distributed.py``), each worker rebuilding the docs of its chunk from DocBin bytes. The same
cluster parses (``pipeline/nlp.py``): one mechanism.

An article the stage's function raises on is recorded, not fatal (``pipeline/isolation.py``): a chunk
that raises is run again article by article, on the worker, and only the failing articles lose their rows.

Starting a local cluster costs seconds (two spawned processes importing spaCy). Ingest starts it in the
background (:meth:`Fanout.start`) when it sees enough new articles, hiding that behind the single-core
steps before the parse; a stage that finds it up sends every batch there. A small batch (a re-run with a
few new articles) with no cluster up stays in-process and never pays for it. An existing cluster
(``DASK_SCHEDULER_ADDRESS``) gets every batch.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import TypeVar

import polars as pl

from pipeline.distributed import Fanout
from pipeline.isolation import (
    StageRows,
    concat_stage_rows,
    failures_frame,
    merge_failures,
    rows_isolated,
    run_isolated,
)
from pipeline.model import DocumentParse
from pipeline.nlp import blank_vocab, enable_doc_cache, iter_document_parses

FrameT = TypeVar("FrameT", pl.DataFrame, pl.LazyFrame)

# Starting a local cluster costs ~6 s of imports in its two workers. Started in the background while the
# run reads and parses, that is hidden, and this many new articles are worth it:
MIN_ARTICLES_TO_PRESTART = 24
# Started on the spot, a stage waits for it; in-process work on this many articles costs about as much:
MIN_ARTICLES_TO_START_NOW = 400
# Chunks per worker: small enough to balance uneven articles, large enough that sending tables is cheap.
CHUNKS_PER_WORKER = 4
MAX_ARTICLES_PER_CHUNK = 64
# Rebuilt paragraph docs a worker keeps for the next stages (~11 KB each rebuilt, ~22 KB with the spans
# the stages' components add: ~130 MB at most per worker; 15,000 held ~330 MB, and past N = 1,000 they
# fill up with the first articles anyway). A chunk of articles can land on any worker, so a doc is reused
# when its article comes back to the worker that rebuilt it; rows never depend on it (components add span
# groups, never change tokens or the parse).
MAX_CACHED_PARAGRAPHS = 6_000


@dataclass(frozen=True)
class ArticleWork:
    """One stage's per-article computation: ``function(parses, *per_article, *by_article, *shared) -> rows``.

    ``function`` is sent to the workers by reference, so it must be a module-level function. Every frame
    in ``per_article`` has a ``doc_id`` column and every dict in ``by_article`` is keyed by ``doc_id``: both
    are cut to each chunk's articles. ``shared`` values (corpus-level tables such as ``entities``) go to
    every chunk whole. ``stage`` names the stage in the failures it records (default: the function's name).
    """

    function: Callable[..., pl.DataFrame]
    documents: pl.DataFrame
    paragraphs: pl.DataFrame
    # DocBin bytes: a LazyFrame (the stored table, scanned) leaves them on disk until a chunk reads its own
    parsed: pl.DataFrame | pl.LazyFrame
    per_article: tuple[pl.DataFrame, ...] = ()
    by_article: tuple[dict[str, object], ...] = ()
    shared: tuple[object, ...] = ()
    stage: str = ""

    def for_articles(self, doc_ids: Iterable[str]) -> ArticleWork:
        """The same work restricted to ``doc_ids``: only their rows travel to a worker."""
        ids = sorted(doc_ids)
        wanted = pl.Series(ids, dtype=pl.Utf8).implode()

        def only(frame: FrameT) -> FrameT:
            return frame.filter(pl.col("doc_id").is_in(wanted))

        return replace(
            self,
            documents=only(self.documents),
            paragraphs=only(self.paragraphs),
            parsed=only(self.parsed),
            per_article=tuple(only(frame) for frame in self.per_article),
            by_article=tuple({i: values[i] for i in ids if i in values} for values in self.by_article),
        )

    def read_here(self) -> ArticleWork:
        """The same work with its parses read now, in this process: for a worker that may not see the
        files this process reads (an existing cluster on other machines)."""
        if isinstance(self.parsed, pl.LazyFrame):  # already cut to these articles by for_articles
            return replace(self, parsed=self.parsed.collect())
        return self

    def parses(self) -> Iterator[DocumentParse]:
        return iter_document_parses(self.documents, self.paragraphs, self.parsed)

    def __call__(self) -> StageRows:
        """The rows of every article; an article the function raises on is left out and recorded."""
        ids = self.documents["doc_id"].to_list()

        def rows_of(some: list[str]) -> pl.DataFrame:
            return (self if len(some) == len(ids) else self.for_articles(some)).batch_rows()

        return rows_isolated(self.stage or self.function.__name__, ids, rows_of)

    def batch_rows(self) -> pl.DataFrame:
        """The function over every article, as one batch: raises if any article does."""
        return self.function(self.parses(), *self.per_article, *self.by_article, *self.shared)


@dataclass(frozen=True)
class TextWork:
    """Per-article work that reads only the articles' ``documents`` rows (the paragraph split):
    ``function(documents) -> (frame, ...)``, each frame with a ``doc_id`` column. ``function`` is sent to
    the workers by reference (module-level)."""

    function: Callable[[pl.DataFrame], tuple[pl.DataFrame, ...]]
    documents: pl.DataFrame
    stage: str

    def for_articles(self, doc_ids: Iterable[str]) -> TextWork:
        wanted = pl.Series(sorted(doc_ids), dtype=pl.Utf8).implode()
        return replace(self, documents=self.documents.filter(pl.col("doc_id").is_in(wanted)))

    def read_here(self) -> TextWork:
        """Nothing to read: the work carries its ``documents`` rows."""
        return self

    def __call__(self) -> tuple[tuple[pl.DataFrame, ...], pl.DataFrame]:
        """Every frame over these articles, and the articles the function raised on (left out)."""
        ids = self.documents["doc_id"].to_list()

        def frames_of(some: list[str]) -> tuple[pl.DataFrame, ...]:
            return self.function((self if len(some) == len(ids) else self.for_articles(some)).documents)

        parts, failed = run_isolated(self.stage, ids, frames_of)
        return _concat_columns(parts), failures_frame(failed)


def run_text_stage(fanout: Fanout | None, work: TextWork, doc_ids: Iterable[str],
                   min_articles_now: int = MIN_ARTICLES_TO_START_NOW) -> tuple[tuple[pl.DataFrame, ...],
                                                                             pl.DataFrame]:
    """``work`` over ``doc_ids``, in chunks across the cluster when :func:`run_stage` would use it: each
    frame of the result concatenated in article order, and the articles that failed."""
    ids = sorted(doc_ids)
    parts = _chunked(fanout, work, ids, min_articles_now)
    if parts is None:
        return work.for_articles(ids)()
    results = fanout.map(_text_on_worker, parts)
    return _concat_columns([frames for frames, _ in results]), merge_failures(f for _, f in results)


def _concat_columns(parts: list[tuple[pl.DataFrame, ...]]) -> tuple[pl.DataFrame, ...]:
    return tuple(pl.concat(list(frames), how="vertical") for frames in zip(*parts, strict=True))


def _text_on_worker(work: TextWork) -> tuple[tuple[pl.DataFrame, ...], pl.DataFrame]:
    return work()


def run_stage(fanout: Fanout | None, work: ArticleWork, doc_ids: Iterable[str],
              min_articles_now: int = MIN_ARTICLES_TO_START_NOW) -> StageRows:
    """``work`` over the articles ``doc_ids``, in chunks across the cluster; rows in no particular order,
    and the articles it failed on.

    In-process when there is no ``fanout``, or no cluster up and fewer than ``min_articles_now`` articles
    (waiting for a local cluster to start would cost more than the work).
    """
    ids = sorted(doc_ids)
    parts = _chunked(fanout, work, ids, min_articles_now)
    if parts is None:
        return work.for_articles(ids)()
    return concat_stage_rows(fanout.map(run_on_worker, parts))


Work = TypeVar("Work", ArticleWork, TextWork)


def _chunked(fanout: Fanout | None, work: Work, ids: list[str], min_articles_now: int) -> list[Work] | None:
    """``work`` cut into chunks of articles for the cluster, or None when it runs in this process (no
    ``fanout``, no articles, or no cluster up and fewer than ``min_articles_now`` articles). For an existing
    cluster each chunk reads its parses here (``read_here``): its workers may not see this run's files."""
    if not ids or fanout is None or not fanout.worth_it(len(ids), min_articles_now):
        return None
    parts = [work.for_articles(chunk) for chunk in chunks(ids, fanout.workers())]
    return [part.read_here() for part in parts] if fanout.external else parts


def chunks(ids: list[str], workers: int) -> list[list[str]]:
    """Runs of consecutive ids, about :data:`CHUNKS_PER_WORKER` per worker, at most
    :data:`MAX_ARTICLES_PER_CHUNK` articles each."""
    size = min(MAX_ARTICLES_PER_CHUNK, max(1, math.ceil(len(ids) / (workers * CHUNKS_PER_WORKER))))
    return [ids[i : i + size] for i in range(0, len(ids), size)]


@cache
def _prepare_worker() -> None:
    blank_vocab()  # the French vocabulary every chunk rebuilds its docs with: built once per worker
    enable_doc_cache(MAX_CACHED_PARAGRAPHS)


def run_on_worker(work: ArticleWork) -> StageRows:
    """An :class:`ArticleWork` on a Dask worker (with the isolation of :meth:`ArticleWork.__call__`)."""
    _prepare_worker()
    return work()

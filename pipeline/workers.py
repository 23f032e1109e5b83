"""Per-article stage work spread over worker processes, so the rule stages use every core, not one.

The parse already runs in two processes; before this, every rule stage (entities, dates, quotes) ran on
one core while the other idled, and together they cost as much as the parse. A stage's per-article work is
described by an :class:`ArticleWork` (a module-level function and the tables it reads); :class:`StageWorkers`
cuts it into chunks of articles and runs them in a pool of worker processes, each rebuilding the docs of
its own chunk from DocBin bytes.

An article the stage's function raises on is recorded, not fatal (``pipeline/isolation.py``): a chunk
that raises is run again article by article, in the worker, and only the failing articles lose their rows.

The workers are forked from the preloaded fork server of ``pipeline/processes.py``, whose start costs ~5 s
of imports. :meth:`StageWorkers.start` begins this in a background thread, so a caller that knows early
that a large batch is coming (ingest) hides it behind the single-core steps before the parse. The pool
then serves every stage of the run; a small batch (a re-run with a few new articles) stays in-process and
never pays for it.
"""

from __future__ import annotations

import math
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from multiprocessing.pool import Pool

import polars as pl

from pipeline.isolation import StageRows, concat_stage_rows, failures_frame, run_isolated
from pipeline.model import DocumentParse
from pipeline.nlp import blank_vocab, enable_doc_cache, iter_document_parses
from pipeline.processes import worker_context

# Starting the workers costs ~6 s of imports in the fork server. Started in the background while the run
# reads and parses, that is hidden, and this many new articles are worth it:
MIN_ARTICLES_TO_PRESTART = 24
# Started on the spot, a stage waits for it; in-process work on this many articles costs about as much:
MIN_ARTICLES_TO_START_NOW = 400
# Chunks per process: small enough to balance uneven articles, large enough that sending tables is cheap.
CHUNKS_PER_PROCESS = 4
MAX_ARTICLES_PER_CHUNK = 64
# Rebuilt paragraph docs a worker keeps for the next stages (~7 KB each: ~105 MB at most per worker). At
# N = 10,000 the two workers' caches were full when the tree's memory peaked (3,075 MB with 30,000 each).
# Every corpus up to ~2,000 articles fits whole; above it later stages rebuild the docs that did not fit.
MAX_CACHED_PARAGRAPHS = 15_000


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
    parsed: pl.DataFrame
    per_article: tuple[pl.DataFrame, ...] = ()
    by_article: tuple[dict[str, object], ...] = ()
    shared: tuple[object, ...] = ()
    stage: str = ""

    def for_articles(self, doc_ids: Iterable[str]) -> ArticleWork:
        """The same work restricted to ``doc_ids``: only their rows travel to a worker."""
        ids = sorted(doc_ids)
        wanted = pl.Series(ids, dtype=pl.Utf8).implode()

        def only(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.filter(pl.col("doc_id").is_in(wanted))

        return replace(
            self,
            documents=only(self.documents),
            paragraphs=only(self.paragraphs),
            parsed=only(self.parsed),
            per_article=tuple(only(frame) for frame in self.per_article),
            by_article=tuple({i: values[i] for i in ids if i in values} for values in self.by_article),
        )

    def parses(self) -> Iterator[DocumentParse]:
        return iter_document_parses(self.documents, self.paragraphs, self.parsed)

    def __call__(self) -> StageRows:
        """The rows of every article; an article the function raises on is left out and recorded."""
        ids = self.documents["doc_id"].to_list()

        def rows_of(some: list[str]) -> pl.DataFrame:
            return (self if len(some) == len(ids) else self.for_articles(some)).batch_rows()

        parts, failures = run_isolated(self.stage or self.function.__name__, ids, rows_of)
        return StageRows(pl.concat(parts, how="vertical"), failures_frame(failures))

    def batch_rows(self) -> pl.DataFrame:
        """The function over every article, as one batch: raises if any article does."""
        return self.function(self.parses(), *self.per_article, *self.by_article, *self.shared)


class StageWorkers:
    """``processes`` worker processes, started on first use and reused by every stage of a run.

    Each article always goes to the same worker (by a hash of its id), so a worker can keep the docs it
    rebuilt for one stage and hand them to the next (``nlp.enable_doc_cache``): a run rebuilds each
    paragraph once per worker instead of once per stage and pass. ``processes <= 1`` runs everything
    in-process. Call :meth:`close` when the run ends (the Dagster resource does).
    """

    def __init__(self, processes: int, min_articles: int = MIN_ARTICLES_TO_PRESTART,
                 min_articles_now: int = MIN_ARTICLES_TO_START_NOW):
        self.processes = processes
        self.min_articles = min_articles
        self.min_articles_now = min_articles_now
        self._pools: list[Pool] | None = None
        self._starting: threading.Thread | None = None
        self._lock = threading.Lock()

    @property
    def started(self) -> bool:
        return self._pools is not None or self._starting is not None

    def worth_starting(self, n_articles: int) -> bool:
        """Whether ``n_articles`` of work ahead are worth starting the workers in the background now."""
        return self.processes > 1 and n_articles >= self.min_articles

    def start(self) -> None:
        """Start the workers in the background (idempotent); :meth:`run` waits for them when it needs them."""
        with self._lock:
            if self._pools is None and self._starting is None and self.processes > 1:
                self._starting = threading.Thread(target=self._started_pools, daemon=True)
                self._starting.start()

    def run(self, work: ArticleWork, doc_ids: Iterable[str]) -> StageRows:
        """``work`` over the articles ``doc_ids``, in chunks across the workers; rows in no particular order,
        and the articles it failed on.

        Once the workers are up every batch goes to them (cheaper than building the French vocabulary in
        this process too); before, only a batch large enough to pay for waiting on their start does.
        """
        ids = sorted(doc_ids)
        start_now = self.processes > 1 and len(ids) >= self.min_articles_now
        if not ids or not (self.started or start_now):
            return work.for_articles(ids)()
        pools = self._started_pools()
        try:
            # every worker's chunks are queued before any result is read, so the workers run together
            results = [
                pools[worker].imap_unordered(_run_work, (work.for_articles(chunk) for chunk in chunks))
                for worker, chunks in enumerate(self.chunks(ids))
            ]
            parts = [part for result in results for part in result]
        except BaseException:
            self.terminate()  # the other chunks' results are of no use any more
            raise
        return concat_stage_rows(parts)

    def chunks(self, ids: list[str]) -> list[list[list[str]]]:
        """For each worker, its articles (by a stable hash of the id) in runs of consecutive ids, about
        :data:`CHUNKS_PER_PROCESS` runs per worker."""
        per_worker: list[list[str]] = [[] for _ in range(self.processes)]
        for doc_id in ids:
            per_worker[worker_of(doc_id, self.processes)].append(doc_id)
        per_chunk = math.ceil(len(ids) / (self.processes * CHUNKS_PER_PROCESS))
        size = min(MAX_ARTICLES_PER_CHUNK, max(1, per_chunk))
        return [[mine[i : i + size] for i in range(0, len(mine), size)] for mine in per_worker]

    def _started_pools(self) -> list[Pool]:
        starting = self._starting
        if starting is not None and starting is not threading.current_thread():
            starting.join()
        with self._lock:
            if self._pools is None:
                context = worker_context()
                self._pools = [context.Pool(1, initializer=_start_worker) for _ in range(self.processes)]
            self._starting = None
            return self._pools

    def _take_pools(self) -> list[Pool]:
        if (starting := self._starting) is not None:
            starting.join()
        with self._lock:
            pools, self._pools = self._pools or [], None
            return pools

    def close(self) -> None:
        """Let the workers finish and exit (``close`` + ``join``, never ``terminate`` on a clean end)."""
        pools = self._take_pools()
        for pool in pools:
            pool.close()
        for pool in pools:
            pool.join()

    def terminate(self) -> None:
        """Stop the workers now (a failed or interrupted run)."""
        for pool in self._take_pools():
            pool.terminate()
            pool.join()


def worker_of(doc_id: str, processes: int) -> int:
    """The worker that handles an article, the same in every stage and every run."""
    return zlib.crc32(doc_id.encode("utf-8")) % processes


def _start_worker() -> None:
    blank_vocab()  # the French vocabulary every chunk rebuilds its docs with: built once per worker
    enable_doc_cache(MAX_CACHED_PARAGRAPHS)


def _run_work(work: ArticleWork) -> StageRows:
    return work()

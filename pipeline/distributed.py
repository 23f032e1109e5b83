"""Where per-article work runs: a ``dask.distributed`` cluster, the one mechanism for the parse and the rule
stages.

By default a run starts its own ``LocalCluster`` (two worker processes on this 2-core machine, one thread
each) the first time it has enough work for it, and closes it when the run ends: nothing to install or
start by hand. When Dask's own setting names a scheduler (``DASK_SCHEDULER_ADDRESS``, i.e. the Dask config
key ``scheduler-address``), the run connects to that cluster instead and sends it every batch, however
small: whoever set it wants the work there, and its workers are already up.

Workers load the spaCy model once each, on their first parse task (:func:`worker_model`, a cache in the
worker process keyed by the loader), never once per task. What goes to a worker is a frozen dataclass
(:class:`ParseTask` in ``pipeline/nlp.py``, ``ArticleWork`` in ``pipeline/workers.py``), sent with a
module-level function by reference: workers must import this project (same virtualenv, or the package
installed on every worker).

A worker that dies mid-task (killed, out of memory) fails the run at once: a local cluster is started with
``distributed.scheduler.allowed-failures: 0`` and every map is submitted with ``retries=0``, because the
same task would kill the next worker the same way. An existing cluster keeps its own scheduler setting.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import os
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

T = TypeVar("T")
R = TypeVar("R")

# Two single-threaded worker processes: the spaCy parse and the rules hold the GIL, so threads would not
# run in parallel; two processes use both cores.
LOCAL_WORKERS = min(2, os.cpu_count() or 1)
# Per worker. A worker holds the model (~0.6 GB resident), a batch and its rebuilt-doc cache (~0.1 GB);
# 4 GiB leaves a wide margin, so the nanny never stops a healthy worker, while a runaway one is
# terminated (95 % of this) and fails the run instead of the machine (24 GB) swapping.
MEMORY_LIMIT_PER_WORKER = "4GiB"
# Seconds to wait for a local cluster to come up, or for an existing scheduler to answer.
START_TIMEOUT_S = 180
_LOCAL_CONFIG = {
    "distributed.scheduler.allowed-failures": 0,
    # results are small and gathered at once: spilling to disk or pausing a worker would only stall a run
    "distributed.worker.memory.target": False,
    "distributed.worker.memory.spill": False,
    "distributed.worker.memory.pause": False,
    "distributed.worker.memory.terminate": 0.95,
    # processes are spawned, never forked: safe in a run process that has threads (polars, Dagster)
    "distributed.worker.multiprocessing-method": "spawn",
}

log = logging.getLogger(__name__)


def scheduler_address() -> str | None:
    """The scheduler Dask's own setting names, if any: the ``DASK_SCHEDULER_ADDRESS`` variable, else the
    ``scheduler-address`` key of a Dask config file. Read now, so a variable set after import counts.

    Dask itself is imported only when a config file exists or a cluster is used: importing ``distributed``
    costs more than a one-article re-run's rule stages (10 s of imports on this loaded machine).
    """
    if address := os.environ.get("DASK_SCHEDULER_ADDRESS"):
        return address
    if not any(folder.is_dir() and any(folder.iterdir()) for folder in _dask_config_folders()):
        return None
    import dask.config

    return dask.config.get("scheduler-address", None) or None


def _dask_config_folders() -> list[Path]:
    """Where Dask reads its YAML config (``dask.config.paths``), without importing Dask."""
    folders = [Path("/etc/dask"), Path(sys.prefix) / "etc" / "dask", Path.home() / ".config" / "dask"]
    if extra := os.environ.get("DASK_CONFIG"):
        folders.append(Path(extra))
    return folders


class Fanout:
    """The cluster of one run: started (or connected to) on first use, shared by every stage, closed by
    :meth:`close`.

    ``n_workers <= 1`` without an existing cluster keeps every batch in the calling process.
    """

    def __init__(self, n_workers: int = LOCAL_WORKERS, address: str | None = None,
                 memory_limit: str = MEMORY_LIMIT_PER_WORKER):
        self.address = address if address is not None else scheduler_address()
        self.n_workers = n_workers
        self.memory_limit = memory_limit
        self._client: Client | None = None
        self._cluster: LocalCluster | None = None
        self._starting: threading.Thread | None = None
        self._start_error: BaseException | None = None
        self._lock = threading.Lock()

    @property
    def external(self) -> bool:
        """Whether the run uses a cluster it did not start (``DASK_SCHEDULER_ADDRESS``)."""
        return bool(self.address)

    @property
    def started(self) -> bool:
        return self._client is not None or self._starting is not None

    def worth_it(self, n_items: int, threshold: int) -> bool:
        """Whether ``n_items`` go to the cluster: always on an existing one; on a local one when it is up
        (or starting) already, or when there are at least ``threshold`` of them to pay for its start."""
        if self.external:
            return True
        return self.n_workers > 1 and (self.started or n_items >= threshold)

    def start(self) -> None:
        """Start the cluster in the background (idempotent); :meth:`client` waits for it."""
        with self._lock:
            if self._client is None and self._starting is None and (self.external or self.n_workers > 1):
                self._starting = threading.Thread(target=self._start_in_background, daemon=True)
                self._starting.start()

    def _start_in_background(self) -> None:
        try:
            self.client()
        except BaseException as error:  # raised again by the next call to client()
            self._start_error = error

    def client(self) -> Client:
        """The run's client, starting the local cluster or connecting to the existing one if needed."""
        starting = self._starting
        if starting is not None and starting is not threading.current_thread():
            starting.join()
        with self._lock:
            if self._start_error is not None:
                error, self._start_error = self._start_error, None
                raise error
            if self._client is None:
                try:
                    self._client = self._connect()
                finally:
                    self._starting = None
            return self._client

    def _connect(self) -> Client:
        import dask.config
        from distributed import Client, LocalCluster

        if self.external:
            log.info("connecting to the Dask scheduler at %s", self.address)
            return Client(self.address, timeout=START_TIMEOUT_S, set_as_default=False)
        with dask.config.set(_LOCAL_CONFIG):
            self._cluster = LocalCluster(
                n_workers=self.n_workers,
                threads_per_worker=1,
                processes=True,
                memory_limit=self.memory_limit,
                dashboard_address=None,  # no dashboard; its HTTP server (health checks) on a free port,
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},  # never 8787 another run holds
                silence_logs=logging.WARNING,
                timeout=START_TIMEOUT_S,
            )
        log.info("started a local Dask cluster of %d workers", self.n_workers)
        return Client(self._cluster, timeout=START_TIMEOUT_S, set_as_default=False)

    def workers(self) -> int:
        """Threads across the cluster's workers (the parallelism a map can use)."""
        return max(1, sum(self.client().nthreads().values()))

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``function`` over every item on the cluster, results in the order of ``items``.

        Every item is submitted before any result is read, so the workers run together. If one task
        raises, the others are cancelled and the error is raised here.
        """
        client = self.client()
        futures = client.map(function, list(items), pure=False, retries=0)
        try:
            return client.gather(futures)
        except BaseException:
            client.cancel(futures)
            raise

    def map_as_completed(self, function: Callable[[T], R], items: Sequence[T]) -> Iterator[tuple[int, R]]:
        """``function`` over every item on the cluster, yielding ``(index in items, result)`` as each task
        finishes and letting its result go once read: no worker keeps finished results until the last task
        ends, and the caller need not hold them all at once (the parse's DocBin bytes are the corpus's
        size). If one task raises, or the caller stops reading, the tasks left are cancelled."""
        from distributed import as_completed

        client = self.client()
        futures = client.map(function, list(items), pure=False, retries=0)
        pending = {future.key: (index, future) for index, future in enumerate(futures)}
        del futures
        try:
            finished = as_completed([f for _, f in pending.values()], loop=client.loop, with_results=True)
            for future, result in finished:
                index, _ = pending.pop(future.key)
                future.release()
                yield index, result
        finally:
            if pending:
                client.cancel([future for _, future in pending.values()])

    def release_models(self) -> None:
        """Make the workers of a local cluster drop their models (:func:`release_models`), once the run's
        parse is done: the rule stages rebuild docs with a blank vocabulary, and ~0.5 GB of weights per
        worker would otherwise sit beside them until the run ends. An existing cluster keeps its models
        for the next run; a cluster not up has nothing to drop."""
        if self._client is not None and not self.external:
            self._client.run(release_models)

    def close(self) -> None:
        """Close the client, and the local cluster if this run started one (never an existing cluster)."""
        if (starting := self._starting) is not None:
            starting.join()
        with self._lock:
            client, cluster = self._client, self._cluster
            self._client = self._cluster = None
            self._start_error = None
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


_MODELS: dict[bytes, object] = {}


def worker_model(loader: Callable[[], T]) -> T:
    """What ``loader`` returns, loaded once per process: a worker loads the model on its first parse task
    and keeps it for every later task and run (keyed by the pickled loader, so by the model it names)."""
    import cloudpickle

    key = cloudpickle.dumps(loader)
    if key not in _MODELS:
        _MODELS[key] = loader()
    return _MODELS[key]  # type: ignore[return-value]


def release_models() -> int:
    """Forget the models this process loaded (a later parse task loads its model again) and hand the
    freed memory back to the system; returns how many were dropped."""
    dropped = len(_MODELS)
    _MODELS.clear()
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: the memory is reused, not returned
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    return dropped


def loaded_models() -> int:
    """How many models this process has loaded through :func:`worker_model` (one per model it served)."""
    return len(_MODELS)

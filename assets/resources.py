"""Resources: where the corpus and the warehouse are, the spaCy model, the Dask cluster per-article work
runs on, and the Parquet IO manager."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import dagster as dg
from pydantic import PrivateAttr
from spacy.language import Language

from pipeline.distributed import LOCAL_WORKERS, MEMORY_LIMIT_PER_WORKER, Fanout
from pipeline.isolation import StageRows
from pipeline.nlp import MODEL_NAME, load_model
from pipeline.workers import MIN_ARTICLES_TO_PRESTART, ArticleWork, run_stage

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_path(name: str, default: str) -> str:
    return str(Path(os.environ.get(name) or PROJECT_ROOT / default).resolve())


class PipelinePaths(dg.ConfigurableResource):
    """Input folder and warehouse folder (``SEEDS_DIR`` / ``WAREHOUSE_DIR`` override the defaults)."""

    seeds_dir: str
    warehouse_dir: str
    cache_dir: str | None = None

    @classmethod
    def from_env(cls) -> PipelinePaths:
        return cls(
            seeds_dir=_env_path("SEEDS_DIR", "seeds"),
            warehouse_dir=_env_path("WAREHOUSE_DIR", "warehouse"),
            cache_dir=os.environ.get("CACHE_DIR") or None,
        )

    def parse_cache_root(self) -> Path:
        """Parse cache folder: ``CACHE_DIR`` if set, else ``<warehouse>/.cache`` (safe to delete)."""
        return Path(self.cache_dir) if self.cache_dir else Path(self.warehouse_dir) / ".cache"


class SpacyModel(dg.ConfigurableResource):
    """The French spaCy pipeline: which one, and how the parse step runs it."""

    model_name: str = MODEL_NAME
    # measured: 64 parses as fast as 256, gives the same docs, and holds ~290 MB less per worker
    batch_size: int = 64
    # processes the parse may use on this machine (the run's Dask workers); 1 parses in the run process.
    # An existing cluster (DASK_SCHEDULER_ADDRESS) gets the parse whatever this says.
    n_process: int = min(2, os.cpu_count() or 1)  # measured: 2 workers parse ~1.6x faster on 2 cores

    def loader(self) -> Callable[[], Language]:
        """Loads the model; picklable, so the Dask workers load it themselves (only when text is left)."""
        return partial(load_model, self.model_name)


class DaskCluster(dg.ConfigurableResource):
    """Where the per-article work of a run goes (``pipeline/distributed.py``): the cluster named by
    ``DASK_SCHEDULER_ADDRESS`` (Dask config ``scheduler-address``) if set, else a ``LocalCluster`` of
    ``n_workers`` processes that the run starts when it has enough work for it and closes at its end.

    ``n_workers: 1`` keeps every stage in the run process (unless a scheduler address is set).
    """

    n_workers: int = LOCAL_WORKERS
    memory_limit: str = MEMORY_LIMIT_PER_WORKER
    _fanout: Fanout | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._fanout = Fanout(self.n_workers, memory_limit=self.memory_limit)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._fanout is not None:
            self._fanout.close()
            self._fanout = None

    def fanout(self) -> Fanout:
        """The run's cluster handle (created on first use outside a run: direct calls in tests)."""
        if self._fanout is None:
            self._fanout = Fanout(self.n_workers, memory_limit=self.memory_limit)
        return self._fanout

    def worth_starting(self, n_articles: int) -> bool:
        """Whether ``n_articles`` of work ahead are worth starting the cluster in the background now."""
        return self.fanout().worth_it(n_articles, MIN_ARTICLES_TO_PRESTART)

    def start(self) -> None:
        """Start (or connect to) the cluster in the background (:meth:`pipeline.distributed.Fanout.start`)."""
        self.fanout().start()

    def run(self, work: ArticleWork, doc_ids: set[str]) -> StageRows:
        """``work`` over ``doc_ids`` (see :func:`pipeline.workers.run_stage`)."""
        return run_stage(self.fanout(), work, doc_ids)


"""Resources: where the corpus and the warehouse are, the spaCy model, the rule-stage worker processes and
the Parquet IO manager."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import dagster as dg
import polars as pl
from pydantic import PrivateAttr
from spacy.language import Language

from pipeline.isolation import StageRows
from pipeline.nlp import MODEL_NAME, load_model
from pipeline.workers import ArticleWork, StageWorkers

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
    n_process: int = min(2, os.cpu_count() or 1)  # measured: 2 workers parse ~1.6x faster on 2 cores

    def loader(self) -> Callable[[], Language]:
        """Loads the model; picklable, so the parse workers load it themselves (only when text is left)."""
        return partial(load_model, self.model_name)


class RuleWorkers(dg.ConfigurableResource):
    """Worker processes for the per-article rule stages (``pipeline/workers.py``).

    One pool per run process, started by the first stage that has enough articles for it and shared by the
    next ones; it is shut down when the run ends. ``processes: 1`` keeps every stage in the run process.
    """

    processes: int = min(2, os.cpu_count() or 1)
    _workers: StageWorkers | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        self._workers = StageWorkers(self.processes)

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._workers is not None:
            self._workers.close()

    def _stage_workers(self) -> StageWorkers:
        if self._workers is None:  # used outside a run (direct calls in tests)
            self._workers = StageWorkers(self.processes)
        return self._workers

    def worth_starting(self, n_articles: int) -> bool:
        return self._stage_workers().worth_starting(n_articles)

    def start(self) -> None:
        """Start the worker processes in the background (see :meth:`pipeline.workers.StageWorkers.start`)."""
        self._stage_workers().start()

    def run(self, work: ArticleWork, doc_ids: set[str]) -> StageRows:
        """``work`` over ``doc_ids`` (see :meth:`pipeline.workers.StageWorkers.run`)."""
        return self._stage_workers().run(work, doc_ids)


class ParquetIOManager(dg.ConfigurableIOManager):
    """Stores each intermediate table as one Parquet file in the instance's storage folder.

    Parquet rather than pickle: the intermediate tables stay readable by any tool while debugging.
    """

    base_dir: str

    @classmethod
    def in_dagster_home(cls) -> ParquetIOManager:
        """Tables under ``$DAGSTER_HOME/storage/tables`` (the instance's artifact folder)."""
        home = os.environ.get("DAGSTER_HOME") or str(PROJECT_ROOT / ".dagster_home")
        return cls(base_dir=str(Path(home) / "storage" / "tables"))

    def _path(self, context: dg.InputContext | dg.OutputContext) -> Path:
        return Path(self.base_dir).joinpath(*context.asset_key.path).with_suffix(".parquet")

    def handle_output(self, context: dg.OutputContext, obj: pl.DataFrame) -> None:
        path = self._path(context)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".parquet.tmp")
        obj.write_parquet(tmp)
        tmp.replace(path)

    def load_input(self, context: dg.InputContext) -> pl.DataFrame:
        return pl.read_parquet(self._path(context))

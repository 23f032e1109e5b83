"""The code location: one ``Definitions`` object with every asset, check, resource and job."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
import polars as pl
from dagster_polars import PolarsParquetIOManager

from assets import dates, entities, ingest, nlp, quotes, warehouse
from assets.automation import build_automation, dead_run_sweeper
from assets.resources import PROJECT_ROOT, DaskCluster, PipelinePaths, SpacyModel

all_assets = dg.load_assets_from_modules([ingest, nlp, entities, dates, quotes, warehouse])


class TableIOManager(PolarsParquetIOManager):
    """dagster-polars' Parquet IO manager: each table in ``<base_dir>/<asset>.parquet``.

    Without its output metadata: every asset already records its row count, schema and a preview
    (assets/checks.py), and the library's own adds a random five-row sample (whole article texts, DocBin
    bytes) and ``describe()`` stats, ~200 KiB of event log per run on the seeds, different at each run.
    """

    def get_metadata(self, context: dg.OutputContext, obj: pl.DataFrame | None) -> dict:
        return {}


def table_io_manager(base_dir: str | None = None) -> TableIOManager:
    """Tables under ``base_dir``, by default ``$DAGSTER_HOME/storage/tables`` (the instance's storage)."""
    if base_dir is None:
        home = os.environ.get("DAGSTER_HOME") or str(PROJECT_ROOT / ".dagster_home")
        base_dir = str(Path(home) / "storage" / "tables")
    return TableIOManager(base_dir=base_dir)


materialize_everything = dg.define_asset_job(
    "materialize_everything",
    selection=dg.AssetSelection.all(),
    description="Every stage from the input folder to the published warehouse.",
    # Readable `make run`, and every step in one process: on two cores the steps form a chain (only
    # `timeline` and `quotes` could overlap) and a process per step would pay ~6 s of imports each. Run
    # config can switch to `execution: {config: {multiprocess: {max_concurrent: N}}}` (README, "Past one
    # machine"); a run config given at launch replaces this default.
    config={
        "loggers": {"console": {"config": {"log_level": "INFO"}}},
        "execution": {"config": {"in_process": {}}},
    },
)

seeds_folder_sensor, daily_refresh = build_automation(materialize_everything.name)

defs = dg.Definitions(
    executor=dg.multi_or_in_process_executor,
    assets=all_assets,
    jobs=[materialize_everything],
    sensors=[seeds_folder_sensor, dead_run_sweeper],
    schedules=[daily_refresh],
    resources={
        "paths": PipelinePaths.from_env(),
        "spacy_model": SpacyModel(),
        "dask_cluster": DaskCluster(),
        "io_manager": table_io_manager(),
    },
)

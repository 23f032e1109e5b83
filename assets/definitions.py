"""The code location: one ``Definitions`` object with every asset, check, resource and job."""

from __future__ import annotations

import dagster as dg

from assets import stages
from assets.automation import build_automation, dead_run_sweeper
from assets.resources import ParquetIOManager, PipelinePaths, RuleWorkers, SpacyModel

all_assets = dg.load_assets_from_modules([stages])

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
        "rule_workers": RuleWorkers(),
        "io_manager": ParquetIOManager.in_dagster_home(),
    },
)

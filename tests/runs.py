"""Materialise every asset in-process over a folder, with the real model and a fresh Dagster instance."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets.definitions import all_assets, table_io_manager
from assets.resources import DaskCluster, PipelinePaths, SpacyModel


def materialize_folder(seeds: Path, warehouse: Path, storage: Path) -> dg.ExecuteInProcessResult:
    """One run of every asset from ``seeds`` into ``warehouse``; ``storage`` holds the step outputs.

    One spaCy process: test corpora are small, and worker start-up would dominate.
    """
    return dg.materialize(
        all_assets,
        resources={
            "paths": PipelinePaths(seeds_dir=str(seeds), warehouse_dir=str(warehouse)),
            "spacy_model": SpacyModel(n_process=1),
            "dask_cluster": DaskCluster(),  # small corpora stay in-process (no DASK_SCHEDULER_ADDRESS)
            "io_manager": table_io_manager(str(storage)),
        },
        instance=dg.DagsterInstance.ephemeral(),
    )

"""A run pointed at an existing Dask cluster (``DASK_SCHEDULER_ADDRESS``) publishes exactly the tables of a
default run. Real processes: a ``dask scheduler`` and two ``dask worker`` on loopback, as a user starts
them."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest
from distributed import Client

from pipeline.distributed import loaded_models
from pipeline.warehouse import DATABASE_NAME
from tests.runs import materialize_folder

ROOT = Path(__file__).resolve().parent.parent
DASK = ROOT / ".venv" / "bin" / "dask"
START_TIMEOUT_S = 180
RUN_TIMEOUT_S = 900


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def scheduler_address(tmp_path: Path) -> Iterator[str]:
    """A scheduler and two single-threaded workers on 127.0.0.1, stopped whatever happens."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DASK_SCHEDULER_ADDRESS", None)
    file = tmp_path / "scheduler.json"
    processes: list[subprocess.Popen] = []

    def start(args: list[str], name: str) -> None:
        log = (tmp_path / f"{name}.log").open("w")
        processes.append(subprocess.Popen([str(DASK), *args], cwd=tmp_path, env=env, stdout=log,
                                          stderr=subprocess.STDOUT, start_new_session=True))

    try:
        start(["scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
               "--scheduler-file", str(file)], "scheduler")
        deadline = time.monotonic() + START_TIMEOUT_S
        while not file.exists():
            assert time.monotonic() < deadline and processes[0].poll() is None, (
                (tmp_path / "scheduler.log").read_text())
            time.sleep(0.2)
        for i in range(2):
            start(["worker", "--scheduler-file", str(file), "--nthreads", "1", "--host", "127.0.0.1",
                   "--no-dashboard", "--memory-limit", "4GiB"], f"worker{i}")
        address = json.loads(file.read_text())["address"]
        with Client(address, timeout=START_TIMEOUT_S) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT_S)
        yield address
    finally:
        for process in reversed(processes):
            _stop(process)


def _run(folder: Path) -> Path:
    """The whole pipeline over a copy of the seeds, in a thread bounded in time."""
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(
        materialize_folder(folder / "seeds", folder / "warehouse", folder / "storage")), daemon=True)
    thread.start()
    thread.join(RUN_TIMEOUT_S)
    assert not thread.is_alive(), f"the run did not end in {RUN_TIMEOUT_S} s"
    assert outcome and outcome[0].success  # type: ignore[attr-defined]
    return folder / "warehouse" / DATABASE_NAME


def _tables(database: Path, folder: Path) -> dict[str, pl.DataFrame]:
    """Every published table, the run's own folder in paths written ``<run>``, rows in a fixed order
    (every column, left to right)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = [row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()]
        tables = {name: con.execute(f'SELECT * FROM "{name}"').pl() for name in sorted(names)}
    finally:
        con.close()
    text = pl.selectors.string()
    return {name: frame.with_columns(text.str.replace_all(str(folder), "<run>", literal=True)).sort(pl.all())
            for name, frame in tables.items()}


def test_a_run_on_an_existing_cluster_publishes_the_default_runs_tables(
    scheduler_address: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DASK_SCHEDULER_ADDRESS", raising=False)
    default = _tables(_run(tmp_path / "default"), tmp_path / "default")
    monkeypatch.setenv("DASK_SCHEDULER_ADDRESS", scheduler_address)
    on_cluster = _tables(_run(tmp_path / "cluster"), tmp_path / "cluster")

    with Client(scheduler_address, timeout=START_TIMEOUT_S) as client:
        prefixes = client.run_on_scheduler(lambda dask_scheduler: sorted(dask_scheduler.task_prefixes))
        models = client.run(loaded_models)
    assert {"parse_task", "run_on_worker"} <= set(prefixes)  # the parse and the rule stages ran there
    assert sum(models.values()) >= 1 and max(models.values()) == 1  # a model loaded once per worker

    assert list(on_cluster) == list(default) and default["documents"].height > 0
    for name, table in default.items():
        assert on_cluster[name].columns == table.columns, name
        for column in table.columns:
            assert on_cluster[name][column].equals(table[column]), f"{name}.{column}"

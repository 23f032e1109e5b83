"""A run killed with SIGKILL leaves the published warehouse intact and readable; the next run publishes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb

from pipeline.warehouse import DATABASE_NAME

ROOT = Path(__file__).resolve().parent.parent
DG = ROOT / ".venv" / "bin" / "dg"


def _env(home: Path, seeds: Path, warehouse: Path) -> dict[str, str]:
    home.mkdir(exist_ok=True)
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    return {**os.environ, "DAGSTER_HOME": str(home), "SEEDS_DIR": str(seeds), "WAREHOUSE_DIR": str(warehouse)}


def _start(env: dict[str, str]) -> subprocess.Popen:
    """The job as `make run` launches it, with DEBUG step events on stdout so the test knows where it is."""
    config = Path(env["DAGSTER_HOME"]) / "debug_logs.yaml"
    config.write_text("loggers:\n  console:\n    config:\n      log_level: DEBUG\n", encoding="utf-8")
    return subprocess.Popen(
        [
            str(DG),
            "launch",
            "--job",
            "materialize_everything",
            "-m",
            "assets.definitions",
            "-c",
            str(config),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def _documents(warehouse: Path) -> int:
    con = duckdb.connect(str(warehouse / DATABASE_NAME), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM documents").fetchone()[0]
    finally:
        con.close()


def test_sigkill_mid_run_keeps_the_previous_warehouse(tmp_path: Path) -> None:
    seeds, warehouse = tmp_path / "seeds", tmp_path / "warehouse"
    seeds.mkdir()
    originals = sorted((ROOT / "seeds").glob("*.txt"))[:2]
    for path in originals:
        shutil.copy(path, seeds / path.name)
    env = _env(tmp_path / "home", seeds, warehouse)

    first = _start(env)
    assert first.wait(timeout=600) == 0, first.stdout.read()
    assert _documents(warehouse) == 2

    extra = sorted((ROOT / "seeds").glob("*.txt"))[2]
    shutil.copy(extra, seeds / extra.name)
    doomed = _start(env)
    deadline = time.monotonic() + 300
    for line in doomed.stdout:  # kill it once the parse step (the long one) has begun
        if "parsed_paragraphs" in line and "STEP_START" in line:
            break
        assert time.monotonic() < deadline
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=60)
    assert doomed.returncode == -signal.SIGKILL

    assert _documents(warehouse) == 2  # the old warehouse is intact and readable

    last = _start(env)
    assert last.wait(timeout=600) == 0, last.stdout.read()
    assert _documents(warehouse) == 3
    assert not list(warehouse.rglob(".*.tmp"))

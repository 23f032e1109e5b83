"""A publish that fails or is killed half-way leaves the previous warehouse whole: Parquet equals DuckDB."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipeline import warehouse
from pipeline.warehouse import CURRENT, DATABASE_NAME, PREVIOUS, RELEASES, publish
from tests.test_faults import ROOT, _env, _start

TABLES = ("documents", "paragraphs", "boilerplate")


def _tables(n: int) -> dict[str, pl.DataFrame]:
    return {
        name: pl.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "table": [name] * n}) for name in TABLES
    }


def _published_counts(warehouse_dir: Path) -> tuple[dict[str, int], dict[str, int]]:
    """Row counts of every table as Parquet and as DuckDB, through the paths analysts use."""
    con = duckdb.connect(str(warehouse_dir / DATABASE_NAME), read_only=True)
    try:
        names = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        in_duckdb = {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        con.close()
    in_parquet = {
        folder.name: pl.read_parquet(folder / "data.parquet").height
        for folder in sorted((warehouse_dir / "parquet").iterdir())
    }
    return in_parquet, in_duckdb


def _only_current_and_previous(warehouse_dir: Path) -> bool:
    releases = {p.name for p in (warehouse_dir / RELEASES).iterdir()}
    links = {
        Path(os.readlink(warehouse_dir / n)).name
        for n in (CURRENT, PREVIOUS)
        if (warehouse_dir / n).is_symlink()
    }
    return releases == links and not list(warehouse_dir.glob(".*.tmp*"))


def _disk_full_after(real_step, n_calls: int):
    """``real_step`` that writes its bytes, then fails as a full disk does, on its ``n_calls``-th call."""
    calls = []

    def step(*args, **kwargs) -> None:
        calls.append(1)
        real_step(*args, **kwargs)
        if len(calls) == n_calls:
            raise OSError(errno.ENOSPC, "No space left on device")

    return step


@pytest.mark.parametrize(
    ("step", "n_calls"),
    [("build_database", 1), ("write_parquet", 2)],
    ids=["while writing the DuckDB file", "while writing the second Parquet file"],
)
def test_a_full_disk_during_publish_keeps_the_previous_warehouse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, n_calls: int
) -> None:
    publish(_tables(3), tmp_path)
    before = _published_counts(tmp_path)
    assert before == ({t: 3 for t in TABLES}, {t: 3 for t in TABLES})
    current = os.readlink(tmp_path / CURRENT)

    monkeypatch.setattr(warehouse, step, _disk_full_after(getattr(warehouse, step), n_calls))
    with pytest.raises(OSError) as failure:
        publish(_tables(5), tmp_path)
    assert failure.value.errno == errno.ENOSPC

    assert _published_counts(tmp_path) == before  # both old, and equal
    assert os.readlink(tmp_path / CURRENT) == current
    assert _only_current_and_previous(tmp_path)  # the partial release is gone

    monkeypatch.undo()
    publish(_tables(5), tmp_path)
    assert _published_counts(tmp_path) == ({t: 5 for t in TABLES}, {t: 5 for t in TABLES})


def _documents_parquet_inodes(warehouse_dir: Path) -> set[int]:
    """Inodes of every ``documents`` Parquet file: in place (older layout) and in every release folder."""
    paths = [warehouse_dir / "parquet" / "documents" / "data.parquet"]
    paths += (warehouse_dir / RELEASES).glob("*/parquet/documents/data.parquet")
    inodes = set()
    for path in paths:
        with contextlib.suppress(FileNotFoundError):
            inodes.add(path.stat().st_ino)
    return inodes


def _drain(process: subprocess.Popen) -> list[str]:
    """Read the process's output in the background so that a full pipe never stalls it."""
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True).start()
    return lines


def _finish(process: subprocess.Popen, seconds: float) -> str:
    """The run's output once it has ended; kill it and fail if it takes longer than ``seconds``."""
    try:
        output, _ = process.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        output, _ = process.communicate(timeout=60)
        pytest.fail(
            f"the run did not finish within {seconds} s (waiting for a lock or a slot?):\n{output[-3000:]}"
        )
    assert process.returncode == 0, output[-3000:]
    return output


def test_sigkill_during_publish_keeps_the_previous_warehouse_and_the_next_run_publishes(
    tmp_path: Path,
) -> None:
    seeds, warehouse_dir = tmp_path / "seeds", tmp_path / "warehouse"
    seeds.mkdir()
    corpus = sorted((ROOT / "seeds").glob("*.txt"))
    for path in corpus[:2]:
        shutil.copy(path, seeds / path.name)
    env = _env(tmp_path / "home", seeds, warehouse_dir)
    started = time.monotonic()
    _finish(_start(env), 600)
    first_run_seconds = time.monotonic() - started
    before = _published_counts(warehouse_dir)
    assert before[0] == before[1] and before[1]["documents"] == 2
    current = os.readlink(warehouse_dir / CURRENT) if (warehouse_dir / CURRENT).is_symlink() else None

    shutil.copy(corpus[2], seeds / corpus[2].name)
    known = _documents_parquet_inodes(warehouse_dir)
    doomed = _start(env)
    output = _drain(doomed)
    deadline = time.monotonic() + 600
    while _documents_parquet_inodes(warehouse_dir) <= known:  # until the publish writes its first file
        assert doomed.poll() is None, "".join(output)[-3000:]
        assert time.monotonic() < deadline
        time.sleep(0.001)
    os.killpg(doomed.pid, signal.SIGKILL)
    doomed.wait(timeout=60)
    assert doomed.returncode == -signal.SIGKILL

    after_kill = os.readlink(warehouse_dir / CURRENT) if (warehouse_dir / CURRENT).is_symlink() else None
    assert after_kill == current, "killed too late: the release was already switched"
    assert _published_counts(warehouse_dir) == before  # Parquet and DuckDB whole, old, and equal
    assert not _only_current_and_previous(warehouse_dir)  # the killed publish's folder is still there

    started = time.monotonic()
    _finish(_start(env), max(300.0, 3 * first_run_seconds))  # no lock or slot of the dead run holds it up
    in_parquet, in_duckdb = _published_counts(warehouse_dir)
    assert in_parquet == in_duckdb and in_duckdb["documents"] == 3
    assert _only_current_and_previous(warehouse_dir)  # the killed publish's folder is gone
    con = duckdb.connect(str(warehouse_dir / DATABASE_NAME), read_only=True)
    try:
        disagreeing = con.execute("""
            SELECT doc_id FROM documents d JOIN reference_dates r USING (doc_id)
            WHERE d.reference_date IS DISTINCT FROM r.reference_date
        """).fetchall()
    finally:
        con.close()
    assert disagreeing == []

"""Publishing: Parquet + DuckDB, replaced atomically, never blocked by an open reader."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import polars as pl

from pipeline.warehouse import DATABASE_NAME, publish


def _tables(n: int) -> dict[str, pl.DataFrame]:
    return {"documents": pl.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "text": ["x"] * n})}


def test_publish_writes_parquet_and_duckdb(tmp_path: Path) -> None:
    report = publish(_tables(3), tmp_path)
    assert pl.read_parquet(tmp_path / "parquet" / "documents" / "data.parquet").height == 3
    con = duckdb.connect(str(report.database), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (3,)
    con.close()
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith(".tmp") or p.name.endswith(".wal")]
    assert leftovers == []


def test_republish_replaces_tables(tmp_path: Path) -> None:
    publish(_tables(3), tmp_path)
    publish(_tables(5), tmp_path)
    con = duckdb.connect(str(tmp_path / DATABASE_NAME), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (5,)
    con.close()


def test_open_reader_in_another_process_neither_blocks_nor_sees_a_partial_database(tmp_path: Path) -> None:
    publish(_tables(3), tmp_path)
    database = tmp_path / DATABASE_NAME
    reader_script = textwrap.dedent(f"""
        import sys, duckdb
        con = duckdb.connect({str(database)!r})  # read-write, as the DuckDB shell opens a file by default
        print(con.execute("SELECT count(*) FROM documents").fetchone()[0], flush=True)
        sys.stdin.readline()  # hold the file open until the test has republished
        print(con.execute("SELECT count(*) FROM documents").fetchone()[0], flush=True)
    """)
    reader = subprocess.Popen([sys.executable, "-c", reader_script], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert reader.stdout.readline().strip() == "3"
        started = time.monotonic()
        publish(_tables(7), tmp_path)
        assert time.monotonic() - started < 30
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "3"  # the reader keeps its consistent, complete view
    finally:
        reader.communicate(timeout=30)
    con = duckdb.connect(str(database), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone() == (7,)
    con.close()

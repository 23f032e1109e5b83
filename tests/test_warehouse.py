"""Publishing: one release folder per publish, switched atomically, never blocked by an open reader."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import polars as pl

from pipeline.schemas import polars_schema, validate
from pipeline.warehouse import CURRENT, DATABASE_NAME, PREVIOUS, RELEASES, publish, read_published

ROOT = Path(__file__).resolve().parent.parent


def _tables(n: int) -> dict[str, pl.DataFrame]:
    return {"documents": pl.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "text": ["x"] * n})}


def _count(database: Path, table: str = "documents") -> int:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        con.close()


def _rows(table: str, rows: list[dict]) -> pl.DataFrame:
    """Rows of a published table with its exact contract columns (absent ones NULL), validated."""
    schema = polars_schema(table)
    return validate(table, pl.DataFrame([{c: row.get(c) for c in schema} for row in rows], schema=schema))


def test_publish_writes_parquet_and_duckdb(tmp_path: Path) -> None:
    report = publish(_tables(3), tmp_path)
    assert pl.read_parquet(tmp_path / "parquet" / "documents" / "data.parquet").height == 3
    assert _count(report.database) == 3
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith(".tmp") or p.name.endswith(".wal")]
    assert leftovers == []


def test_user_paths_are_stable_links_into_the_current_release(tmp_path: Path) -> None:
    first = publish(_tables(3), tmp_path)
    second = publish(_tables(5), tmp_path)
    assert os.readlink(tmp_path / DATABASE_NAME) == f"{CURRENT}/{DATABASE_NAME}"
    assert os.readlink(tmp_path / "parquet") == f"{CURRENT}/parquet"
    assert (tmp_path / CURRENT).resolve() == second.release.resolve()
    assert (tmp_path / PREVIOUS).resolve() == first.release.resolve()
    assert _count(tmp_path / DATABASE_NAME) == 5
    assert read_published(tmp_path, "documents").height == 5


def test_only_the_current_and_previous_releases_are_kept(tmp_path: Path) -> None:
    reports = [publish(_tables(n), tmp_path) for n in (1, 2, 3, 4)]
    kept = sorted(p.name for p in (tmp_path / RELEASES).iterdir())
    assert kept == sorted(r.release.name for r in reports[-2:])


def test_duckdb_opens_the_linked_file_read_only_and_from_its_shell(tmp_path: Path) -> None:
    publish(_tables(4), tmp_path)
    assert _count(tmp_path / DATABASE_NAME) == 4
    shell = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "duckdb"), "-readonly", "-csv", str(tmp_path / DATABASE_NAME)],
        input="SELECT count(*) AS n FROM documents;\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.split() == ["n", "4"]


def test_an_article_dated_from_the_corpus_has_one_date_everywhere(tmp_path: Path) -> None:
    """Ingest found no date; the dates stage dated it from the corpus: every published table says so."""
    text = "Le maire a annoncé hier la fermeture du pont. « Les travaux dureront deux mois », a-t-il dit."
    documents = _rows(
        "documents",
        [
            {
                "doc_id": "pont",
                "source_path": "pont.txt",
                "text": text,
                "n_chars": len(text),
                "content_sha256": "0" * 64,
                "encoding": "utf-8",
                "language": "fr",
                "title": "Le pont fermé",
                "reference_date_basis": "none",
                "source_format": "text",
            }
        ],
    )
    day = dt.date(2024, 3, 5)
    reference_dates = _rows(
        "reference_dates",
        [{"doc_id": "pont", "reference_date": day, "basis": "corpus", "evidence": "deux événements"}],
    )
    start = text.index("Les travaux")
    quotes = _rows(
        "quotes",
        [
            {
                "quote_id": "pont:q0",
                "doc_id": "pont",
                "paragraph_id": "pont:0",
                "doc_char_start": start,
                "doc_char_end": start + len("Les travaux dureront deux mois"),
                "text": "Les travaux dureront deux mois",
                "kind": "direct",
                "speaker": "le maire",
                "cue": "dire",
                "confidence": 0.9,
            }
        ],
    )
    tables = {"documents": documents, "reference_dates": reference_dates, "quotes": quotes}
    report = publish(tables, tmp_path)
    con = duckdb.connect(str(report.database), read_only=True)
    try:
        dates = {
            table: con.execute(f"SELECT reference_date FROM {table} WHERE doc_id = 'pont'").fetchall()
            for table in ("documents", "reference_dates", "who_said_what")
        }
        basis = con.execute("SELECT reference_date_basis FROM documents").fetchone()[0]
    finally:
        con.close()
    assert dates == {"documents": [(day,)], "reference_dates": [(day,)], "who_said_what": [(day,)]}
    assert basis == "corpus"
    assert read_published(tmp_path, "documents")["reference_date"].to_list() == [day]


def test_a_plain_warehouse_of_the_older_layout_is_migrated(tmp_path: Path) -> None:
    """Plain ``news.duckdb`` and ``parquet/`` become links; a session open on the old file reads on."""
    (tmp_path / "parquet" / "documents").mkdir(parents=True)
    _tables(2)["documents"].write_parquet(tmp_path / "parquet" / "documents" / "data.parquet")
    (tmp_path / "parquet" / "documents" / ".data.parquet.0123.tmp").write_bytes(b"half")
    (tmp_path / f".{DATABASE_NAME}.0123.tmp").write_bytes(b"half")
    with duckdb.connect(str(tmp_path / DATABASE_NAME)) as con:
        con.execute("CREATE TABLE documents AS SELECT 'd0' AS doc_id")
    open_session = duckdb.connect(str(tmp_path / DATABASE_NAME), read_only=True)
    try:
        publish(_tables(6), tmp_path)
        assert open_session.execute("SELECT count(*) FROM documents").fetchone() == (1,)
    finally:
        open_session.close()
    assert (tmp_path / DATABASE_NAME).is_symlink() and (tmp_path / "parquet").is_symlink()
    assert _count(tmp_path / DATABASE_NAME) == 6
    assert read_published(tmp_path, "documents").height == 6
    names = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("parquet.before-releases."))
    assert names == [".publish.lock", RELEASES, CURRENT, DATABASE_NAME, "parquet"]
    # the old folder is set aside, never deleted: it may hold files the pipeline did not write
    (kept,) = tmp_path.glob("parquet.before-releases.*")
    assert pl.read_parquet(kept / "documents" / "data.parquet").height == 2


def test_a_killed_publisher_holding_the_lock_does_not_block_the_next(tmp_path: Path) -> None:
    holder_script = textwrap.dedent(f"""
        import time
        from pathlib import Path
        from pipeline.warehouse import publish_lock
        with publish_lock(Path({str(tmp_path)!r})):
            print("locked", flush=True)
            time.sleep(600)
    """)
    holder = subprocess.Popen(
        [sys.executable, "-c", holder_script], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
        started = time.monotonic()
        publish(_tables(2), tmp_path)
        assert time.monotonic() - started < 30
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert _count(tmp_path / DATABASE_NAME) == 2


def test_open_reader_in_another_process_neither_blocks_nor_sees_a_partial_database(tmp_path: Path) -> None:
    """The reader keeps its complete view even once its release folder has been deleted."""
    first = publish(_tables(3), tmp_path)
    database = tmp_path / DATABASE_NAME
    reader_script = textwrap.dedent(f"""
        import sys, duckdb
        con = duckdb.connect({str(database)!r})  # read-write, as the DuckDB shell opens a file by default
        print(con.execute("SELECT count(*) FROM documents").fetchone()[0], flush=True)
        sys.stdin.readline()  # hold the file open until the test has republished
        print(con.execute("SELECT count(*) FROM documents").fetchone()[0], flush=True)
    """)
    reader = subprocess.Popen(
        [sys.executable, "-c", reader_script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout.readline().strip() == "3"
        started = time.monotonic()
        publish(_tables(7), tmp_path)
        publish(_tables(9), tmp_path)
        assert time.monotonic() - started < 30
        assert not first.release.exists()  # the reader's release is gone from the directory
        reader.stdin.write("\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "3"  # the reader keeps its consistent, complete view
    finally:
        reader.communicate(timeout=30)
    assert reader.returncode == 0
    assert _count(database) == 9

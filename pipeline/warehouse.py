"""Publish the validated tables: Parquet files plus one DuckDB database, replaced atomically.

Readers never block the writer and never see a half-written warehouse: every file is built beside the
one it replaces and swapped in with ``os.replace`` (atomic on POSIX). An analyst who keeps the old
``news.duckdb`` open goes on reading the old, complete file; new connections see the new one.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

DATABASE_NAME = "news.duckdb"

# Analyst-facing views, created in the database after the tables: name -> (tables it reads, SQL).
VIEWS: dict[str, tuple[frozenset[str], str]] = {
    "entity_cooccurrence": (
        frozenset({"entity_mentions", "entities"}),
        """
        SELECT a.entity_id AS entity_id_a, ea.name AS name_a, b.entity_id AS entity_id_b, eb.name AS name_b,
               count(DISTINCT a.paragraph_id) AS n_paragraphs, count(DISTINCT a.doc_id) AS n_documents
        FROM entity_mentions a
        JOIN entity_mentions b ON a.paragraph_id = b.paragraph_id AND a.entity_id < b.entity_id
        JOIN entities ea ON ea.entity_id = a.entity_id
        JOIN entities eb ON eb.entity_id = b.entity_id
        GROUP BY ALL
    """,
    ),
    "who_said_what": (
        frozenset({"quotes", "documents"}),
        """
        SELECT q.speaker, q.speaker_entity_id, q.kind, q.text AS quote, q.cue, q.confidence,
               q.doc_id, d.title, d.reference_date, q.quote_id
        FROM quotes q JOIN documents d USING (doc_id)
    """,
    ),
}


@dataclass(frozen=True)
class PublishReport:
    database: Path
    parquet_dir: Path
    row_counts: dict[str, int]


def publish(tables: dict[str, pl.DataFrame], warehouse_dir: Path) -> PublishReport:
    """Write every table as Parquet and into a fresh DuckDB file, then swap each into place."""
    warehouse_dir = Path(warehouse_dir)
    parquet_dir = warehouse_dir / "parquet"
    remove_stale_temporaries(warehouse_dir)
    for name, frame in tables.items():
        write_parquet_atomically(frame, parquet_dir / name / "data.parquet")
    database = warehouse_dir / DATABASE_NAME
    build_database_atomically(tables, database)
    return PublishReport(database, parquet_dir, {name: frame.height for name, frame in tables.items()})


def remove_stale_temporaries(warehouse_dir: Path) -> None:
    """Delete half-written files left by a run that was killed while publishing.

    Safe because only one publish runs at a time (the ``duckdb_writer`` pool in dagster.yaml).
    """
    if warehouse_dir.is_dir():
        for leftover in warehouse_dir.rglob(".*.tmp"):
            leftover.unlink(missing_ok=True)
        for leftover in warehouse_dir.glob(".*.tmp.wal"):
            leftover.unlink(missing_ok=True)


def write_parquet_atomically(frame: pl.DataFrame, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        frame.write_parquet(tmp, compression="zstd", statistics=True)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def build_database_atomically(tables: dict[str, pl.DataFrame], target: Path) -> None:
    """Build the database in a temporary file beside ``target`` and rename it over ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        con = duckdb.connect(str(tmp))
        try:
            for name, frame in tables.items():
                con.register("incoming", frame.to_arrow())
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
                con.unregister("incoming")
            for name, (inputs, sql) in VIEWS.items():
                if inputs <= tables.keys():
                    con.execute(f'CREATE VIEW "{name}" AS {sql}')
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(f"{tmp}.wal").unlink(missing_ok=True)


def read_published(warehouse_dir: Path, table: str, columns: list[str] | None = None) -> pl.DataFrame | None:
    """The last published ``table`` (only ``columns`` if given), or None before the first publish."""
    path = Path(warehouse_dir) / "parquet" / table / "data.parquet"
    return pl.read_parquet(path, columns=columns) if path.exists() else None


def corpus_changes(documents: pl.DataFrame, previous: pl.DataFrame | None) -> dict[str, int]:
    """How many articles are new, changed, unchanged or removed since the last publish (by content hash)."""
    current = documents.select("doc_id", "content_sha256")
    if previous is None:
        return {"new": current.height, "changed": 0, "unchanged": 0, "removed": 0}
    before = previous.select("doc_id", pl.col("content_sha256").alias("previous_sha256"))
    both = current.join(before, on="doc_id", how="inner")
    unchanged = int((both["content_sha256"] == both["previous_sha256"]).sum())
    return {
        "new": current.join(before, on="doc_id", how="anti").height,
        "changed": both.height - unchanged,
        "unchanged": unchanged,
        "removed": before.join(current, on="doc_id", how="anti").height,
    }


def read_row_counts(database: Path) -> dict[str, int]:
    """Row count of every table in a published database (read-only, so it never blocks a run)."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
            ).fetchall()
        ]
        return {name: con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        con.close()

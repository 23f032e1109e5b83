"""Publish the validated tables as one release: Parquet files plus a DuckDB database, switched at once.

Every publish writes a complete release folder, ``warehouse/.releases/<id>/`` (``parquet/<table>/
data.parquet`` and ``news.duckdb``), then replaces one symlink, ``warehouse/current``, with a single
``os.replace`` (atomic on POSIX). The paths analysts use never change: ``warehouse/news.duckdb`` and
``warehouse/parquet`` are symlinks into ``current``. So a new reader sees the old release or the new one,
never a mix; a publish that fails or is killed before the switch leaves ``current`` as it was, and its
partial folder is removed (at once, or by the next publish). An analyst's open session keeps reading its
release's file even after that release is deleted (POSIX unlink semantics).

Publishers are serialised by a kernel file lock (``fcntl.flock``), which the kernel releases when the
holder dies: a killed publish can never block the next one.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import polars as pl

DATABASE_NAME = "news.duckdb"
PARQUET_NAME = "parquet"
RELEASES = ".releases"
CURRENT = "current"
PREVIOUS = "previous"  # the release before ``current``: kept for rollback and for sessions still open on it
LOCK_NAME = ".publish.lock"
# Names of the temporary links and files this module creates beside the user-facing paths (and that an
# older version left): the only dot-files a clean-up may delete. Nothing else in the folder is touched.
OWN_TEMPORARY_PREFIXES = tuple(f".{name}." for name in (CURRENT, PREVIOUS, PARQUET_NAME, DATABASE_NAME))

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
    database: Path  # the stable path analysts open (a symlink into the current release)
    parquet_dir: Path  # likewise
    release: Path  # the release folder this publish wrote
    row_counts: dict[str, int]


def publish(tables: dict[str, pl.DataFrame], warehouse_dir: Path) -> PublishReport:
    """Write every table into a new release folder, then make it the current one in a single rename."""
    warehouse_dir = Path(warehouse_dir)
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    tables = final_tables(tables)
    with publish_lock(warehouse_dir):
        remove_leftovers(warehouse_dir)
        release = build_release(tables, warehouse_dir / RELEASES)
        switch_current(warehouse_dir, release)
        link_stable_paths(warehouse_dir)
        remove_leftovers(warehouse_dir)  # releases older than the previous one
    return PublishReport(
        warehouse_dir / DATABASE_NAME,
        warehouse_dir / PARQUET_NAME,
        release,
        {name: frame.height for name, frame in tables.items()},
    )


def final_tables(tables: dict[str, pl.DataFrame]) -> dict[str, pl.DataFrame]:
    """The tables as published: ``documents`` carries each article's final reference date."""
    if "documents" not in tables or "reference_dates" not in tables:
        return tables
    return {**tables, "documents": with_final_reference_dates(tables["documents"], tables["reference_dates"])}


def with_final_reference_dates(documents: pl.DataFrame, reference_dates: pl.DataFrame) -> pl.DataFrame:
    """``documents`` with the date, basis and evidence of ``reference_dates``, which has the final word.

    Ingest dates an article from its own text; the dates stage may date it later from the corpus. Without
    this, ``documents`` (and every view that reads it) would say NULL where ``reference_dates`` has a date.
    An article absent from ``reference_dates`` keeps its own values.
    """
    final_of = {
        "reference_date": "reference_date",
        "reference_date_basis": "basis",
        "reference_date_evidence": "evidence",
    }
    final = reference_dates.select(
        "doc_id", *(pl.col(src).alias(f"_final_{dst}") for dst, src in final_of.items())
    )
    known = pl.col("_final_reference_date_basis").is_not_null()
    return (
        documents.join(final, on="doc_id", how="left", maintain_order="left")
        .with_columns(
            pl.when(known).then(pl.col(f"_final_{dst}")).otherwise(pl.col(dst)).alias(dst) for dst in final_of
        )
        .select(documents.columns)
    )


@contextlib.contextmanager
def publish_lock(warehouse_dir: Path) -> Iterator[None]:
    """Hold the warehouse's publish lock: one publisher at a time, released by the kernel if it is killed."""
    with open(warehouse_dir / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def build_release(tables: dict[str, pl.DataFrame], releases_dir: Path) -> Path:
    """A complete, durable release folder; on any failure (disk full included) nothing of it remains."""
    release = releases_dir / f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}"
    release.mkdir(parents=True)
    try:
        for name, frame in tables.items():
            write_parquet(frame, release / PARQUET_NAME / name / "data.parquet")
        build_database(tables, release / DATABASE_NAME)
        _fsync_directory(release)
        _fsync_directory(releases_dir)
    except BaseException:
        shutil.rmtree(release, ignore_errors=True)
        raise
    return release


def write_parquet(frame: pl.DataFrame, target: Path) -> None:
    """One table as zstd Parquet with column statistics, flushed to disk before the release is switched."""
    target.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(target, compression="zstd", statistics=True)
    _fsync_file(target)
    _fsync_directory(target.parent)
    _fsync_directory(target.parent.parent)


def build_database(tables: dict[str, pl.DataFrame], target: Path) -> None:
    """Every table and the views that can be built from them, checkpointed into one DuckDB file."""
    con = duckdb.connect(str(target))
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
    _fsync_file(target)


def switch_current(warehouse_dir: Path, release: Path) -> None:
    """Point ``current`` at ``release`` (the one atomic step of a publish); ``previous`` at the old one."""
    current = warehouse_dir / CURRENT
    old = os.readlink(current) if current.is_symlink() else None
    replace_symlink(current, Path(RELEASES) / release.name)
    if old is not None and Path(old).name != release.name:
        replace_symlink(warehouse_dir / PREVIOUS, Path(old))


def replace_symlink(link: Path, target: Path) -> None:
    """Make ``link`` point at ``target`` atomically: a new symlink beside it, renamed over it."""
    tmp = link.with_name(f".{link.name}.{uuid.uuid4().hex}.tmp")
    os.symlink(target, tmp)
    try:
        os.replace(tmp, link)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_directory(link.parent)


def link_stable_paths(warehouse_dir: Path) -> None:
    """``news.duckdb`` and ``parquet`` as symlinks into ``current``, replacing the files of an older layout.

    A plain ``news.duckdb`` is replaced in one rename (a session open on it keeps reading it). A plain
    ``parquet/`` folder cannot be renamed over, so it is moved aside first: for that one migration, a
    reader may briefly find no ``parquet``. The Parquet link goes first so that the two never disagree
    for longer than the DuckDB rename.
    """
    for name in (PARQUET_NAME, DATABASE_NAME):
        link, target = warehouse_dir / name, Path(CURRENT) / name
        if link.is_symlink() and Path(os.readlink(link)) == target:
            continue
        if link.is_dir() and not link.is_symlink():
            # an older layout's folder (or a user's): set aside under a name no clean-up ever deletes
            link.rename(warehouse_dir / f"{name}.before-releases.{uuid.uuid4().hex[:8]}")
        replace_symlink(link, target)
    Path(warehouse_dir / f"{DATABASE_NAME}.wal").unlink(missing_ok=True)  # the replaced plain file's WAL


def remove_leftovers(warehouse_dir: Path) -> None:
    """Delete what a killed or failed publish left: temporaries, and releases neither current nor previous.

    Safe because it runs under the publish lock, so no other publish is writing.
    """
    for leftover in warehouse_dir.glob(".*.tmp*"):  # what this module names so: temporary files and links
        if leftover.name.startswith(OWN_TEMPORARY_PREFIXES) and not leftover.is_dir():
            leftover.unlink(missing_ok=True)
    releases = warehouse_dir / RELEASES
    if releases.is_dir():
        keep = {_release_name(warehouse_dir / CURRENT), _release_name(warehouse_dir / PREVIOUS)}
        for release in releases.iterdir():
            if release.name not in keep:
                shutil.rmtree(release, ignore_errors=True)


def _release_name(link: Path) -> str | None:
    return Path(os.readlink(link)).name if link.is_symlink() else None


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_directory(path: Path) -> None:
    """Make a rename or a new entry in ``path`` survive a power cut, not only a killed process."""
    _fsync_file(path)


def read_published(warehouse_dir: Path, table: str, columns: list[str] | None = None) -> pl.DataFrame | None:
    """The last published ``table`` (only ``columns`` if given), or None before the first publish."""
    path = Path(warehouse_dir) / PARQUET_NAME / table / "data.parquet"
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

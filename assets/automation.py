"""Re-runs: a sensor watching the input folder and a daily schedule (off until turned on in the UI).

When the sensor asks for a run:

- every tick lists the input folder (one ``stat`` per file, no reading) and compares its fingerprint with
  the one kept in the cursor; any difference (added, edited, renamed or removed file, or a return to an
  earlier state) is one run request, then the cursor holds the new fingerprint;
- the first tick (no cursor: the sensor was just switched on, or its cursor was reset) compares the folder
  with what the published warehouse was built from (:func:`warehouse_difference`) and asks for a run only
  if they differ, so switching the sensor on does not re-run an up-to-date warehouse.

Run keys are ``<cursor start>#<request number>``: never reused, so Dagster never drops a request as
"already completed" (a fingerprint as run key did, when a deletion restored an earlier folder). A key
still does its job when a tick is retried after a crash: the retry starts from the same cursor and
produces the same key, which Dagster launches once. The cursor moves on when the run is requested, not
when it succeeds: a failed run is not requested again by later ticks for the same folder (it would
likely fail again, every 30 s); the next change to the folder, a re-run from the UI or the daily schedule
retries it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

import dagster as dg
import polars as pl

from assets.resources import PipelinePaths
from pipeline.ingest import (
    ARTICLE_SUFFIXES,
    JSONL_SUFFIX,
    SIDECAR_FIELDS,
    SIDECAR_OWNERS,
    SIDECAR_SUFFIX,
    list_inputs,
)

DEFAULT_INTERVAL_SECONDS = 30


# ------------------------------------------------------------------------------------------ the folder


def is_input_name(name: str) -> bool:
    """Articles and sidecars, whatever the case of the extension (ingest reads ``A.TXT`` too)."""
    lowered = name.lower()
    return lowered.endswith(ARTICLE_SUFFIXES) or lowered.endswith(SIDECAR_SUFFIX)


def input_paths(folder: Path) -> list[Path]:
    """Every article and sidecar under ``folder`` (recursive, sorted); empty if the folder is missing."""
    if not folder.is_dir():
        return []
    listing = list_inputs(folder)  # ingest's own walk: same files, no recursion limit
    return sorted(path for path in (*listing.articles, *listing.sidecars) if is_input_name(path.name))


def folder_fingerprint(folder: Path) -> str:
    """A digest of every input file's name, size and modification time: it changes when an article is
    added, edited, renamed or removed, and costs one ``stat`` per file (no reading)."""
    digest = hashlib.sha256()
    for path in input_paths(folder):
        try:
            stat = path.stat()
        except OSError:  # removed between listing and stat: the next tick sees the new state
            continue
        # the name as bytes: a name that is not UTF-8 must change the digest, not raise at every tick
        name = os.fsencode(path.relative_to(folder))
        digest.update(name + f"\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


# ------------------------------------------------------------------------------------------ the warehouse


@dataclass(frozen=True)
class Published:
    """What the last publish was built from: its articles' hashes, its rejected paths and when it was
    written."""

    documents: pl.DataFrame  # source_path, content_sha256 and the sidecar fields
    rejected: pl.DataFrame  # source_path, size_bytes
    written_ns: int  # modification time of the published documents table


def read_published_inputs(warehouse_dir: Path) -> Published | None:
    """The published ``documents`` and ``rejected_documents`` (read through any symlink), or None before
    the first publish."""
    documents_path = Path(warehouse_dir) / "parquet" / "documents" / "data.parquet"
    rejected_path = Path(warehouse_dir) / "parquet" / "rejected_documents" / "data.parquet"
    try:
        written_ns = documents_path.stat().st_mtime_ns
        documents = pl.read_parquet(documents_path)
        documents = documents.select("source_path", "content_sha256", *SIDECAR_FIELDS,
                                     source_format=pl.col("source_format") if "source_format" in
                                     documents.columns else pl.lit("text"))
    except FileNotFoundError:
        return None
    rejected = (pl.read_parquet(rejected_path, columns=["source_path", "size_bytes"])
                if rejected_path.exists() else pl.DataFrame({"source_path": [], "size_bytes": []},
                                                            schema={"source_path": pl.Utf8,
                                                                    "size_bytes": pl.Int64}))
    return Published(documents, rejected, written_ns)


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def _newer_than(path: Path, written_ns: int) -> bool:
    try:
        return path.stat().st_mtime_ns > written_ns
    except OSError:
        return True


def changed_inputs(paths: Iterable[Path], published: Published) -> dict[str, list[str]]:
    """The input files that differ from what ``published`` was built from, by kind of difference.

    ``added``: on disk, unknown to the warehouse: an article neither published nor rejected, a sidecar
    beside no article or beside a published article that carries no sidecar field; ``removed``: published
    or rejected, gone from disk, and the sidecar of a published article that carries sidecar fields;
    ``changed``: an article whose bytes differ from its ``content_sha256``, a rejected file whose size
    differs, or any file modified after the warehouse was written (the only way to see an edited sidecar
    without parsing it). Reads every published article once: meant for a sensor's first tick only.
    """
    on_disk = {str(path): path for path in paths}
    # a JSON Lines file's rows hash and measure its lines, not the file: its edits show in its mtime
    whole_files = pl.col("source_format") != "jsonl"
    files = published.documents.filter(whole_files)
    hashes = dict(files.select("source_path", "content_sha256").iter_rows())
    sizes = {path: None if path.lower().endswith(JSONL_SUFFIX) else size
             for path, size in published.rejected.select("source_path", "size_bytes").iter_rows()}
    known = hashes.keys() | sizes.keys() | set(published.documents["source_path"])
    # only a plain text's fields come from its sidecar alone (a page's may come from the page itself)
    has_fields = pl.any_horizontal(pl.col(SIDECAR_FIELDS).is_not_null()) & (pl.col("source_format") == "text")
    with_sidecar = set(published.documents.filter(has_fields)["source_path"])
    # a sidecar is accounted for beside an article that shows its fields, or that was rejected (not read)
    sidecar_expected = {_article_stem(name) for name in with_sidecar | sizes.keys()} - {None}
    sidecars_on_disk = {_stem(name, SIDECAR_SUFFIX) for name in on_disk} - {None}
    pages = published.documents.filter(pl.col("source_format") == "html")["source_path"]
    page_stems = {_article_stem(name) for name in pages} - {None}
    added: list[str] = []
    changed: list[str] = []
    for name, path in on_disk.items():
        sidecar_of = _stem(name, SIDECAR_SUFFIX)
        accounted = sidecar_of in sidecar_expected or sidecar_of in page_stems
        if name not in known and (sidecar_of is None or not accounted):
            added.append(name)
        elif (_newer_than(path, published.written_ns)
              or (name in hashes and _sha256(path) != hashes[name])
              or (sizes.get(name) is not None and _size(path) != sizes[name])):
            changed.append(name)
    removed = sorted(known - on_disk.keys())
    for source in sorted(with_sidecar & on_disk.keys()):
        article = _article_stem(source)
        if article is not None and article not in sidecars_on_disk:
            removed.append(f"{article}{SIDECAR_SUFFIX}")
    return {"added": added, "changed": changed, "removed": removed}


def _article_stem(name: str) -> str | None:
    """``name`` without its article suffix if it is a file that can have a sidecar, else None."""
    return next((_stem(name, suffix) for suffix in SIDECAR_OWNERS if _stem(name, suffix) is not None), None)


def _stem(name: str, suffix: str) -> str | None:
    """``name`` without ``suffix`` (compared case-insensitively), or None if it does not end with it."""
    return name[: -len(suffix)] if name.lower().endswith(suffix) else None


def warehouse_difference(seeds_dir: Path, warehouse_dir: Path) -> str | None:
    """Why the warehouse does not reflect ``seeds_dir`` (None when it does): no warehouse yet, or the
    files added, changed or removed since it was published."""
    published = read_published_inputs(warehouse_dir)
    if published is None:
        return f"no warehouse published in {warehouse_dir} yet"
    differences = changed_inputs(input_paths(Path(seeds_dir)), published)
    if not any(differences.values()):
        return None
    counts = ", ".join(f"{len(files)} {kind}" for kind, files in differences.items() if files)
    return f"{seeds_dir} differs from the published warehouse ({counts} file(s))"


# ------------------------------------------------------------------------------------------ the sensor


@dataclass(frozen=True)
class SensorCursor:
    """The folder's fingerprint at the last tick, how many runs this cursor requested, and when it started
    (so that a reset cursor never reuses an earlier run key)."""

    fingerprint: str
    requests: int
    started: str

    def dumps(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def loads(cls, raw: str | None, now: str) -> SensorCursor | None:
        """The cursor stored by a tick; a bare fingerprint (the format before run keys were numbered)
        becomes a cursor started ``now``."""
        if not raw:
            return None
        try:
            data = json.loads(raw)
            return cls(str(data["fingerprint"]), int(data["requests"]), str(data["started"]))
        except (ValueError, TypeError, KeyError):
            return cls(raw, 0, now)

    def run_key(self) -> str:
        return f"{self.started}#{self.requests}"


@dataclass(frozen=True)
class Tick:
    """What one sensor tick decided: the cursor to store and, when a run is wanted, its key and why."""

    cursor: SensorCursor
    run_key: str | None
    reason: str


def decide(previous: SensorCursor | None, fingerprint: str, now: str,
           difference: Callable[[], str | None]) -> Tick:
    """One tick: a run for every new folder state, and on the first tick only if ``difference()`` (the
    folder against the published warehouse) names one."""
    if previous is None:
        why = difference()
        if why is None:
            return Tick(SensorCursor(fingerprint, 0, now), None, "the published warehouse is up to date")
        cursor = SensorCursor(fingerprint, 1, now)
        return Tick(cursor, cursor.run_key(), why)
    if fingerprint == previous.fingerprint:
        return Tick(previous, None, "no change in the folder since the last tick")
    cursor = SensorCursor(fingerprint, previous.requests + 1, previous.started)
    return Tick(cursor, cursor.run_key(), "the folder changed since the last tick")


def sensor_interval_seconds() -> int:
    """Seconds between ticks: ``SEEDS_SENSOR_INTERVAL_SECONDS`` (tests use 1), default 30."""
    return int(os.environ.get("SEEDS_SENSOR_INTERVAL_SECONDS") or DEFAULT_INTERVAL_SECONDS)


def build_automation(job: str) -> tuple[dg.SensorDefinition, dg.ScheduleDefinition]:
    """The folder sensor and the daily schedule, both targeting the job named ``job``."""

    @dg.sensor(
        job_name=job,
        minimum_interval_seconds=sensor_interval_seconds(),
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Materialises everything when a file in SEEDS_DIR is added, changed or removed "
        "(on its first tick: when the folder differs from the published warehouse).",
    )
    def seeds_folder_sensor(context: dg.SensorEvaluationContext, paths: PipelinePaths):
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        tick = decide(SensorCursor.loads(context.cursor, now), folder_fingerprint(Path(paths.seeds_dir)),
                      now, lambda: warehouse_difference(Path(paths.seeds_dir), Path(paths.warehouse_dir)))
        context.update_cursor(tick.cursor.dumps())
        if tick.run_key is None:
            return dg.SkipReason(tick.reason)
        context.log.info(f"Requesting a run: {tick.reason}")
        return dg.RunRequest(run_key=tick.run_key, tags={"trigger": "seeds_folder_sensor"})

    daily = dg.ScheduleDefinition(
        name="daily_refresh",
        job_name=job,
        cron_schedule=os.environ.get("DAILY_REFRESH_CRON", "0 3 * * *"),
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Re-materialises everything once a day (unchanged articles are not re-parsed).",
    )
    return seeds_folder_sensor, daily


@dg.sensor(
    minimum_interval_seconds=60,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Marks failed the runs whose process is gone (killed, out of memory) so they never hold "
    "the run queue; runs no job.",
)
def dead_run_sweeper(context: dg.SensorEvaluationContext):
    """Dagster's run monitoring asks the run launcher whether a run's process lives, and neither launcher
    here can say; this asks the operating system instead (``assets/run_hygiene.py``)."""
    from assets.run_hygiene import close_dead_runs  # imports Dagster's storage only when the daemon ticks

    closed = close_dead_runs(context.instance)
    return dg.SkipReason(f"closed dead runs: {', '.join(closed)}" if closed else "no dead run")


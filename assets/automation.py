"""Re-runs: a sensor watching the input folder and a daily schedule (off until turned on in the UI)."""

import hashlib
import os
from pathlib import Path

import dagster as dg

from assets.resources import PipelinePaths

INPUT_PATTERNS = ("*.txt", "*.meta.json")


def folder_fingerprint(folder: Path) -> str:
    """A digest of every input file's name, size and modification time: it changes when an article is
    added, edited, renamed or removed, and costs one ``stat`` per file (no reading)."""
    digest = hashlib.sha256()
    if folder.is_dir():
        entries = sorted({p for pattern in INPUT_PATTERNS for p in folder.rglob(pattern)})
        for path in entries:
            try:
                stat = path.stat()
            except OSError:  # removed between listing and stat: the next tick sees the new state
                continue
            digest.update(f"{path.relative_to(folder)}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def build_automation(job: str) -> tuple[dg.SensorDefinition, dg.ScheduleDefinition]:
    """The folder sensor and the daily schedule, both targeting the job named ``job``."""

    @dg.sensor(
        job_name=job,
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.STOPPED,
        description="Materialises everything when a file in SEEDS_DIR is added, changed or removed.",
    )
    def seeds_folder_sensor(context: dg.SensorEvaluationContext, paths: PipelinePaths):
        fingerprint = folder_fingerprint(Path(paths.seeds_dir))
        if fingerprint == context.cursor:
            return dg.SkipReason(f"no change in {paths.seeds_dir}")
        context.update_cursor(fingerprint)
        return dg.RunRequest(run_key=fingerprint, tags={"trigger": "seeds_folder_sensor"})

    daily = dg.ScheduleDefinition(
        name="daily_refresh",
        job_name=job,
        cron_schedule=os.environ.get("DAILY_REFRESH_CRON", "0 3 * * *"),
        default_status=dg.DefaultScheduleStatus.STOPPED,
        description="Re-materialises everything once a day (unchanged articles are not re-parsed).",
    )
    return seeds_folder_sensor, daily

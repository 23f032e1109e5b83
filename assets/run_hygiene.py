"""Close the runs that a killed process left "in progress", so that they never block the next run.

    python -m assets.run_hygiene          # what `make run` does before each run (assets/run.py)

A run whose process is killed (SIGKILL, out of memory, a closed laptop) cannot record its end: it stays
STARTED in Dagster's run storage forever. The daemon's queue (``max_concurrent_runs: 1``) then never
launches another run, and the concurrency slots the run held are never given back. The daemon's run
monitoring (``dagster.yaml``) closes the runs it launched; ``make run`` has no daemon, so
``assets/run.py`` calls :func:`close_dead_runs` first.

A run's process is the pid that Dagster records on the run's RUN_START event. The run is dead when no
process has that pid, when that process is a zombie, or when it started after the run did (the pid was
reused). A run that never started (STARTING, or cancelled before it started) is dead after
:data:`START_TIMEOUT_SECONDS`, as the daemon's run monitoring would judge it.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import dagster as dg

UNFINISHED = [dg.DagsterRunStatus.STARTING, dg.DagsterRunStatus.STARTED, dg.DagsterRunStatus.CANCELING]
START_TIMEOUT_SECONDS = 180.0  # dagster.yaml's run_monitoring.start_timeout_seconds
# /proc gives a process's start to the clock tick and the boot time to the second
START_TIME_SLACK_SECONDS = 2.0
DEAD_MESSAGE = "The run's process ended without recording how the run ended"


def process_alive(pid: int, run_started_at: float | None = None) -> bool:
    """Whether ``pid`` is a live process (not a zombie) that already existed at ``run_started_at``."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        pass
    state, started_at = _proc_stat(pid)
    if state in ("Z", "X"):
        return False
    if started_at is not None and run_started_at is not None:
        return started_at <= run_started_at + START_TIME_SLACK_SECONDS
    return True


def _proc_stat(pid: int) -> tuple[str | None, float | None]:
    """The process's state letter and start time (epoch seconds) from ``/proc`` (Linux); Nones elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # field 22, counting the pid and the name before ")"
        return fields[0], _boot_time() + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None, None


def _boot_time() -> float:
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith("btime "):
            return float(line.split()[1])
    raise ValueError("no btime in /proc/stat")


def run_pid(instance: dg.DagsterInstance, run_id: str) -> int | None:
    """The pid of the process that started the run (its RUN_START event); None before it started."""
    records = instance.get_records_for_run(run_id, of_type=dg.DagsterEventType.RUN_START, limit=1).records
    event = records[0].event_log_entry.dagster_event if records else None
    return event.pid if event is not None else None


def run_process_alive(instance: dg.DagsterInstance, run_id: str) -> bool:
    """Whether the process that started the run is still there (True before it started): what the daemon's
    run monitoring asks the run launcher of every started run."""
    record = instance.get_run_record_by_id(run_id)
    pid = run_pid(instance, run_id)
    return pid is None or process_alive(pid, record.start_time if record else None)


def is_dead(pid: int | None, run_started_at: float | None, last_change: float, now: float) -> bool:
    """Whether an unfinished run has no process left: ``pid`` and ``run_started_at`` from its start
    (None if it never started), ``last_change`` the time of its last status change."""
    if pid is None:
        return now - last_change > START_TIMEOUT_SECONDS
    return not process_alive(pid, run_started_at)


def close_dead_runs(instance: dg.DagsterInstance, now: float | None = None) -> list[str]:
    """Mark every unfinished run whose process is dead as failed (cancelled if it was being cancelled),
    free the concurrency slots of those and of any finished run still holding some; the closed run ids."""
    now = time.time() if now is None else now
    closed = []
    for record in instance.get_run_records(filters=dg.RunsFilter(statuses=UNFINISHED)):
        run = record.dagster_run
        if not is_dead(run_pid(instance, run.run_id), record.start_time, record.update_timestamp.timestamp(),
                       now):
            continue
        if run.status == dg.DagsterRunStatus.CANCELING:
            instance.report_run_canceled(run, message=f"{DEAD_MESSAGE} while it was being cancelled.")
        else:
            instance.report_run_failed(run, message=f"{DEAD_MESSAGE} (killed, or its machine stopped).")
        closed.append(run.run_id)
    free_abandoned_slots(instance)
    return closed


def free_abandoned_slots(instance: dg.DagsterInstance) -> list[str]:
    """Give back the pool slots held by runs that ended (or were deleted); the run ids freed."""
    storage = instance.event_log_storage
    if not storage.supports_global_concurrency_limits:
        return []
    holders = storage.get_concurrency_run_ids()
    if not holders:
        return []
    in_progress = {
        record.dagster_run.run_id
        for record in instance.get_run_records(filters=dg.RunsFilter(run_ids=sorted(holders)))
        if not record.dagster_run.is_finished
    }
    abandoned = sorted(holders - in_progress)
    for run_id in abandoned:
        storage.free_concurrency_slots_for_run(run_id)
    return abandoned


def main() -> None:
    with dg.DagsterInstance.get() as instance:
        for run_id in close_dead_runs(instance):
            print(f"run {run_id} had no process left: marked as ended", file=sys.stderr)


if __name__ == "__main__":
    main()

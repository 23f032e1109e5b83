"""``make run``: close the runs a killed process left open, then launch the job with Dagster's CLI.

    python -m assets.run [JOB]      # default: materialize_everything

The run itself is ``dg launch --job JOB -m assets.definitions`` (Dagster's own command; ``dagster job
execute`` is superseded by it). Before it, the runs that a killed process left "in progress" are closed
(:mod:`assets.run_hygiene`), since one would otherwise hold the daemon's run queue. That needs Dagster
(~2 s of imports), so it is imported only when the instance's run storage holds an unfinished run: the
check is one SQLite query with the standard library (milliseconds).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
from pathlib import Path

DEFAULT_JOB = "materialize_everything"
CODE_LOCATION = "assets.definitions"
UNFINISHED_STATUSES = ("STARTING", "STARTED", "CANCELING")


def may_hold_unfinished_runs(dagster_home: Path) -> bool:
    """Whether the instance's run storage may record a run as unfinished: one query on the SQLite run
    database that ``dagster.yaml`` configures (milliseconds, no Dagster import). True when it cannot tell
    (locked, another layout); False when the instance has no run database (no run ever recorded)."""
    database = dagster_home / "history" / "runs.db"
    if not database.is_file():
        return False
    try:
        with contextlib.closing(sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True, timeout=1.0)) as db:
            marks = ",".join("?" * len(UNFINISHED_STATUSES))
            query = f"SELECT 1 FROM runs WHERE status IN ({marks}) LIMIT 1"
            return db.execute(query, UNFINISHED_STATUSES).fetchone() is not None
    except sqlite3.Error:
        return True


def close_dead_runs() -> None:
    """Mark the runs whose process died as ended before this run starts (:mod:`assets.run_hygiene`)."""
    home = os.environ.get("DAGSTER_HOME")
    if not home or not may_hold_unfinished_runs(Path(home)):
        return  # no instance (an ephemeral run) or nothing to close: no Dagster import
    from assets import run_hygiene

    run_hygiene.main()


def launch_command(job: str = DEFAULT_JOB) -> list[str]:
    """Dagster's command that runs ``job`` of this code location in a new process, logs on the terminal."""
    dg = str(Path(sys.executable).with_name("dg"))
    return [dg, "launch", "--job", job, "-m", CODE_LOCATION]


def main() -> None:
    job = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_JOB
    close_dead_runs()
    command = launch_command(job)
    sys.stdout.flush()
    os.execv(command[0], command)


if __name__ == "__main__":
    main()

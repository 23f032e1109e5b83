"""Run a job in the warm worker when one is up (``assets/warm_worker.py``), else the usual cold way.

    python -m assets.warm_client [--warm-only] [JOB]      # default: materialize_everything

A cold run is a new Python process that imports Dagster and the code (~4 s) and loads the spaCy model
(~3 s) before any work; on a re-run with one new article that is most of the time. The warm worker has
done both once and forks a child per run. This module only uses the standard library, so asking the
worker costs a bare Python start; with no worker (or a stale one) it becomes ``dagster job execute``.

The worker is only used when it runs the same code (:func:`code_fingerprint`) against the same instance,
input and warehouse folders (:data:`ENV_KEYS`) as this process would.

Before either, the runs that a killed process left "in progress" are closed (:mod:`assets.run_hygiene`).
That needs Dagster, so it is imported only when the instance's run storage holds an unfinished run.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JOB = "materialize_everything"
# What the code location reads from the environment: a worker started with other values would run the
# job against other folders.
ENV_KEYS = ("DAGSTER_HOME", "SEEDS_DIR", "WAREHOUSE_DIR", "CACHE_DIR")
SOCKET_NAME = "warm-worker.sock"
MAX_SOCKET_PATH = 100  # AF_UNIX paths are limited to 108 bytes
CONNECT_TIMEOUT_SECONDS = 2.0
UNFINISHED_STATUSES = ("STARTING", "STARTED", "CANCELING")


def code_fingerprint(root: Path = ROOT) -> str:
    """A digest of every source file the worker imported (``pipeline/``, ``assets/``) and of the lock file.

    Any edit changes it, so a worker never runs code older than the files on disk.
    """
    digest = hashlib.sha256()
    files = sorted([*root.glob("pipeline/*.py"), *root.glob("assets/*.py"), root / "uv.lock"])
    for path in files:
        if path.is_file():
            digest.update(f"{path.relative_to(root)}\0".encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def run_environment(environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment values that decide what a run reads and writes, as absolute paths."""
    environ = dict(os.environ) if environ is None else environ
    return {key: str(Path(environ[key]).resolve()) if environ.get(key) else "" for key in ENV_KEYS}


def socket_path(dagster_home: str | None = None) -> Path:
    """Where the worker of this Dagster instance listens: in ``$DAGSTER_HOME``, or in the temporary folder
    under a digest of it when that path is too long for a Unix socket."""
    home = Path(dagster_home or os.environ.get("DAGSTER_HOME") or ROOT / ".dagster_home").resolve()
    path = home / SOCKET_NAME
    if len(str(path)) <= MAX_SOCKET_PATH:
        return path
    digest = hashlib.sha256(str(home).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"news-pipeline-{digest}.sock"


def send_request(request: dict, fds: list[int] | None = None, path: Path | None = None,
                 timeout: float | None = CONNECT_TIMEOUT_SECONDS) -> socket.socket | None:
    """Connect to the worker and send one JSON request (``fds`` attached); None when no worker listens."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(str(path or socket_path()))
        message = (json.dumps(request) + "\n").encode()
        if fds:
            socket.send_fds(sock, [message], fds)
        else:
            sock.sendall(message)
    except OSError:
        sock.close()
        return None
    return sock


def read_replies(sock: socket.socket):
    """The worker's JSON replies on ``sock``, one per line, until it closes the connection."""
    with sock, sock.makefile("r", encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)


def ping(path: Path | None = None) -> dict | None:
    """The worker's state (pid, fingerprint, environment), or None when no worker answers."""
    sock = send_request({"op": "ping"}, path=path)
    if sock is None:
        return None
    try:
        return next(read_replies(sock), None)
    except (OSError, ValueError):
        return None


def run_warm(job: str = DEFAULT_JOB, path: Path | None = None) -> dict | None:
    """Execute ``job`` in the warm worker, its logs on this process's stdout and stderr.

    Returns the worker's last reply (``{"status": "done", "success": ..., "run_id": ...}``), or None when
    no worker can take it (none listening, other code, other folders): the caller then runs cold.
    """
    request = {"op": "execute", "job": job, "fingerprint": code_fingerprint(), "env": run_environment()}
    sys.stdout.flush()
    sys.stderr.flush()
    sock = send_request(request, fds=[sys.stdout.fileno(), sys.stderr.fileno()], path=path)
    if sock is None:
        return None
    sock.settimeout(None)  # a run takes as long as it takes
    last: dict | None = None
    try:
        for reply in read_replies(sock):
            if reply.get("status") == "refused":
                return None
            last = reply
    except (OSError, ValueError):  # before the run started: run cold; after: it may have written output
        return None if last is None else _lost(last)
    except KeyboardInterrupt:  # Ctrl-C reaches this process only: pass it on to the run's process
        if last and last.get("pid"):
            os.kill(last["pid"], signal.SIGINT)
        raise
    return last if last and last.get("status") == "done" else _lost(last)


def _lost(last: dict | None) -> dict:
    """The child running the job ended without a result (killed, crashed): a failed run, not a cold retry,
    since it may have written part of its output already."""
    return {"status": "done", "success": False, "run_id": (last or {}).get("run_id"),
            "error": "the warm worker's run process ended without reporting a result"}


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


def main() -> None:
    args = sys.argv[1:]
    warm_only = "--warm-only" in args  # the benchmark: fail rather than time a cold run
    job = next((arg for arg in args if not arg.startswith("--")), DEFAULT_JOB)
    close_dead_runs()
    result = run_warm(job)
    if result is None and warm_only:
        sys.exit("no warm worker can take this run (none running, other code or other folders)")
    if result is None:
        dagster = str(Path(sys.executable).with_name("dagster"))
        os.execv(dagster, [dagster, "job", "execute", "-m", "assets.definitions", "-j", job])
    if not result["success"]:
        reason = result.get("error", "see the log above")
        print(f"run {result.get('run_id')} failed: {reason}", file=sys.stderr)
    sys.exit(0 if result["success"] else 1)


if __name__ == "__main__":
    main()

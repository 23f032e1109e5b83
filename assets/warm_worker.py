"""The warm worker: a long-lived process with Dagster, the code location and the spaCy model loaded, that
forks a child for each run it is given.

    python -m assets.warm_worker [--idle-minutes N]      # started by `make dev` beside the UI and daemon

Every Dagster run is a new process (the CLI, and the code server that starts the daemon's runs with
``spawn``): ~4 s of imports and ~3 s of model load before any work. With a few new articles that is most
of a re-run. The worker pays both once; a fork of it starts a run in milliseconds with the model in
memory (shared copy-on-write). Runs reach it two ways:

- ``python -m assets.warm_client`` (``make run``, the benchmark) asks it to execute a job, like
  ``dagster job execute``, with the logs on the client's terminal;
- :class:`WarmRunLauncher` (``dagster.yaml``) hands it the runs the daemon and the UI launch.

Both fall back to the cold way when no worker listens, when the code on disk changed since it started
(it then exits) or when it serves other folders. A fork is only safe while the worker has not started
polars' thread pool, so the worker itself never computes anything: :func:`fork_unsafe_threads`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from dagster import DagsterInstance, DagsterRunStatus, DefaultRunLauncher
from dagster._core.launcher import LaunchRunContext
from dagster._utils.interrupts import capture_interrupts

from assets import warm_client
from assets.warm_client import ROOT, code_fingerprint, run_environment, socket_path

CODE_LOCATION_MODULE = "assets.definitions"
WORKER_PID_TAG = "news/warm_worker_pid"
# polars' compute pool (polars-0, polars-1, ...) and its async runtime: a fork after they started can
# deadlock in the child
UNSAFE_THREAD = re.compile(r"^(polars-\d+|tokio-rt-worker)$")
POLL_SECONDS = 1.0
MAX_REQUEST_BYTES = 1 << 16
# Modules a run imports on first use (found by diffing ``sys.modules`` around a run): imported here once
# instead of in every run. A module missing from this list costs a run some time, never correctness.
LAZY_IMPORTS = (
    "pyarrow",
    "pyarrow.parquet",
    "fsspec",
    "upath",
    "dotenv",
    "watchdog.observers.polling",
    "pandera.backends.polars.builtin_checks",
    "pandera.backends.polars.checks",
    "pandera.backends.polars.components",
    "pandera.backends.polars.container",
    "dagster._core.execution.plan.active",
    "dagster._core.executor.in_process",
    "dagster._core.instance.runs.run_domain",
    "dagster._core.secrets.env_file",
    "dagster._core.storage.local_compute_log_manager",
    "dagster._core.storage.migration.utils",
)


def fork_unsafe_threads() -> list[str]:
    """Names of this process's threads that a fork would leave in a broken state (empty when safe)."""
    names = []
    for task in Path("/proc/self/task").iterdir():
        try:
            names.append((task / "comm").read_text().strip())
        except OSError:
            continue
    return [name for name in names if UNSAFE_THREAD.match(name)]


def preload() -> None:
    """Load what every run needs before its first step: the code location and the modules its runs import
    late, its definitions (~1 s to build), the model and the rule stages' vocabulary. Forks inherit them."""
    import importlib

    location = importlib.import_module(CODE_LOCATION_MODULE)
    for module in LAZY_IMPORTS:
        importlib.import_module(module)
    for job in location.defs.resolve_all_job_defs():
        _recon_job(job.name).get_definition()  # memoised on the reconstructable job
    from assets.resources import SpacyModel
    from pipeline.nlp import blank_vocab, preload_model

    preload_model(SpacyModel().model_name)
    blank_vocab()


def refusal(request: dict, fingerprint: str, environment: dict[str, str]) -> str | None:
    """Why this worker must not run ``request`` (None when it may)."""
    if fork_unsafe_threads():
        return "the worker started polars' thread pool; forking it is unsafe"
    if request.get("fingerprint") != fingerprint:
        return "the code changed since the worker started"
    if request.get("env") != environment:
        return "the worker serves other folders (DAGSTER_HOME, SEEDS_DIR, WAREHOUSE_DIR or CACHE_DIR)"
    return None


# --- the server ------------------------------------------------------------------------------------------


class WarmWorker:
    """Accepts requests on a Unix socket and forks a child per run; reaps children; stops when told to."""

    def __init__(self, listener: socket.socket, fingerprint: str, environment: dict[str, str],
                 idle_seconds: float = 0.0):
        self.listener = listener
        self.fingerprint = fingerprint
        self.environment = environment
        self.idle_seconds = idle_seconds
        self.children: dict[int, str] = {}  # pid -> run id ("" until known)
        self.stopping = False
        self._parent = os.getppid()
        self._last_activity = time.monotonic()

    def serve_forever(self) -> None:
        self.listener.settimeout(POLL_SECONDS)
        while not self.stopping:
            self._reap()
            if self._should_stop():
                break
            try:
                conn, _ = self.listener.accept()
            except TimeoutError:
                continue
            self._last_activity = time.monotonic()
            with conn:
                self._handle(conn)

    def _should_stop(self) -> bool:
        if os.getppid() != self._parent:  # whoever started the worker (make dev, the bench) is gone
            return True
        idle = time.monotonic() - self._last_activity
        return bool(self.idle_seconds) and not self.children and idle > self.idle_seconds

    def _reap(self) -> None:
        for pid in list(self.children):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.children.pop(pid, None)

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(5.0)
        try:
            request, fds = _receive(conn)
        except (OSError, ValueError) as error:
            _log(f"bad request: {error}")
            return
        try:
            self._dispatch(conn, request, fds)
        finally:
            for fd in fds:
                os.close(fd)

    def _dispatch(self, conn: socket.socket, request: dict, fds: list[int]) -> None:
        op = request.get("op")
        if op == "ping":
            _reply(conn, {"pid": os.getpid(), "fingerprint": self.fingerprint, "env": self.environment,
                          "runs": len(self.children)})
            return
        if op == "terminate":
            pid = next((pid for pid, run in self.children.items() if run == request.get("run_id")), None)
            if pid is not None:
                os.kill(pid, signal.SIGINT)
            _reply(conn, {"status": "terminating" if pid else "unknown"})
            return
        if op not in ("execute", "launch"):
            _reply(conn, {"status": "refused", "reason": f"unknown op {op!r}"})
            return
        reason = refusal(request, self.fingerprint, self.environment)
        if reason is None and op == "launch" and request.get("module") != CODE_LOCATION_MODULE:
            reason = f"the run's code location is not {CODE_LOCATION_MODULE}"
        if reason is not None:
            _reply(conn, {"status": "refused", "reason": reason})
            _log(f"refused a run: {reason}")
            # stale code: stop, so that the next start (make dev) loads the code on disk
            self.stopping = request.get("fingerprint") != self.fingerprint
            return
        if op == "execute":
            work = _execute_new_run(request.get("job") or warm_client.DEFAULT_JOB)
        else:
            work = _execute_launched_run(request["run_id"])
        pid = os.fork()
        if pid == 0:
            if op == "execute":
                _run_child(self.listener, conn, fds, work)
            conn.close()  # a launched run reports to the instance only; the parent answers the launcher
            _run_child(self.listener, None, [], work)
        self.children[pid] = request.get("run_id", "")
        if op == "launch":
            _reply(conn, {"status": "started", "pid": pid})


def _receive(conn: socket.socket) -> tuple[dict, list[int]]:
    """One JSON line and the file descriptors sent with it."""
    data, fds, _, _ = socket.recv_fds(conn, MAX_REQUEST_BYTES, 2)
    while not data.endswith(b"\n"):
        more = conn.recv(MAX_REQUEST_BYTES)
        if not more or len(data) > MAX_REQUEST_BYTES:
            for fd in fds:
                os.close(fd)
            raise ValueError("request not terminated by a newline")
        data += more
    return json.loads(data), list(fds)


def _reply(conn: socket.socket, message: dict) -> None:
    with contextlib.suppress(OSError):  # the client left; the run goes on and is in the instance's history
        conn.sendall((json.dumps(message) + "\n").encode())


def _log(message: str) -> None:
    print(f"warm worker {os.getpid()}: {message}", file=sys.stderr, flush=True)


# --- a run, in the forked child -----------------------------------------------------------------------------


def _run_child(listener: socket.socket, conn: socket.socket | None, fds: list[int],
               work: Callable[[], dict]) -> NoReturn:
    """Run ``work`` in this fresh fork, report on ``conn`` (if any) and exit: never returns."""
    code = 1
    try:
        listener.close()
        # terminate = SIGINT, as for a Dagster run process; Dagster's handler takes over once the run runs
        signal.signal(signal.SIGINT, _note_interrupt)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if fds:  # the client's stdout and stderr: the run's logs appear where it was asked for
            os.dup2(fds[0], 1)
            os.dup2(fds[1], 2)
        if conn is not None:
            conn.settimeout(None)
            _reply(conn, {"status": "started", "pid": os.getpid()})
        result = work()
        if conn is not None:
            _reply(conn, result)
        code = 0 if result.get("success") else 1
    except BaseException as error:  # the child must never return into the server loop
        _log(f"run failed: {type(error).__name__}: {error}")
        if conn is not None:
            _reply(conn, {"status": "done", "success": False, "error": f"{type(error).__name__}: {error}"})
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


_INTERRUPTED: list[bool] = []


def _note_interrupt(signum: int, frame: object) -> None:
    """SIGINT outside Dagster's own handler (before the run starts, after it ends): remembered, so a run
    cancelled that early never starts and its record is still closed."""
    _INTERRUPTED.append(True)


def _recon_job(job: str):
    from dagster._core.definitions.reconstruct import ReconstructableRepository

    repository = ReconstructableRepository.for_module(CODE_LOCATION_MODULE, "defs", str(ROOT))
    return repository.get_reconstructable_job(job)


def _execute_new_run(job: str) -> Callable[[], dict]:
    """What ``dagster job execute -m assets.definitions -j JOB`` does, in this process."""

    def work() -> dict:
        from dagster import execute_job

        if _INTERRUPTED:
            return {"status": "done", "success": False, "error": "interrupted before the run started"}
        with capture_interrupts(), DagsterInstance.get() as instance, execute_job(
            _recon_job(job), instance=instance, raise_on_error=False
        ) as result:
            return {"status": "done", "success": result.success, "run_id": result.run_id}

    return work


def _execute_launched_run(run_id: str) -> Callable[[], dict]:
    """What ``dagster api execute_run`` does for a run the daemon or the UI launched."""

    def work() -> dict:
        from dagster._cli.api import _execute_run_command_body

        failed = True
        with DagsterInstance.get() as instance:
            try:
                if not _INTERRUPTED:
                    with capture_interrupts():
                        failed = bool(_execute_run_command_body(run_id, instance, lambda event: None,
                                                                set_exit_code_on_failure=True))
            finally:  # cancelled or failed before Dagster could record how the run ended
                _close_unfinished_run(instance, run_id)
        return {"status": "done", "success": not failed, "run_id": run_id}

    return work


def _close_unfinished_run(instance: DagsterInstance, run_id: str) -> None:
    """Record the end of a run that stopped before Dagster could, so it is never left "started"."""
    run = instance.get_run_by_id(run_id)
    if run is None or run.is_finished:
        return
    if run.status == DagsterRunStatus.CANCELING:
        instance.report_run_canceled(run, message="Cancelled in the warm worker.")
    else:
        instance.report_run_failed(run, message="The warm worker's run process stopped without a result.")


# --- the run launcher ---------------------------------------------------------------------------------------


class WarmRunLauncher(DefaultRunLauncher):
    """Dagster's default run launcher, except that a run goes to the warm worker when one can take it.

    Configured in ``dagster.yaml``; without a worker (CI, ``make run`` alone) it is the default launcher.
    """

    def launch_run(self, context: LaunchRunContext) -> None:
        run = context.dagster_run
        pid = self._launch_warm(run)
        if pid is None:
            super().launch_run(context)
            return
        self._instance.add_run_tags(run.run_id, {WORKER_PID_TAG: str(pid)})
        self._instance.report_engine_event(f"Launched in the warm worker (run process pid {pid}).", run)
        self._run_ids.add(run.run_id)

    def _launch_warm(self, run: Any) -> int | None:
        origin = run.job_code_origin
        module = getattr(origin.repository_origin.code_pointer, "module", None) if origin else None
        request = {"op": "launch", "run_id": run.run_id, "module": module,
                   "fingerprint": code_fingerprint(), "env": run_environment()}
        sock = warm_client.send_request(request)
        if sock is None:
            return None
        reply = next(warm_client.read_replies(sock), {})
        return reply.get("pid") if reply.get("status") == "started" else None

    def terminate(self, run_id: str) -> bool:
        run = self._instance.get_run_by_id(run_id)
        if run is None or WORKER_PID_TAG not in run.tags:
            return super().terminate(run_id)
        if run.is_finished:
            return False
        self._instance.report_run_canceling(run)
        sock = warm_client.send_request({"op": "terminate", "run_id": run_id})
        reply = next(warm_client.read_replies(sock), {}) if sock else {}
        return reply.get("status") == "terminating"


# --- the command ------------------------------------------------------------------------------------------


def bind(path: Path) -> socket.socket:
    """Listen on ``path``, replacing a socket file left by a worker that died; fails if one is alive."""
    if path.exists():
        if warm_client.ping(path) is not None:
            raise SystemExit(f"a warm worker already listens on {path}")
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(str(path))
    listener.listen(8)
    return listener


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--idle-minutes", type=float, default=0.0,
                        help="exit after this long without a request (0: only when its parent exits)")
    args = parser.parse_args()
    started = time.perf_counter()
    fingerprint = code_fingerprint()
    preload()
    if code_fingerprint() != fingerprint:
        raise SystemExit("the code changed while the worker was loading it; start it again")
    path = socket_path()
    listener = bind(path)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    _log(f"ready in {time.perf_counter() - started:.1f} s on {path}")
    try:
        WarmWorker(listener, fingerprint, run_environment(), args.idle_minutes * 60).serve_forever()
    finally:
        listener.close()
        path.unlink(missing_ok=True)
        _log("stopped")


if __name__ == "__main__":
    main()

"""A run killed at any point never blocks the next one: its record is closed before the next run starts."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from assets.run import may_hold_unfinished_runs
from assets.run_hygiene import START_TIMEOUT_SECONDS, free_abandoned_slots, is_dead, process_alive

ROOT = Path(__file__).resolve().parent.parent
DG = ROOT / ".venv" / "bin" / "dg"
ARTICLES = {
    "port.txt": "Le port de Saint-Malo rouvre ses quais\n\n"
                "Après six mois de travaux, le port de Saint-Malo a rouvert ses quais lundi 4 mars 2024.\n\n"
                "« Les pêcheurs attendaient ce jour depuis l'automne », a déclaré le maire, Gilles Lebreton.",
    "gare.txt": "Une nouvelle gare à Pontivy\n\n"
                "La région Bretagne a présenté jeudi le projet d'une gare routière à Pontivy.\n\n"
                "Les travaux commenceront en septembre et dureront deux ans, selon la région.",
}


@pytest.fixture
def instance_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of a run: a fresh instance (this repository's dagster.yaml), two articles."""
    home, seeds, warehouse = tmp_path / "home", tmp_path / "seeds", tmp_path / "warehouse"
    home.mkdir()
    seeds.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    for name, text in ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    env = {"DAGSTER_HOME": str(home), "SEEDS_DIR": str(seeds), "WAREHOUSE_DIR": str(warehouse)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return {**os.environ, **env}


def _start_and_kill_at_parse(env: dict[str, str]) -> None:
    """A run from Dagster's CLI, as `make run` starts it, SIGKILLed once the parse step began."""
    config = Path(env["DAGSTER_HOME"]) / "debug_logs.yaml"
    config.write_text("loggers:\n  console:\n    config:\n      log_level: DEBUG\n", encoding="utf-8")
    doomed = subprocess.Popen(
        [str(DG), "launch", "--job", "materialize_everything", "-m", "assets.definitions",
         "--config", str(config)],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 300
    for line in doomed.stdout:
        if "parsed_paragraphs" in line and "STEP_START" in line:
            break
        assert time.monotonic() < deadline
    os.killpg(doomed.pid, signal.SIGKILL)
    assert doomed.wait(timeout=60) == -signal.SIGKILL


def _statuses(instance: dg.DagsterInstance) -> list[dg.DagsterRunStatus]:
    """Every run's status, oldest first."""
    return [run.status for run in reversed(instance.get_runs())]


def test_a_killed_run_is_closed_by_the_next_make_run(instance_home: dict[str, str]) -> None:
    _start_and_kill_at_parse(instance_home)
    with dg.DagsterInstance.get() as instance:
        assert _statuses(instance) == [dg.DagsterRunStatus.STARTED]  # what the kill leaves behind
    assert may_hold_unfinished_runs(Path(instance_home["DAGSTER_HOME"]))

    started = time.monotonic()
    nxt = subprocess.run([sys.executable, "-m", "assets.run", "materialize_everything"],
                         cwd=ROOT, env=instance_home, capture_output=True, text=True, timeout=600)
    assert nxt.returncode == 0, nxt.stderr[-3000:]
    assert time.monotonic() - started < 600
    with dg.DagsterInstance.get() as instance:
        killed, last = instance.get_runs()[::-1]
        assert (killed.status, last.status) == (dg.DagsterRunStatus.FAILURE, dg.DagsterRunStatus.SUCCESS)
        assert f"run {killed.run_id} had no process left" in nxt.stderr
    assert "SupersessionWarning" not in nxt.stderr  # Dagster's current CLI, not a superseded command
    assert not may_hold_unfinished_runs(Path(instance_home["DAGSTER_HOME"]))


def test_a_live_process_is_alive_and_an_ended_one_is_not() -> None:
    assert process_alive(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()  # reaped: the pid is free
    assert not process_alive(child.pid)


def test_a_zombie_is_dead() -> None:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 30
    while Path(f"/proc/{child.pid}/stat").read_text().split(")")[1].split()[0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.05)
    try:
        assert not process_alive(child.pid)  # exited, not yet reaped by its parent
    finally:
        child.wait()


def test_a_reused_pid_is_not_the_run_s_process() -> None:
    """This process started after a run that began a day ago: it cannot be that run's process."""
    assert process_alive(os.getpid(), run_started_at=time.time())
    assert not process_alive(os.getpid(), run_started_at=time.time() - 86_400)


def test_a_run_that_never_started_is_dead_only_after_the_start_timeout() -> None:
    now = time.time()
    assert not is_dead(None, None, last_change=now - 10, now=now)
    assert is_dead(None, None, last_change=now - START_TIMEOUT_SECONDS - 1, now=now)
    assert not is_dead(os.getpid(), now - 1, last_change=now - 3600, now=now)


def test_pool_slots_of_an_ended_run_are_given_back(instance_home: dict[str, str]) -> None:
    @dg.op
    def nothing() -> None:
        return None

    @dg.job
    def short() -> None:
        nothing()

    with dg.DagsterInstance.get() as instance:
        run_id = short.execute_in_process(instance=instance).run_id
        storage = instance.event_log_storage
        storage.set_concurrency_slots("writer", 1)
        assert storage.claim_concurrency_slot("writer", run_id, "nothing").is_claimed
        assert free_abandoned_slots(instance) == [run_id]
        assert storage.get_concurrency_info("writer").active_slot_count == 0


def test_the_daemon_sweeper_closes_a_killed_run(instance_home: dict[str, str]) -> None:
    """What `make dev`'s daemon does every minute: the sensor marks the killed run failed, so the run queue
    (one run at a time) is never held by a run that will not end."""
    from assets.automation import dead_run_sweeper

    _start_and_kill_at_parse(instance_home)
    with dg.DagsterInstance.get() as instance:
        assert _statuses(instance) == [dg.DagsterRunStatus.STARTED]
        tick = dead_run_sweeper.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert tick.run_requests == [] and "closed dead runs" in tick.skip_message
        assert _statuses(instance) == [dg.DagsterRunStatus.FAILURE]
        again = dead_run_sweeper.evaluate_tick(dg.build_sensor_context(instance=instance))
        assert again.skip_message == "no dead run"

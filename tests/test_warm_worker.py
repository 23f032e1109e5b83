"""The warm worker (assets/warm_worker.py): runs it executes or is launched give what a cold run gives, and
it is never used with other code or other folders.

Real processes throughout: the worker is started as ``make dev`` starts it, the client as ``make run`` does.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from assets import warm_client
from assets.warm_worker import WORKER_PID_TAG

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = {
    "conseil.txt": (
        "Le conseil municipal de Lyon a voté le budget 2024 jeudi 14 mars 2024.\n\n"
        "« Ce budget protège les services publics », a déclaré Claire Dubois, adjointe aux finances.\n\n"
        "Le maire, Paul Garnier, présentera le plan le 2 avril prochain."
    ),
    "usine.txt": (
        "L'entreprise Métalis a annoncé mardi 12 mars 2024 la fermeture de son usine de Rouen.\n\n"
        "« Nous ne pouvons plus produire ici », a expliqué son directeur, Marc Leroy.\n\n"
        "Les syndicats ont appelé à la grève en 2023 déjà."
    ),
}
# tables that carry no run-specific value (the documents table records when each file was read)
COMPARED = ["paragraphs", "entity_mentions", "entities", "temporal_expressions", "dated_events", "quotes"]


@pytest.fixture
def instance_env(tmp_path: Path) -> dict[str, str]:
    """A Dagster home with the project's dagster.yaml, an input folder with two articles, a warehouse."""
    home, seeds = tmp_path / "home", tmp_path / "seeds"
    home.mkdir()
    seeds.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    for name, text in ARTICLES.items():
        (seeds / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "DAGSTER_HOME": str(home), "SEEDS_DIR": str(seeds),
           "WAREHOUSE_DIR": str(tmp_path / "warehouse")}
    env.pop("CACHE_DIR", None)
    return env


def _start_worker(env: dict[str, str]) -> subprocess.Popen:
    worker = subprocess.Popen([sys.executable, "-m", "assets.warm_worker"], cwd=ROOT, env=env,
                              stderr=subprocess.PIPE, text=True)
    path = warm_client.socket_path(env["DAGSTER_HOME"])
    deadline = time.monotonic() + 120
    while warm_client.ping(path) is None:
        if worker.poll() is not None or time.monotonic() > deadline:
            worker.kill()
            raise AssertionError(f"the warm worker did not start: {worker.stderr.read()}")
        time.sleep(0.2)
    return worker


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


@pytest.fixture
def worker(instance_env: dict[str, str]) -> Iterator[subprocess.Popen]:
    started = _start_worker(instance_env)
    yield started
    _stop(started)


def _client(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "assets.warm_client", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def _tables(warehouse: Path) -> dict[str, list[tuple]]:
    with duckdb.connect(str(warehouse / "news.duckdb"), read_only=True) as con:
        return {table: con.sql(f"select * from {table} order by all").fetchall() for table in COMPARED}


def _with_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for key in warm_client.ENV_KEYS:
        if key in env:
            monkeypatch.setenv(key, env[key])
        else:
            monkeypatch.delenv(key, raising=False)


def test_a_warm_run_publishes_the_same_tables_as_a_cold_run(instance_env: dict[str, str], tmp_path: Path):
    cold = _client(instance_env)  # no worker yet: the client falls back to `dagster job execute`
    assert cold.returncode == 0, cold.stderr[-2000:]
    assert "published" in cold.stderr
    cold_tables = _tables(Path(instance_env["WAREHOUSE_DIR"]))
    assert cold_tables["quotes"], "the articles' quotes were not found"

    warm_env = {**instance_env, "WAREHOUSE_DIR": str(tmp_path / "warm-warehouse")}
    worker = _start_worker(warm_env)
    try:
        warm = _client(warm_env)
        assert warm.returncode == 0, warm.stderr[-2000:]
        assert "published" in warm.stderr  # the run's logs reach the client's terminal
        assert _tables(Path(warm_env["WAREHOUSE_DIR"])) == cold_tables
        assert worker.poll() is None  # and the worker waits for the next run
    finally:
        _stop(worker)
    assert not warm_client.socket_path(warm_env["DAGSTER_HOME"]).exists()


def test_the_worker_is_not_used_for_other_folders(worker, instance_env, monkeypatch, tmp_path: Path):
    _with_env(monkeypatch, {**instance_env, "WAREHOUSE_DIR": str(tmp_path / "elsewhere")})
    assert warm_client.run_warm() is None
    assert not (tmp_path / "elsewhere").exists()
    assert worker.poll() is None


def test_a_worker_with_older_code_refuses_and_exits(worker, instance_env: dict[str, str]):
    request = {"op": "execute", "job": warm_client.DEFAULT_JOB, "fingerprint": "edited since",
               "env": warm_client.run_environment(instance_env)}
    sock = warm_client.send_request(request, path=warm_client.socket_path(instance_env["DAGSTER_HOME"]))
    assert sock is not None
    replies = list(warm_client.read_replies(sock))
    assert replies[0]["status"] == "refused" and "code changed" in replies[0]["reason"]
    assert worker.wait(timeout=20) == 0
    assert not Path(instance_env["WAREHOUSE_DIR"]).exists()


def test_without_a_worker_the_client_gets_no_answer(instance_env: dict[str, str], monkeypatch):
    _with_env(monkeypatch, instance_env)
    started = time.monotonic()
    assert warm_client.run_warm() is None
    assert warm_client.ping() is None
    assert time.monotonic() - started < 2


def _launch(instance):
    """A run of the default job created as the UI would, handed to the instance's run launcher."""
    from dagster._core.launcher import LaunchRunContext

    from assets.definitions import defs
    from assets.warm_worker import _recon_job

    run = instance.create_run_for_job(
        defs.resolve_job_def(warm_client.DEFAULT_JOB),
        job_code_origin=_recon_job(warm_client.DEFAULT_JOB).get_python_origin(),
    )
    instance.run_launcher.launch_run(LaunchRunContext(dagster_run=run, workspace=None))
    return run


def _finished(instance, run_id: str, seconds: float):
    """The run once it has finished (fails the test after ``seconds``)."""
    deadline = time.monotonic() + seconds
    while not (run := instance.get_run_by_id(run_id)).is_finished:
        assert time.monotonic() < deadline, f"run {run_id} did not finish within {seconds} s"
        time.sleep(0.2)
    return run


def test_the_run_launcher_hands_a_launched_run_to_the_worker(worker, instance_env, monkeypatch):
    import dagster as dg

    _with_env(monkeypatch, instance_env)
    with dg.DagsterInstance.get() as instance:
        assert type(instance.run_launcher).__name__ == "WarmRunLauncher"  # dagster.yaml configures it
        finished = _finished(instance, _launch(instance).run_id, seconds=300)
        assert finished.status == dg.DagsterRunStatus.SUCCESS
        assert int(finished.tags[WORKER_PID_TAG]) != worker.pid
    with duckdb.connect(str(Path(instance_env["WAREHOUSE_DIR"]) / "news.duckdb"), read_only=True) as con:
        assert con.sql("select count(*) from documents").fetchone() == (len(ARTICLES),)


def test_a_warm_run_cancelled_from_the_launcher_ends_cancelled(worker, instance_env, monkeypatch):
    import dagster as dg

    _with_env(monkeypatch, instance_env)
    with dg.DagsterInstance.get() as instance:
        run = _launch(instance)
        assert instance.run_launcher.terminate(run.run_id)  # at once: the run has barely started
        assert _finished(instance, run.run_id, seconds=120).status == dg.DagsterRunStatus.CANCELED
    assert worker.poll() is None  # only the run's fork was interrupted
    assert not (Path(instance_env["WAREHOUSE_DIR"]) / "news.duckdb").exists()


def test_fork_safety_is_lost_once_polars_computes() -> None:
    probe = (
        "import polars as pl\n"
        "from assets.warm_worker import fork_unsafe_threads\n"
        "before = fork_unsafe_threads()\n"
        "pl.DataFrame({'a': [3, 1, 2]}).sort('a')\n"
        "print(before == [], bool(fork_unsafe_threads()))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_a_preloaded_model_is_the_one_load_model_returns() -> None:
    from pipeline.nlp import MODEL_NAME, load_model, preload_model

    model = preload_model(MODEL_NAME)
    assert load_model(MODEL_NAME) is model
    assert preload_model(MODEL_NAME) is model
    assert load_model(MODEL_NAME, exclude=["ner"]) is not model

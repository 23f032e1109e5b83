"""The folder sensor asks for exactly one run per change of the input folder, none when the published
warehouse already reflects it; `make dev` refuses a taken port."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import dagster as dg
import polars as pl
import pytest

from assets.automation import SensorCursor, folder_fingerprint, warehouse_difference
from assets.definitions import defs, seeds_folder_sensor
from assets.port_check import main as port_check_main
from assets.port_check import port_is_free
from assets.resources import PipelinePaths
from tests.runs import materialize_folder

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
SENSOR = "seeds_folder_sensor"

ARTICLE_A = ("Le conseil municipal de Villeneuve a voté mardi soir le budget de la nouvelle médiathèque. "
             "Les travaux commenceront en septembre et dureront un an, selon l'adjointe chargée de la "
             "culture, qui promet une ouverture au printemps suivant et des horaires élargis le dimanche.")
ARTICLE_B = ("La préfecture a annoncé jeudi la réouverture de la route départementale après trois semaines "
             "de travaux sur le pont. Les camions resteront interdits jusqu'à la fin du mois, le temps de "
             "vérifier la solidité de l'ouvrage, a précisé un ingénieur du département.")


def _tick(seeds: Path, warehouse: Path, cursor: str | None) -> tuple[dg.RunRequest | dg.SkipReason, str]:
    context = dg.build_sensor_context(cursor=cursor, resources={"paths": PipelinePaths(
        seeds_dir=str(seeds), warehouse_dir=str(warehouse))})
    return seeds_folder_sensor(context), context.cursor


def _write(path: Path, text: str, mtime_ns: int | None = None) -> None:
    path.write_text(text, encoding="utf-8")
    if mtime_ns is not None:
        os.utime(path, ns=(mtime_ns, mtime_ns))


# ------------------------------------------------------------------------------------------ sensor ticks


def test_every_change_is_one_request_with_a_key_never_used_before(tmp_path: Path) -> None:
    """Add, delete (back to an earlier folder), restore (back to another earlier folder), edit: one run
    request each, and no two share a run key (Dagster drops a request whose key already ran)."""
    seeds, warehouse = tmp_path / "seeds", tmp_path / "wh"
    seeds.mkdir()
    _write(seeds / "a.txt", ARTICLE_A)
    keys: list[str] = []

    def tick_expecting_run(cursor: str | None) -> str:
        result, cursor = _tick(seeds, warehouse, cursor)
        assert isinstance(result, dg.RunRequest)
        keys.append(result.run_key)
        again, same = _tick(seeds, warehouse, cursor)
        assert isinstance(again, dg.SkipReason) and same == cursor
        return cursor

    cursor = tick_expecting_run(None)  # no warehouse yet
    _write(seeds / "b.txt", ARTICLE_B)
    b_mtime = (seeds / "b.txt").stat().st_mtime_ns
    cursor = tick_expecting_run(cursor)
    (seeds / "b.txt").unlink()  # the folder is back to its first state
    cursor = tick_expecting_run(cursor)
    _write(seeds / "b.txt", ARTICLE_B, b_mtime)  # back to the second state, byte for byte
    cursor = tick_expecting_run(cursor)
    _write(seeds / "a.txt", ARTICLE_A + " Le maire s'en félicite.")
    tick_expecting_run(cursor)
    assert len(set(keys)) == len(keys) == 5


def test_a_reset_cursor_never_reuses_a_run_key(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    _write(seeds / "a.txt", ARTICLE_A)
    first, _ = _tick(seeds, tmp_path / "wh", None)
    time.sleep(0.01)
    after_reset, _ = _tick(seeds, tmp_path / "wh", None)
    assert isinstance(first, dg.RunRequest) and isinstance(after_reset, dg.RunRequest)
    assert first.run_key != after_reset.run_key


def test_a_cursor_in_the_old_format_is_read_as_a_fingerprint(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    _write(seeds / "a.txt", ARTICLE_A)
    unchanged, cursor = _tick(seeds, tmp_path / "wh", folder_fingerprint(seeds))
    assert isinstance(unchanged, dg.SkipReason)
    assert SensorCursor.loads(cursor, "now").fingerprint == folder_fingerprint(seeds)


def test_upper_case_extensions_are_inputs(tmp_path: Path) -> None:
    _write(tmp_path / "a.txt", ARTICLE_A)
    before = folder_fingerprint(tmp_path)
    _write(tmp_path / "B.TXT", ARTICLE_B)
    with_article = folder_fingerprint(tmp_path)
    _write(tmp_path / "B.Meta.JSON", '{"title": "Travaux"}')
    assert len({before, with_article, folder_fingerprint(tmp_path)}) == 3


def test_fingerprint_ignores_unrelated_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    before = folder_fingerprint(tmp_path)
    (tmp_path / "notes.docx").write_bytes(b"\0")
    (tmp_path / "data.json").write_bytes(b"{}")
    assert folder_fingerprint(tmp_path) == before


def test_schedule_and_sensor_are_registered() -> None:
    assert defs.resolve_schedule_def("daily_refresh").cron_schedule == "0 3 * * *"
    assert defs.resolve_sensor_def(SENSOR) is not None


# ------------------------------------------------------------------------------------------ first tick


def test_first_tick_compares_the_folder_with_the_published_warehouse(tmp_path: Path) -> None:
    """Switched on over an up-to-date warehouse: no run. Each kind of difference since the publish (even
    an edit that keeps size and modification time, a sidecar added or removed) is a run."""
    seeds, warehouse = tmp_path / "seeds", tmp_path / "wh"
    seeds.mkdir()
    _write(seeds / "a.txt", ARTICLE_A)
    _write(seeds / "b.txt", ARTICLE_B)
    _write(seeds / "b.meta.json", '{"title": "Le pont rouvre", "published_at": "2024-03-07"}')
    _write(seeds / "vide.txt", "")  # rejected: empty
    _write(seeds / "seul.meta.json", '{"title": "Sans article"}')  # rejected: orphan sidecar
    materialize_folder(seeds, warehouse, tmp_path / "storage")
    published = pl.read_parquet(warehouse / "parquet" / "documents" / "data.parquet")
    assert set(published["source_path"]) == {str(seeds / "a.txt"), str(seeds / "b.txt")}
    old = time.time_ns() - 10**12  # before the publish

    first, _ = _tick(seeds, warehouse, None)
    assert isinstance(first, dg.SkipReason), first
    assert warehouse_difference(seeds, warehouse) is None

    def differs_after(change: Callable[[], None], undo: Callable[[], None]) -> None:
        change()
        try:
            assert warehouse_difference(seeds, warehouse) is not None
            assert isinstance(_tick(seeds, warehouse, None)[0], dg.RunRequest)
        finally:
            undo()
        assert warehouse_difference(seeds, warehouse) is None

    a_mtime = (seeds / "a.txt").stat().st_mtime_ns
    differs_after(lambda: _write(seeds / "c.txt", ARTICLE_B, old), lambda: (seeds / "c.txt").unlink())
    differs_after(lambda: (seeds / "a.txt").unlink(), lambda: _write(seeds / "a.txt", ARTICLE_A, a_mtime))
    differs_after(lambda: _write(seeds / "a.txt", ARTICLE_A.upper(), a_mtime),
                  lambda: _write(seeds / "a.txt", ARTICLE_A, a_mtime))
    differs_after(lambda: _write(seeds / "a.meta.json", '{"title": "Budget"}', old),
                  lambda: (seeds / "a.meta.json").unlink())
    sidecar = (seeds / "b.meta.json").read_text(encoding="utf-8")
    differs_after(lambda: (seeds / "b.meta.json").unlink(),
                  lambda: _write(seeds / "b.meta.json", sidecar, old))
    differs_after(lambda: _write(seeds / "b.meta.json", '{"title": "Autre titre"}'),
                  lambda: _write(seeds / "b.meta.json", sidecar, old))
    differs_after(lambda: (seeds / "vide.txt").unlink(), lambda: _write(seeds / "vide.txt", "", old))
    differs_after(lambda: (seeds / "seul.meta.json").unlink(),
                  lambda: _write(seeds / "seul.meta.json", '{"title": "Sans article"}', old))


# ------------------------------------------------------------------------------------------ the daemon


def _sensor_state(instance: dg.DagsterInstance):
    return next((s for s in instance.all_instigator_state() if s.instigator_name == SENSOR), None)


def _sensor_runs(instance: dg.DagsterInstance) -> list[dg.DagsterRun]:
    return list(instance.get_runs(filters=dg.RunsFilter(tags={"trigger": SENSOR})))


def _wait_for(condition: Callable[[], object], what: str, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            tail = "\n".join(log.read_text(errors="replace").splitlines()[-30:])
            pytest.fail(f"timed out waiting for {what}; daemon log:\n{tail}")
        time.sleep(0.5)


def _published_ids(warehouse: Path) -> set[str]:
    return set(pl.read_parquet(warehouse / "parquet" / "documents" / "data.parquet")["doc_id"])


def _start(command: list, env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def test_runs_started_by_the_daemon_or_the_ui_use_dagster_s_own_launcher(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The project's dagster.yaml names no run launcher of its own: the instance gets Dagster's default."""
    shutil.copy(ROOT / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert type(instance.run_launcher) is dg.DefaultRunLauncher


def test_make_dev_and_make_run_use_dagster_s_current_cli() -> None:
    """`dg dev` / `dg launch` (what `dagster dev` / `dagster job execute` now warn to use instead)."""
    dev = subprocess.run(["make", "-n", "dev"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "/dg dev -m assets.definitions" in dev and "bin/dagster dev" not in dev
    from assets.run import launch_command

    assert launch_command("materialize_everything")[1:] == [
        "launch", "--job", "materialize_everything", "-m", "assets.definitions"]


def test_the_daemon_launches_one_run_per_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The real ``dagster-daemon`` (as ``make dev`` runs it, with Dagster's default run launcher) over a
    real instance with the project's dagster.yaml. Switched on without a warehouse, the sensor launches one
    run; adding an article launches one; deleting it, which returns the folder to its first state (the run
    key that used to be dropped as "already completed"), launches one. After each run the warehouse holds
    the folder's articles, and later ticks launch nothing more."""
    home, seeds, warehouse = tmp_path / "home", tmp_path / "seeds", tmp_path / "wh"
    home.mkdir()
    seeds.mkdir()
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    _write(seeds / "a.txt", ARTICLE_A)
    env = {**os.environ, "DAGSTER_HOME": str(home), "SEEDS_DIR": str(seeds), "WAREHOUSE_DIR": str(warehouse),
           "SEEDS_SENSOR_INTERVAL_SECONDS": "1"}
    env.pop("CACHE_DIR", None)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    location = ["-m", "assets.definitions"]
    log = tmp_path / "daemon.log"
    with dg.DagsterInstance.get() as instance:
        # the storages exist before two processes open them; then both start at once (each imports the
        # code location) and the daemon sees the sensor switched on at its next loop
        assert _sensor_runs(instance) == [] and _sensor_state(instance) is None
        daemon = _start([VENV_BIN / "dagster-daemon", "run", *location], env, log)
        try:
            switch_on = subprocess.run([VENV_BIN / "dagster", "sensor", "start", SENSOR, *location],
                                       cwd=ROOT, env=env, capture_output=True, text=True)
            assert switch_on.returncode == 0, switch_on.stdout + switch_on.stderr

            def ticks() -> list:
                state = _sensor_state(instance)
                return list(instance.get_ticks(state.instigator_origin_id, state.selector_id))

            requested = [0]  # changes made so far, each worth one run

            def change_then_one_run(change: Callable[[], None], expected_ids: set[str]) -> None:
                change()
                requested[0] += 1
                _wait_for(lambda: len(_sensor_runs(instance)) >= requested[0], "a run", log, timeout=120)
                _wait_for(lambda: all(r.is_finished for r in _sensor_runs(instance)), "the run", log,
                          timeout=240)
                runs = _sensor_runs(instance)
                assert len(runs) == requested[0]
                assert runs[0].status == dg.DagsterRunStatus.SUCCESS
                assert _published_ids(warehouse) == expected_ids

            change_then_one_run(lambda: None, {"a"})  # switched on, no warehouse yet
            change_then_one_run(lambda: _write(seeds / "b.txt", ARTICLE_B), {"a", "b"})
            change_then_one_run(lambda: (seeds / "b.txt").unlink(), {"a"})

            seen = len(ticks())
            _wait_for(lambda: len(ticks()) >= seen + 2, "two more ticks", log)
            assert len(_sensor_runs(instance)) == 3
            assert not [t for t in ticks() if t.status.value == "FAILURE"]
        finally:
            _stop(daemon)


# ------------------------------------------------------------------------------------------ make dev


def test_port_check_reports_a_taken_port_and_a_free_one(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        assert not port_is_free(port)
        assert port_check_main([str(port)]) == 1
        assert f"port {port} is in use" in capsys.readouterr().err
    assert port_is_free(port)
    assert port_check_main([str(port)]) == 0


def test_make_dev_takes_the_port_from_dagster_port() -> None:
    dry_run = subprocess.run(["make", "-n", "dev", "DAGSTER_PORT=3123"], cwd=ROOT, capture_output=True,
                             text=True, check=True).stdout
    assert "assets.port_check 3123" in dry_run
    assert "-p 3123" in dry_run and "3000" not in dry_run

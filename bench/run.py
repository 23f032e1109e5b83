"""``make bench``: the pipeline through Dagster against raw spaCy, on the same generated articles.

For each size N: (a) the baseline (bench/baseline.py), (b) a full materialisation of every asset with a
fresh Dagster instance, warehouse and parse cache (``dagster job execute``, what ``make run`` does), and for
the headline size (c) re-runs after adding one article: through the warm worker that ``make dev`` keeps
(assets/warm_worker.py), which is the headline re-run, and a cold ``dagster job execute`` for comparison.
``--warm-full-run`` also times a full run through the warm worker, for the re-run's ratio to it.
Prints a table, the seconds of every Dagster step of each pipeline run (from its event log) and, last,
``throughput_ratio=... incremental_ratio=... peak_rss_mb=...``. Peak memory is that of the whole process
tree (the run process, its fork server and workers, and the warm worker's; see bench/measure.py).

    python -m bench.run [--sizes 200 1000] [--headline 1000] [--warm-full-run]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from assets.warm_client import ping, socket_path
from bench.corpus import make_article, sentences_of, source_paragraphs, write_corpus

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DAGSTER = str(Path(sys.executable).with_name("dagster"))


@dataclass
class Measurement:
    name: str
    articles: int
    chars: int
    seconds: float
    peak_rss_mb: float  # the whole process tree (summed PSS)
    largest_process_mb: float
    steps: dict[str, float] | None = None  # Dagster step -> seconds, for pipeline runs
    peak_step: str = ""  # the step running when the tree's memory peaked, for pipeline runs

    def row(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (
            f"| {self.name:<28} | {self.articles:>8,} | {self.chars:>11,} | {self.seconds:>8.1f} | "
            f"{rate:>10.1f} | {self.peak_rss_mb:>8.0f} | {self.largest_process_mb:>16.0f} |"
        )


def measure(command: list[str], env: dict[str, str] | None = None, with_tree: int | None = None) -> dict:
    extra = ["--with-tree", str(with_tree)] if with_tree else []
    out = subprocess.run(
        [PYTHON, "-m", "bench.measure", *extra, "--", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(out.stdout)
    if result["returncode"] != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result['stderr_tail']}")
    return result


def pipeline_env(work: Path, corpus: Path) -> dict[str, str]:
    home = work / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "dagster.yaml", home / "dagster.yaml")
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "SEEDS_DIR": str(corpus),
        "WAREHOUSE_DIR": str(work / "wh"),
    }


def run_pipeline(env: dict[str, str]) -> dict:
    return measure(
        [DAGSTER, "job", "execute", "-m", "assets.definitions", "-j", "materialize_everything"], env
    )


def run_in_warm_worker(env: dict[str, str], worker: subprocess.Popen) -> dict:
    """The job through the warm worker's client, counting the worker's processes in the memory peak."""
    return measure([PYTHON, "-m", "assets.warm_client", "--warm-only"], env, with_tree=worker.pid)


def start_warm_worker(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, float]:
    """Start the warm worker as ``make dev`` does; returns it once it answers, and its start-up seconds."""
    started = time.perf_counter()
    with log.open("w") as out:
        worker = subprocess.Popen([PYTHON, "-m", "assets.warm_worker"], cwd=ROOT, env=env, stderr=out)
    path = socket_path(env["DAGSTER_HOME"])
    while ping(path) is None:
        if worker.poll() is not None:
            raise SystemExit(f"the warm worker did not start:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)
    return worker, time.perf_counter() - started


def stop_warm_worker(worker: subprocess.Popen) -> None:
    worker.terminate()
    worker.wait(timeout=60)


def step_spans(dagster_home: Path) -> dict[str, tuple[float, float]]:
    """``step -> (start, end)`` Unix times of the latest run, from its SQLite event log."""
    logs = sorted((dagster_home / "history" / "runs").glob("*-*.db"), key=lambda p: p.stat().st_mtime)
    if not logs:
        return {}
    with sqlite3.connect(logs[-1]) as db:
        events = db.execute(
            "select step_key, dagster_event_type, timestamp from event_logs "
            "where dagster_event_type in ('STEP_START', 'STEP_SUCCESS') order by id"
        ).fetchall()
    started: dict[str, float] = {}
    spans: dict[str, tuple[float, float]] = {}
    for step, kind, stamp in events:
        moment = _timestamp(stamp)
        if kind == "STEP_START":
            started[step] = moment
        elif step in started:
            spans[step] = (started[step], moment)
    return spans


def step_seconds(spans: dict[str, tuple[float, float]]) -> dict[str, float]:
    """Seconds per step (STEP_START to STEP_SUCCESS)."""
    return {step: round(end - start, 1) for step, (start, end) in spans.items()}


def step_at(spans: dict[str, tuple[float, float]], moment: float) -> str:
    """The step that was running at ``moment`` (else "start-up / between steps")."""
    for step, (start, end) in spans.items():
        if start <= moment <= end:
            return step
    return "start-up / between steps"


def _steps_and_peak(dagster_home: Path, peak_at: float) -> tuple[dict[str, float], str]:
    """Seconds per step of the latest run, and the step running when memory peaked (one log read)."""
    spans = step_spans(dagster_home)
    return step_seconds(spans), step_at(spans, peak_at)


def _timestamp(value: object) -> float:
    return value if isinstance(value, float) else dt.datetime.fromisoformat(str(value)).timestamp()


def add_article(corpus: Path, name: str, seed: int) -> int:
    """Write one more generated article into ``corpus``; returns its length."""
    import random

    rng = random.Random(seed)
    pool = sentences_of(source_paragraphs(ROOT / "seeds"))
    article = make_article(rng, pool, ["Nous verrons bien ce qui se passera."])
    (corpus / name).write_text(article, encoding="utf-8")
    return len(article)


def pipeline_measurement(name: str, articles: int, chars: int, result: dict, home: Path,
                         seconds: float | None = None) -> Measurement:
    return Measurement(name, articles, chars, result["seconds"] if seconds is None else seconds,
                       result["peak_rss_mb"], result["peak_single_rss_mb"],
                       *_steps_and_peak(home, result["peak_at"]))


def bench_size(n: int, work: Path, incremental: bool, warm_full_run: bool = False) -> list[Measurement]:
    """Baseline and cold full run; for the headline size, the warm worker's runs and the re-runs."""
    corpus = work / "corpus"
    chars = write_corpus(ROOT / "seeds", corpus, n, seed=n)
    results = []
    base = measure([PYTHON, "-m", "bench.baseline", str(corpus)])
    results.append(Measurement(f"N={n} baseline nlp.pipe", n, chars, base["seconds"], base["peak_rss_mb"],
                               base["peak_single_rss_mb"]))
    env = pipeline_env(work / "cold", corpus)
    full = run_pipeline(env)
    results.append(pipeline_measurement(f"N={n} pipeline full run", n, chars, full,
                                        Path(env["DAGSTER_HOME"])))
    if not incremental:
        return results
    # without a warm full run, the re-runs go over the cold run's instance and warehouse
    worker_env = pipeline_env(work / "warm", corpus) if warm_full_run else env
    home = Path(worker_env["DAGSTER_HOME"])
    worker, start_up = start_warm_worker(worker_env, work / "warm-worker.log")
    try:
        results.append(Measurement("warm worker start-up", 0, 0, start_up, 0, 0))
        if warm_full_run:
            warm = run_in_warm_worker(worker_env, worker)
            results.append(pipeline_measurement(f"N={n} full run, warm worker", n, chars, warm, home))
        added = add_article(corpus, "article-added.txt", seed=-1)
        again = run_in_warm_worker(worker_env, worker)
        results.append(pipeline_measurement(f"N={n} re-run +1, warm worker", n + 1, chars + added, again,
                                            home))
    finally:
        stop_warm_worker(worker)
    added_too = add_article(corpus, "article-added-2.txt", seed=-2)
    cold = run_pipeline(worker_env)
    results.append(pipeline_measurement(f"N={n} re-run +1, cold CLI", n + 2, chars + added + added_too, cold,
                                        home))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--headline", type=int, default=1000)
    parser.add_argument("--warm-full-run", action="store_true",
                        help="also time a full run through the warm worker (headline size)")
    args = parser.parse_args()
    print(
        "| run                          | articles |  characters |  seconds | articles/s | peak MB "
        "| largest process MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|")
    headline: list[Measurement] = []
    measured: list[Measurement] = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            rows = bench_size(n, Path(tmp), incremental=n == args.headline, warm_full_run=args.warm_full_run)
        for row in rows:
            print(row.row(), flush=True)
        measured.extend(rows)
        if n == args.headline:
            headline = rows
    print()
    for row in measured:
        if row.steps:
            print(f"{row.name}: " + ", ".join(f"{step} {s:.1f}" for step, s in row.steps.items())
                  + f"; memory peaked during {row.peak_step}")
    by_name = {row.name.split(" ", 1)[1]: row for row in headline}
    if {"baseline nlp.pipe", "pipeline full run", "re-run +1, warm worker"} <= by_name.keys():
        baseline, full = by_name["baseline nlp.pipe"], by_name["pipeline full run"]
        rerun, cold = by_name["re-run +1, warm worker"], by_name["re-run +1, cold CLI"]
        warm_full = by_name.get("full run, warm worker")
        warm_ratio = "" if warm_full is None else (
            f"; warm re-run / warm full run {rerun.seconds / warm_full.seconds:.3f}")
        print(f"re-run +1 article / full run: warm worker {rerun.seconds / full.seconds:.3f}, "
              f"cold CLI {cold.seconds / full.seconds:.3f}{warm_ratio}")
        print(
            f"throughput_ratio={baseline.seconds / full.seconds:.3f} "
            f"incremental_ratio={rerun.seconds / full.seconds:.3f} peak_rss_mb={full.peak_rss_mb:.0f}"
        )


if __name__ == "__main__":
    main()

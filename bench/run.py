"""``make bench``: the pipeline through Dagster against raw spaCy, on the same generated articles.

For each size N: (a) the baseline (bench/baseline.py), (b) a full materialisation of every asset with a
fresh Dagster instance, warehouse and parse cache (``python -m assets.run``: ``dg launch``, what ``make
run`` does), and for the headline size (c) a re-run after adding one article, the same command over the
same instance and warehouse: a new process that pays Dagster's and the code's imports again.
Prints a table, the seconds of every Dagster step of each pipeline run (from its event log) and, last,
``throughput_ratio=... incremental_ratio=... peak_rss_mb=...``. Peak memory is that of the whole process
tree (the run process and its workers; see bench/measure.py).

    python -m bench.run [--sizes 200 1000] [--headline 1000]
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
from dataclasses import dataclass
from pathlib import Path

from bench.corpus import make_article, sentences_of, source_paragraphs, write_corpus

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


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


def measure(command: list[str], env: dict[str, str] | None = None) -> dict:
    out = subprocess.run(
        [PYTHON, "-m", "bench.measure", "--", *command],
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
    """The job as ``make run`` starts it (close dead runs, then ``dg launch``)."""
    return measure([PYTHON, "-m", "assets.run", "materialize_everything"], env)


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


def bench_size(n: int, work: Path, incremental: bool) -> list[Measurement]:
    """Baseline and full run; for the headline size, a re-run after adding one article."""
    corpus = work / "corpus"
    chars = write_corpus(ROOT / "seeds", corpus, n, seed=n)
    results = []
    base = measure([PYTHON, "-m", "bench.baseline", str(corpus)])
    results.append(Measurement(f"N={n} baseline nlp.pipe", n, chars, base["seconds"], base["peak_rss_mb"],
                               base["peak_single_rss_mb"]))
    env = pipeline_env(work / "run", corpus)
    home = Path(env["DAGSTER_HOME"])
    full = run_pipeline(env)
    results.append(pipeline_measurement(f"N={n} pipeline full run", n, chars, full, home))
    if not incremental:
        return results
    added = add_article(corpus, "article-added.txt", seed=-1)
    again = run_pipeline(env)
    results.append(pipeline_measurement(f"N={n} re-run +1 article", n + 1, chars + added, again, home))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 1000])
    parser.add_argument("--headline", type=int, default=1000)
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
            rows = bench_size(n, Path(tmp), incremental=n == args.headline)
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
    if {"baseline nlp.pipe", "pipeline full run", "re-run +1 article"} <= by_name.keys():
        baseline, full, rerun = (by_name[name] for name in
                                 ("baseline nlp.pipe", "pipeline full run", "re-run +1 article"))
        print(
            f"throughput_ratio={baseline.seconds / full.seconds:.3f} "
            f"incremental_ratio={rerun.seconds / full.seconds:.3f} peak_rss_mb={full.peak_rss_mb:.0f}"
        )

if __name__ == "__main__":
    main()

"""``make bench``: the pipeline through Dagster against raw spaCy, on the same generated articles.

For each size N: (a) the baseline (bench/baseline.py), (b) a full materialisation of every asset with a
fresh Dagster instance, warehouse and caches (``python -m assets.run``: ``dg launch``, what ``make run``
does), and (c) a re-run after adding one article, the same command over the same instance and warehouse: a
new process that pays Dagster's and the code's imports again. Every command runs under bench/measure.py
(wall and CPU time, peak summed RSS and PSS of its whole process tree).

Prints a table, the seconds of every Dagster step of each pipeline run (from its event log), one line per
figure (value, issue 17's target, where it came from) and, last,
``throughput_ratio=<x> rerun_growth=<y> rerun_ratio_10k=<z> peak_rss_mb=<m>`` (bench/figures.py). A figure
this run did not measure (``make bench`` stops at N = 1,000) comes from the record ``make bench-large``
saved (``--save``, default read from bench/out/large.json), labelled with that run's date and commit;
``n/a`` when there is none.

    python -m bench.run --sizes 200 1000                                   # make bench
    python -m bench.run --sizes 1000 10000 --baseline-sizes 1000 \\
        --save bench/out/large.json                                        # make bench-large
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
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.corpus import make_article, sentences_of, source_paragraphs, write_corpus
from bench.figures import (
    BASELINE,
    FULL,
    LARGE,
    RERUN,
    SMALL,
    Timing,
    combine,
    compute,
    cpu_cross_check,
    final_line,
    load,
    save,
    source_lines,
    timing_records,
)

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SAVED = ROOT / "bench" / "out" / "large.json"  # git-ignored; written by `make bench-large`


@dataclass
class Measurement:
    name: str
    kind: str  # figures.BASELINE, FULL or RERUN
    size: int  # the corpus size N it belongs to
    articles: int
    chars: int
    seconds: float
    cpu_seconds: float  # user + system time of the whole process tree
    peak_rss_mb: float  # the whole process tree: summed RSS at its peak (bench/measure.py)
    peak_pss_mb: float  # the same tree's summed PSS (shared pages split)
    largest_process_mb: float
    load: float  # 1-minute load average when the command started (2 cores: above 2, others were running)
    steps: dict[str, float] | None = None  # Dagster step -> seconds, for pipeline runs
    peak_step: str = ""  # the step running when the tree's memory peaked, for pipeline runs

    def row(self) -> str:
        rate = self.articles / self.seconds if self.seconds else 0.0
        return (
            f"| {self.name:<26} | {self.articles:>8,} | {self.chars:>11,} | {self.seconds:>8.1f} | "
            f"{self.cpu_seconds:>7.1f} | {rate:>10.1f} | {self.peak_rss_mb:>8.0f} | "
            f"{self.peak_pss_mb:>7.0f} | "
            f"{self.largest_process_mb:>8.0f} | {self.load:>4.1f} |"
        )

    def timing(self) -> Timing:
        return Timing(self.kind, self.size, self.seconds, self.peak_rss_mb, self.cpu_seconds)


TABLE_HEADER = (
    "| run                        | articles |  characters |  seconds |   CPU s | articles/s | peak MB "
    "|  PSS MB | largest MB | load |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
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
    inherited = {key: value for key, value in os.environ.items() if key != "CACHE_DIR"}  # fresh caches
    return {
        **inherited,
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


def measurement(name: str, kind: str, size: int, articles: int, chars: int, result: dict,
                home: Path | None = None) -> Measurement:
    """A table row from ``bench.measure``'s result; for a pipeline run, with its steps from the event log."""
    steps, peak_step = _steps_and_peak(home, result["peak_at"]) if home else (None, "")
    return Measurement(name, kind, size, articles, chars, result["seconds"], result["cpu_seconds"],
                       result["peak_rss_mb"], result["peak_pss_mb"], result["peak_single_rss_mb"],
                       result["load_before"], steps, peak_step)


def bench_size(n: int, work: Path, baseline: bool, rerun: bool) -> list[Measurement]:
    """The baseline (if asked), the full run and (if asked) a re-run after adding one article, at size N."""
    corpus = work / "corpus"
    chars = write_corpus(ROOT / "seeds", corpus, n, seed=n)
    results: list[Measurement] = []

    def done(row: Measurement) -> None:
        print(row.row(), flush=True)  # as soon as measured: a long run shows its progress
        results.append(row)

    if baseline:
        base = measure([PYTHON, "-m", "bench.baseline", str(corpus)])
        done(measurement(f"N={n} {BASELINE}", BASELINE, n, n, chars, base))
    env = pipeline_env(work / "run", corpus)
    home = Path(env["DAGSTER_HOME"])
    full = run_pipeline(env)
    done(measurement(f"N={n} {FULL}", FULL, n, n, chars, full, home))
    if rerun:
        added = add_article(corpus, "article-added.txt", seed=-1)  # the same article at every N
        again = run_pipeline(env)
        done(measurement(f"N={n} {RERUN}", RERUN, n, n + 1, chars + added, again, home))
    return results


def commit() -> str:
    """The checked-out commit, ``+dirty`` when the working tree has changes (read-only git calls);
    ``BENCH_REVISION`` names the code instead when it is not a git checkout (a copy made to measure)."""
    if label := os.environ.get("BENCH_REVISION"):
        return label

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    sha = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{sha}+dirty" if git("status", "--porcelain", "--untracked-files=no") else sha


def record(rows: list[Measurement], values: dict[str, float], argv: list[str], small: int,
           large: int) -> dict:
    """What ``--save`` writes: this run's figures, its rows, when, on which commit, under which load."""
    return {
        "command": "python -m bench.run " + " ".join(argv),
        "written_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit(),
        "load": round(max((row.load for row in rows), default=0.0), 1),  # the highest seen at a start
        "figures": values,
        "small": small,  # the N of throughput_ratio and of rerun_growth's denominator
        "large": large,  # the N of rerun_growth's numerator, rerun_ratio_10k and peak_rss_mb
        "timings": timing_records([row.timing() for row in rows]),
        "rows": [asdict(row) for row in rows],
    }


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, SMALL])
    parser.add_argument("--baseline-sizes", type=int, nargs="*", default=None,
                        help="sizes that also time the raw nlp.pipe baseline (default: every size)")
    parser.add_argument("--rerun-sizes", type=int, nargs="*", default=None,
                        help="sizes that also time a one-article re-run (default: every size)")
    parser.add_argument("--save", type=Path, default=None,
                        help="write this run's figures and rows to this JSON file (make bench-large)")
    parser.add_argument("--saved", type=Path, default=SAVED,
                        help="figures not measured in this run come from this file (default: %(default)s)")
    parser.add_argument("--small", type=int, default=SMALL,
                        help="N of throughput_ratio (default: %(default)s)")
    parser.add_argument("--large", type=int, default=LARGE,
                        help="N of the re-run and memory figures (default: %(default)s)")
    parser.add_argument("--show-saved", action="store_true",
                        help="print the saved run (--saved) and its figures, measuring nothing")
    return parser.parse_args(argv)


def print_steps(rows: list[Measurement]) -> None:
    """The seconds of every Dagster step of each pipeline run, and the step running at the memory peak."""
    for row in rows:
        if row.steps:
            print(f"{row.name}: " + ", ".join(f"{step} {s:.1f}" for step, s in row.steps.items())
                  + f"; memory peaked during {row.peak_step}")


def print_figures(rows: list[Measurement], values: dict[str, float], saved: dict | None, label: str,
                  small: int, large: int) -> None:
    """One line per figure with its source, the CPU-seconds cross-check, and the final line."""
    figures = combine(values, saved, label)
    print()
    print("\n".join(source_lines(figures)))
    if cross_check := cpu_cross_check([row.timing() for row in rows], small, large):
        print(cross_check)
    print(final_line(figures))


def show_saved(saved: dict | None, path: Path) -> None:
    """``--show-saved``: the table, steps and figures of the saved run, measuring nothing."""
    if saved is None:
        raise SystemExit(f"{path}: no saved bench run (`make bench-large` writes it)")
    rows = [Measurement(**row) for row in saved.get("rows", [])]
    print(f"saved run `{saved.get('command')}` of {saved.get('written_at')}, commit {saved.get('commit')}\n")
    print(TABLE_HEADER)
    print("\n".join(row.row() for row in rows) + "\n")
    print_steps(rows)
    print_figures(rows, {}, saved, "", saved.get("small", SMALL), saved.get("large", LARGE))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.show_saved:
        show_saved(load(args.saved), args.saved)
        return
    baseline_sizes = set(args.sizes if args.baseline_sizes is None else args.baseline_sizes)
    rerun_sizes = set(args.sizes if args.rerun_sizes is None else args.rerun_sizes)
    saved = None if args.save and args.save.resolve() == args.saved.resolve() else load(args.saved)
    print(TABLE_HEADER, flush=True)
    measured: list[Measurement] = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory(prefix=f"bench-{n}-") as tmp:
            measured.extend(bench_size(n, Path(tmp), n in baseline_sizes, n in rerun_sizes))
        values = compute([row.timing() for row in measured], args.small, args.large)
        if args.save:  # after every size, so a run stopped part-way keeps what it measured
            save(args.save, record(measured, values, argv, args.small, args.large))
    print()
    print_steps(measured)
    if args.save:
        print(f"\nsaved this run's figures and rows to {args.save}")
    print_figures(measured, values, saved, "measured in this run", args.small, args.large)


if __name__ == "__main__":
    main()

"""The four figures ``make bench`` ends with, computed from its measurements, and where each came from.

``throughput_ratio``: baseline seconds over full-run seconds at N = 1,000 (raw ``nlp.pipe`` against the whole
pipeline on the same texts, both measured in the same bench run; 1.0 means the pipeline costs no more than
the parse). ``rerun_growth``: the one-article re-run's seconds at N = 10,000 over the same at N = 1,000.
``rerun_ratio_10k``: the one-article re-run at N = 10,000 over the full run at N = 10,000 (a fraction).
``peak_rss_mb``: the peak of the summed RSS of the whole process tree (run process, Dask workers, every other
child) over the full run and the re-run at N = 10,000.

Pure functions over plain data, so the arithmetic is tested without timing anything (tests/test_bench.py).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

SMALL = 1_000  # the corpus size of throughput_ratio and of rerun_growth's denominator
LARGE = 10_000  # the corpus size of rerun_growth's numerator, rerun_ratio_10k and peak_rss_mb
FIGURES = ("throughput_ratio", "rerun_growth", "rerun_ratio_10k", "peak_rss_mb")
# Issue 17's targets: (bound, "min" when the figure must be at least the bound, "max" when at most).
TARGETS: dict[str, tuple[float, str]] = {
    "throughput_ratio": (0.85, "min"),
    "rerun_growth": (1.5, "max"),
    "rerun_ratio_10k": (0.03, "max"),
    "peak_rss_mb": (2500.0, "max"),
}
REDO = "delete it or run `make bench-large` again"
SAVED_SOURCE = "from the saved run below, not measured in this run"
BASELINE, FULL, RERUN = "baseline nlp.pipe", "pipeline full run", "re-run +1 article"


@dataclass(frozen=True)
class Timing:
    """One measured command of a bench run, reduced to what the figures need."""

    kind: str  # BASELINE, FULL or RERUN
    articles: int  # the corpus size N it was measured at (before the added article, for a re-run)
    seconds: float
    peak_rss_mb: float  # summed RSS of the process tree at its peak
    cpu_seconds: float = 0.0  # user + system time of the process tree

    def time(self, cpu: bool) -> float:
        return self.cpu_seconds if cpu else self.seconds


@dataclass
class Figures:
    """The figures a bench run could compute, each with the sentence that says where it came from."""

    values: dict[str, float] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)
    saved_run: str = ""  # describe_saved() of the saved run some figures came from, if any


def _find(timings: list[Timing], kind: str, n: int) -> Timing | None:
    return next((t for t in timings if t.kind == kind and t.articles == n), None)


def compute(timings: list[Timing], small: int = SMALL, large: int = LARGE,
            cpu: bool = False) -> dict[str, float]:
    """Every figure whose measurements are all in ``timings`` (one bench run): ratios are only ever taken
    between measurements of the same run, so they share the machine's load. ``cpu`` takes the ratios of
    CPU seconds instead of wall seconds: a cross-check when other work shared the machine."""
    base, full_s, rerun_s = (_find(timings, kind, small) for kind in (BASELINE, FULL, RERUN))
    full_l, rerun_l = _find(timings, FULL, large), _find(timings, RERUN, large)
    values: dict[str, float] = {}
    if base and full_s:
        values["throughput_ratio"] = base.time(cpu) / full_s.time(cpu)
    if rerun_s and rerun_l:
        values["rerun_growth"] = rerun_l.time(cpu) / rerun_s.time(cpu)
    if full_l and rerun_l:
        values["rerun_ratio_10k"] = rerun_l.time(cpu) / full_l.time(cpu)
    if full_l:
        values["peak_rss_mb"] = max(full_l.peak_rss_mb, rerun_l.peak_rss_mb if rerun_l else 0.0)
    return values


def cpu_cross_check(timings: list[Timing], small: int = SMALL, large: int = LARGE) -> str | None:
    """The time ratios again in CPU seconds, as one line (None when there is none): wall-time ratios move
    when other work shares the machine during one measurement and not the other; CPU seconds much less."""
    values = compute(timings, small, large, cpu=True)
    values.pop("peak_rss_mb", None)
    if not values:
        return None
    ratios = ", ".join(f"{name}={value:.3f}" for name, value in values.items())
    return f"cross-check, the same ratios of CPU seconds (user + system of each process tree): {ratios}"


def combine(measured: dict[str, float], saved: dict | None, label: str) -> Figures:
    """This run's figures, completed by the ones ``saved`` (a results file of an earlier run) holds; every
    figure names its source: ``label`` for this run, the saved run's date and commit otherwise."""
    figures = Figures()
    for name in FIGURES:
        if name in measured:
            figures.values[name] = measured[name]
            figures.sources[name] = label
        elif saved and name in saved.get("figures", {}):
            figures.values[name] = saved["figures"][name]
            figures.sources[name] = SAVED_SOURCE
            figures.saved_run = describe_saved(saved)
    return figures


def describe_saved(saved: dict) -> str:
    """`<command>` of <when> (commit <sha>, load average <x>), from <path>: how a saved run is named."""
    return (
        f"`{saved.get('command', '?')}` of {saved.get('written_at', '?')} "
        f"(commit {saved.get('commit', '?')}, load average {saved.get('load', '?')}), "
        f"from {saved.get('path', '?')}"
    )


def meets(name: str, value: float) -> bool:
    """Whether ``value`` meets issue 17's target for the figure ``name``."""
    bound, sense = TARGETS[name]
    return value >= bound if sense == "min" else value <= bound


def format_value(name: str, value: float | None) -> str:
    """The figure as the final line prints it: MB as an integer, ratios with three decimals, n/a if absent."""
    if value is None:
        return "n/a"
    return f"{value:.0f}" if name == "peak_rss_mb" else f"{value:.3f}"


def final_line(figures: Figures) -> str:
    """``throughput_ratio=<x> rerun_growth=<y> rerun_ratio_10k=<z> peak_rss_mb=<m>``: the last line."""
    return " ".join(f"{name}={format_value(name, figures.values.get(name))}" for name in FIGURES)


def source_lines(figures: Figures) -> list[str]:
    """One line per figure: its value, whether it meets its target, and where it came from."""
    lines = []
    for name in FIGURES:
        bound, sense = TARGETS[name]
        target = f"{'>=' if sense == 'min' else '<='} {bound:g}"
        if name not in figures.values:
            lines.append(f"{name}: n/a (target {target}); not measured in this run and no saved run holds it")
            continue
        value = figures.values[name]
        verdict = "meets" if meets(name, value) else "MISSES"
        lines.append(f"{name}={format_value(name, value)} {verdict} target {target}; {figures.sources[name]}")
    if figures.saved_run:
        lines.append(f"saved run: {figures.saved_run}")
    return lines


def save(path: Path, record: dict) -> None:
    """Write a bench run's record (figures, rows, when, commit, load) as JSON."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def load(path: Path) -> dict | None:
    """The saved record at ``path`` (with its ``path``); None when there is none. A file that is not a
    record raises ValueError naming it: a figure must never come silently from a damaged file."""
    if not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ValueError(f"{path}: not a bench record ({error}); {REDO}") from error
    if not isinstance(record, dict) or not isinstance(record.get("figures"), dict):
        raise ValueError(f"{path}: not a bench record (no 'figures'); {REDO}")
    return {**record, "path": str(path)}


def timing_records(timings: list[Timing]) -> list[dict]:
    """The timings as JSON-ready dicts."""
    return [asdict(t) for t in timings]

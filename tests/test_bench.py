"""The benchmark's arithmetic and instruments, without timing anything: the four figures of its last line,
where each comes from, the process-tree memory sampler, and the baseline parsing the pipeline's texts."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.baseline import parse_texts
from bench.figures import (
    BASELINE,
    FULL,
    RERUN,
    Timing,
    combine,
    compute,
    cpu_cross_check,
    final_line,
    load,
    save,
    source_lines,
)
from bench.measure import tree_memory

LARGE_RUN = [
    Timing(BASELINE, 1_000, 60.0, 900.0),
    Timing(FULL, 1_000, 75.0, 1_700.0),
    Timing(RERUN, 1_000, 10.0, 1_000.0),
    Timing(FULL, 10_000, 700.0, 2_100.0),
    Timing(RERUN, 10_000, 14.0, 2_300.0),
]


def test_the_four_figures_come_from_the_right_measurements() -> None:
    values = compute(LARGE_RUN)
    assert values["throughput_ratio"] == pytest.approx(60.0 / 75.0)
    assert values["rerun_growth"] == pytest.approx(14.0 / 10.0)
    assert values["rerun_ratio_10k"] == pytest.approx(14.0 / 700.0)
    # the tree's peak at N = 10,000 over the full run and the re-run, never a smaller size's
    assert values["peak_rss_mb"] == 2_300.0


def test_the_cross_check_takes_the_same_ratios_of_cpu_seconds() -> None:
    timings = [Timing(t.kind, t.articles, t.seconds, t.peak_rss_mb, t.seconds / 2) for t in LARGE_RUN]
    timings[0] = Timing(BASELINE, 1_000, 60.0, 900.0, cpu_seconds=90.0)  # two parse processes: CPU > wall
    assert cpu_cross_check(timings) == ("cross-check, the same ratios of CPU seconds (user + system of each "
                                        "process tree): throughput_ratio=2.400, rerun_growth=1.400, "
                                        "rerun_ratio_10k=0.020")


def test_a_run_that_stops_at_1000_measures_only_the_throughput_ratio() -> None:
    small_run = [t for t in LARGE_RUN if t.articles == 1_000]
    assert compute(small_run) == {"throughput_ratio": pytest.approx(0.8)}


def test_figures_not_measured_come_from_the_saved_run_and_say_so(tmp_path: Path) -> None:
    path = tmp_path / "large.json"
    save(path, {"command": "python -m bench.run --sizes 1000 10000", "written_at": "2026-11-29 16:00 UTC",
                "commit": "abc1234", "load": 3.2, "figures": compute(LARGE_RUN)})
    figures = combine({"throughput_ratio": 0.9}, load(path), "measured in this run")

    assert final_line(figures) == (
        "throughput_ratio=0.900 rerun_growth=1.400 rerun_ratio_10k=0.020 peak_rss_mb=2300"
    )
    assert figures.sources["throughput_ratio"] == "measured in this run"  # this run's value wins
    lines = source_lines(figures)
    for line in lines[1:4]:
        assert line.endswith("from the saved run below, not measured in this run")
    assert lines[4].startswith("saved run: ")
    for detail in ("2026-11-29 16:00 UTC", "abc1234", "load average 3.2", str(path)):
        assert detail in lines[4]


def test_without_a_saved_run_the_missing_figures_are_not_available(tmp_path: Path) -> None:
    figures = combine({"throughput_ratio": 0.8}, load(tmp_path / "absent.json"), "measured in this run")
    assert final_line(figures) == (
        "throughput_ratio=0.800 rerun_growth=n/a rerun_ratio_10k=n/a peak_rss_mb=n/a"
    )
    lines = source_lines(figures)
    assert lines[0].startswith("throughput_ratio=0.800 MISSES target >= 0.85")
    assert lines[1].startswith("rerun_growth: n/a")


def test_a_damaged_saved_run_is_an_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "large.json"
    path.write_text('{"figures": ', encoding="utf-8")
    with pytest.raises(ValueError, match=r"large\.json"):
        load(path)


def test_tree_memory_counts_every_process_of_the_tree() -> None:
    """A parent holding ~150 MB starts a child holding ~150 MB: the tree's RSS is both, not the largest."""
    hold = "b = b'x' * (150 * 2**20); import time; time.sleep(30)"
    start_child = f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {hold!r}])"
    parent = subprocess.Popen([sys.executable, "-c", f"{start_child}; {hold}"])
    try:
        deadline, rss, pss, largest, count = time.monotonic() + 20, 0, 0, 0, 0
        while time.monotonic() < deadline and min(rss, pss) < 290 * 2**20:
            time.sleep(0.2)
            rss, pss, largest, count = tree_memory(parent.pid)
        assert count == 2
        assert rss >= 290 * 2**20
        assert largest < 200 * 2**20
        assert pss >= 290 * 2**20  # nothing of the two buffers is shared
    finally:
        for child in __import__("psutil").Process(parent.pid).children(recursive=True):
            child.kill()
        parent.kill()
        parent.wait()


def test_the_baseline_parses_what_the_pipeline_parses(tmp_path: Path, parse) -> None:
    """An indented line wrap inside an expression: the baseline hands spaCy the same single-spaced
    paragraph as the pipeline, while the pipeline's offsets still slice the source, wrap included."""
    text = (
        "Le conseil municipal de la commune s'est réuni lundi soir dans la salle des fêtes, devant une "
        "centaine d'habitants venus débattre du projet de rénovation de la place du marché.\n\n"
        "Jean-Pierre Lefèvre, le maire, a annoncé devant la presse que la commune saisirait la Cour\n"
        "      suprême si le département maintenait son refus de financer les travaux.\n\n"
        "Les travaux doivent commencer au printemps et durer dix-huit mois, selon le calendrier présenté "
        "par les services techniques, qui promettent de maintenir le marché pendant le chantier.\n"
    )
    (tmp_path / "article.txt").write_text(text, encoding="utf-8")
    document = parse(text, doc_id="article")

    texts = parse_texts(tmp_path)

    assert texts == [paragraph.text for paragraph in document.paragraphs]
    assert "saisirait la Cour suprême si" in texts[1]
    wrapped = document.paragraphs[1]
    court = wrapped.doc.char_span(wrapped.text.index("Cour"), wrapped.text.index(" si le"))
    start, end = wrapped.span_offsets(court)
    assert text[start:end] == "Cour\n      suprême"

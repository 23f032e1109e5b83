"""Large articles: the dates and events stages stay linear in the size of one article.

A single article of tens of thousands of paragraphs (each naming a person and a date) once made the
events stage join every entity mention with every temporal expression of the article: memory grew with
the square of the article. These tests run such articles with bounds on time and memory.
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

# Invented people, places and actions: every paragraph names one person and one date.
_FIRST = ["Amélie", "Bastien", "Chloé", "Damien", "Élodie", "Fabrice", "Gaëlle", "Hugo", "Inès", "Julien",
          "Karine", "Loïc", "Maëva", "Nicolas", "Océane", "Pascal", "Quentin", "Rachida", "Sylvain",
          "Tiphaine"]
_LAST = ["Garnier", "Lemoine", "Perrin", "Roussel", "Marchand", "Fontaine", "Chevalier", "Caron", "Morel",
         "Gauthier", "Brunet", "Vasseur", "Leclerc", "Rivière", "Baron", "Collin", "Hamon", "Royer"]
_CITIES = ["Lille", "Nantes", "Dijon", "Grenoble", "Rouen", "Limoges", "Brest", "Toulon", "Angers", "Metz"]
_MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "septembre", "octobre",
           "novembre"]
_WHEN = ["Le {day} {month} 2023", "Mardi dernier", "Hier", "Le lendemain", "En {month} 2022", "Jeudi",
         "La semaine dernière", "Il y a deux ans"]
_WHAT = ["a été nommé adjoint", "a démissionné du conseil", "a inauguré la médiathèque",
         "a signé un accord", "a été élu président", "a quitté le club", "a lancé un festival"]


def article_text(n_paragraphs: int) -> str:
    """A French article of ``n_paragraphs`` short paragraphs (about 85 characters each), deterministic."""
    paragraphs = ["Publié le 13 mars 2024"]
    for i in range(n_paragraphs):
        when = _WHEN[i % len(_WHEN)].format(day=i % 28 + 1, month=_MONTHS[i % len(_MONTHS)])
        person = f"{_FIRST[i % len(_FIRST)]} {_LAST[(i // len(_FIRST)) % len(_LAST)]}"
        what = _WHAT[(i // 3) % len(_WHAT)]
        paragraphs.append(f"{when}, {person} {what} à {_CITIES[i % len(_CITIES)]} devant {i % 90 + 10} "
                          "habitants.")
    return "\n\n".join(paragraphs) + "\n"


# --- running a step in a watched child process -----------------------------------------------------------
# Polars and spaCy allocate outside Python (``tracemalloc`` does not see them), and a quadratic step can
# exhaust the machine in seconds: each measured step runs in a fresh (spawned, never forked: polars'
# threads may run here) process whose resident memory is polled, killed above a bound or after a delay.


def _rss_mb(pid: int | str = "self") -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) // 1024
    except FileNotFoundError:  # the process has just exited
        pass
    return 0


def _peak_rss_mb() -> int:
    """Peak resident memory of this process and of its children (Linux reports kilobytes)."""
    return max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF,
                                                               resource.RUSAGE_CHILDREN)) // 1024


def _run_watched(target: Callable[..., None], args: tuple, max_rss_mb: int,
                 timeout_s: float) -> tuple[Any, float]:
    """``target(*args, queue)`` in a spawned process; (what it put on the queue, seconds it took).

    Fails the test when the process passes ``max_rss_mb`` resident or runs longer than ``timeout_s``.
    """
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    child = context.Process(target=target, args=(*args, results))
    started, peak = time.monotonic(), 0
    child.start()
    while child.is_alive() and results.empty():
        peak = max(peak, _rss_mb(child.pid))
        if peak > max_rss_mb or time.monotonic() - started > timeout_s:
            child.kill()
            child.join()
            seconds = time.monotonic() - started
            pytest.fail(f"{target.__name__}: killed at {peak} MB resident (limit {max_rss_mb} MB) after "
                        f"{seconds:.0f} s (limit {timeout_s:.0f} s)")
        time.sleep(0.05)
    result = results.get(timeout=30)
    child.join()
    return result, time.monotonic() - started


# --- unit: one article of 20,000 paragraphs, each with a mention and a date -------------------------------

N_PARAGRAPHS = 20_000


def _one_article_frames(n: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Mentions, entities and expressions of one article of ``n`` paragraphs of 80 characters: a person
    at 10..22 and a date at 30..42 in each, and every tenth paragraph a mention that is the date itself."""
    starts = [i * 80 for i in range(n)]
    mentions = pl.DataFrame({
        "doc_id": "big", "doc_char_start": [s + 10 for s in starts] + [s + 30 for s in starts[::10]],
        "doc_char_end": [s + 22 for s in starts] + [s + 38 for s in starts[::10]],
        "entity_id": [f"e{i % 500}" for i in range(n)] + ["e:vendredi"] * len(starts[::10]),
    })
    entities = pl.DataFrame({"entity_id": [f"e{i}" for i in range(500)] + ["e:vendredi"],
                             "name": [f"Nom {i}" for i in range(500)] + ["Vendredi"]})
    timexes = pl.DataFrame({"doc_id": "big", "doc_char_start": [s + 30 for s in starts],
                            "doc_char_end": [s + 42 for s in starts]})
    return mentions, entities, timexes


def _time_mentions_by_doc(n: int, results: multiprocessing.Queue) -> None:
    """(seconds, peak memory growth in MB, result) of ``_mentions_by_doc`` on one article of ``n``
    paragraphs."""
    from pipeline.events import _mentions_by_doc

    frames = _one_article_frames(n)
    # the process's peak so far, not its current size: a peak reached before (imports, the frames) and
    # released since would otherwise count as growth of the step
    before = max(_rss_mb(), _peak_rss_mb())
    started = time.perf_counter()
    found = _mentions_by_doc(*frames)
    seconds = time.perf_counter() - started
    results.put((seconds, _peak_rss_mb() - before, len(found["big"]), found["big"][:2]))


def test_mentions_of_a_large_article_are_found_in_linear_time_and_memory() -> None:
    """The pairwise join of mentions and expressions needed ~16 GB here; killed above 2.5 GB."""
    (seconds, growth_mb, n_found, first), _ = _run_watched(
        _time_mentions_by_doc, (N_PARAGRAPHS,), max_rss_mb=2_500, timeout_s=120)
    assert n_found == N_PARAGRAPHS  # the mentions that are the dates themselves are left out
    assert first == [(10, 22, "e0", "Nom 0"), (90, 102, "e1", "Nom 1")]
    assert seconds < 5, seconds
    assert growth_mb < 300, growth_mb


def test_span_index_answers_like_a_scan() -> None:
    from pipeline.spans import SpanIndex

    spans = [(0, 5), (3, 30), (6, 8), (10, 12), (12, 20), (40, 41), (40, 50)]
    index = SpanIndex(spans, lambda span: span)
    for lo in range(0, 55):
        for hi in range(lo, 56):
            assert list(index.overlapping(lo, hi)) == [(s, e) for s, e in spans if s < hi and e > lo]
            assert index.starting_in(lo, hi) == [(s, e) for s, e in spans if lo <= s < hi]


def test_expressions_of_one_huge_paragraph_are_resolved_in_linear_time() -> None:
    """Choosing among overlapping matches and placing ``le lendemain`` after the previous date once
    compared each expression with all those before it."""
    import datetime as dt

    from pipeline.temporal import Timex, _resolve_all, _Resolved, _select

    n = 10_000
    found = [Timex(i * 20, i * 20 + 12, None, "day", "relative", anaphoric="next_day") for i in range(n)]
    found += [Timex(i * 20 + 2, i * 20 + 8, None, "day", "relative") for i in range(n)]  # inside the others
    started = time.perf_counter()
    chosen = _select(found)
    items = [_Resolved(None, timex, f"big:t{i}") for i, timex in enumerate(chosen)]
    items[0].timex.value = "2024-03-13"
    items[0].timex.anaphoric = None
    resolved = _resolve_all([items], {}, dt.date(2024, 3, 13))
    seconds = time.perf_counter() - started
    assert len(chosen) == n and len(resolved) == n
    assert (resolved[1].timex.value, resolved[1].timex.anchor) == ("2024-03-14", "big:t0")
    assert resolved[-1].timex.anchor == f"big:t{n - 2}"
    assert seconds < 5, seconds  # about 0.5 s; comparing with every earlier expression took over 15 s


# --- end to end: the seeds, one article of 10,000 paragraphs and dates at the ends of the calendar --------

LARGE_PARAGRAPHS = 10_000
MAX_RSS_MB = 4_096
TOMORROW = ("Demain, la commune de Vernay inaugurera sa nouvelle médiathèque en présence du maire, Paul "
            "Girard. Les habitants sont invités à découvrir les collections et les ateliers proposés aux "
            "enfants pendant tout le week-end.\n")
EDGE_ARTICLES = {  # name -> (text, sidecar published_at or None)
    "far_future": (TOMORROW, "9999-12-31"),
    "far_past": (TOMORROW, "0001-01-01"),
    "stamp_9999": ("Publié le 31 décembre 9999\n\n" + TOMORROW, None),
}


def _large_folder(folder: Path) -> None:
    for path in SEEDS.iterdir():
        if path.suffix in (".txt", ".json"):
            shutil.copy(path, folder / path.name)
    text = article_text(LARGE_PARAGRAPHS)
    assert 800_000 < len(text) < 1_000_000  # under the article length the ingest accepts
    (folder / "large.txt").write_text(text, encoding="utf-8")
    for name, (body, published_at) in EDGE_ARTICLES.items():
        (folder / f"{name}.txt").write_text(body, encoding="utf-8")
        if published_at is not None:
            (folder / f"{name}.meta.json").write_text(json.dumps({"published_at": published_at}))


def _materialize_and_query(seeds: Path, warehouse: Path, storage: Path,
                           results: multiprocessing.Queue) -> None:
    """One full run (real model, fresh instance); what the test checks, and the peak memory."""
    import duckdb

    from pipeline.warehouse import DATABASE_NAME
    from tests.runs import materialize_folder

    result = materialize_folder(seeds, warehouse, storage)
    summary: dict[str, object] = {
        "success": result.success,
        "failed_checks": [str(e.asset_key) for e in result.get_asset_check_evaluations() if not e.passed],
    }
    if result.success:
        with duckdb.connect(str(warehouse / DATABASE_NAME), read_only=True) as con:
            summary["documents"] = {row[0] for row in con.execute("SELECT doc_id FROM documents").fetchall()}
            summary["large_timexes"] = con.execute(
                "SELECT count(*), count(value) FROM temporal_expressions WHERE doc_id = 'large'").fetchone()
            summary["large_events"] = con.execute(
                "SELECT count(*), count(*) FILTER (WHERE len(participants) > 0) FROM dated_events "
                "WHERE doc_id = 'large'").fetchone()
            summary["tomorrow"] = sorted(con.execute(
                "SELECT doc_id, value FROM temporal_expressions WHERE text = 'Demain' "
                "AND doc_id IN ('far_future', 'far_past', 'stamp_9999')").fetchall())
    summary["peak_rss_mb"] = _peak_rss_mb()
    results.put(summary)


@pytest.mark.slow
def test_large_article_and_calendar_ends_run_end_to_end_in_bounded_memory(tmp_path: Path) -> None:
    """The slow one (about a minute): a full run of every asset with the real model, in a child process
    killed above 4 GB resident or after 300 s. The run must succeed, the large article must be dated and
    its events found with their participants, and the dates at the ends of the calendar must be NULL."""
    seeds, warehouse, storage = tmp_path / "seeds", tmp_path / "warehouse", tmp_path / "storage"
    for folder in (seeds, warehouse, storage):
        folder.mkdir()
    _large_folder(seeds)
    summary, _ = _run_watched(_materialize_and_query, (seeds, warehouse, storage),
                              max_rss_mb=MAX_RSS_MB, timeout_s=300)
    assert summary["success"] and not summary["failed_checks"], summary
    assert {"large", *EDGE_ARTICLES} <= summary["documents"]
    n_timexes, n_valued = summary["large_timexes"]
    assert n_timexes >= LARGE_PARAGRAPHS and n_valued >= LARGE_PARAGRAPHS * 0.9
    n_events, n_with_participants = summary["large_events"]
    assert n_events >= LARGE_PARAGRAPHS * 0.5 and n_with_participants >= n_events * 0.9
    assert summary["tomorrow"] == [(name, None) for name in sorted(EDGE_ARTICLES)]
    assert summary["peak_rss_mb"] < MAX_RSS_MB, summary["peak_rss_mb"]

"""Run one command as a child process and print its wall time and peak memory as JSON.

    python -m bench.measure -- CMD ARGS...

The pipeline runs in several processes (the run process and its Dask workers), so
the peak of the largest one understates what the machine needs. Every 0.2 s this sums the proportional
set size (PSS, ``/proc/<pid>/smaps_rollup``) of the command's whole process tree; PSS splits pages shared
after a fork between the processes that share them, so the sum is the tree's real footprint. The peak of
that sum is ``peak_rss_mb`` (``peak_at``: when); ``peak_single_rss_mb`` is the peak RSS of the largest
process (the kernel's, and the sampled one of every process in the tree).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

SAMPLE_SECONDS = 0.2


def children_of() -> dict[int, list[int]]:
    """``ppid -> [pid]`` for every process visible in ``/proc``."""
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def tree_memory_kb(roots: list[int]) -> tuple[int, int]:
    """Summed PSS of the ``roots`` and all their descendants, and the largest RSS among them, in kB."""
    tree, total, largest, todo = children_of(), 0, 0, list(roots)
    while todo:
        pid = todo.pop()
        todo.extend(tree.get(pid, []))
        try:
            fields = dict(line.split(":", 1) for line in
                          Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        except (OSError, ValueError):
            continue
        total += int(fields.get("Pss", "0 kB").split()[0])
        largest = max(largest, int(fields.get("Rss", "0 kB").split()[0]))
    return total, largest


def main() -> None:
    separator = sys.argv.index("--")
    command = sys.argv[separator + 1 :]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak_kb, peak_at, largest_kb = 0, 0.0, 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_kb, peak_at, largest_kb
        while not done.wait(SAMPLE_SECONDS):
            kb, largest = tree_memory_kb([child.pid])
            largest_kb = max(largest_kb, largest)
            if kb > peak_kb:
                peak_kb, peak_at = kb, time.time()

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = child.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    single_kb = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, largest_kb)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": max(peak_kb, single_kb) / 1024,
                "peak_single_rss_mb": single_kb / 1024,
                "peak_at": peak_at,  # Unix time of the tree's peak, to find the step that was running
                "returncode": child.returncode,
                "stderr_tail": stderr[-2000:],
            }
        )
    )


if __name__ == "__main__":
    main()

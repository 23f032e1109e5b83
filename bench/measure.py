"""Run one command as a child process and print its wall time and peak memory as JSON.

    python -m bench.measure -- CMD ARGS...

The pipeline runs in several processes (the run process, Dask's nannies and workers, anything they start),
so the peak of the largest one understates what the machine needs. Every 0.2 s this walks the command's
whole process tree (psutil) and sums the resident set size (RSS) of every process in it: the peak of that
sum is ``peak_rss_mb`` (``peak_at``: when), the figure issue 17 bounds. RSS counts a page shared between two
processes twice (shared libraries, pages shared after a fork), so the sum is an upper bound; the summed
proportional set size (PSS, shared pages split between their sharers) at the same moments is reported
beside it as ``peak_pss_mb``, the tree's real footprint. ``peak_single_rss_mb`` is the largest process.
``cpu_seconds`` is the user + system CPU time of every descendant that was waited for (all of them in a
clean run): unlike wall time, it barely moves when other work shares the machine.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time

import psutil

SAMPLE_SECONDS = 0.2
MB = 1024 * 1024


def tree_memory(root: int) -> tuple[int, int, int, int]:
    """Summed RSS, summed PSS, largest RSS (bytes) and process count of ``root`` and all its descendants."""
    try:
        parent = psutil.Process(root)
        processes = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return 0, 0, 0, 0  # the command has ended
    rss = pss = largest = count = 0
    for process in processes:
        try:
            info = process.memory_full_info()
        except psutil.Error:
            continue  # the process ended while we looked
        rss, pss, largest, count = rss + info.rss, pss + info.pss, max(largest, info.rss), count + 1
    return rss, pss, largest, count


class TreeSampler:
    """Samples :func:`tree_memory` of one process tree in a thread and keeps the peaks."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak_rss = self.peak_pss = self.largest = self.processes = 0
        self.peak_at = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._done.wait(SAMPLE_SECONDS):
            rss, pss, largest, count = tree_memory(self.root)
            self.largest = max(self.largest, largest)
            self.peak_pss = max(self.peak_pss, pss)
            self.processes = max(self.processes, count)
            if rss > self.peak_rss:
                self.peak_rss, self.peak_at = rss, time.time()

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._done.set()
        self._thread.join()


def main() -> None:
    command = sys.argv[sys.argv.index("--") + 1 :]
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    with TreeSampler(child.pid) as sampler:
        _, stderr = child.communicate()
        seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    single = max(usage.ru_maxrss * 1024, sampler.largest)  # the kernel's peak catches what sampling missed
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": usage.ru_utime + usage.ru_stime,
                "peak_rss_mb": max(sampler.peak_rss, single) / MB,
                "peak_pss_mb": sampler.peak_pss / MB,
                "peak_single_rss_mb": single / MB,
                "processes": sampler.processes,  # the most processes seen in the tree at once
                "peak_at": sampler.peak_at,  # Unix time of the tree's peak, to find the step that was running
                "load_before": load_before,
                "load_after": os.getloadavg()[0],
                "returncode": child.returncode,
                "stderr_tail": stderr[-2000:],
            }
        )
    )


if __name__ == "__main__":
    main()

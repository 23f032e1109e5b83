"""Run one command as a child process and print its wall time and peak resident memory as JSON.

    python -m bench.measure -- CMD ARGS...

A wrapper process per measurement, so ``RUSAGE_CHILDREN`` covers exactly that command and its workers
(the peak of the largest process among them, as the kernel reports it)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> None:
    command = sys.argv[sys.argv.index("--") + 1 :]
    started = time.perf_counter()
    completed = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": peak_kb / 1024,
                "returncode": completed.returncode,
                "stderr_tail": completed.stderr[-2000:],
            }
        )
    )


if __name__ == "__main__":
    main()

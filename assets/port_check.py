"""Fail fast when the UI's port is taken (``make dev``): otherwise a second ``dagster dev`` waits silently.

    python -m assets.port_check PORT [HOST]      # exit status 1 and a message on stderr if PORT is taken
"""

from __future__ import annotations

import socket
import sys

DEFAULT_HOST = "127.0.0.1"


def port_is_free(port: int, host: str = DEFAULT_HOST) -> bool:
    """Whether a server could listen on ``host:port`` now.

    Binds with ``SO_REUSEADDR`` like the UI's server does, so a port left in TIME_WAIT by a server that
    just stopped counts as free, and one with a listener (on ``host`` or on every address) as taken.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def busy_message(port: int, host: str = DEFAULT_HOST) -> str:
    return (f"port {port} is in use on {host} (another Dagster UI?); "
            f"set DAGSTER_PORT=<a free port>, e.g. make dev DAGSTER_PORT={port + 1}")


def main(argv: list[str]) -> int:
    if not argv or not argv[0].isdigit():
        print("usage: python -m assets.port_check PORT [HOST]", file=sys.stderr)
        return 2
    port, host = int(argv[0]), argv[1] if len(argv) > 1 else DEFAULT_HOST
    if port_is_free(port, host):
        return 0
    print(busy_message(port, host), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

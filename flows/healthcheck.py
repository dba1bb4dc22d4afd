"""`python -m flows.healthcheck url URL | dask-worker ADDRESS NAME`: the stack's probes.

Healthchecks of the compose services that run the project's image (docker-compose.yml),
written here rather than inline in the YAML so that the native-topology tests run the
very same probes against the same services started on this machine. Exit 0 healthy,
1 not (Docker's convention); a probe never hangs longer than `TIMEOUT_SECONDS`.
"""

from __future__ import annotations

import re
import sys
import urllib.error
import urllib.request
from collections.abc import Sequence
from enum import StrEnum

TIMEOUT_SECONDS = 5.0


class Probe(StrEnum):
    URL = "url"
    """An HTTP endpoint answers 2xx: the Prefect worker's /health, the Dask dashboard's."""
    DASK_WORKER = "dask-worker"
    """This container's Dask workers are registered with the scheduler: a worker process
    can be up and yet have lost its scheduler, which its own port would not tell."""


def url_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return 200 <= int(response.status) < 300
    except (urllib.error.URLError, OSError):
        return False


def dask_worker_registered(address: str, name: str) -> bool:
    """A worker named `name` (or `name-0`, `name-1`, … with `--nworkers`) is known to
    the scheduler at `address`."""
    from distributed import Client

    try:
        with Client(address, timeout=TIMEOUT_SECONDS, set_as_default=False) as client:
            workers = client.scheduler_info(n_workers=-1)["workers"].values()
    except OSError:
        return False
    own = re.compile(rf"{re.escape(name)}(-\d+)?")
    return any(own.fullmatch(str(worker.get("name", ""))) for worker in workers)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == [Probe.URL] and len(args) == 2:
        healthy = url_ok(args[1])
    elif args[:1] == [Probe.DASK_WORKER] and len(args) == 3:
        healthy = dask_worker_registered(args[1], args[2])
    else:
        print(
            f"usage: python -m flows.healthcheck {Probe.URL} URL | "
            f"{Probe.DASK_WORKER} ADDRESS NAME",
            file=sys.stderr,
        )
        return 2
    return 0 if healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""The docker-compose topology, run natively: a real Prefect server (SQLite, a free
port), `prefect deploy` from prefect.yaml to a process work pool, a worker, and
`python -m flows.serve` — each deployment triggered once and its output checked.

Everything started here is stopped here, by process group.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pipeline.config import PipelineConfig
from pipeline.output.names import ARTICLES, QUARANTINE
from pipeline.runtime import run
from tests.support import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(420)]

PREFECT = [sys.executable, "-m", "prefect"]
FLOW = "clean-articles"
POOL = "newsclean-process"
RETRYABLE = {429, 502, 503}


class Stack:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = _free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
            "PREFECT_HOME": str(tmp / "prefect-home"),
            "PREFECT_LOCAL_STORAGE_PATH": str(tmp / "results"),
            "PREFECT_API_URL": self.api,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_UI_ENABLED": "false",
        }
        self.processes: list[subprocess.Popen[bytes]] = []
        self.http = httpx.Client(base_url=self.api, timeout=10)

    def start(self, argv: list[str], name: str) -> subprocess.Popen[bytes]:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 (closed by the child)
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.processes.append(process)
        return process

    def call(self, argv: list[str]) -> None:
        done = subprocess.run(argv, cwd=ROOT, env=self.env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr

    def wait_for(self, what: str, probe: Callable[[], Any], seconds: float) -> Any:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                found = probe()
            except httpx.HTTPError:
                found = None
            if found:
                return found
            for process in self.processes:
                assert process.poll() is None, f"{process.args!r} exited while waiting: {what}"
            time.sleep(0.5)
        raise AssertionError(f"timed out waiting for {what}; logs in {self.tmp}")

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """Retry what the server marks retryable, as Prefect's own client does: a
        SQLite server answers 503 while another writer holds the database."""
        for pause in (0.5, 1, 2, 4, 8, 16):
            response = self.http.request(method, url, **kwargs)
            if response.status_code not in RETRYABLE:
                return response
            time.sleep(pause)
        return response

    def deployment(self, name: str) -> dict[str, Any] | None:
        response = self.request("GET", f"/deployments/name/{FLOW}/{name}")
        return response.json() if response.status_code == 200 else None

    def run_deployment(self, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
        deployment = self.wait_for(f"deployment {name}", lambda: self.deployment(name), 60)
        created = self.request(
            "POST",
            f"/deployments/{deployment['id']}/create_flow_run",
            json={"parameters": parameters},
        )
        created.raise_for_status()
        run_id = created.json()["id"]

        def finished() -> dict[str, Any] | None:
            response = self.request("GET", f"/flow_runs/{run_id}")
            response.raise_for_status()
            flow_run: dict[str, Any] = response.json()
            state = flow_run["state"]["type"]
            return flow_run if state in {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"} else None

        flow_run: dict[str, Any] = self.wait_for(f"flow run of {name}", finished, 180)
        return flow_run

    def stop(self) -> None:
        self.http.close()
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    running = Stack(tmp_path_factory.mktemp("stack"))
    try:
        running.start(
            [
                *PREFECT,
                "server",
                "start",
                "--host",
                "127.0.0.1",
                "--port",
                str(running.port),
                "--no-ui",
            ],
            "server",
        )
        running.wait_for("server health", lambda: running.http.get("/health").is_success, 150)
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What `python -m pipeline run seeds` writes, run from the repo like the deployment."""
    out = tmp_path_factory.mktemp("expected")
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        run(["seeds"], out, PipelineConfig())
    finally:
        os.chdir(cwd)
    return out


def test_prefect_yaml_deploys_to_a_process_pool_and_a_worker_runs_it(
    stack: Stack, expected: Path
) -> None:
    stack.call([*PREFECT, "work-pool", "create", POOL, "--type", "process"])
    stack.call([*PREFECT, "--no-prompt", "deploy", "--all"])
    deployment = stack.deployment("newsclean-scheduled")
    assert deployment is not None
    assert deployment["work_pool_name"] == POOL
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 * * * *"]
    assert deployment["parameters"]["inputs"] == ["seeds"]

    stack.start([*PREFECT, "worker", "start", "--pool", POOL], "worker")
    out = stack.tmp / "deployed"
    flow_run = stack.run_deployment("newsclean-scheduled", {"out": str(out)})

    assert flow_run["state"]["type"] == "COMPLETED", flow_run["state"]
    for name in (ARTICLES, QUARANTINE):
        assert (out / name).read_bytes() == (expected / name).read_bytes(), name


def test_serve_registers_the_cron_schedule_and_runs_triggered_work(stack: Stack) -> None:
    out = stack.tmp / "served"
    stack.start(
        [
            sys.executable,
            "-m",
            "flows.serve",
            "--cron",
            "*/5 * * * *",
            "--name",
            "served",
            "seeds",
            "--out",
            str(out),
        ],
        "serve",
    )
    deployment = stack.wait_for("served deployment", lambda: stack.deployment("served"), 90)
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["*/5 * * * *"]
    assert deployment["parameters"]["inputs"] == [str(ROOT / "seeds")]

    flow_run = stack.run_deployment("served", {})

    assert flow_run["state"]["type"] == "COMPLETED", flow_run["state"]
    lines = (out / ARTICLES).read_text().splitlines()
    assert len(lines) == 5

"""The docker-compose topology, run natively: a real Prefect server (SQLite, a free
port), `prefect deploy` from prefect.yaml to a process work pool, a worker, and
`python -m flows.serve` — what an operator does, and what an operator trips on:

- each deployment triggered once and its output checked against the CLI's;
- two overlapping runs of a deployment: one runs, the newer is cancelled (the
  deployment concurrency limit of prefect.yaml and of serve);
- a run that meets an output folder another run holds ends Cancelled with one line;
- a schedule fired by the server's scheduler, its run executed by the worker;
- serve under the pool deployment's name refused; stopping serve pauses its own
  deployment only, never the pool's schedule.

Everything started here is stopped here, by process group.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from flows.clean_articles import BUSY_STATE
from flows.serve import DEPLOYMENT_NAME, POOL_DEPLOYMENT_NAME
from pipeline.config import PipelineConfig
from pipeline.output import ARTICLES, QUARANTINE, output_lock
from pipeline.runtime import run
from tests.support import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.timeout(420)]

PREFECT = [sys.executable, "-m", "prefect"]
FLOW = "clean-articles"
POOL = "newsclean-process"
RETRYABLE = {429, 502, 503}
FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
POLL_SECONDS = "2"
"""How often the scheduler, the worker and serve look for work (60, 10, 10 by default):
the tests wait for each of them."""


class Stack:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.port = _free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.auth = ("newsclean", secrets.token_urlsafe(16))
        self.redis_port = _free_port()
        self.worker_health = _free_port()
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")},
            "PREFECT_HOME": str(tmp / "prefect-home"),
            "PREFECT_LOCAL_STORAGE_PATH": str(tmp / "results"),
            "PREFECT_API_URL": self.api,
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_SERVER_UI_ENABLED": "false",
            "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": POLL_SECONDS,
            "PREFECT_WORKER_QUERY_SECONDS": POLL_SECONDS,
            "PREFECT_RUNNER_POLL_FREQUENCY": POLL_SECONDS,
            # as docker-compose.yml: the server requires the auth string, clients send it
            "PREFECT_SERVER_API_AUTH_STRING": ":".join(self.auth),
            "PREFECT_API_AUTH_STRING": ":".join(self.auth),
            "REDIS_PASSWORD": secrets.token_urlsafe(16),
            "PREFECT_WORKER_WEBSERVER_HOST": "127.0.0.1",
            "PREFECT_WORKER_WEBSERVER_PORT": str(self.worker_health),
        }
        self.processes: list[subprocess.Popen[bytes]] = []
        self.http = httpx.Client(base_url=self.api, timeout=10, auth=self.auth)

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

    def call(self, argv: list[str], expect: int = 0) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(argv, cwd=ROOT, env=self.env, capture_output=True, text=True)
        assert done.returncode == expect, done.stdout + done.stderr
        return done

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

    def trigger(self, name: str, parameters: dict[str, Any], start_in: float = 0) -> str:
        """A flow run of deployment `name`, scheduled `start_in` seconds from now."""
        deployment = self.wait_for(f"deployment {name}", lambda: self.deployment(name), 60)
        body: dict[str, Any] = {"parameters": parameters}
        if start_in:
            when = datetime.now(UTC) + timedelta(seconds=start_in)
            details = {"scheduled_time": when.isoformat()}
            body["state"] = {"type": "SCHEDULED", "state_details": details}
        created = self.request(
            "POST", f"/deployments/{deployment['id']}/create_flow_run", json=body
        )
        created.raise_for_status()
        run_id: str = created.json()["id"]
        return run_id

    def flow_run(self, run_id: str) -> dict[str, Any]:
        response = self.request("GET", f"/flow_runs/{run_id}")
        response.raise_for_status()
        found: dict[str, Any] = response.json()
        return found

    def finished(self, run_id: str, seconds: float = 180) -> dict[str, Any]:
        def final() -> dict[str, Any] | None:
            flow_run = self.flow_run(run_id)
            return flow_run if flow_run["state"]["type"] in FINAL else None

        found: dict[str, Any] = self.wait_for(f"flow run {run_id}", final, seconds)
        return found

    def run_deployment(self, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
        return self.finished(self.trigger(name, parameters))

    def logs(self, run_id: str) -> list[str]:
        body = {"logs": {"flow_run_id": {"any_": [run_id]}}, "sort": "TIMESTAMP_ASC"}
        response = self.request("POST", "/logs/filter", json=body)
        response.raise_for_status()
        return [log["message"] for log in response.json()]

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
        redis = [shutil.which("redis-server") or "redis-server", "--port", str(running.redis_port)]
        redis += ["--save", "", "--dir", str(running.tmp)]
        running.start([*redis, "--requirepass", running.env["REDIS_PASSWORD"]], "redis")
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
    deployment = stack.deployment(POOL_DEPLOYMENT_NAME)
    assert deployment is not None
    assert deployment["work_pool_name"] == POOL
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["0 * * * *"]
    assert deployment["parameters"]["inputs"] == ["seeds"]
    assert deployment["global_concurrency_limit"]["limit"] == 1
    assert deployment["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"

    stack.start([*PREFECT, "worker", "start", "--pool", POOL, "--with-healthcheck"], "worker")
    out = stack.tmp / "deployed"
    flow_run = stack.run_deployment(POOL_DEPLOYMENT_NAME, {"out": str(out)})

    assert flow_run["state"]["type"] == "COMPLETED", flow_run["state"]
    for name in (ARTICLES, QUARANTINE):
        assert (out / name).read_bytes() == (expected / name).read_bytes(), name


def test_the_api_refuses_a_client_without_the_auth_string(stack: Stack) -> None:
    assert httpx.get(f"{stack.api}/flows/filter", timeout=10).status_code == 401
    assert httpx.post(f"{stack.api}/flows/filter", timeout=10).status_code == 401
    assert stack.request("POST", "/flows/filter").status_code == 200


def test_the_worker_answers_the_compose_healthcheck(stack: Stack) -> None:
    url = f"http://127.0.0.1:{stack.worker_health}/health"
    probe = [sys.executable, "-m", "flows.healthcheck", "url", url]
    healthy = stack.wait_for(
        "the worker's health endpoint",
        lambda: subprocess.run(probe, cwd=ROOT, timeout=30, check=False).returncode == 0,
        60,
    )
    assert healthy


def test_a_run_uses_the_shared_index_behind_its_password(stack: Stack) -> None:
    """The compose recipe: `index` names ${REDIS_PASSWORD}, the worker has it."""
    out = stack.tmp / "shared-index"
    index = f"redis://:${{REDIS_PASSWORD}}@127.0.0.1:{stack.redis_port}/0"
    flow_run = stack.run_deployment(POOL_DEPLOYMENT_NAME, {"out": str(out), "index": index})

    assert flow_run["state"]["type"] == "COMPLETED", flow_run["state"]
    assert flow_run["parameters"]["index"] == index  # what the server stores
    manifest = (out / "manifest.json").read_text()
    assert stack.env["REDIS_PASSWORD"] not in manifest
    assert json.loads(manifest)["crossdoc"]["index"] == index


def overlapping_runs(stack: Stack, name: str, out: Path) -> list[dict[str, Any]]:
    """Two runs of one deployment due at the same moment, both finished."""
    run_ids = [stack.trigger(name, {"out": str(out)}, start_in=3) for _ in range(2)]
    return [stack.finished(run_id) for run_id in run_ids]


def assert_one_ran_and_one_was_cancelled(runs: list[dict[str, Any]]) -> None:
    states = sorted((r["state"]["type"], r["state"]["message"] or "") for r in runs)
    assert [state for state, _ in states] == ["CANCELLED", "COMPLETED"], states
    assert "concurrency limit" in states[0][1], states


def test_an_overlapping_run_of_the_pool_deployment_is_cancelled(stack: Stack) -> None:
    out = stack.tmp / "overlap-pool"
    assert_one_ran_and_one_was_cancelled(overlapping_runs(stack, POOL_DEPLOYMENT_NAME, out))
    assert len((out / ARTICLES).read_text().splitlines()) == 5


def test_a_run_meeting_a_busy_output_folder_ends_cancelled_with_one_line(stack: Stack) -> None:
    out = stack.tmp / "busy"
    out.mkdir()
    with output_lock(out):  # another run (here: this test) holds the folder
        flow_run = stack.run_deployment(POOL_DEPLOYMENT_NAME, {"out": str(out)})

    assert flow_run["state"]["type"] == "CANCELLED", flow_run["state"]
    assert flow_run["state"]["name"] == BUSY_STATE
    logs = stack.wait_for("the run's logs", lambda: final_logs(stack, flow_run["id"]), 30)
    ours = [line for line in logs if line.startswith("cancelled: ")]
    assert len(ours) == 1 and f"output folder {out} is in use by another run" in ours[0]
    assert not any("Traceback" in line or "OutputBusyError" in line for line in logs), logs
    assert "Traceback" not in (stack.tmp / "worker.log").read_text()  # the worker's console
    assert not (out / ARTICLES).exists()


def final_logs(stack: Stack, run_id: str) -> list[str] | None:
    """The run's logs once the last one is in (they are sent in batches, after the state)."""
    logs = stack.logs(run_id)
    return logs if any(line.startswith("Finished in state") for line in logs) else None


def test_the_server_schedules_a_run_and_the_worker_runs_it(stack: Stack) -> None:
    """A schedule firing for real: the server's scheduler creates the run, the worker
    picks it up. (An interval of seconds stands in for prefect.yaml's hourly cron.)"""
    deployment = stack.deployment(POOL_DEPLOYMENT_NAME)
    assert deployment is not None
    out = stack.tmp / "scheduled"
    schedule = {"schedule": {"interval": 10}, "active": True, "parameters": {"out": str(out)}}
    created = stack.request("POST", f"/deployments/{deployment['id']}/schedules", json=[schedule])
    created.raise_for_status()
    schedule_id = created.json()[0]["id"]
    try:
        flow_run = stack.wait_for(
            "a completed scheduled run", lambda: completed_auto_run(stack, deployment["id"]), 150
        )
    finally:
        stack.request("DELETE", f"/deployments/{deployment['id']}/schedules/{schedule_id}")
        cancel_pending_runs(stack, deployment["id"])

    assert flow_run["parameters"]["out"] == str(out)
    assert len((out / ARTICLES).read_text().splitlines()) == 5


def completed_auto_run(stack: Stack, deployment_id: str) -> dict[str, Any] | None:
    body = {
        "deployments": {"id": {"any_": [deployment_id]}},
        "flow_runs": {"state": {"type": {"any_": ["COMPLETED"]}}},
    }
    response = stack.request("POST", "/flow_runs/filter", json=body)
    response.raise_for_status()
    runs = [r for r in response.json() if r["auto_scheduled"]]
    return runs[0] if runs else None


def cancel_pending_runs(stack: Stack, deployment_id: str) -> None:
    """What the deleted schedule left due or running: later tests need the slot."""
    body = {
        "deployments": {"id": {"any_": [deployment_id]}},
        "flow_runs": {"state": {"type": {"not_any_": sorted(FINAL)}}},
    }
    response = stack.request("POST", "/flow_runs/filter", json=body)
    response.raise_for_status()
    for flow_run in response.json():
        state = {"state": {"type": "CANCELLED", "message": "test cleanup"}, "force": True}
        stack.request("POST", f"/flow_runs/{flow_run['id']}/set_state", json=state)
    for flow_run in response.json():
        stack.finished(flow_run["id"], 60)


def test_serve_refuses_the_name_of_the_pool_deployment(stack: Stack) -> None:
    done = stack.call(
        [
            sys.executable,
            "-m",
            "flows.serve",
            "--cron",
            "*/5 * * * *",
            "--name",
            POOL_DEPLOYMENT_NAME,
            "seeds",
            "--out",
            str(stack.tmp / "never"),
        ],
        expect=2,
    )
    assert f"runs on work pool {POOL}" in done.stderr and "Traceback" not in done.stderr
    deployment = stack.deployment(POOL_DEPLOYMENT_NAME)
    assert deployment is not None and deployment["work_pool_name"] == POOL
    assert not deployment["paused"] and all(s["active"] for s in deployment["schedules"])


@pytest.fixture(scope="module")
def served(stack: Stack) -> Iterator[subprocess.Popen[bytes]]:
    """`python -m flows.serve` under its default name, with run options of the CLI's."""
    process = stack.start(
        [
            sys.executable,
            "-m",
            "flows.serve",
            "--cron",
            "*/5 * * * *",
            "seeds",
            "--out",
            str(stack.tmp / "served"),
            "--workers",
            "1",
            "--drop-duplicate-articles",
        ],
        "serve",
    )
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def test_serve_registers_its_own_deployment_and_runs_triggered_work(
    stack: Stack, served: subprocess.Popen[bytes]
) -> None:
    deployment = stack.wait_for("served deployment", lambda: stack.deployment(DEPLOYMENT_NAME), 90)
    assert deployment["work_pool_name"] is None
    assert [s["schedule"]["cron"] for s in deployment["schedules"]] == ["*/5 * * * *"]
    parameters = deployment["parameters"]
    assert parameters["inputs"] == [str(ROOT / "seeds")]
    assert parameters["workers"] == 1 and parameters["drop_duplicate_articles"] is True
    assert deployment["global_concurrency_limit"]["limit"] == 1
    assert deployment["concurrency_options"]["collision_strategy"] == "CANCEL_NEW"
    pool_deployment = stack.deployment(POOL_DEPLOYMENT_NAME)
    assert pool_deployment is not None and pool_deployment["id"] != deployment["id"]

    flow_run = stack.run_deployment(DEPLOYMENT_NAME, {})

    assert flow_run["state"]["type"] == "COMPLETED", flow_run["state"]
    lines = (stack.tmp / "served" / ARTICLES).read_text().splitlines()
    assert len(lines) == 5


def test_an_overlapping_served_run_is_cancelled(
    stack: Stack, served: subprocess.Popen[bytes]
) -> None:
    out = stack.tmp / "overlap-served"
    assert_one_ran_and_one_was_cancelled(overlapping_runs(stack, DEPLOYMENT_NAME, out))


def test_stopping_serve_pauses_its_deployment_and_not_the_pool_one(
    stack: Stack, served: subprocess.Popen[bytes]
) -> None:
    os.killpg(served.pid, signal.SIGTERM)
    served.wait(timeout=60)

    deployment = stack.deployment(DEPLOYMENT_NAME)
    assert deployment is not None and deployment["paused"]
    pool_deployment = stack.deployment(POOL_DEPLOYMENT_NAME)
    assert pool_deployment is not None and not pool_deployment["paused"]
    assert pool_deployment["work_pool_name"] == POOL

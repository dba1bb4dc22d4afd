"""The docker-compose stack, checked structurally (no Docker engine on our machines).

What is checked is what an operator relies on: nothing published beyond this machine,
no service without credentials, no secret in the repository, files in output/ owned by
the user, pinned images and packages, the task cache on a volume, a service waiting only
for what it needs, and a healthcheck wherever something keeps running. The same topology
is run natively in test_deployment.py, and the probes of the project's image are run
natively here.
"""

from __future__ import annotations

import inspect
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from flows.healthcheck import dask_worker_registered
from flows.report import HOST_OUTPUT_ENV
from tests.support import ROOT

COMPOSE = ROOT / "docker-compose.yml"
PREFECT_YAML = ROOT / "prefect.yaml"
DOCKERFILE = ROOT / "Dockerfile"
ENV_EXAMPLE = ROOT / ".env.example"

NEEDS = {
    "prefect-server": {"postgres"},
    "deploy": {"prefect-server"},
    "worker": {"prefect-server", "deploy"},
    "dask-worker": {"dask-scheduler"},
}
"""Which service cannot start without which: every other `depends_on` is a delay (the
worker waited for Dask and Redis, which only some runs use)."""
SECRETS = {"PREFECT_AUTH_STRING", "REDIS_PASSWORD", "POSTGRES_PASSWORD"}
RESULTS = "/var/lib/newsclean/prefect-results"
REQUIRED = re.compile(r"\$\{(\w+):\?[^}]+\}")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    found: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return found


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = compose["services"]
    return found


def long_running(services: dict[str, Any]) -> list[str]:
    return [name for name, s in services.items() if s.get("restart") != "no"]


def test_the_stack_has_every_service(services: dict[str, Any]) -> None:
    assert set(services) >= {
        "postgres",
        "prefect-server",
        "deploy",
        "worker",
        "redis",
        "dask-scheduler",
        "dask-worker",
    }


def test_every_published_port_is_bound_to_this_machine_only(services: dict[str, Any]) -> None:
    published = {name: s["ports"] for name, s in services.items() if "ports" in s}
    assert published, "the UI at least is published"
    for name, ports in published.items():
        for port in ports:
            assert str(port).startswith("127.0.0.1:"), (name, port)


def test_the_dask_scheduler_is_reachable_on_the_stack_network_only(
    services: dict[str, Any],
) -> None:
    """An open Dask scheduler runs anyone's code: it is never published."""
    for name in ("dask-scheduler", "dask-worker"):
        assert "ports" not in services[name], name
    assert set(services["dask-scheduler"]["expose"]) == {"8786", "8787"}
    worker_env = services["worker"]["environment"]
    assert worker_env["DASK_SCHEDULER_ADDRESS"] == "tcp://dask-scheduler:8786"


def test_every_service_is_on_the_stack_network(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    assert set(compose["networks"]) == {"newsclean"}
    for name, service in services.items():
        assert service["networks"] == ["newsclean"], name


def test_the_prefect_api_requires_the_auth_string_and_clients_send_it(
    services: dict[str, Any],
) -> None:
    server = services["prefect-server"]["environment"]
    assert REQUIRED.fullmatch(server["PREFECT_SERVER_API_AUTH_STRING"])
    wanted = REQUIRED.fullmatch(server["PREFECT_SERVER_API_AUTH_STRING"]).group(1)  # type: ignore[union-attr]
    for name in ("deploy", "worker", "dask-scheduler", "dask-worker"):
        client = REQUIRED.fullmatch(services[name]["environment"]["PREFECT_API_AUTH_STRING"])
        assert client and client.group(1) == wanted, name
        assert services[name]["environment"]["PREFECT_API_URL"] == (
            "http://prefect-server:4200/api"
        )


def test_redis_requires_its_password(services: dict[str, Any]) -> None:
    redis = services["redis"]
    command = redis["command"]
    assert command[0] == "redis-server"  # the image's entrypoint then drops root
    assert REQUIRED.fullmatch(command[command.index("--requirepass") + 1])
    assert REQUIRED.fullmatch(redis["environment"]["REDIS_PASSWORD"])
    assert "REDISCLI_AUTH" in redis["healthcheck"]["test"][1]
    assert REQUIRED.fullmatch(services["worker"]["environment"]["REDIS_PASSWORD"])


def test_postgres_password_comes_from_the_env_file(services: dict[str, Any]) -> None:
    assert REQUIRED.fullmatch(services["postgres"]["environment"]["POSTGRES_PASSWORD"])
    url = services["prefect-server"]["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"]
    assert url.startswith("postgresql+asyncpg://prefect:${POSTGRES_PASSWORD:?")
    assert url.endswith("@postgres:5432/prefect")


def test_every_variable_is_in_the_env_example_with_no_secret_in_it() -> None:
    used = set(re.findall(r"\$\{(\w+)", COMPOSE.read_text())) - {"PWD"}
    example = dict(
        line.split("=", 1)
        for line in ENV_EXAMPLE.read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert used == set(example)
    assert used >= SECRETS
    assert all(example[name] == "" for name in SECRETS)  # compose refuses to start empty


def test_the_env_file_is_ignored_by_git_and_docker() -> None:
    assert ".env" in (ROOT / ".gitignore").read_text().split()
    assert ".env" in (ROOT / ".dockerignore").read_text().split()
    if shutil.which("git") and (ROOT / ".git").exists():
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", ".env"], cwd=ROOT, check=False
        ).returncode
        assert ignored == 0


def test_the_image_runs_as_a_user_with_the_owners_ids(services: dict[str, Any]) -> None:
    dockerfile = DOCKERFILE.read_text()
    assert re.search(r"^ARG UID=\d+$", dockerfile, re.M)
    assert re.search(r"^ARG GID=\d+$", dockerfile, re.M)
    assert re.search(r'groupadd .*--gid "\$\{GID\}" newsclean', dockerfile)
    assert re.search(r'useradd .*--uid "\$\{UID\}" --gid "\$\{GID\}"', dockerfile)
    users = re.findall(r"^USER (\S+)$", dockerfile, re.M)
    assert users == ["newsclean"]  # the last (only) USER: not root
    assert dockerfile.rindex("USER newsclean") > dockerfile.rindex("RUN ")
    assert re.search(r"chown newsclean:newsclean /app/output", dockerfile)
    for name in ("deploy", "worker", "dask-scheduler", "dask-worker"):
        build = services[name]["build"]
        assert build["context"] == "."
        assert build["args"] == {"UID": "${NEWSCLEAN_UID:-1000}", "GID": "${NEWSCLEAN_GID:-1000}"}


def test_the_task_results_live_on_a_volume(
    compose: dict[str, Any], services: dict[str, Any]
) -> None:
    """The task cache (process-batch results) outlives recreated containers, and the Dask
    worker, which runs those tasks with Dask, writes the same store the worker reads."""
    assert "prefect-results" in compose["volumes"]
    assert f"PREFECT_LOCAL_STORAGE_PATH={RESULTS}" in DOCKERFILE.read_text()
    for name in ("worker", "dask-worker"):
        service = services[name]
        assert service["environment"]["PREFECT_LOCAL_STORAGE_PATH"] == RESULTS
        assert f"prefect-results:{RESULTS}" in service["volumes"], name


def test_services_wait_only_for_what_they_need(services: dict[str, Any]) -> None:
    depends = {n: set(s["depends_on"]) for n, s in services.items() if "depends_on" in s}
    assert depends == NEEDS


def test_every_dependency_waits_for_health_or_completion(services: dict[str, Any]) -> None:
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services, (name, dependency)
            wanted = condition["condition"]
            if wanted == "service_healthy":
                assert "healthcheck" in services[dependency], (name, dependency)
            else:
                assert wanted == "service_completed_successfully", (name, dependency)
                assert services[dependency]["restart"] == "no", (name, dependency)


def test_every_long_running_service_has_a_healthcheck(services: dict[str, Any]) -> None:
    assert {"worker", "dask-worker"} <= set(long_running(services))
    for name in long_running(services):
        check = services[name]["healthcheck"]
        assert check["test"] and check["retries"] >= 3, name


def test_the_worker_checks_its_own_health_endpoint(services: dict[str, Any]) -> None:
    worker = services["worker"]
    assert "--with-healthcheck" in worker["command"]
    port = worker["environment"]["PREFECT_WORKER_WEBSERVER_PORT"]
    assert worker["environment"]["PREFECT_WORKER_WEBSERVER_HOST"] == "127.0.0.1"
    assert worker["healthcheck"]["test"][-1] == f"http://127.0.0.1:{port}/health"


def test_server_runs_on_postgres_with_ui_on_4200(services: dict[str, Any]) -> None:
    server = services["prefect-server"]
    assert "127.0.0.1:4200:4200" in server["ports"]
    assert server["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]


def test_worker_runs_the_deployment_from_this_repo(services: dict[str, Any]) -> None:
    worker = services["worker"]
    assert "./seeds:/app/seeds:ro" in worker["volumes"]
    assert "./output:/app/output:rw" in worker["volumes"]
    pool = yaml.safe_load(PREFECT_YAML.read_text())["deployments"][0]["work_pool"]["name"]
    assert pool in worker["command"]
    assert "prefect --no-prompt deploy --all" in services["deploy"]["command"]


def test_artifacts_know_where_the_host_has_the_output(services: dict[str, Any]) -> None:
    for name in ("worker", "dask-worker"):
        mapping = services[name]["environment"][HOST_OUTPUT_ENV]
        inside, _, outside = mapping.partition("=")
        assert f"./output:{inside}:rw" in services[name]["volumes"], name
        assert outside == "${NEWSCLEAN_HOST_OUTPUT_DIR:-${PWD}/output}"


def test_dask_worker_joins_the_scheduler(services: dict[str, Any]) -> None:
    command = services["dask-worker"]["command"][-1]
    assert command.startswith('exec dask worker "$$DASK_SCHEDULER_ADDRESS"')
    assert '--name "$$HOSTNAME"' in command  # what its healthcheck looks for
    assert "flows.healthcheck dask-worker" in services["dask-worker"]["healthcheck"]["test"][1]


def test_every_image_is_pinned(services: dict[str, Any]) -> None:
    for name, service in services.items():
        image = service["image"]
        tag = image.rpartition(":")[2]
        assert ":" in image and tag != "latest" and re.match(r"\d", tag), (name, image)


def test_dockerfile_base_image_is_pinned_and_installs_the_flows_extra() -> None:
    dockerfile = DOCKERFILE.read_text()
    base = re.search(r"^FROM (\S+)", dockerfile, re.M)
    assert base and re.search(r":\d+\.\d+\.\d+", base.group(1))
    assert 'pip install -c constraints.txt ".[flows]"' in dockerfile
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {"output", "seeds", ".git"} <= set(ignored)  # mounted or irrelevant


def test_prefect_yaml_declares_the_scheduled_deployment() -> None:
    spec = yaml.safe_load(PREFECT_YAML.read_text())
    (deployment,) = spec["deployments"]
    path, _, function = deployment["entrypoint"].partition(":")
    assert (ROOT / path).is_file() and f"def {function}(" in (ROOT / path).read_text()
    assert deployment["parameters"]["inputs"] == ["seeds"]
    assert deployment["parameters"]["task_runner"] in {"threads", "processes", "dask"}
    assert deployment["schedules"][0]["cron"] == "0 * * * *"
    assert Path(deployment["parameters"]["out"]).parts[0] == "output"


def test_serve_and_prefect_yaml_register_deployments_of_their_own() -> None:
    from flows.serve import DEPLOYMENT_NAME, POOL_DEPLOYMENT_NAME

    (deployment,) = yaml.safe_load(PREFECT_YAML.read_text())["deployments"]
    assert deployment["name"] == POOL_DEPLOYMENT_NAME != DEPLOYMENT_NAME


def test_both_deployments_run_one_at_a_time_and_cancel_the_newer() -> None:
    from flows.serve import concurrency_limit

    (deployment,) = yaml.safe_load(PREFECT_YAML.read_text())["deployments"]
    served = concurrency_limit()
    assert deployment["concurrency_limit"] == {
        "limit": served.limit,
        "collision_strategy": served.collision_strategy.value,
    }
    assert served.limit == 1 and served.collision_strategy.value == "CANCEL_NEW"


def test_prefect_yaml_sets_every_parameter_of_the_flow() -> None:
    """Each run option (and the flow's own) spelled out, so an operator sees them all."""
    from flows.clean_articles import clean_articles

    (deployment,) = yaml.safe_load(PREFECT_YAML.read_text())["deployments"]
    assert set(deployment["parameters"]) == set(inspect.signature(clean_articles.fn).parameters)


# -- the image's probes, run natively against the same services ------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _probe(*args: str) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "flows.healthcheck", *args], cwd=ROOT, timeout=60, check=False
    )
    return done.returncode


def _start(argv: list[str], log: Path) -> subprocess.Popen[bytes]:
    with open(log, "wb") as out:
        return subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="module")
def dask_scheduler(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """`dask scheduler` as the compose service runs it, on free ports of this machine."""
    port, dashboard = _free_port(), _free_port()
    argv = [sys.executable, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1"]
    argv += ["--port", str(port), "--dashboard-address", f"127.0.0.1:{dashboard}"]
    process = _start(argv, tmp_path_factory.mktemp("dask") / "scheduler.log")
    try:
        deadline = time.monotonic() + 60
        url = f"http://127.0.0.1:{dashboard}/health"
        while _probe("url", url) != 0:
            assert time.monotonic() < deadline and process.poll() is None, "no scheduler"
            time.sleep(0.5)
        yield f"tcp://127.0.0.1:{port}", dashboard
    finally:
        _stop(process)


@pytest.mark.integration
@pytest.mark.slow
def test_the_dask_probes_tell_a_registered_worker_from_a_missing_one(
    dask_scheduler: tuple[str, int], tmp_path: Path
) -> None:
    address, dashboard = dask_scheduler
    assert _probe("url", f"http://127.0.0.1:{dashboard}/health") == 0
    assert _probe("dask-worker", address, "container-a") == 1  # none yet
    argv = [sys.executable, "-m", "distributed.cli.dask_worker", address]
    argv += ["--nthreads", "1", "--nworkers", "2", "--name", "container-a"]
    worker = _start(argv, tmp_path / "worker.log")
    try:
        deadline = time.monotonic() + 90
        while not dask_worker_registered(address, "container-a"):
            assert time.monotonic() < deadline and worker.poll() is None, "no worker"
            time.sleep(0.5)
        assert _probe("dask-worker", address, "container-a") == 0
        assert _probe("dask-worker", address, "container") == 1  # another container's
    finally:
        _stop(worker)
    assert _probe("dask-worker", f"tcp://127.0.0.1:{_free_port()}", "container-a") == 1
    assert _probe("url", f"http://127.0.0.1:{_free_port()}/health") == 1

"""The docker-compose stack, checked structurally (no Docker engine on our machines).

The same topology is run natively in test_deployment.py.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import ROOT

COMPOSE = ROOT / "docker-compose.yml"
PREFECT_YAML = ROOT / "prefect.yaml"


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    compose = yaml.safe_load(COMPOSE.read_text())
    found: dict[str, Any] = compose["services"]
    return found


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


@pytest.mark.parametrize("name", ["postgres", "prefect-server", "redis", "dask-scheduler"])
def test_depended_on_services_have_healthchecks(services: dict[str, Any], name: str) -> None:
    check = services[name]["healthcheck"]
    assert check["test"] and check["retries"] >= 3


def test_every_dependency_waits_for_health_or_completion(services: dict[str, Any]) -> None:
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services, (name, dependency)
            wanted = condition["condition"]
            if wanted == "service_healthy":
                assert "healthcheck" in services[dependency], (name, dependency)
            else:
                assert wanted == "service_completed_successfully", (name, dependency)


def test_server_runs_on_postgres_with_ui_on_4200(services: dict[str, Any]) -> None:
    server = services["prefect-server"]
    url = server["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"]
    assert url.startswith("postgresql+asyncpg://") and "@postgres:5432/" in url
    assert "4200:4200" in server["ports"]
    assert server["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "postgres-data:/var/lib/postgresql/data" in services["postgres"]["volumes"]


def test_worker_runs_the_deployment_from_this_repo(services: dict[str, Any]) -> None:
    worker = services["worker"]
    assert worker["build"] == "."
    assert "./seeds:/app/seeds:ro" in worker["volumes"]
    assert "./output:/app/output:rw" in worker["volumes"]
    assert worker["environment"]["PREFECT_API_URL"] == "http://prefect-server:4200/api"
    pool = yaml.safe_load(PREFECT_YAML.read_text())["deployments"][0]["work_pool"]["name"]
    assert pool in worker["command"]
    assert "prefect --no-prompt deploy --all" in services["deploy"]["command"]


def test_dask_worker_joins_the_scheduler(services: dict[str, Any]) -> None:
    assert "tcp://dask-scheduler:8786" in services["dask-worker"]["command"]
    assert "8786:8786" in services["dask-scheduler"]["ports"]


def test_every_image_is_pinned(services: dict[str, Any]) -> None:
    for name, service in services.items():
        image = service["image"]
        tag = image.rpartition(":")[2]
        assert ":" in image and tag != "latest" and re.match(r"\d", tag), (name, image)


def test_dockerfile_base_image_is_pinned_and_installs_the_flows_extra() -> None:
    dockerfile = (ROOT / "Dockerfile").read_text()
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
    import inspect

    from flows.clean_articles import clean_articles

    (deployment,) = yaml.safe_load(PREFECT_YAML.read_text())["deployments"]
    assert set(deployment["parameters"]) == set(inspect.signature(clean_articles.fn).parameters)

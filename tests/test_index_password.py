"""A Redis index behind a password: the password is named, never written down.

`--index 'redis://:${REDIS_PASSWORD}@host:6379/0'` (and the flow's `index` parameter)
reads the variable when the index is opened; the config, the manifest and the error
messages carry the URL as written, so output/manifest.json (readable by all) and the logs
never hold the secret.
"""

from __future__ import annotations

import json
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.cli import main
from tests.support import SEEDS

TEMPLATE = "redis://:${NEWSCLEAN_TEST_REDIS_PASSWORD}@127.0.0.1:{port}/0"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def locked_redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, str]]:
    """redis-server with `requirepass`, as the compose stack runs it."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server not installed (.ci/run installs it)")
    port, password = _free_port(), secrets.token_urlsafe(16)
    folder = tmp_path_factory.mktemp("redis")
    argv = [binary, "--port", str(port), "--dir", str(folder), "--save", ""]
    proc = subprocess.Popen([*argv, "--requirepass", password], stdout=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port, password
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_password_is_read_from_the_environment_and_not_recorded(
    locked_redis: tuple[int, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port, password = locked_redis
    monkeypatch.setenv("NEWSCLEAN_TEST_REDIS_PASSWORD", password)
    index = TEMPLATE.replace("{port}", str(port))
    out = tmp_path / "out"
    assert main(["run", str(SEEDS), "--out", str(out), "--index", index, "--no-progress"]) == 0

    manifest = (out / "manifest.json").read_text()
    assert password not in manifest
    recorded = json.loads(manifest)
    assert recorded["config"]["crossdoc"]["index"] == index
    assert recorded["crossdoc"]["index"] == index
    for path in out.rglob("*"):
        if path.is_file():
            assert password.encode() not in path.read_bytes(), path


def test_a_wrong_or_missing_password_fails_before_processing_without_showing_it(
    locked_redis: tuple[int, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    port, _ = locked_redis
    index = TEMPLATE.replace("{port}", str(port))
    monkeypatch.delenv("NEWSCLEAN_TEST_REDIS_PASSWORD", raising=False)
    assert main(["run", str(SEEDS), "--out", str(tmp_path / "a"), "--index", index]) == 2
    assert f"cannot reach index {index}" in capsys.readouterr().err

    monkeypatch.setenv("NEWSCLEAN_TEST_REDIS_PASSWORD", "wrong-secret")
    assert main(["run", str(SEEDS), "--out", str(tmp_path / "b"), "--index", index]) == 2
    err = capsys.readouterr().err
    assert f"cannot reach index {index}" in err and "wrong-secret" not in err
    assert not (tmp_path / "b" / "articles.jsonl").exists()

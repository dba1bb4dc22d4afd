"""What the Prefect flow costs over the plain CLI on the same 1,000 documents.

    python bench/flow_overhead.py [--docs 1000] [--task-runner processes] [--chunk-size N]
        [--repeat K]

The documents are the scrapinghub dev pages repeated under new names in a temporary
folder. Both commands run once, as subprocesses (interpreter start and imports count for
both). The Prefect server is started first and its start-up time is reported apart: it
is paid once per machine, not per run. Task results go to a fresh folder, so the flow
run is a cold one (no cache hits). Two pairs: on every core (the CLI's default process
pool vs the flow's `processes` runner) and on one core (the CLI with
`parallel.workers = 1` vs the flow's default thread runner, which the GIL keeps on one).
With `--repeat K` each pair runs K times, alternating, and medians are printed (this
VM's timings vary by 10-15% from run to run). Last, both run on a single document: the
difference is the flow's fixed cost (importing Prefect, creating the flow and task runs,
the artifacts), which bounds the ratio from below at any corpus size.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_PAGES = ROOT.parent / "shared" / "bench" / "scrapinghub-dev" / "html"


def make_corpus(folder: Path, count: int) -> None:
    pages = sorted(p for p in DEV_PAGES.iterdir() if p.is_file())
    folder.mkdir(parents=True)
    for i in range(count):
        page = pages[i % len(pages)]
        shutil.copyfile(page, folder / f"doc_{i:05d}{''.join(page.suffixes)}")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], port: int) -> tuple[subprocess.Popen[bytes], float]:
    started = time.perf_counter()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "prefect",
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-ui",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2):
                return server, time.perf_counter() - started
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("Prefect server did not become healthy within 180 s")


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--task-runner", default="processes")
    parser.add_argument("--chunk-size", type=int, help="default: the flow's, by runner")
    parser.add_argument("--repeat", type=int, default=1, metavar="K", help="runs per pair")
    parser.add_argument(
        "--only-all-cores", action="store_true", help="skip the one-core comparison"
    )
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="flow-bench-") as tmp_name:
        tmp = Path(tmp_name)
        corpus, single = tmp / "docs", tmp / "one-doc"
        make_corpus(corpus, args.docs)
        make_corpus(single, 1)
        env = dict(os.environ)
        env |= {
            "PREFECT_HOME": str(tmp / "prefect-home"),
            "PREFECT_LOCAL_STORAGE_PATH": str(tmp / "results"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
        }
        port = free_port()
        server, server_s = start_server(env, port)
        env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
        one_core = tmp / "one-core.toml"
        one_core.write_text("[parallel]\nworkers = 1\n")
        pairs = [
            ("every core", [], args.task_runner),
            ("one core", ["--config", str(one_core)], "threads"),
        ]
        if args.only_all_cores:
            pairs = pairs[:1]
        chunk = [] if args.chunk_size is None else ["--chunk-size", str(args.chunk_size)]
        results = []
        try:
            for label, config, runner in pairs:
                times: list[tuple[float, float]] = []
                for attempt in range(args.repeat):
                    cli_out, flow_out = tmp / f"cli-{runner}", tmp / f"flow-{runner}"
                    shutil.rmtree(tmp / "results", ignore_errors=True)  # a cold run each time
                    for folder in (cli_out, flow_out):
                        shutil.rmtree(folder, ignore_errors=True)
                    cli_s = timed(cli_command(corpus, cli_out, config), env)
                    flow_s = timed(flow_command(corpus, flow_out, runner, config + chunk), env)
                    times.append((cli_s, flow_s))
                    print(f"{label} run {attempt + 1}: CLI {cli_s:.1f} s, flow {flow_s:.1f} s")
                same = all(
                    (cli_out / name).read_bytes() == (flow_out / name).read_bytes()
                    for name in ("articles.jsonl", "quarantine.jsonl")
                )
                results.append((label, runner, times, same))
            fixed = [
                (
                    timed(cli_command(single, tmp / f"cli-one-{i}", []), env),
                    timed(flow_command(single, tmp / f"flow-one-{i}", "threads", []), env),
                )
                for i in range(max(args.repeat, 3))
            ]
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)

    print(f"documents:            {args.docs} ({os.cpu_count()} cores), {args.repeat} run(s)")
    print(f"prefect server start: {server_s:6.1f} s (once, not part of either run)")
    fixed_s = statistics.median(f - c for c, f in fixed)
    for label, runner, times, same in results:
        cli_s = statistics.median(c for c, _ in times)
        flow_s = statistics.median(f for _, f in times)
        ratios = sorted(f / c for c, f in times)
        chunk_label = args.chunk_size or "default"
        print(f"-- {label}: CLI vs flow with the {runner} task runner, chunk {chunk_label}")
        print(f"   CLI (pipeline run):  {cli_s:6.1f} s" + (" (median)" if args.repeat > 1 else ""))
        print(f"   flow:                {flow_s:6.1f} s")
        print(f"   ratio flow / CLI:    {flow_s / cli_s:6.2f}x (target <= 1.10x)", end="")
        print(f"; per run {ratios[0]:.2f}-{ratios[-1]:.2f}x" if args.repeat > 1 else "")
        print(f"   lowest possible:     {(cli_s + fixed_s) / cli_s:6.2f}x (CLI + fixed cost)")
        print(f"   identical outputs:   {same}")
    print(f"-- fixed cost of a flow run (1 document, median of {len(fixed)}):")
    print(
        f"   CLI {statistics.median(c for c, _ in fixed):.2f} s, "
        f"flow {statistics.median(f for _, f in fixed):.2f} s, difference {fixed_s:.2f} s"
    )


def cli_command(corpus: Path, out: Path, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "pipeline",
        "run",
        str(corpus),
        "--out",
        str(out),
        "--no-progress",
        *extra,
    ]


def flow_command(corpus: Path, out: Path, runner: str, extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "flows.clean_articles",
        str(corpus),
        "--out",
        str(out),
        "--task-runner",
        runner,
        *extra,
    ]


if __name__ == "__main__":
    main()

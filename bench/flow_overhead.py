"""What the Prefect flow costs over the plain CLI: per document, and once per run.

    python bench/flow_overhead.py [--docs 10000] [--task-runner processes] [--chunk-size N]
        [--repeat K] [--only-all-cores]

A flow run has a fixed cost that no corpus size changes (importing Prefect, creating the
flow run and its first task runs, the artifacts), and a cost that grows with the corpus
(task runs per batch, their states and cached results, the batches' hand-offs). The two
are measured apart, because they answer different questions: the fixed cost is what a
small run pays, the marginal cost is what the flow does to throughput.

Each pair (the CLI and the flow on the same corpus and cores) runs K times, alternating
CLI and flow, at `--docs` documents and at a single document. Per run:

    marginal per document = (time at N documents - time at 1 document) / (N - 1)
    marginal ratio        = flow's marginal / CLI's marginal      (target <= 1.05)
    fixed cost            = flow at 1 document - CLI at 1 document

The single-document runs of the same repeat are the floor subtracted, so both sides
lose their interpreter start, imports and (for the flow) Prefect's per-run work.
Medians and min-max over the K repeats are printed.

The documents are the scrapinghub dev pages repeated under new names in a temporary
folder. Every command runs as a subprocess against a Prefect server started first, whose
start-up is reported apart (paid once per machine, not per run); task results go to a
fresh folder before each flow run, so every flow run is cold (no cache hits). Pairs: on
every core (the CLI's default process pool vs the flow's `processes` runner) and, unless
`--only-all-cores`, on one core (the CLI with `parallel.workers = 1` vs the flow's
default thread runner, which the GIL keeps on one core).
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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_PAGES = ROOT.parent / "shared" / "bench" / "scrapinghub-dev" / "html"
TARGET = 1.05
COMPARED = ("articles.jsonl", "quarantine.jsonl")


@dataclass(frozen=True, slots=True)
class Pair:
    """The CLI and the flow on the same cores."""

    label: str
    config: tuple[str, ...]
    runner: str


@dataclass(frozen=True, slots=True)
class Repeat:
    """One repeat of a pair: both commands at N documents and at one document (s)."""

    cli: float
    flow: float
    cli_one: float
    flow_one: float

    def marginal(self, docs: int) -> tuple[float, float]:
        """Seconds per document beyond the first, CLI and flow."""
        return (self.cli - self.cli_one) / (docs - 1), (self.flow - self.flow_one) / (docs - 1)

    def ratio(self, docs: int) -> float:
        cli, flow = self.marginal(docs)
        return flow / cli

    @property
    def fixed(self) -> float:
        return self.flow_one - self.cli_one


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
    argv = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*argv, "--port", str(port), "--no-ui"],
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
    os.killpg(server.pid, 15)
    raise SystemExit("Prefect server did not become healthy within 180 s")


def timed(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def cli_command(corpus: Path, out: Path, extra: Sequence[str]) -> list[str]:
    argv = [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out)]
    return [*argv, "--no-progress", *extra]


def flow_command(corpus: Path, out: Path, runner: str, extra: Sequence[str]) -> list[str]:
    argv = [sys.executable, "-m", "flows.clean_articles", str(corpus), "--out", str(out)]
    return [*argv, "--no-progress", "--task-runner", runner, *extra]


class Bench:
    """The corpora, the environment and the commands of one session."""

    def __init__(self, tmp: Path, docs: int, chunk: Sequence[str]) -> None:
        self.tmp, self.docs, self.chunk = tmp, docs, tuple(chunk)
        self.corpus, self.single = tmp / "docs", tmp / "one-doc"
        make_corpus(self.corpus, docs)
        make_corpus(self.single, 1)
        self.env = dict(os.environ) | {
            "PREFECT_HOME": str(tmp / "prefect-home"),
            "PREFECT_LOCAL_STORAGE_PATH": str(tmp / "results"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
        }

    def both(self, pair: Pair, corpus: Path, name: str) -> tuple[float, float]:
        """The CLI, then the flow (cold: no cached results), on `corpus`."""
        cli_out, flow_out = self.tmp / f"cli-{name}", self.tmp / f"flow-{name}"
        for folder in (cli_out, flow_out, self.tmp / "results"):
            shutil.rmtree(folder, ignore_errors=True)
        cli_s = timed(cli_command(corpus, cli_out, pair.config), self.env)
        extra = [*pair.config, *self.chunk]
        flow_s = timed(flow_command(corpus, flow_out, pair.runner, extra), self.env)
        return cli_s, flow_s

    def repeat(self, pair: Pair) -> Repeat:
        cli_s, flow_s = self.both(pair, self.corpus, pair.runner)
        cli_one, flow_one = self.both(pair, self.single, f"{pair.runner}-one")
        return Repeat(cli_s, flow_s, cli_one, flow_one)

    def same_outputs(self, pair: Pair) -> bool:
        cli_out, flow_out = self.tmp / f"cli-{pair.runner}", self.tmp / f"flow-{pair.runner}"
        return all((cli_out / n).read_bytes() == (flow_out / n).read_bytes() for n in COMPARED)


def spread(values: Sequence[float], fmt: str) -> str:
    """Median and min-max of `values` (one value: just it)."""
    median = format(statistics.median(values), fmt)
    if len(values) == 1:
        return median
    return f"{median} ({format(min(values), fmt)}-{format(max(values), fmt)})"


def report(pair: Pair, repeats: list[Repeat], docs: int, same: bool) -> None:
    marginals = [r.marginal(docs) for r in repeats]
    ratios = [r.ratio(docs) for r in repeats]
    print(f"-- {pair.label}: CLI vs flow with the {pair.runner} task runner")
    print(f"   CLI at {docs} docs:      {spread([r.cli for r in repeats], '.1f')} s")
    print(f"   flow at {docs} docs:     {spread([r.flow for r in repeats], '.1f')} s")
    print(f"   CLI per document:     {spread([c * 1000 for c, _ in marginals], '.2f')} ms")
    print(f"   flow per document:    {spread([f * 1000 for _, f in marginals], '.2f')} ms")
    verdict = "met" if statistics.median(ratios) <= TARGET else "NOT met"
    print(f"   marginal flow / CLI:  {spread(ratios, '.3f')}x (target <= {TARGET}x: {verdict})")
    whole = [r.flow / r.cli for r in repeats]
    print(f"   whole runs flow / CLI: {spread(whole, '.3f')}x")
    print(
        f"   fixed cost of a flow run (1 document): {spread([r.fixed for r in repeats], '.2f')} s"
    )
    print(
        f"      CLI {spread([r.cli_one for r in repeats], '.2f')} s, "
        f"flow {spread([r.flow_one for r in repeats], '.2f')} s"
    )
    print(f"   identical outputs:    {same}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--task-runner", default="processes")
    parser.add_argument("--chunk-size", type=int, help="default: the flow's, by runner")
    parser.add_argument("--repeat", type=int, default=1, metavar="K", help="runs per pair")
    parser.add_argument(
        "--only-all-cores", action="store_true", help="skip the one-core comparison"
    )
    args = parser.parse_args()
    if args.docs < 2:
        parser.error("--docs must be at least 2 (the marginal cost is measured from 1)")
    chunk = [] if args.chunk_size is None else ["--chunk-size", str(args.chunk_size)]

    with tempfile.TemporaryDirectory(prefix="flow-bench-") as tmp_name:
        tmp = Path(tmp_name)
        bench = Bench(tmp, args.docs, chunk)
        one_core = tmp / "one-core.toml"
        one_core.write_text("[parallel]\nworkers = 1\n")
        pairs = [Pair("every core", (), args.task_runner)]
        if not args.only_all_cores:
            pairs.append(Pair("one core", ("--config", str(one_core)), "threads"))
        port = free_port()
        server, server_s = start_server(bench.env, port)
        bench.env["PREFECT_API_URL"] = f"http://127.0.0.1:{port}/api"
        results = []
        try:
            for pair in pairs:
                repeats = []
                for attempt in range(args.repeat):
                    repeats.append(bench.repeat(pair))
                    r = repeats[-1]
                    print(
                        f"{pair.label} run {attempt + 1}: CLI {r.cli:.1f} s, flow {r.flow:.1f} s;"
                        f" 1 doc: CLI {r.cli_one:.2f} s, flow {r.flow_one:.2f} s;"
                        f" marginal {r.ratio(args.docs):.3f}x",
                        flush=True,
                    )
                results.append((pair, repeats, bench.same_outputs(pair)))
        finally:
            os.killpg(server.pid, 15)
            server.wait(timeout=30)

    print(f"documents:            {args.docs} ({os.cpu_count()} cores), {args.repeat} run(s)")
    print(f"chunk size:           {args.chunk_size or 'the runner default'}")
    print(f"prefect server start: {server_s:6.1f} s (once, not part of either run)")
    for pair, repeats, same in results:
        report(pair, repeats, args.docs, same)


if __name__ == "__main__":
    main()

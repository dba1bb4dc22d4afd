"""Throughput, CPU per document and peak memory: trafilatura alone vs the whole pipeline.

    python bench/throughput.py --n 1000 [--workers 1,2] [--work /tmp/newsclean-throughput]

Builds a corpus of N pages — the 93 Scrapinghub dev pages repeated, each copy under a
new URL with a varied title (the first 93 are the originals, so F1 can be scored) — packed
into one WARC.gz with warcio, then runs in one go:

1. trafilatura's `extract()` with default settings, single process, on the same pages
   (reading the archive is not counted against it);
2. `python -m pipeline run corpus.warc.gz` with each worker count (read, extract, clean,
   dedupe, cross-document steps, write — everything).

For each it prints documents/s, CPU seconds per document (user+sys of the whole process
tree), peak RSS (the largest single process, and the sum over the tree sampled every
0.2 s) and the ratios against trafilatura; for the pipeline also the F1 on the 93
originals (Scrapinghub metric, `bench/scoring.py`).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scoring import score_texts  # noqa: E402

DEV = ROOT.parent / "shared" / "bench" / "scrapinghub-dev"
_TITLE = re.compile(rb"(<title[^>]*>)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Figures:
    name: str
    docs: int
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    tree_rss_mb: float
    f1: float | None = None

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.wall_s

    @property
    def cpu_ms_per_doc(self) -> float:
        return 1000 * self.cpu_s / self.docs


def dev_pages() -> list[tuple[str, bytes, str]]:
    truth = json.loads((DEV / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for path in sorted((DEV / "html").glob("*.html.gz")):
        page_id = path.name.removesuffix(".html.gz")
        pages.append((page_id, gzip.decompress(path.read_bytes()), truth[page_id]["articleBody"]))
    return pages


def variant(page: bytes, i: int, n_originals: int) -> bytes:
    """Copy i of a page: the original for the first round, then a varied title."""
    if i < n_originals:
        return page
    return _TITLE.sub(lambda m: m.group(1) + f"Copy {i}: ".encode(), page, count=1)


def build_corpus(path: Path, n: int, pages: list[tuple[str, bytes, str]]) -> None:
    """Write the WARC.gz, and next to it the offset of each of the first pages' records."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    tmp = path.with_suffix(".tmp")
    offsets = []
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    with open(tmp, "wb") as fh:
        for i in range(n):
            if i < len(pages):
                offsets.append(fh.tell())
            page_id, html, _ = pages[i % len(pages)]
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                f"https://bench.example/{page_id}/{i}",
                "response",
                payload=io.BytesIO(variant(html, i, len(pages))),
                http_headers=headers,
            )
            buffer.seek(0)
            buffer.truncate()
            writer.write_record(record)
            # one gzip member per record, as warcio writes them, at level 1: 5x faster
            fh.write(gzip.compress(buffer.getvalue(), compresslevel=1))
            if (i + 1) % 10_000 == 0:
                print(f"  corpus: {i + 1}/{n} pages", flush=True)
    path.with_suffix(".offsets.json").write_text(json.dumps(offsets))
    tmp.replace(path)


def iter_payloads(path: Path) -> Iterator[bytes]:
    from fastwarc.warc import ArchiveIterator, WarcRecordType

    for record in ArchiveIterator(str(path), record_types=WarcRecordType.response):
        yield record.reader.read()


def run_trafilatura(corpus: Path, n: int) -> Figures:
    import trafilatura

    cpu = 0.0
    wall = 0.0
    done = 0
    last = time.monotonic()
    for payload in iter_payloads(corpus):
        c0, w0 = time.process_time(), time.perf_counter()
        trafilatura.extract(payload)
        cpu += time.process_time() - c0
        wall += time.perf_counter() - w0
        done += 1
        if time.monotonic() - last > 30:
            print(f"  trafilatura: {done}/{n} documents", flush=True)
            last = time.monotonic()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return Figures("trafilatura extract()", done, wall, cpu, peak, peak)


def trafilatura_f1(pages: list[tuple[str, bytes, str]]) -> float:
    import trafilatura

    return score_texts((truth, trafilatura.extract(html)) for _, html, truth in pages).f1


class TreeSampler(threading.Thread):
    """Samples a process tree every 0.2 s: the peak of its summed RSS, and the CPU time of
    every process seen (pool workers are forked by the forkserver, which never waits for
    them, so their CPU never reaches RUSAGE_CHILDREN)."""

    def __init__(self, pid: int, label: str) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.label = label
        self.peak = 0
        self.cpu: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        last = time.monotonic()
        while not self.stop.wait(0.2):
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                continue
            total = 0
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                    times = proc.cpu_times()
                    self.cpu[proc.pid] = times.user + times.system
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            if time.monotonic() - last > 30:
                last = time.monotonic()
                print(
                    f"  {self.label}: tree RSS {total / 2**20:.0f} MB "
                    f"(peak {self.peak / 2**20:.0f} MB), load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )


def run_pipeline(corpus: Path, out: Path, workers: int, config: Path | None = None) -> Figures:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "pipeline", "run", str(corpus), "--out", str(out)]
    cmd += ["--workers", str(workers), "--no-progress"]
    if config is not None:
        cmd += ["--config", str(config.resolve())]
    proc = subprocess.Popen(cmd, cwd=ROOT)
    sampler = TreeSampler(proc.pid, f"pipeline x{workers}")
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    if code != 0:
        raise SystemExit(f"pipeline exited with {code}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reaped = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    unreaped = sum(cpu for pid, cpu in sampler.cpu.items() if pid != proc.pid)
    # ru_maxrss of children is the largest single descendant, never a sum.
    peak = after.ru_maxrss / 1024
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    docs = manifest["counts"]["inputs"]
    name = f"pipeline, {workers} worker(s)"
    return Figures(name, docs, wall, reaped + unreaped, peak, sampler.peak / 2**20)


def pipeline_f1(out: Path, pages: list[tuple[str, bytes, str]], offsets: list[int]) -> float:
    """F1 on the first len(pages) records (the unmodified originals), found by offset."""
    texts: dict[int, str] = {}
    with open(out / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            texts[int(record["source"].rpartition("#")[2])] = record["text"]
    pairs = [(truth, texts.get(offsets[i], "")) for i, (_, _, truth) in enumerate(pages)]
    return score_texts(pairs).f1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="documents in the corpus")
    parser.add_argument("--workers", default="1,2", help="worker counts, comma-separated")
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsclean-throughput"))
    parser.add_argument("--skip-trafilatura", action="store_true")
    parser.add_argument("--config", type=Path, help="pipeline config file for the runs")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs of each setting, trafilatura's too, interleaved; the run of median CPU "
        "is shown, and each pipeline run's ratio to the trafilatura run before it (a "
        "shared VM's speed drifts by 10%% between runs)",
    )
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    pages = dev_pages()
    corpus = args.work / f"corpus-{args.n}.warc.gz"
    if not corpus.exists():
        print(f"building {corpus} ({args.n} pages)", flush=True)
        build_corpus(corpus, args.n, pages)
    offsets = json.loads(corpus.with_suffix(".offsets.json").read_text())
    print(
        f"corpus: {corpus} ({corpus.stat().st_size / 2**20:.0f} MB), {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f} (figures are only fair on an idle machine)"
    )
    counts = [int(w) for w in args.workers.split(",")]
    runs: dict[int, list[Figures]] = {w: [] for w in counts}
    bases: list[Figures] = []
    for attempt in range(args.repeat):
        if not args.skip_trafilatura:
            print(f"trafilatura extract() alone, 1 process, run {attempt + 1} ...", flush=True)
            bases.append(run_trafilatura(corpus, args.n))
        for workers in counts:
            print(f"pipeline with {workers} worker(s), run {attempt + 1} ...", flush=True)
            out = args.work / f"out-{args.n}-w{workers}"
            shutil.rmtree(out, ignore_errors=True)  # a fresh run: no index from an earlier one
            figures = run_pipeline(corpus, out, workers, args.config)
            f1 = pipeline_f1(out, pages, offsets)
            runs[workers].append(Figures(**{**_fields(figures), "f1": f1}))
    results: list[Figures] = []
    if bases:
        base = _median(bases)
        results.append(Figures(**{**_fields(base), "f1": trafilatura_f1(pages)}))
    for workers in counts:
        if len(runs[workers]) > 1:
            _print_pairs(workers, bases, runs[workers])
        results.append(_median(runs[workers]))
    print_table(results)
    return 0


def _median(figures: list[Figures]) -> Figures:
    """The run of median CPU per document (the figure the comparison is about)."""
    ordered = sorted(figures, key=lambda f: f.cpu_ms_per_doc)
    return ordered[len(ordered) // 2]


def _print_pairs(workers: int, bases: list[Figures], runs: list[Figures]) -> None:
    """Each run's CPU, and beside trafilatura's run just before it: the ratio of a pair
    drifts less than either figure on a shared VM."""
    cpus = ", ".join(f"{f.cpu_ms_per_doc:.1f}" for f in runs)
    print(f"{workers} worker(s): CPU ms/doc of the {len(runs)} runs: {cpus}")
    if len(bases) == len(runs):
        ratios = sorted(
            f.cpu_ms_per_doc / b.cpu_ms_per_doc for f, b in zip(runs, bases, strict=True)
        )
        shown = ", ".join(f"{r:.2f}x" for r in ratios)
        print(f"  vs trafilatura's run before it: {shown} (median {ratios[len(ratios) // 2]:.2f}x)")


def _fields(f: Figures) -> dict[str, object]:
    return {k: getattr(f, k) for k in Figures.__slots__}


def print_table(results: list[Figures]) -> None:
    base = results[0]
    print()
    print(
        f"{'run':<26} {'docs':>7} {'wall s':>8} {'docs/s':>7} {'CPU ms/doc':>10} "
        f"{'peak RSS MB':>11} {'tree RSS MB':>11} {'F1':>6} {'CPU/doc vs 1st':>14} "
        f"{'speed vs 1st':>12}"
    )
    for f in results:
        f1 = f"{f.f1:.3f}" if f.f1 is not None else "-"
        print(
            f"{f.name:<26} {f.docs:>7} {f.wall_s:>8.1f} {f.docs_per_s:>7.1f} "
            f"{f.cpu_ms_per_doc:>10.1f} {f.peak_rss_mb:>11.0f} {f.tree_rss_mb:>11.0f} {f1:>6} "
            f"{f.cpu_ms_per_doc / base.cpu_ms_per_doc:>13.2f}x "
            f"{f.docs_per_s / base.docs_per_s:>11.2f}x"
        )
    pipes = [f for f in results if f.name.startswith("pipeline")]
    if len(pipes) >= 2:
        print(
            f"speed-up {pipes[-1].name} vs {pipes[0].name}: "
            f"{pipes[-1].docs_per_s / pipes[0].docs_per_s:.2f}x"
        )


if __name__ == "__main__":
    raise SystemExit(main())

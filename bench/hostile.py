"""Hostile inputs at the sizes they were found at: each beside good pages, in a whole run.

    python bench/hostile.py [--only NAME] [--keep DIR]

Each case writes one hostile input and three good pages to a fresh folder and runs the
pipeline over it in a child process (one worker: with a time limit, that is a worker
process of its own), then prints the wall time, the peak RSS of the run's whole process
tree (sampled; the run, its forkserver, worker and resource tracker) and what became of
the hostile input. The tests
in tests/behaviour/ use the same shapes scaled down; this shows the caps hold at the real
sizes: every run should exit 0 with the good pages as articles, in seconds and well
under 2 GB.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.warc_fixtures import raw_response, write_raw  # noqa: E402

STORY = (
    "<p>The harbour authority said on Monday that the new ferry terminal would open in the "
    "spring, two years later than planned, after a dispute with the builder was settled.</p>"
    "<p>Travellers have waited in temporary sheds since the old terminal was pulled down, "
    "and local shops say they lost a third of their trade during the long building.</p>"
)


def _page(i: int, extra: str = "") -> bytes:
    return (
        f"<html><head><title>Harbour {i}</title></head><body><article><h1>Harbour {i}</h1>"
        f"{extra}{STORY} (Part {i}.)</article></body></html>"
    ).encode()


def _stream_gzip(block: bytes, count: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    return b"".join([compressor.compress(block) for _ in range(count)] + [compressor.flush()])


def newlines_jsonl_gz(folder: Path) -> None:
    """300 million newlines in a 300 KB JSONL.gz (took 132 s)."""
    line = json.dumps({"html": _page(50).decode()}).encode() + b"\n"
    body = _stream_gzip(b"\n" * (1 << 20), 286)  # 300 million newlines
    (folder / "newlines.jsonl.gz").write_bytes(gzip.compress(line) + body)


def attributes(folder: Path) -> None:
    """One element with 300,000 attributes, 3.5 MB (took 480 s in libxml2)."""
    tag = "<p " + " ".join(f"data-a{i}=1" for i in range(300_000)) + ">x</p>"
    (folder / "attributes.html").write_bytes(_page(51, tag))


def breaks(folder: Path) -> None:
    """17.5 MB of `w<br>` (peaked at 2.06 GB)."""
    (folder / "breaks.html").write_bytes(_page(52, "<p>" + "w<br>" * 3_500_000 + "</p>"))


def encoding_bomb(folder: Path) -> None:
    """A WARC record whose HTTP `Content-Encoding: gzip` inflates to 800 MB (was 2.7 GB)."""
    headers = b"Content-Type: text/html\r\nContent-Encoding: gzip\r\n"
    body = _stream_gzip(b"\0" * (1 << 20), 800)
    good = raw_response(_page(53), url=b"https://good.example/53")
    write_raw(folder / "bomb.warc.gz", [good, raw_response(body, headers=headers), good], True)


def claims_25_mb(folder: Path) -> None:
    """A WARC.gz record claiming 25 MB before 49 good ones (swallowed them: "2 inputs")."""
    records = [raw_response(b"x", content_length=b"25000000")]
    records += [
        raw_response(_page(100 + i), url=f"https://w.example/{i}".encode()) for i in range(49)
    ]
    write_raw(folder / "claims.warc.gz", records, True)


def crowded(folder: Path) -> None:
    """1,200 elements of 1,990 attributes each, 13 MB: under the screen's cap per element,
    yet one libxml2 parse call of tens of seconds, which the signal cannot interrupt (the
    worker is stopped at the limit instead)."""
    tag = "<p " + " ".join(f"a{i}" for i in range(1_990)) + ">x</p>"
    (folder / "crowded.html").write_bytes(_page(54, tag * 1_200))


def breaks_under_cap(folder: Path) -> None:
    """199,000 `w<br>`: just under the screen's element cap (what a page may still cost)."""
    (folder / "breaks-under-cap.html").write_bytes(_page(55, "<p>" + "w<br>" * 199_000 + "</p>"))


def giant_paragraph(folder: Path) -> None:
    """257 pages of 6 paragraphs and one 3.4 MB line holding every paragraph of them (the
    cross-document step verified every paragraph against it: > 328 s)."""
    import random

    rng = random.Random(12)
    words = ["".join(rng.choices("abcdefghij", k=rng.randint(3, 9))) for _ in range(4000)]
    every = []
    for i in range(257):
        paragraphs = [
            " ".join(rng.choice(words) for _ in range(rng.randint(150, 300))).capitalize() + "."
            for _ in range(6)
        ]
        every += paragraphs
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        (folder / f"story-{i}.html").write_text(
            f"<html><head><title>Story {i}</title></head><body><article>{body}</article>"
            "</body></html>"
        )
    (folder / "bodies.json").write_text(json.dumps(every) + "\n")


CASES: dict[str, Callable[[Path], None]] = {
    "newlines.jsonl.gz": newlines_jsonl_gz,
    "attributes.html": attributes,
    "breaks.html": breaks,
    "encoding-bomb.warc.gz": encoding_bomb,
    "claims-25-mb.warc.gz": claims_25_mb,
    "crowded.html": crowded,
    "breaks-under-cap.html": breaks_under_cap,
    "giant-paragraph": giant_paragraph,
}

_CHILD = """
import sys
from pathlib import Path
from pipeline.config import ParallelConfig, PipelineConfig
from pipeline.runtime import run
if __name__ == "__main__":
    config = PipelineConfig(parallel=ParallelConfig(workers=1))
    summary = run([sys.argv[1]], Path(sys.argv[2]), config)
    print(summary.articles, summary.quarantined)
"""


def _tree_rss(process: psutil.Process) -> int:
    """RSS of `process` and every descendant (bytes; 0 for those already gone)."""
    total = 0
    try:
        members = [process, *process.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    for member in members:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += member.memory_info().rss
    return total


def run_case(name: str, build: Callable[[Path], None], root: Path) -> None:
    folder = root / name / "in"
    folder.mkdir(parents=True)
    for i in range(3):
        (folder / f"good-{i}.html").write_bytes(_page(i))
    build(folder)
    out = root / name / "out"
    script = root / name / "child.py"
    script.write_text(_CHILD)
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(script), str(folder), str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    tree = psutil.Process(child.pid)
    peak = 0
    while child.poll() is None:
        peak = max(peak, _tree_rss(tree))
        time.sleep(0.05)
    stdout, stderr = child.communicate()
    seconds = time.perf_counter() - started
    if child.returncode != 0:
        print(f"{name:24} exit {child.returncode}  {seconds:6.1f} s  {stderr[-300:]}")
        return
    articles, quarantined = stdout.split()
    print(
        f"{name:24} exit 0  {seconds:6.1f} s  peak {peak >> 20:5d} MB  "
        f"{articles} articles, {quarantined} quarantined"
    )
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    crossdoc = manifest.get("crossdoc", {})
    print(
        f"{'':26}cross-document step {manifest['timings'].get('crossdoc_s', 0):.1f} s, "
        f"{crossdoc.get('pairs_verified')} pairs verified, "
        f"{crossdoc.get('shingles_compared')} shingles compared, "
        f"{crossdoc.get('paragraphs_too_long')} paragraphs too long"
    )
    for line in (out / "quarantine.jsonl").read_text(encoding="utf-8").splitlines():
        print(f"{'':26}{json.loads(line)['reason'][:100]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(CASES), help="run this case alone")
    parser.add_argument("--keep", type=Path, help="write the cases here (kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="newsclean-hostile-") as tmp:
        root = args.keep or Path(tmp)
        for name, build in CASES.items():
            if args.only in (None, name):
                run_case(name, build, root)


if __name__ == "__main__":
    main()

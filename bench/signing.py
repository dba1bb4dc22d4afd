"""MinHash signing, ours against datasketch 2.0's `MinHash.bulk`: CPU of the whole run.

    python bench/signing.py [--corpus PATH | --n 1000] [--runs 5] [--work DIR]

Runs the pipeline on the corpus (`run CORPUS --out DIR --workers 1`, the CLI's own
entry point, in a fresh process each time) once per variant per round, the order of the
variants reversed every other round, and prints per variant the median and range of the
whole run's CPU (user+sys of the process) and its ratio to `ours`:

* `ours`: the pipeline as it is (numpy tokeniser and shingle hash chain, signatures of
  datasketch's affine64 scheme computed for all rows at once);
* `datasketch-signing`: our shingle hashes, signed by `MinHash.bulk(scheme="affine64")`
  with an identity `hashfunc` over them: outputs are identical to ours, so the
  difference is the signing alone (and importing datasketch);
* `datasketch`: shingles as datasketch is fed them: `tokens()` of each paragraph, each
  shingle's words joined by a space, encoded, hashed by `xxhash.xxh3_64_intdigest`. Those
  hashes are the exact shingle sets and are signed by `MinHash.bulk` as above, which gives
  what `MinHash.bulk` over the bytes with `hashfunc=xxh3_64_intdigest` gives (one Python
  call per shingle either way);
* `datasketch-lean`: as `datasketch`, every MinHash then kept as a `LeanMinHash`.

Every variant runs through this script (`--as VARIANT`), which puts the variant's
functions in place of `shingle_table` and `signatures` in every loaded pipeline module,
counts the CPU spent in them and in importing datasketch, and then calls the pipeline's
entry point. The table also gives that similarity CPU per variant, and a second ratio
from it (ours' whole run plus the variant's extra similarity CPU), which the load of a
shared machine disturbs less than the whole-run difference. Then: how the outputs of each
variant differ from ours, and a signing-only measurement on the run's paragraphs (our
`shingle_table` + `signatures` against shingle bytes + `MinHash.bulk(hashfunc=
xxh3_64_intdigest)`, with and without `LeanMinHash`), checked equal on the same hashes.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.similarity import ShingleTable, tokens  # noqa: E402
from pipeline.similarity import minhash as _minhash  # noqa: E402
from pipeline.similarity import shingles as _shingles  # noqa: E402

VARIANTS = ("ours", "datasketch-signing", "datasketch", "datasketch-lean")
BASELINE_CORPUS = Path("/work/baseline/corpus-1000.warc.gz")


def shingle_bytes(text: str, size: int) -> list[bytes]:
    """The `size`-word shingles of `text` as datasketch is fed them (a text of at most
    `size` words is one shingle of all its words, an empty one none)."""
    words = tokens(text)
    if len(words) <= size:
        return [" ".join(words).encode("utf-8", "surrogatepass")] if words else []
    return [
        " ".join(words[i : i + size]).encode("utf-8", "surrogatepass")
        for i in range(len(words) - size + 1)
    ]


def xxh3_table(texts: Iterable[str], size: int) -> ShingleTable:
    """`shingle_table` with the shingles hashed by xxh3_64 of their bytes."""
    from xxhash import xxh3_64_intdigest

    if size <= 0:
        raise ValueError(f"shingle size must be positive, got {size}")
    return ShingleTable.from_sets(
        [xxh3_64_intdigest(s) for s in shingle_bytes(t, size)] for t in texts
    )


def _same(value: int) -> int:
    return value


def bulk_signatures(lean: bool) -> Callable[[ShingleTable, int, int], np.ndarray]:
    """`signatures` by `MinHash.bulk` (optionally through `LeanMinHash`)."""
    from datasketch import LeanMinHash, MinHash

    def signatures(table: ShingleTable, num_perm: int, seed: int = 1) -> np.ndarray:
        rows = (table.row(i).tolist() for i in range(len(table)))
        made = MinHash.bulk(rows, num_perm=num_perm, seed=seed, scheme="affine64", hashfunc=_same)
        kept: list[Any] = [LeanMinHash(m) for m in made] if lean else made
        if not kept:
            return np.zeros((0, num_perm), dtype=np.uint64)
        return np.stack([m.hashvalues for m in kept]).astype(np.uint64, copy=False)

    return signatures


def install(variant: str) -> dict[str, float]:
    """Put the variant's functions in place of ours in every loaded pipeline module,
    each counting the CPU seconds spent in it (returned, filled in as the run goes)."""
    spent = {"import": 0.0, "shingle_table": 0.0, "signatures": 0.0}
    for name in ("pipeline.cli", "pipeline.process", "pipeline.crossdoc"):
        importlib.import_module(name)  # loads the modules the run uses
    chosen: dict[str, Callable[..., Any]] = {
        "shingle_table": _shingles.shingle_table,
        "signatures": _minhash.signatures,
    }
    if variant != "ours":
        start = time.process_time()
        chosen["signatures"] = bulk_signatures(lean=variant == "datasketch-lean")
        if variant != "datasketch-signing":
            chosen["shingle_table"] = xxh3_table
        spent["import"] = time.process_time() - start
    replace = {
        _shingles.shingle_table: _counted(chosen["shingle_table"], "shingle_table", spent),
        _minhash.signatures: _counted(chosen["signatures"], "signatures", spent),
    }
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] != "pipeline" or module is None:
            continue
        for attr, value in list(vars(module).items()):
            if callable(value) and value in replace:
                setattr(module, attr, replace[value])
    return spent


def _counted(fn: Callable[..., Any], key: str, spent: dict[str, float]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        start = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[key] += time.process_time() - start

    return counted


def run_once(variant: str, corpus: Path, out: Path) -> tuple[float, dict[str, float]]:
    """CPU seconds (user+sys) of one whole run, and those spent in shingling, signing
    and importing datasketch (see `install`)."""
    args = ["run", str(corpus), "--out", str(out), "--workers", "1", "--no-progress"]
    spent = out.with_name(out.name + ".spent.json")
    command = [sys.executable, str(Path(__file__).resolve()), "--as", variant, str(spent)]
    shutil.rmtree(out, ignore_errors=True)  # a fresh index: a run remembers the last one
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([*command, *args], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, json.loads(spent.read_text(encoding="utf-8"))


def output_changes(ours: Path, theirs: Path) -> str:
    """How the articles of two runs differ: records, removals, duplicate removals."""
    a = (ours / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    b = (theirs / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    if len(a) != len(b):
        return f"{len(a)} vs {len(b)} articles"

    def removals(line: str) -> set[tuple[int, str, object]]:
        record = json.loads(line)
        return {(r["position"], r["reason"], r.get("rule")) for r in record.get("removed", [])}

    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    gone = sum(len(removals(x) - removals(y)) for x, y in differing)
    new = sum(len(removals(y) - removals(x)) for x, y in differing)
    same = {
        name: (ours / name).read_bytes() == (theirs / name).read_bytes()
        for name in ("articles.jsonl", "clusters.jsonl", "articles.parquet")
    }
    return (
        f"{len(differing)} of {len(a)} article records differ (removals only in ours "
        f"{gone}, only in this variant {new}); byte-identical: "
        + ", ".join(f"{name} {'yes' if ok else 'NO'}" for name, ok in same.items())
    )


def paragraph_texts(out: Path) -> list[list[str]]:
    """Each article's paragraphs (kept and removed) from a run's articles.jsonl."""
    docs = []
    for line in (out / "articles.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        texts = [p["text"] for p in record["paragraphs"]]
        docs.append(texts + [r["text"] for r in record.get("removed", [])])
    return docs


def signing_only(docs: list[list[str]], num_perm: int = 128, seed: int = 1) -> dict[str, float]:
    """CPU seconds to shingle and sign every article's paragraphs, one call per article,
    each way; and a check that both sign the same hashes alike."""
    from datasketch import LeanMinHash, MinHash
    from xxhash import xxh3_64_intdigest

    from pipeline.similarity import shingle_table, signatures

    def ours() -> None:
        for texts in docs:
            signatures(shingle_table(texts, 3), num_perm, seed)

    def theirs(lean: bool) -> None:
        for texts in docs:
            made = MinHash.bulk(
                [shingle_bytes(t, 3) for t in texts],
                num_perm=num_perm,
                seed=seed,
                scheme="affine64",
                hashfunc=xxh3_64_intdigest,
            )
            kept: list[Any] = [LeanMinHash(m) for m in made] if lean else made
            np.stack([m.hashvalues for m in kept]) if kept else None

    timings = {}
    for name, fn in (
        ("ours", ours),
        ("datasketch", lambda: theirs(False)),
        ("datasketch-lean", lambda: theirs(True)),
    ):
        start = time.process_time()
        fn()
        timings[name] = time.process_time() - start
    sample = [t for texts in docs[:50] for t in texts]
    made = MinHash.bulk(
        [shingle_bytes(t, 3) for t in sample],
        num_perm=num_perm,
        seed=seed,
        scheme="affine64",
        hashfunc=xxh3_64_intdigest,
    )
    expected = np.stack([m.hashvalues for m in made])
    if not np.array_equal(signatures(xxh3_table(sample, 3), num_perm, seed), expected):
        raise AssertionError("our signatures differ from MinHash.bulk's on the same hashes")
    return timings


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values):7.2f} s  ({min(values):.2f}-{max(values):.2f})"


def measure(corpus: Path, work: Path, runs: int, variants: list[str]) -> None:
    """The whole-run table, the output changes and the signing-only figures."""
    cpu: dict[str, list[float]] = {v: [] for v in variants}
    similarity: dict[str, list[float]] = {v: [] for v in variants}
    for r in range(runs):
        order = variants if r % 2 == 0 else variants[::-1]
        for variant in order:
            seconds, spent = run_once(variant, corpus, work / variant)
            cpu[variant].append(seconds)
            similarity[variant].append(sum(spent.values()))
            print(f"round {r + 1} {variant:20s} {seconds:.2f} s {spent}", file=sys.stderr)
    print(f"\nwhole run, CPU user+sys, median of {runs} (min-max), corpus {corpus}")
    base = statistics.median(cpu[variants[0]])
    base_sim = statistics.median(similarity[variants[0]])
    print(f"  {'variant':20s} {'whole run':>26s}  ratio  {'shingle+sign+import':>26s}  ratio*")
    for v in variants:
        whole, sim = statistics.median(cpu[v]), statistics.median(similarity[v])
        print(
            f"  {v:20s} {_summary(cpu[v])}  x{whole / base:.3f}  {_summary(similarity[v])}"
            f"  x{(base + sim - base_sim) / base:.3f}"
        )
    print(f"  ratio*: ({variants[0]}'s whole run + this variant's extra similarity CPU) / ours")
    print(f"\noutputs against {variants[0]}")
    for v in variants[1:]:
        print(f"  {v:20s} {output_changes(work / variants[0], work / v)}")
    docs = paragraph_texts(work / variants[0])
    timings = signing_only(docs)
    paragraphs = sum(map(len, docs))
    print(f"\nsigning only: {len(docs)} articles, {paragraphs} paragraphs, CPU s")
    for name, seconds in timings.items():
        print(f"  {name:20s} {seconds:7.2f} s  x{seconds / timings['ours']:.1f}")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--as"]:
        spent = install(argv[1])
        from pipeline.cli import main as pipeline_main

        code = pipeline_main(argv[3:])
        Path(argv[2]).write_text(json.dumps(spent), encoding="utf-8")
        return code
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, help="a WARC (default: build one of --n pages)")
    parser.add_argument("--n", type=int, default=1000, help="pages in the built corpus")
    parser.add_argument("--runs", type=int, default=5, help="rounds (each runs every variant)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/newsclean-signing"))
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    corpus = args.corpus
    if corpus is None:
        from bench.throughput import build_corpus, dev_pages

        corpus = args.work / f"corpus-{args.n}.warc.gz"
        if not corpus.exists():
            build_corpus(corpus, args.n, dev_pages())
    measure(corpus, args.work, args.runs, args.variants.split(","))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Cross-document paragraph dedup: recall, precision and speed against naive datasketch.

Builds a synthetic corpus from the ground-truth article bodies of
../shared/bench/scrapinghub-dev (paragraphs = lines of `articleBody`), plants edited
copies (word substitutions, insertions, deletions, truncation, merged paragraphs),
computes every true pair by brute force (exact Jaccard of every pair sharing a shingle,
which is every pair with Jaccard > 0), and runs in the same process:

* ours: `find_pairs` (shingles hashed once in numpy, datasketch's affine64 signatures
  computed for all paragraphs at once, bands chosen for recall, exact verification),
  Jaccard only and Jaccard + containment;
* naive datasketch: `MinHash.update` per shingle, `MinHashLSH(threshold, num_perm=128)`
  defaults, its candidates taken as the answer.

Speeds are paragraphs per CPU-second of this process (`time.process_time`), single
threaded on both sides, best of `--repeat` runs of each method (the machine is shared:
wall time and even CPU time vary with the load; the median is printed too).

Usage: python bench/dedup.py [--copies 2] [--threshold 0.8] [--seed 7] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from datasketch import MinHash, MinHashLSH

from pipeline.similarity import Matches, MatchSettings, find_pairs, shingle_table, tokens

GROUND_TRUTH = (
    Path(__file__).resolve().parents[2] / "shared/bench/scrapinghub-dev/ground-truth.json"
)
FILLER = "new old local major public said report people year week city state".split()  # noqa: SIM905


def corpus(copies: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    truth = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    base = [
        p.strip()
        for item in truth.values()
        for p in item["articleBody"].split("\n")
        if len(p.split()) >= 8
    ]
    out = list(base)
    for text in base:
        for _ in range(rng.randrange(copies + 1)):
            out.append(edit(text, rng, base))
    rng.shuffle(out)
    return out


def edit(text: str, rng: random.Random, pool: list[str]) -> str:
    words = text.split()
    kind = rng.choice(["substitute", "insert", "delete", "truncate", "merge"])
    n = max(1, len(words) // rng.choice([10, 20, 40]))
    if kind == "substitute":
        for _ in range(n):
            words[rng.randrange(len(words))] = rng.choice(FILLER)
    elif kind == "insert":
        for _ in range(n):
            words.insert(rng.randrange(len(words) + 1), rng.choice(FILLER))
    elif kind == "delete":
        for _ in range(min(n, len(words) - 4)):
            del words[rng.randrange(len(words))]
    elif kind == "truncate":
        words = words[: max(4, int(len(words) * rng.uniform(0.7, 0.95)))]
    else:
        words = words + rng.choice(pool).split()
    return " ".join(words)


def true_pairs(
    sets: list[frozenset[int]], threshold: float, containment: float
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    postings: dict[int, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for h in s:
            postings[h].append(i)
    jac: set[tuple[int, int]] = set()
    cont: set[tuple[int, int]] = set()
    for i, s in enumerate(sets):
        shared: dict[int, int] = defaultdict(int)
        for h in s:
            for j in postings[h]:
                if j > i:
                    shared[j] += 1
        for j, inter in shared.items():
            t = sets[j]
            if inter / (len(s) + len(t) - inter) >= threshold:
                jac.add((i, j))
            elif inter / min(len(s), len(t)) >= containment:
                cont.add((i, j))
    return jac, cont


def naive(texts: list[str], threshold: float, size: int) -> set[tuple[int, int]]:
    lsh = MinHashLSH(threshold=threshold, num_perm=128)
    hashes = []
    for i, text in enumerate(texts):
        words = tokens(text)
        m = MinHash(num_perm=128)
        for k in range(max(1, len(words) - size + 1)):
            m.update(" ".join(words[k : k + size]).encode())
        lsh.insert(i, m)
        hashes.append(m)
    found: set[tuple[int, int]] = set()
    for i, m in enumerate(hashes):
        for j in lsh.query(m):
            if j != i:
                found.add((min(i, j), max(i, j)))
    return found


def timed(run: Callable[[], object], repeat: int) -> tuple[object, float, float]:
    """The result of `run`, and the best and median CPU seconds over `repeat` runs."""
    times = []
    result: object = None
    for _ in range(repeat):
        start = time.process_time()
        result = run()
        times.append(time.process_time() - start)
    return result, min(times), statistics.median(times)


def score(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    hit = len(found & truth)
    return hit / len(truth) if truth else 1.0, hit / len(found) if found else 1.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=2)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--containment", type=float, default=0.75)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each method")
    args = parser.parse_args()
    size = 3
    texts = corpus(args.copies, args.seed)
    table = shingle_table(texts, size)
    sets = [table.set(i) for i in range(len(table))]
    jac_truth, cont_truth = true_pairs(sets, args.threshold, args.containment)
    print(
        f"{len(texts)} paragraphs; true pairs: {len(jac_truth)} at Jaccard >= {args.threshold}, "
        f"{len(cont_truth)} more at containment >= {args.containment}"
    )

    rows = []
    for label, containment in (
        ("ours (jaccard)", None),
        ("ours (jaccard+containment)", args.containment),
    ):
        settings = MatchSettings(args.threshold, containment, 128, 0.995, 1, 500, 1000)
        matches, elapsed, median = timed(
            lambda s=settings: find_pairs(shingle_table(texts, size), s), args.repeat
        )
        assert isinstance(matches, Matches)
        found_j = {(p.a, p.b) for p in matches.pairs if p.measure == "jaccard"}
        found_c = {(p.a, p.b) for p in matches.pairs if p.measure == "containment"}
        rec, prec = score(found_j, jac_truth)
        extra = ""
        if containment is not None:
            crec, cprec = score(found_c, cont_truth)
            extra = f"  containment recall {crec:.4f} precision {cprec:.4f}"
        rows.append((label, rec, prec, len(texts) / elapsed, len(texts) / median, extra))
    found, elapsed, median = timed(lambda: naive(texts, args.threshold, size), args.repeat)
    assert isinstance(found, set)
    rec, prec = score(found, jac_truth)
    naive_rate, naive_median = len(texts) / elapsed, len(texts) / median
    rows.append(("naive datasketch", rec, prec, naive_rate, naive_median, ""))
    print(f"paragraphs/s: best of {args.repeat} runs (median in brackets), CPU time")
    for label, rec, prec, rate, med, extra in rows:
        print(
            f"{label:28} recall {rec:.4f}  precision {prec:.4f}  {rate:7.0f} ({med:7.0f}) "
            f"paragraphs/s  x{rate / naive_rate:5.1f} ({med / naive_median:5.1f}){extra}"
        )


if __name__ == "__main__":
    main()

"""Peak RSS of the corpus-level step (`crossdoc.apply_crossdoc`) on a synthetic corpus.

N documents x P paragraphs of ~40 words drawn from a 20k-word vocabulary, 10% of the
documents reposts of an earlier one, one template line per site; index off. Prints the
peak RSS of the step and, for comparison, the size of the same paragraphs' shingles as
a compact `ShingleTable` (sorted uint64) versus Python frozensets.

Usage: python bench/dedup_memory.py [--docs 5000] [--paragraphs 20]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time

from pipeline.config import CrossdocConfig
from pipeline.crossdoc import apply_crossdoc
from pipeline.fingerprint import shingle_table, shingles
from pipeline.model import Article, Format, Metadata, Paragraph
from pipeline.records import ArticleRecord, article_record


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus(docs: int, paragraphs: int, seed: int) -> list[ArticleRecord]:
    rng = random.Random(seed)
    vocab = [f"w{i}" for i in range(20000)]
    out: list[ArticleRecord] = []
    for d in range(docs):
        if d and rng.random() < 0.1:
            out.append(out[rng.randrange(len(out))] | {"source": f"doc{d}"})
            continue
        paras = [" ".join(rng.choices(vocab, k=40)) for _ in range(paragraphs - 1)]
        paras.append(f"Follow site {d % 50} on social media for more news every day")
        article = Article(
            source=f"doc{d}",
            format=Format.TEXT,
            metadata=Metadata(title=None, site=f"site{d % 50}.example"),
            paragraphs=tuple(Paragraph(p) for p in paras),
        )
        out.append(article_record(article))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--paragraphs", type=int, default=20)
    args = parser.parse_args()
    records = corpus(args.docs, args.paragraphs, 7)
    texts = [p["text"] for r in records[:1000] for p in r["paragraphs"]]
    table = shingle_table(texts, 3)
    frozen = [shingles(t, 3) for t in texts]
    set_bytes = sum(sys.getsizeof(s) + 32 * len(s) for s in frozen)
    table_bytes = table.values.nbytes + table.offsets.nbytes
    print(
        f"shingles of {len(texts)} paragraphs: frozensets ~{set_bytes / 2**20:.1f} MB, "
        f"ShingleTable {table_bytes / 2**20:.1f} MB"
    )
    del table, frozen, texts
    before = peak_mb()
    started = time.perf_counter()
    result = apply_crossdoc(records, CrossdocConfig(index="off"))
    elapsed = time.perf_counter() - started
    print(
        f"{args.docs} docs x {args.paragraphs} paragraphs: crossdoc {elapsed:.1f} s, "
        f"{result.report.document_clusters} document clusters, "
        f"{result.report.site_boilerplate_removed} boilerplate removed; "
        f"peak RSS {peak_mb():.0f} MB (records alone {before:.0f} MB)"
    )


if __name__ == "__main__":
    main()

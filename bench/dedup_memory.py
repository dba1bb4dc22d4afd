"""Peak RSS and CPU of the corpus-level step (cross-document dedup) on synthetic corpora.

Two corpora, both built without extraction (records are made directly):

* `--corpus stories` (default): the 93 dev articles of `../shared/bench/scrapinghub-dev`
  repeated to N records, each story about N/93 times over 20 sites: 60% exact copies,
  20% with a few words changed, 10% truncated, 10% changed and truncated; every record
  has its site's template line. This is the shape that used to grow with the square of
  the copies of one story. Records are spooled on disk (`RecordSpool`) as in a real run
  and go through `run.finish_run` (cross-document dedup with the index on, then every
  writer), so the figures include the writers.
* `--corpus random`: N documents x P paragraphs of ~40 random words, 10% reposts, one
  template line per site; `apply_crossdoc` alone, index off.

Peak RSS is `ru_maxrss` of this process (run one N per invocation); CPU is user+system.

Usage: python bench/dedup_memory.py [--docs 5000] [--corpus stories|random] [--index off]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from pipeline.config import CrossdocConfig, PipelineConfig
from pipeline.crossdoc import apply_crossdoc
from pipeline.model import Article, Format, Metadata, Paragraph
from pipeline.records import ArticleRecord, article_record
from pipeline.runtime.engine import close_spools, finish_run
from pipeline.runtime.spool import RecordSpool
from pipeline.runtime.summary import RunSummary
from pipeline.similarity import shingle_table

GROUND_TRUTH = (
    Path(__file__).resolve().parents[2] / "shared/bench/scrapinghub-dev/ground-truth.json"
)
SITES = 20


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


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


def _changed(paragraphs: list[str], copy: int) -> list[str]:
    """A word changed in every third paragraph, differently for every copy."""
    out = []
    for i, text in enumerate(paragraphs):
        words = text.split()
        if i % 3 == 0 and len(words) > 6:
            words[len(words) // 2] = f"edit{copy}"
        out.append(" ".join(words))
    return out


def story_records(docs: int, seed: int) -> list[list[str]]:
    """Paragraph lists of the 93 base stories."""
    del seed
    truth = json.loads(GROUND_TRUTH.read_text(encoding="utf-8"))
    bases = []
    for key in sorted(truth):
        paras = [p.strip() for p in truth[key]["articleBody"].split("\n") if p.strip()]
        if paras:
            bases.append(paras)
    return bases


def story_record(bases: list[list[str]], d: int) -> ArticleRecord:
    base = bases[d % len(bases)]
    copy = d // len(bases)
    kind = copy % 10
    paras = list(base)
    if kind in (6, 7, 9) and copy:
        paras = _changed(paras, copy)
    if kind in (8, 9) and copy and len(paras) > 2:
        paras = paras[: max(2, len(paras) * (5 + copy % 4) // 9)]
    site = f"site{d % SITES}.example"
    paras.append(f"Follow {site} on social media for more news every day of the week")
    article = Article(
        source=f"archive.warc.gz#{d}",
        format=Format.HTML,
        metadata=Metadata(
            title=f"Story {d}", site=site, date=f"2020-{1 + d % 12:02}-{1 + d % 28:02}"
        ),
        paragraphs=tuple(Paragraph(p) for p in paras),
    )
    return article_record(article)


def run_stories(docs: int, index: str) -> None:
    bases = story_records(docs, 7)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        articles: RecordSpool[ArticleRecord] = RecordSpool(out, "articles")
        quarantined: RecordSpool[object] = RecordSpool(out, "quarantine")
        summary = RunSummary()
        for d in range(docs):
            record = story_record(bases, d)
            articles.append(record)
            summary.inputs += 1
            summary.articles += 1
            summary.paragraphs_kept += len(record["paragraphs"])
        config = PipelineConfig()
        config = dataclasses.replace(
            config,
            crossdoc=dataclasses.replace(config.crossdoc, index=index),
            write=dataclasses.replace(config.write, markdown=False),
        )
        before_rss, before_cpu, started = peak_mb(), cpu_s(), time.perf_counter()
        summary = finish_run(out, articles, quarantined, config, summary)  # type: ignore[arg-type]
        wall = time.perf_counter() - started
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        cross = manifest["crossdoc"]
        print(
            f"stories: {docs} docs, index {index or 'sqlite'}: finish_run {wall:.1f} s wall, "
            f"{cpu_s() - before_cpu:.1f} s CPU "
            f"(crossdoc {summary.timings.get('crossdoc_s', 0):.1f} s); "
            f"peak RSS {peak_mb():.0f} MB (before the step {before_rss:.0f} MB); "
            f"{cross['document_clusters']} document clusters, "
            f"{cross['duplicate_articles']} duplicates, "
            f"{cross['paragraph_clusters']} paragraph clusters, "
            f"{cross['site_boilerplate_removed']} boilerplate removed; caps: "
            + ", ".join(f"{k}={v}" for k, v in cross.items() if "cap" in k or "fan" in k)
        )
        close_spools(articles, quarantined)


def run_random(docs: int, paragraphs: int) -> None:
    records = corpus(docs, paragraphs, 7)
    texts = [p["text"] for r in records[:1000] for p in r["paragraphs"]]
    table = shingle_table(texts, 3)
    frozen = [table.set(i) for i in range(len(table))]
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
        f"{docs} docs x {paragraphs} paragraphs: crossdoc {elapsed:.1f} s, "
        f"{result.counts.document_clusters} document clusters, "
        f"{result.counts.site_boilerplate_removed} boilerplate removed; "
        f"peak RSS {peak_mb():.0f} MB (records alone {before:.0f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--paragraphs", type=int, default=20)
    parser.add_argument("--corpus", choices=("stories", "random"), default="stories")
    parser.add_argument("--index", default="", help='"" = sqlite under the output, "off"')
    args = parser.parse_args()
    if args.corpus == "random":
        run_random(args.docs, args.paragraphs)
    else:
        run_stories(args.docs, args.index)


if __name__ == "__main__":
    main()

"""In-document dedupe where it belongs: what it takes from ordinary pages, and revision dumps.

    python bench/revisions.py [--sets wcxb-dev,scrapinghub-dev] [--dumps N] [--seed S]
                              [--limit N] [--skip-pages] [--skip-dumps] [--cpu]
                              [--no-end-markers] [--bench DIR]

(a) Ordinary pages: every page of the development sets through the whole per-document
pipeline; a removed paragraph is *body* when the ground truth's `articleBody` holds it
(both normalised: lowercase `\\w+` tokens joined by one space). Printed per set: pages
and body paragraphs removed as `duplicate`, and how many of those are lost (their text
nowhere else in the article).

(b) Revision dumps built from real article bodies of the same sets: the body is the
latest of 3-6 versions; each earlier version is made from the next by undoing edits
(words replaced, a sentence missing, a clause added), leaving out paragraphs added
later and holding a paragraph (of another article) dropped later. The versions follow
one another as plain text, each under a tracker line ("Version 3 of 5", or "(about 4
hours later)"), newest first in a third of the dumps ("Version 5 of 5" first), with site
chrome between versions and now and then between paragraphs ("RELATED STORIES", "Read
more: ...", "Advertisement"; `--no-end-markers` leaves out the lines cleaning reads as the
end of the story, to see dedupe's part alone).
Printed: body recall and precision (the WCXB token metric against the latest version) and,
over the paragraphs with two or more wordings in the dump, the share whose kept copy is
the latest wording, the oldest, or neither.

`--cpu` prints only the CPU per page (`time.process_time`) of the in-document dedupe
stage on the pages of (a).

It imports nothing but `pipeline`, so the same file measures another checkout: run it
with `PYTHONPATH=<checkout>` from anywhere (e.g. main, for the figures before a change).
CPU is not measured here; the dumps are seeded, so both checkouts see the same ones.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.config import PipelineConfig
from pipeline.model import Article, RawDocument
from pipeline.process import process_document

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
TOKEN = re.compile(r"\w+", re.UNICODE)
SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"])")
CHROME = ["Advertisement", "Read more: {other}", "Most popular", "Sign up for our newsletter"]
END_MARKERS = ["RELATED STORIES", "Share this article"]
"""Chrome that cleaning reads as the end of the story (`--no-end-markers` leaves it out)."""
CLAUSES = [", officials said", ", according to people familiar with the matter", " on Monday"]


def norm(text: str) -> str:
    return " ".join(TOKEN.findall(text.lower()))


@dataclass(frozen=True, slots=True)
class Truth:
    id: str
    body: str
    url: str


def load_truth(root: Path, name: str) -> list[Truth]:
    data = json.loads((root / name / "ground-truth.json").read_text(encoding="utf-8"))
    return [
        Truth(key, entry.get("articleBody") or "", entry.get("url") or "")
        for key, entry in sorted(data.items())
    ]


# (a) ordinary pages -------------------------------------------------------------------


def pages_lost(root: Path, name: str, config: PipelineConfig, limit: int | None) -> dict[str, int]:
    counts: Counter[str] = Counter()
    for truth in load_truth(root, name)[:limit]:
        data = gzip.decompress((root / name / "html" / f"{truth.id}.html.gz").read_bytes())
        raw = RawDocument(source=f"{truth.id}.html", data=data, url=truth.url or None)
        outcome = process_document(raw, config)
        counts["pages"] += 1
        if not isinstance(outcome, Article):
            continue
        body = norm(truth.body)
        kept = [norm(p.text) for p in outcome.paragraphs]
        dups = [r for r in outcome.removed if r.reason == "duplicate"]
        in_body = [norm(r.text) for r in dups if norm(r.text) and norm(r.text) in body]
        counts["removed as duplicate"] += len(dups)
        counts["body removed as duplicate"] += len(in_body)
        counts["body lost (not kept elsewhere)"] += sum(
            1 for t in in_body if not any(t in k for k in kept)
        )
        counts["pages with body removed as duplicate"] += bool(in_body)
    return dict(counts)


def dedupe_cpu(root: Path, name: str, config: PipelineConfig, limit: int | None) -> float:
    """CPU seconds per page of the in-document dedupe stage alone (extraction and cleaning
    done first, untimed). A checkout without the revision gate runs `near_duplicates`
    on every page's kept paragraphs, as its `process_document` did."""
    from pipeline import dedupe
    from pipeline.clean import clean_paragraphs
    from pipeline.extract.document import extract_document
    from pipeline.model import Format

    gated = getattr(dedupe, "dedupe_document", None)
    total, pages = 0.0, 0
    for truth in load_truth(root, name)[:limit]:
        data = gzip.decompress((root / name / "html" / f"{truth.id}.html.gz").read_bytes())
        raw = RawDocument(source=f"{truth.id}.html", data=data, url=truth.url or None)
        try:
            document = extract_document(raw, config.extract)
        except Exception:  # quarantined: no dedupe either
            continue
        decision = clean_paragraphs(
            document.paragraphs,
            config.clean,
            title=document.metadata.title,
            find_title=document.format is Format.TEXT,
        )
        start = time.process_time()
        if gated is not None:
            gated(document, decision, config.dedupe)
        else:
            texts = [document.paragraphs[i].text for i in decision.kept]
            dedupe.near_duplicates(texts, config.dedupe)
        total += time.process_time() - start
        pages += 1
    return total / max(1, pages)


# (b) revision dumps -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Para:
    text: str
    chain: int | None
    """Index of the paragraph in the latest version; None for one dropped later."""


def edit(text: str, words: list[str], rng: random.Random) -> str:
    """An older wording of `text`: a few words replaced, a sentence missing, or a clause."""
    sentences = SENTENCE.split(text)
    op = rng.random()
    if op < 0.3 and len(sentences) >= 3:
        del sentences[rng.randrange(1, len(sentences))]
        return " ".join(sentences)
    if op < 0.5:
        k = rng.randrange(len(sentences))
        s = sentences[k].rstrip(".")
        sentences[k] = s + rng.choice(CLAUSES) + "."
        return " ".join(sentences)
    tokens = text.split(" ")
    for _ in range(max(1, len(tokens) // 12)):
        i = rng.randrange(len(tokens))
        tokens[i] = rng.choice(words)
    return " ".join(tokens)


def versions(body: list[str], other: list[str], rng: random.Random) -> list[list[Para]]:
    """3-6 versions, oldest first; the last is `body` itself."""
    words = [w for p in body for w in p.split(" ") if w.isalpha() and len(w) > 3] or ["news"]
    latest = [Para(p, j) for j, p in enumerate(body)]
    out = [latest]
    for _ in range(rng.randint(2, 5)):
        newer = out[0]
        older: list[Para] = []
        for para in newer:
            if para.chain is not None and para.chain > 0 and rng.random() < 0.12:
                continue  # added in the newer version
            prose = len(para.text.split()) >= 12
            if prose and rng.random() < 0.3:
                older.append(Para(edit(para.text, words, rng), para.chain))
            else:
                older.append(para)
        if other and rng.random() < 0.3:
            older.insert(rng.randrange(1, len(older) + 1), Para(rng.choice(other), None))
        out.insert(0, older)
    return out


def dump_text(vs: list[list[Para]], headline: str, rng: random.Random, chrome: list[str]) -> str:
    n = len(vs)
    layout = rng.choice(["version", "gap", "newest-first"])
    order = list(range(n))[::-1] if layout == "newest-first" else list(range(n))
    lines = ["This article is from the source 'bench' and was first published or seen on ."]
    for step, k in enumerate(order):
        if step and rng.random() < 0.5:
            lines.append(rng.choice(chrome).format(other=headline[::-1].title()[:40]))
        if layout == "gap" and step:
            lines.append(f"(about {rng.randint(1, 9)} hours later)")
        elif layout != "gap":
            lines.append(f"Version {k + 1} of {n}")
        lines.append(headline)
        for para in vs[k]:
            lines.append(para.text)
            if rng.random() < 0.02:
                lines.append(rng.choice(chrome).format(other=headline[::-1].title()[:40]))
    return "\n\n".join(lines) + "\n"


def score_chains(vs: list[list[Para]], count: int, kept: list[str], chains: Counter[str]) -> None:
    """Which wording of each paragraph with two or more the article kept.

    A wording counts as kept when a kept paragraph is that wording, or, if none is, holds
    it (text extraction may join a list to the line before it); "more than one kept"
    counts chains held by two or more distinct kept paragraphs, a copy dedupe left.
    """
    for j in range(count):
        wordings = [norm(para.text) for v in vs for para in v if para.chain == j]
        if len(set(wordings)) < 2:
            continue
        chains["chains"] += 1
        holders = [{k for k, text in enumerate(kept) if w == text} for w in wordings]
        if not any(holders):
            holders = [{k for k, text in enumerate(kept) if w in text} for w in wordings]
        if not any(holders):
            chains["lost"] += 1
        elif holders[-1]:
            chains["latest kept"] += 1
        elif holders[0]:
            chains["oldest kept"] += 1
        else:
            chains["a middle one kept"] += 1
        chains["more than one kept"] += len(set().union(*holders)) > 1


def recall_precision(truth: str, prediction: str) -> tuple[float, float]:
    t, p = Counter(TOKEN.findall(truth.lower())), Counter(TOKEN.findall(prediction.lower()))
    common = sum((t & p).values())
    return common / max(1, sum(t.values())), common / max(1, sum(p.values()))


def dumps(
    root: Path,
    sets: Sequence[str],
    count: int,
    seed: int,
    config: PipelineConfig,
    chrome: list[str],
) -> dict[str, float]:
    rng = random.Random(seed)
    bodies = [
        [p.strip() for p in t.body.split("\n\n") if p.strip()]
        for name in sets
        for t in load_truth(root, name)
    ]
    bodies = [b for b in bodies if 4 <= len(b) <= 40 and sum(len(p.split()) >= 12 for p in b) >= 3]
    rng.shuffle(bodies)
    chains = Counter[str]()
    recall = precision = 0.0
    done = 0
    for body in bodies[:count]:
        other = rng.choice(bodies)
        vs = versions(body, [p for p in other if len(p.split()) >= 12], rng)
        text = dump_text(vs, f"Story {done} as it was told", rng, chrome)
        raw = RawDocument(source=f"dump-{done}.txt", data=text.encode("utf-8"))
        outcome = process_document(raw, config)
        done += 1
        kept = [norm(p.text) for p in outcome.paragraphs] if isinstance(outcome, Article) else []
        r, p = recall_precision(
            "\n".join(body), outcome.text if isinstance(outcome, Article) else ""
        )
        recall, precision = recall + r, precision + p
        score_chains(vs, len(body), kept, chains)
    n = max(1, chains["chains"])
    survived = max(1, n - chains["lost"])
    return {
        "dumps": done,
        "body recall": round(recall / max(1, done), 4),
        "body precision": round(precision / max(1, done), 4),
        "chains (2+ wordings)": chains["chains"],
        "lost (no copy kept)": round(chains["lost"] / n, 4),
        "of the rest: latest kept": round(chains["latest kept"] / survived, 4),
        "oldest kept": round(chains["oldest kept"] / survived, 4),
        "a middle one kept": round(chains["a middle one kept"] / survived, 4),
        "more than one kept": round(chains["more than one kept"] / survived, 4),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sets", default="wcxb-dev,scrapinghub-dev")
    ap.add_argument("--bench", type=Path, default=BENCH, help="folder of the sets")
    ap.add_argument("--dumps", type=int, default=200)
    ap.add_argument("--seed", type=int, default=14)
    ap.add_argument("--limit", type=int, default=None, help="pages per set in (a)")
    ap.add_argument("--skip-pages", action="store_true")
    ap.add_argument("--skip-dumps", action="store_true")
    ap.add_argument("--cpu", action="store_true", help="only the dedupe stage's CPU per page")
    ap.add_argument("--no-end-markers", action="store_true", help="chrome without end markers")
    args = ap.parse_args(argv)
    sets = args.sets.split(",")
    config = PipelineConfig()
    if args.cpu:
        for name in sets:
            cpu = dedupe_cpu(args.bench, name, config, args.limit)
            print(name, f"dedupe CPU per page: {cpu * 1000:.2f} ms", flush=True)
        return 0
    if not args.skip_pages:
        for name in sets:
            print(name, json.dumps(pages_lost(args.bench, name, config, args.limit)), flush=True)
    if not args.skip_dumps:
        chrome = CHROME if args.no_end_markers else CHROME + END_MARKERS
        found = dumps(args.bench, sets, args.dumps, args.seed, config, chrome)
        print("revision dumps", json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())

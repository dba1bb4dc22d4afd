"""The per-run artifacts: a Markdown summary and a table of the quarantine.

Built from the files the run wrote (not from what the flow handed to `finish_run`), so
whatever the corpus-level steps inside `finish_run` change — cross-document duplicates
dropped or quarantined — is what the artifacts report.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from pipeline.output import ARTICLES, MANIFEST, QUARANTINE, REPORT

TABLE_ROWS = 1000
"""The table artifact keeps the first rows only; the file has them all."""


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """One record at a time: a run's files can be far larger than memory."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def summary_markdown(out: Path, failed_batches: int) -> str:
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    counts: dict[str, Any] = manifest["counts"]
    articles = kept = 0
    removed: Counter[str] = Counter()
    groups: set[tuple[str, str]] = set()
    for a in read_jsonl(out / ARTICLES):
        articles += 1
        kept += len(a["paragraphs"])
        for r in a["removed"]:
            removed[r["reason"]] += 1
            if r["duplicate_of"] is not None:
                groups.add((a["id"], r["duplicate_of"]))
    reasons = Counter(q["reason"] for q in read_jsonl(out / QUARANTINE))
    lines = [
        "# clean_articles run",
        "",
        "| | count |",
        "|---|---:|",
        f"| documents in | {counts['inputs']} |",
        f"| articles out | {articles} |",
        f"| quarantined | {sum(reasons.values())} |",
        f"| paragraphs kept | {kept} |",
        f"| paragraphs removed | {sum(removed.values())} |",
        f"| duplicate groups within articles | {len(groups)} |",
    ]
    lines += [
        f"| {key.replace('_', ' ')} | {value} |"
        for key, value in sorted(counts.items())
        if "duplicate" in key and isinstance(value, int)
    ]
    if failed_batches:
        lines.append(f"| failed batches (documents quarantined) | {failed_batches} |")
    lines += ["", "## Quarantined, by reason", ""]
    lines += _counter_table("reason", reasons) if reasons else ["none"]
    lines += ["", "## Paragraphs removed, by reason", ""]
    lines += _counter_table("reason", removed) if removed else ["none"]
    lines += ["", f"Outputs: `{out}`"]
    report = out / REPORT
    if report.is_file():  # the report can be turned off in the config
        lines.append(f"Report: [{REPORT}]({report.resolve().as_uri()}) (`{report.resolve()}`)")
    lines.append("")
    return "\n".join(lines)


def quarantine_table(out: Path) -> list[dict[str, str]]:
    rows = islice(read_jsonl(out / QUARANTINE), TABLE_ROWS)
    return [{"source": r["source"], "stage": r["stage"], "reason": r["reason"]} for r in rows]


def _counter_table(label: str, counter: Counter[str]) -> list[str]:
    rows = [f"| {label} | count |", "|---|---:|"]
    rows += [f"| {_cell(k)} | {v} |" for k, v in counter.most_common()]
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

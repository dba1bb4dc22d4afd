"""The per-run artifacts: a Markdown summary and a table of the quarantine.

Built from the files the run wrote (not from what the flow handed to `finish_run`), so
whatever the corpus-level steps inside `finish_run` change — cross-document duplicates
dropped or quarantined — is what the artifacts report.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from pipeline.write import ARTICLES, MANIFEST, QUARANTINE

TABLE_ROWS = 1000
"""The table artifact keeps the first rows only; the file has them all."""


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def summary_markdown(out: Path, failed_batches: int) -> str:
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    counts: dict[str, Any] = manifest["counts"]
    articles = read_jsonl(out / ARTICLES)
    quarantined = read_jsonl(out / QUARANTINE)
    reasons = Counter(q["reason"] for q in quarantined)
    removed = Counter(r["reason"] for a in articles for r in a["removed"])
    groups = {
        (a["id"], r["duplicate_of"])
        for a in articles
        for r in a["removed"]
        if r["duplicate_of"] is not None
    }
    lines = [
        "# clean_articles run",
        "",
        "| | count |",
        "|---|---:|",
        f"| documents in | {counts['inputs']} |",
        f"| articles out | {len(articles)} |",
        f"| quarantined | {len(quarantined)} |",
        f"| paragraphs kept | {sum(len(a['paragraphs']) for a in articles)} |",
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
    lines += ["", f"Outputs: `{out}`", ""]
    return "\n".join(lines)


def quarantine_table(out: Path) -> list[dict[str, str]]:
    rows = read_jsonl(out / QUARANTINE)[:TABLE_ROWS]
    return [{"source": r["source"], "stage": r["stage"], "reason": r["reason"]} for r in rows]


def _counter_table(label: str, counter: Counter[str]) -> list[str]:
    rows = [f"| {label} | count |", "|---|---:|"]
    rows += [f"| {_cell(k)} | {v} |" for k, v in counter.most_common()]
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

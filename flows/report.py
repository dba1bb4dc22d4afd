"""The per-run artifacts: a Markdown summary, a table of the quarantine, the report link.

Built from the files the run wrote (not from what the flow handed to `finish_run`), so
whatever the corpus-level steps inside `finish_run` change — cross-document duplicates
dropped or quarantined — is what the artifacts report.

Paths are absolute, and shown as the host sees them when the flow runs in a container
whose output folder is a bind mount (`NEWSCLEAN_HOST_OUTPUT`, set by docker-compose.yml):
a link to `/app/output/report.html` opens nothing on the machine where someone reads
the artifact.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Any

from pipeline.output import ARTICLES, MANIFEST, QUARANTINE, REPORT

TABLE_ROWS = 1000
"""The table artifact keeps the first rows only; the file has them all."""
HOST_OUTPUT_ENV = "NEWSCLEAN_HOST_OUTPUT"
"""`CONTAINER_DIR=HOST_DIR`: the folder the flow writes under, and where the host has it."""
CLUSTER_ROWS = {
    "document_clusters": "document clusters (near-duplicate articles)",
    "paragraph_clusters": "paragraph clusters (passages shared across articles)",
    "duplicate_articles": "articles that duplicate another",
    "duplicate_articles_dropped": "duplicate articles dropped",
    "cross_duplicates_annotated": "cross-document duplicate paragraphs annotated",
    "cross_duplicates_dropped": "cross-document duplicate paragraphs dropped",
    "site_boilerplate_removed": "site boilerplate paragraphs removed",
}
"""The manifest's `crossdoc` counts the summary shows, and how it words them."""


class HostMappingError(ValueError):
    """`NEWSCLEAN_HOST_OUTPUT` is set but is not `CONTAINER_DIR=HOST_DIR`."""


@dataclass(frozen=True, slots=True)
class HostMapping:
    """Where the host sees the folders under `inside` (a bind mount's two ends)."""

    inside: Path
    outside: PurePosixPath

    @classmethod
    def from_env(cls) -> HostMapping | None:
        """The mapping in the environment, None when unset; raises `HostMappingError` on
        a malformed one (the flow checks it before the run, not after hours of it)."""
        value = os.environ.get(HOST_OUTPUT_ENV, "")
        if not value:
            return None
        inside, sep, outside = value.partition("=")
        if not (sep and inside.startswith("/") and outside.startswith("/")):
            raise HostMappingError(
                f"{HOST_OUTPUT_ENV}={value!r}: expected CONTAINER_DIR=HOST_DIR, both absolute"
            )
        return cls(Path(inside), PurePosixPath(outside))

    def host_path(self, path: Path) -> PurePosixPath | None:
        """`path` as the host sees it; None when it is not under the mapped folder."""
        try:
            relative = path.resolve().relative_to(self.inside.resolve())
        except ValueError:
            return None
        return self.outside / relative.as_posix()


def shown_path(path: Path, mapping: HostMapping | None) -> PurePosixPath:
    """The absolute path someone reading the artifact can open: the host's when known."""
    host = mapping.host_path(path) if mapping is not None else None
    return host if host is not None else PurePosixPath(path.resolve().as_posix())


def report_uri(out: Path, mapping: HostMapping | None) -> str | None:
    """A `file://` URI of the run's report where it is, None without a report."""
    report = out / REPORT
    if not report.is_file():  # the report can be turned off in the config
        return None
    return shown_path(report, mapping).as_uri()


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """One record at a time: a run's files can be far larger than memory."""
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def summary_markdown(out: Path, failed_batches: int, mapping: HostMapping | None = None) -> str:
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
    lines += _cluster_rows(manifest.get("crossdoc"))
    if failed_batches:
        lines.append(f"| failed batches (documents quarantined) | {failed_batches} |")
    lines += ["", "## Quarantined, by reason", ""]
    lines += _counter_table("reason", reasons) if reasons else ["none"]
    lines += ["", "## Paragraphs removed, by reason", ""]
    lines += _counter_table("reason", removed) if removed else ["none"]
    lines += ["", *_where(out, mapping), ""]
    return "\n".join(lines)


def _cluster_rows(crossdoc: dict[str, Any] | None) -> list[str]:
    if crossdoc is None:
        return ["| cross-document step | off |"]
    return [f"| {label} | {crossdoc.get(key, 0)} |" for key, label in CLUSTER_ROWS.items()]


def _where(out: Path, mapping: HostMapping | None) -> list[str]:
    """Where the outputs are, and the report's link, as paths that open where read."""
    lines = [f"Outputs: `{shown_path(out, mapping)}`"]
    if mapping is not None and mapping.host_path(out) is not None:
        lines[0] += f" (in the container: `{out.resolve()}`)"
    uri = report_uri(out, mapping)
    if uri is not None:
        lines.append(f"Report: [{REPORT}]({uri}) (`{shown_path(out / REPORT, mapping)}`)")
    return lines


def quarantine_table(out: Path) -> list[dict[str, str]]:
    rows = islice(read_jsonl(out / QUARANTINE), TABLE_ROWS)
    return [{"source": r["source"], "stage": r["stage"], "reason": r["reason"]} for r in rows]


def _counter_table(label: str, counter: Counter[str]) -> list[str]:
    rows = [f"| {label} | count |", "|---|---:|"]
    rows += [f"| {_cell(k)} | {v} |" for k, v in counter.most_common()]
    return rows


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")

"""Records of a seeds run, and their variants, for the report's tests.

`crossdoc` dresses two seed articles as a syndicated pair (the renderer's contract for
the cross-document fields and clusters.jsonl); `parse` gives the DOM a browser would
build, with lxml.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import lxml.html

from pipeline.output import ARTICLES, MANIFEST, QUARANTINE

Record = dict[str, Any]


def load(out: Path) -> tuple[list[Record], list[Record], Record]:
    def jsonl(name: str) -> list[Record]:
        return [json.loads(x) for x in (out / name).read_text(encoding="utf-8").splitlines()]

    return jsonl(ARTICLES), jsonl(QUARANTINE), json.loads((out / MANIFEST).read_text())


def parse(page: str) -> Any:
    return lxml.html.document_fromstring(page)


def unresolved_links(doc: Any) -> list[str]:
    ids = set(doc.xpath("//@id"))
    return [h for h in doc.xpath("//@href") if h.startswith("#") and h[1:] not in ids]


def blank(record: Record) -> Record:
    """The same article with the cross-document fields filled as the pipeline leaves them."""
    record = copy.deepcopy(record)
    record.setdefault("duplicate_of", None)
    record.setdefault("duplicate_reason", None)
    record.setdefault("duplicate_similarity", None)
    record.setdefault("cross_duplicates", [])
    return record


def member(record: Record, paragraph: int | None = None, **extra: Any) -> Record:
    base = {"id": record["id"], "source": record["source"], "paragraph": paragraph}
    return base | {"similarity": None, "measure": None, "dropped": False} | extra


def crossdoc(articles: list[Record]) -> tuple[list[Record], list[Record]]:
    """Seeds 000 and 001 dressed as a syndicated pair sharing a quote (the renderer's
    contract for the cross-document fields and clusters.jsonl)."""
    a, b, *rest = (blank(r) for r in articles)
    b["duplicate_of"] = a["id"]
    b["duplicate_reason"] = "near copy (jaccard)"
    b["duplicate_similarity"] = 0.91
    a["cross_duplicates"] = [
        {
            "paragraph": 1,
            "article": b["id"],
            "source": b["source"],
            "other_paragraph": 2,
            "similarity": 0.8,
            "measure": "jaccard",
        }
    ]
    b["removed"].append(
        {
            "text": a["paragraphs"][5]["text"],
            "reason": "cross-document-duplicate",
            "rule": "containment",
            "position": len(b["paragraphs"]) + len(b["removed"]),
            "duplicate_of": 5,
            "similarity": 1.0,
            "duplicate_of_article": a["id"],
        }
    )
    clusters = [
        {
            "level": "document",
            "canonical": a["id"],
            "canonical_paragraph": None,
            "size": 2,
            "members": [
                member(b, similarity=0.91, measure="jaccard"),
                member(a),
            ],
        },
        {
            "level": "paragraph",
            "canonical": a["id"],
            "canonical_paragraph": 1,
            "size": 2,
            "members": [member(a, 1), member(b, 2, similarity=0.8, measure="jaccard")],
        },
    ]
    return [a, b, *rest], clusters

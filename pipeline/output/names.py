"""The names of the output files under the output folder."""

from __future__ import annotations

ARTICLES = "articles.jsonl"


QUARANTINE = "quarantine.jsonl"


CLUSTERS = "clusters.jsonl"


MANIFEST = "manifest.json"


MARKDOWN_DIR = "articles"


PARQUET = "articles.parquet"


REPORT = "report.html"

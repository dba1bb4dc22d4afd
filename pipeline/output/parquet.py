"""`articles.parquet`: the article records as one typed, columnar table.

The schema is spelled out here rather than inferred from the records, for two reasons:
inference makes a column's type depend on the data (a run where no paragraph was a
duplicate would give `similarity` the null type, and the next run a double), and a
downstream reader deserves a contract that does not change between runs. Each field
carries its description in the Parquet field metadata, so the file documents itself;
"Output schema" tables of docs/schema.md say the same and a test keeps the two in step.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.json as pj
import pyarrow.parquet as pq

COMPRESSION = "zstd"


def _field(name: str, type_: pa.DataType, doc: str, nullable: bool = True) -> pa.Field:
    return pa.field(name, type_, nullable=nullable, metadata={"description": doc})


PARAGRAPH_TYPE = pa.struct(
    [
        _field("text", pa.string(), "the paragraph's clean text", nullable=False),
        _field(
            "kind",
            pa.string(),
            "text, heading, list-item, quote or table",
            nullable=False,
        ),
    ]
)

REMOVAL_TYPE = pa.struct(
    [
        _field("text", pa.string(), "the dropped paragraph's text", nullable=False),
        _field("reason", pa.string(), "why it was dropped (see Removal reasons)", nullable=False),
        _field("rule", pa.string(), "the rule or measure that decided it"),
        _field(
            "position",
            pa.int32(),
            "index among the extracted paragraphs, before cleaning",
            nullable=False,
        ),
        _field("duplicate_of", pa.int32(), "for duplicates: index in `paragraphs` of the kept one"),
        _field("similarity", pa.float64(), "for duplicates: measured Jaccard or containment"),
        _field(
            "duplicate_of_article",
            pa.string(),
            "for cross-document duplicates: id of the article holding the kept copy",
        ),
    ]
)

CROSS_DUPLICATE_TYPE = pa.struct(
    [
        _field("paragraph", pa.int32(), "index in this article's `paragraphs`", nullable=False),
        _field("article", pa.string(), "id of the other article", nullable=False),
        _field("source", pa.string(), "source of the other article"),
        _field(
            "other_paragraph",
            pa.int32(),
            "index in the other article's `paragraphs`",
            nullable=False,
        ),
        _field("similarity", pa.float64(), "measured Jaccard or containment", nullable=False),
        _field(
            "measure",
            pa.string(),
            "exact, jaccard, containment (this one inside the other) or contains",
            nullable=False,
        ),
    ]
)

ARTICLE_SCHEMA = pa.schema(
    [
        _field("id", pa.string(), "16 hex digits of SHA-256 of `text`", nullable=False),
        _field("source", pa.string(), "the input path as given", nullable=False),
        _field("format", pa.string(), "sniffed format: html, markdown or text", nullable=False),
        _field("title", pa.string(), "headline"),
        _field("author", pa.string(), "byline"),
        _field("date", pa.string(), "ISO YYYY-MM-DD"),
        _field("site", pa.string(), "site name"),
        _field("url", pa.string(), "canonical URL"),
        _field("encoding", pa.string(), "character encoding the bytes were decoded with"),
        _field("text", pa.string(), "clean body, paragraphs separated by a blank line", False),
        _field(
            "paragraphs",
            pa.list_(pa.field("item", PARAGRAPH_TYPE, nullable=False)),
            "kept paragraphs in reading order",
            nullable=False,
        ),
        _field(
            "removed",
            pa.list_(pa.field("item", REMOVAL_TYPE, nullable=False)),
            "every dropped paragraph and why",
            nullable=False,
        ),
        _field("duplicate_of", pa.string(), "id of the canonical article if this is a near copy"),
        _field("duplicate_reason", pa.string(), "why it is a near copy of the canonical"),
        _field("duplicate_similarity", pa.float64(), "similarity to the canonical article"),
        _field(
            "cross_duplicates",
            pa.list_(pa.field("item", CROSS_DUPLICATE_TYPE, nullable=False)),
            "kept paragraphs also found in other articles (annotated, not removed)",
            nullable=False,
        ),
    ],
    metadata={"description": "newsclean articles: one row per article of articles.jsonl"},
)


BLOCK_BYTES = 16 << 20
"""JSON parsed at a time. Arrow's streaming JSON reader (`open_json`) reads ahead of a
slower consumer without a bound: with zstd on the writing side, its memory grew with the
size of `articles.jsonl`. One block at a time, the conversion's memory is bounded by the
block size whatever the corpus, for a little more time on its background thread beside
the report (the figures are in docs/benchmarks.md). A larger block parses in fewer
calls and holds more; a line longer than a block is read whole."""


def write_parquet(path: Path, jsonl: Path) -> int:
    """Convert the written `articles.jsonl` into `path`; callers make it atomic
    (`atomic.atomic_path`). Returns the number of rows.

    Arrow's own JSON reader (C++) parses the records against the declared schema: much
    faster than building the table from Python dicts, and the file then holds exactly
    what `articles.jsonl` holds. A record missing a required field fails
    (`pyarrow.ArrowInvalid`). An empty run still gives a file with the full schema.
    """
    rows = 0
    with pq.ParquetWriter(path, ARTICLE_SCHEMA, compression=COMPRESSION) as writer:
        for batch in _batches(jsonl, BLOCK_BYTES):
            writer.write_batch(batch)
            rows += batch.num_rows
        if not rows:
            writer.write_table(ARTICLE_SCHEMA.empty_table())
    return rows


def _batches(jsonl: Path, block_bytes: int) -> Iterator[pa.RecordBatch]:
    options = pj.ParseOptions(explicit_schema=ARTICLE_SCHEMA, unexpected_field_behavior="ignore")
    for block in _line_blocks(jsonl, block_bytes):
        # one Arrow block per call, so no record straddles two of them
        table = pj.read_json(
            io.BytesIO(block), pj.ReadOptions(block_size=len(block)), parse_options=options
        )
        for batch in table.to_batches():
            # the reader drops field metadata and nested nullability: back to the contract
            cast = batch.cast(ARTICLE_SCHEMA)
            yield pa.RecordBatch.from_arrays(cast.columns, schema=ARTICLE_SCHEMA)


def _line_blocks(jsonl: Path, block_bytes: int) -> Iterator[bytes]:
    """Whole lines, about `block_bytes` at a time (more when one line is longer)."""
    with open(jsonl, "rb") as fh:
        rest = b""
        while data := fh.read(block_bytes):
            data = rest + data
            cut = data.rfind(b"\n") + 1
            rest, data = data[cut:], data[:cut]
            if data:
                yield data
        if rest.strip():
            yield rest

"""articles.parquet: typed, nested, and the same records as articles.jsonl."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline.config import PipelineConfig
from pipeline.output.atomic import atomic_path
from pipeline.output.jsonl import write_jsonl
from pipeline.output.names import ARTICLES, PARQUET
from pipeline.output.parquet import (
    ARTICLE_SCHEMA,
    CROSS_DUPLICATE_TYPE,
    PARAGRAPH_TYPE,
    REMOVAL_TYPE,
    write_parquet,
)
from pipeline.runtime import run
from tests.support import ROOT, SEEDS


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet") / "output"  # the README recipes' folder
    run([str(SEEDS)], out, PipelineConfig())
    return out


def _jsonl(folder: Path, records: list[Any]) -> Path:
    write_jsonl(folder / ARTICLES, records)
    return folder / ARTICLES


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_parquet_rows_equal_jsonl_records(seed_run: Path) -> None:
    records = jsonl(seed_run / ARTICLES)
    rows = pq.read_table(seed_run / PARQUET).to_pylist()
    assert len(rows) == len(records) == 5
    for row, record in zip(rows, records, strict=True):
        assert row == record, record["source"]


def test_duckdb_reads_typed_nested_columns(seed_run: Path) -> None:
    records = jsonl(seed_run / ARTICLES)
    path = str(seed_run / PARQUET)
    types = dict(duckdb.sql(f"SELECT column_name, column_type FROM (DESCRIBE '{path}')").fetchall())
    assert types["id"] == "VARCHAR"
    assert types["paragraphs"] == 'STRUCT("text" VARCHAR, kind VARCHAR)[]'
    assert types["removed"] == (
        'STRUCT("text" VARCHAR, reason VARCHAR, "rule" VARCHAR, "position" INTEGER, '
        'duplicate_of INTEGER, "similarity" DOUBLE, duplicate_of_article VARCHAR)[]'
    )
    by_reason = dict(
        duckdb.sql(
            f"SELECT r.reason, count(*) FROM (SELECT unnest(removed) AS r FROM '{path}') "
            "GROUP BY ALL"
        ).fetchall()
    )
    expected: dict[str, int] = {}
    for record in records:
        for removal in record["removed"]:
            expected[removal["reason"]] = expected.get(removal["reason"], 0) + 1
    assert by_reason == expected
    kept = duckdb.sql(f"SELECT sum(len(paragraphs)) FROM '{path}'").fetchall()
    assert kept == [(sum(len(r["paragraphs"]) for r in records),)]


def test_file_schema_is_the_declared_schema(seed_run: Path) -> None:
    schema = pq.read_schema(seed_run / PARQUET)
    assert schema.equals(ARTICLE_SCHEMA, check_metadata=False)
    assert schema.field("removed").metadata[b"description"]


def test_empty_run_gives_empty_typed_table(tmp_path: Path) -> None:
    write_parquet(tmp_path / PARQUET, _jsonl(tmp_path, []))
    table = pq.read_table(tmp_path / PARQUET)
    assert table.num_rows == 0
    assert table.schema.equals(ARTICLE_SCHEMA, check_metadata=False)


def test_nulls_and_values_round_trip(tmp_path: Path) -> None:
    record: Any = {
        "id": "0123456789abcdef",
        "source": "x.html",
        "format": "html",
        "title": None,
        "author": "Ünïcødé Author",
        "date": None,
        "site": None,
        "url": None,
        "encoding": None,
        "text": "a",
        "paragraphs": [{"text": "a", "kind": "text"}],
        "removed": [
            {
                "text": "a.",
                "reason": "duplicate",
                "rule": "jaccard",
                "position": 3,
                "duplicate_of": 0,
                "similarity": 0.8125,
                "duplicate_of_article": None,
            },
            {
                "text": "Shared quote.",
                "reason": "cross-document-duplicate",
                "rule": "containment",
                "position": 4,
                "duplicate_of": 7,
                "similarity": 1.0,
                "duplicate_of_article": "fedcba9876543210",
            },
            {
                "text": "Menu",
                "reason": "navigation",
                "rule": None,
                "position": 0,
                "duplicate_of": None,
                "similarity": None,
                "duplicate_of_article": None,
            },
        ],
        "duplicate_of": "fedcba9876543210",
        "duplicate_reason": "near copy",
        "duplicate_similarity": 0.93,
        "cross_duplicates": [
            {
                "paragraph": 0,
                "article": "fedcba9876543210",
                "source": None,
                "other_paragraph": 2,
                "similarity": 0.75,
                "measure": "jaccard",
            }
        ],
    }
    write_parquet(tmp_path / PARQUET, _jsonl(tmp_path, [record]))
    assert pq.read_table(tmp_path / PARQUET).to_pylist() == [record]


def test_missing_required_field_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises((pa.ArrowInvalid, pa.ArrowTypeError, KeyError, TypeError)):
        write_parquet(tmp_path / PARQUET, _jsonl(tmp_path, [{"id": None, "source": "x"}]))


def test_failed_write_leaves_previous_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / PARQUET
    write_parquet(target, _jsonl(tmp_path, []))
    before = target.read_bytes()
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("writer died")
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [ARTICLES, PARQUET]


def _readme_schema_fields() -> set[str]:
    """Field names in the "Output schema" tables of docs/schema.md (the README points
    there; first column, in backticks)."""
    text = (ROOT / "docs" / "schema.md").read_text(encoding="utf-8")
    start = re.search(r"^#+ Output schema", text, re.MULTILINE)
    assert start is not None, "docs/schema.md has no Output schema section"
    end = text.find("\n## ", start.end())
    section = text[start.start() : end if end != -1 else None]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            names.update(re.findall(r"`([a-z_.]+)`", line.split("|")[1]))
    return names


def test_the_schema_page_documents_every_parquet_column() -> None:
    documented = _readme_schema_fields()
    columns = set(ARTICLE_SCHEMA.names)
    nested = (
        {f"removed.{f.name}" for f in REMOVAL_TYPE}
        | {f"paragraphs.{f.name}" for f in PARAGRAPH_TYPE}
        | {f"cross_duplicates.{f.name}" for f in CROSS_DUPLICATE_TYPE}
    )
    assert columns - documented == set()
    assert nested - documented == set()


def _readme_recipes() -> dict[str, str]:
    """The recipes the README points to (docs/recipes.md), by the module each imports first."""
    text = (ROOT / "docs" / "recipes.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.DOTALL)
    return {re.search(r"^(?:from|import) (\w+)", b, re.MULTILINE).group(1): b for b in blocks}  # type: ignore[union-attr]


@pytest.mark.parametrize("module", ["pandas", "duckdb"])
def test_readme_recipe_runs_on_the_output(
    module: str, seed_run: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _readme_recipes()[module]
    pytest.importorskip(module, reason=f"{module} is not installed (not a dependency)")
    monkeypatch.chdir(seed_run.parent)
    exec(compile(code, f"README:{module}", "exec"), {})
    printed = capsys.readouterr().out
    reasons = {r["reason"] for a in jsonl(seed_run / ARTICLES) for r in a["removed"]}
    assert all(reason in printed for reason in reasons)


@pytest.mark.parametrize(
    ("block_bytes", "last_newline"),
    [(1 << 10, True), (1 << 20, True), (1 << 20, False), (7, False)],
    ids=["record-over-block", "blocks", "no-final-newline", "tiny-blocks-no-final-newline"],
)
def test_records_of_any_length_convert_in_order(
    tmp_path: Path,
    seed_run: Path,
    monkeypatch: pytest.MonkeyPatch,
    block_bytes: int,
    last_newline: bool,
) -> None:
    """Records are read a block of lines at a time; one longer than a block still
    converts, and so does a last line without its newline."""
    records = jsonl(seed_run / ARTICLES) * 40
    assert max(len(json.dumps(r)) for r in records) > 1 << 10
    path = _jsonl(tmp_path, records)
    if not last_newline:
        path.write_bytes(path.read_bytes().rstrip(b"\n"))
    monkeypatch.setattr("pipeline.output.parquet.BLOCK_BYTES", block_bytes)
    assert write_parquet(tmp_path / PARQUET, path) == len(records)
    assert pq.read_table(tmp_path / PARQUET).to_pylist() == records

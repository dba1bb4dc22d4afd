"""What tests share besides fixtures: paths to the seeds and the shared data, builders."""

from __future__ import annotations

from pathlib import Path

from pipeline.config import PipelineConfig
from pipeline.model import Article, Format, Metadata, Paragraph, RawDocument
from pipeline.process import process_document
from pipeline.records import ArticleRecord, article_record

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed_path(prefix: str) -> Path:
    (path,) = SEEDS.glob(f"{prefix}_*")
    return path


def process_seed(prefix: str, config: PipelineConfig | None = None) -> Article:
    path = seed_path(prefix)
    raw = RawDocument(source=str(path), data=path.read_bytes())
    outcome = process_document(raw, config or PipelineConfig())
    assert isinstance(outcome, Article), outcome
    return outcome


def make_record(
    paragraphs: list[str],
    source: str,
    site: str | None = None,
    url: str | None = None,
    date: str | None = None,
) -> ArticleRecord:
    """An article record of these paragraphs, as the per-document stages would give it."""
    article = Article(
        source=source,
        format=Format.TEXT,
        metadata=Metadata(title=None, site=site, url=url, date=date),
        paragraphs=tuple(Paragraph(p) for p in paragraphs),
    )
    return article_record(article)

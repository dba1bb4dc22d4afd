"""One document through every pure stage: extract, clean, dedupe, assemble.

This is the unit the CLI, the process pool and the Prefect tasks all call, so the three
produce the same records. It never raises for bad input: whatever goes wrong becomes a
`Quarantine` naming the stage and the reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipeline.clean import clean_paragraphs, scorer_for
from pipeline.config import PipelineConfig
from pipeline.dedupe import assemble, dedupe_document
from pipeline.errors import DeadlineExceeded, ExtractionError
from pipeline.extract.document import extract_document
from pipeline.model import Article, Format, Quarantine, RawDocument, Stage
from pipeline.runtime.deadline import Watchdog, thread_watchdog, time_limit


def process_document(
    raw: RawDocument, config: PipelineConfig, watchdog: Watchdog | None = None
) -> Article | Quarantine:
    """Within `limits.document_seconds` (see `pipeline.deadline`; `watchdog` enforces it
    outside the main thread), or a "timed out" record."""
    stage = Stage.EXTRACT
    try:
        with time_limit(config.limits.document_seconds, watchdog):
            document = extract_document(
                raw, config.extract, sources=config.clean.enabled and config.clean.scorer
            )
            stage = Stage.CLEAN
            decision = clean_paragraphs(
                document.paragraphs,
                config.clean,
                title=document.metadata.title,
                find_title=document.format is Format.TEXT,
                scorer=scorer_for(config.clean) if document.format is Format.HTML else None,
                language=document.language,
                links_marked=document.format is Format.HTML,
            )
            stage = Stage.DEDUPE
            dedupe = dedupe_document(document, decision, config.dedupe)
            article = assemble(document, decision, dedupe.duplicates, dedupe.evidence)
    except DeadlineExceeded as exc:
        return Quarantine(raw.source, f"{exc} (limits.document_seconds)", stage)
    except ExtractionError as exc:
        return Quarantine(raw.source, str(exc), stage)
    except RecursionError:
        return Quarantine(raw.source, "document structure too deep to process", stage)
    except MemoryError:
        return Quarantine(raw.source, "out of memory while processing this document", stage)
    except Exception as exc:
        return Quarantine(raw.source, f"unexpected {type(exc).__name__}: {exc}", stage)
    if not article.paragraphs:
        return Quarantine(raw.source, "no main text left after cleaning", Stage.CLEAN)
    return article


def process_all(
    items: Iterable[RawDocument | Quarantine], config: PipelineConfig
) -> Iterator[Article | Quarantine]:
    with thread_watchdog() as watchdog:  # one for all the documents of this thread
        for item in items:
            yield item if isinstance(item, Quarantine) else process_document(item, config, watchdog)

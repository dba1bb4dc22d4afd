"""Each article as `articles/<id>.md`, written as the records stream past."""

from __future__ import annotations

from pathlib import Path

from pipeline.output.atomic import write_atomic
from pipeline.output.names import MARKDOWN_DIR
from pipeline.records import ArticleRecord


class MarkdownFiles:
    """One `articles/<id>.md` per article, written as the records stream past (the same
    pass that writes `articles.jsonl`: the records may be spooled on disk, and each pass
    parses them all again); `finish` removes files of earlier runs not made now."""

    def __init__(self, out: Path) -> None:
        self.folder = out / MARKDOWN_DIR
        self.made: set[str] = set()

    def add(self, record: ArticleRecord) -> None:
        name = f"{record['id']}.md"
        if name not in self.made:
            write_atomic(self.folder / name, article_markdown(record))
            self.made.add(name)

    def finish(self) -> int:
        if self.folder.is_dir():
            for stale in self.folder.glob("*.md"):
                if stale.name not in self.made:
                    stale.unlink()
        return len(self.made)


def article_markdown(record: ArticleRecord) -> str:
    """A human-readable rendering: title heading, metadata list, body."""
    lines = [f"# {record['title'] or 'Untitled'}", ""]
    for key, value in (
        ("author", record["author"]),
        ("date", record["date"]),
        ("site", record["site"]),
        ("url", record["url"]),
        ("source", record["source"]),
    ):
        if value:
            lines.append(f"- **{key}**: {value}")
    lines.append(f"- **id**: {record['id']}")
    lines.extend(["", record["text"], ""])
    return "\n".join(lines)

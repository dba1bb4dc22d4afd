"""Each article as `articles/<id>.md`, written as the records stream past."""

from __future__ import annotations

import html
import re
from pathlib import Path

from pipeline.fields import http_url
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
    """A human-readable rendering: title heading, metadata list, body.

    Everything from the page is escaped so the file renders as the text it holds in any
    Markdown renderer, also one that allows raw HTML (markdown-it with `html=True`): a
    title or paragraph holding `<img onerror=...>` or `[x](javascript:...)` shows as those
    characters, never as a live tag or link, and a file name with newlines cannot start a
    heading (see `escape_text`).
    """
    lines = [f"# {escape_line(record['title'] or 'Untitled')}", ""]
    for key, value in (
        ("author", record["author"]),
        ("date", record["date"]),
        ("site", record["site"]),
        ("url", http_url(record["url"])),
        ("source", record["source"]),
    ):
        if value:
            lines.append(f"- **{key}**: {escape_line(value)}")
    lines.append(f"- **id**: {record['id']}")
    lines.extend(["", escape_text(record["text"]), ""])
    return "\n".join(lines)


_HTML = re.compile(r"<(?=[A-Za-z/!?])|&(?=#?[0-9A-Za-z]+;)")
"""What opens raw HTML, an autolink or a character reference; every other `<` and `&`
renders as itself."""
_INLINE = re.compile(r"\\(?=[!-/:-@\[-`{-~\n]|\Z)|[`*~]|(?<!\w)_|_(?!\w)|\](?=[(\[])")
"""What opens inline syntax: a backslash escape or hard break, code span, emphasis (`_`
only beside a non-word character: inside a word it is text), strikethrough, a link's `](`
or `][`."""
_LEADING_BLANKS = re.compile(r"^[ \t]+", re.MULTILINE)
"""Blanks that would make a line an indented code block (fewer than four render as none)."""
_BLOCK_START = re.compile(
    r"^(?:(#)(?=#{0,5}(?:[ \t]|$))|([>+\-=|:~\[])|(\d{1,9})([.)])(?=[ \t]|$))", re.MULTILINE
)
"""What opens a block at a line's start: heading, quote, list item, setext underline,
table row, fence, link reference definition."""


def escape_text(text: str) -> str:
    """`text` (lines kept) as Markdown that renders as exactly that text.

    HTML-significant characters become character references (`html.escape`'s), Markdown
    punctuation gets CommonMark's backslash escape; only characters that could start
    markup are touched, so ordinary prose reads unchanged in the file.
    """
    text = _HTML.sub(lambda m: html.escape(m.group(0)), text)
    text = _INLINE.sub(lambda m: "\\" + m.group(0), text)
    text = _LEADING_BLANKS.sub("", text)
    return _BLOCK_START.sub(_escape_block_start, text)


def escape_line(value: str) -> str:
    """`value` on one line (line breaks of any kind as spaces), escaped as `escape_text`."""
    return escape_text(" ".join(value.splitlines()))


def _escape_block_start(match: re.Match[str]) -> str:
    if match.group(3) is not None:  # `1.` -> `1\.`
        return match.group(3) + "\\" + match.group(4)
    return "\\" + match.group(0)

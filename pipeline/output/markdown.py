"""Each article as `articles/<id>.md`, written as the records stream past."""

from __future__ import annotations

import html
import re
from pathlib import Path

from pipeline.errors import OutputError
from pipeline.fields import http_url
from pipeline.output.atomic import write_atomic
from pipeline.output.names import MARKDOWN_DIR
from pipeline.output.owned import Journal, previous_markdown, remove_stale_markdown
from pipeline.records import ArticleRecord


class MarkdownFiles:
    """One `articles/<id>.md` per article, written as the records stream past (the same
    pass that writes `articles.jsonl`: the records may be spooled on disk, and each pass
    parses them all again).

    The folder may hold the user's files too: `finish` deletes only Markdown files an
    earlier run is known to have written (`owned.previous_markdown`) and this run did
    not, and a journal keeps every name this run may leave until the manifest lists
    them. With `enabled` False nothing is written, and earlier runs' files still go (they
    would describe other outputs). A folder that is a symbolic link is refused: writing
    or deleting through it would touch a folder outside the output folder.
    """

    def __init__(self, out: Path, enabled: bool = True) -> None:
        self.folder = out / MARKDOWN_DIR
        if self.folder.is_symlink():
            raise OutputError(markdown_link_error(self.folder))
        self.enabled = enabled
        self.previous = previous_markdown(out)
        self.journal = Journal(out, self.previous)
        self.made: set[str] = set()

    def add(self, record: ArticleRecord) -> None:
        name = f"{record['id']}.md"
        if self.enabled and name not in self.made:
            self.journal.add(name)
            write_atomic(self.folder / name, article_markdown(record))
            self.made.add(name)

    def finish(self) -> list[str]:
        """Delete earlier runs' files not made now; the names made, for the manifest."""
        remove_stale_markdown(self.folder, self.previous - self.made)
        return sorted(self.made)

    def close(self, done: bool) -> None:
        """`done`: the manifest lists what was made, so the journal can go."""
        if done:
            self.journal.remove()
        else:
            self.journal.close()


def markdown_link_error(folder: Path) -> str:
    return (
        f"{folder} is a symbolic link: the run does not write or delete through it "
        "(remove the link, or choose another --out)"
    )


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

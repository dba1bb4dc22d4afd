"""The cross-document step's first pass: identical paragraphs collapsed to one
*representative* each, representatives shingled a block at a time.

The pass needs each record once, in order, and nothing from later records. So a run
feeds it records as they are collected (`FirstPass.add`): with a process pool the pass
then overlaps the workers instead of adding to the serial tail, and it reads records
from memory, not back from the spool (a JSON parse of every record). A finished sequence
of records can be scanned in one call (`scan`).

What it finds comes in two parts with different lives: the representatives' shingles
(`Representatives.table`, the largest array of the step, needed only by the searches)
and the `Corpus` (where each representative occurs, what each article is), which every
later phase reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.config import CrossdocConfig
from pipeline.crossdoc.template import Occurrence, site_of
from pipeline.records import ArticleRecord
from pipeline.similarity import ShingleTable, shingle_table, tokens

SHINGLE_BLOCK = 20_000
"""Representatives shingled at a time: one call over all of them held several arrays of
the size of every shingle of the run at once, and their texts until then."""


@dataclass(frozen=True, slots=True)
class Corpus:
    """What the first pass found of every article and paragraph, shingles aside: what
    the phases after the searches read."""

    words: list[int]
    """Word count of each representative (an article's completeness is their sum)."""
    occurrences: list[list[Occurrence]]
    """Where each representative occurs, in article order."""
    of_article: list[list[int]]
    """Each article's representative per paragraph (up to `max_paragraphs`)."""
    digest: Digest
    over_cap: frozenset[int]
    """Articles with more than `max_paragraphs` paragraphs (the rest are not compared)."""
    paragraphs_over_cap: int

    def __len__(self) -> int:
        """The number of articles."""
        return len(self.of_article)


@dataclass(frozen=True, slots=True)
class Representatives:
    """What the first pass found; the later phases only read it."""

    table: ShingleTable
    """Row r: the shingles of representative r."""
    sites: list[str | None]
    """The site of each article (`template.site_of`), for the site template."""
    corpus: Corpus


class FirstPass:
    """The first pass, fed one record at a time in the order of the records."""

    __slots__ = (
        "_blocks",
        "_closed",
        "_config",
        "_digest",
        "_key_rep",
        "_occurrences",
        "_of_article",
        "_over_cap",
        "_pending",
        "_sites",
        "_words",
    )

    def __init__(self, config: CrossdocConfig) -> None:
        self._config = config
        self._key_rep: dict[str, int] = {}
        self._pending: list[str] = []
        """Texts of the representatives not shingled yet."""
        self._blocks: list[ShingleTable] = []
        self._words: list[int] = []
        self._occurrences: list[list[Occurrence]] = []
        self._of_article: list[list[int]] = []
        self._sites: list[str | None] = []
        self._digest = Digest([], [], [], [])
        self._over_cap: list[int] = []
        self._closed = False

    def __len__(self) -> int:
        """Records added so far (0 once taken)."""
        return len(self._of_article)

    def add(self, record: ArticleRecord) -> None:
        if self._closed:
            raise RuntimeError("FirstPass.add after FirstPass.take: the pass is closed")
        config, digest = self._config, self._digest
        a = len(self._of_article)
        self._sites.append(
            site_of(record["site"], record["url"], record["source"], config.site_from_folder)
        )
        digest.order_key.append((record["date"] or "9999", record["source"]))
        digest.ids.append(record["id"])
        digest.sources.append(record["source"])
        paragraphs = record["paragraphs"]
        digest.paragraphs.append(len(paragraphs))
        if len(paragraphs) > config.max_paragraphs:
            self._over_cap.append(a)
        of_paragraph: list[int] = []
        for i, paragraph in enumerate(paragraphs[: config.max_paragraphs]):
            words = tokens(paragraph["text"])
            key = " ".join(words)
            r = self._key_rep.get(key, -1)
            if r < 0:
                r = self._key_rep[key] = len(self._words)
                self._words.append(len(words))
                self._occurrences.append([])
                self._pending.append(paragraph["text"] if key else "")
                if len(self._pending) == SHINGLE_BLOCK:
                    self._shingle_pending()
            self._occurrences[r].append(Occurrence(a, i))
            of_paragraph.append(r)
        self._of_article.append(of_paragraph)

    def take(self) -> Representatives | None:
        """The pass's findings, once; the pass takes no more records after this.

        The caller then holds the only reference: the step frees the shingles when its
        searches are done and the rest when it returns, not after the writers (the
        per-paragraph state grows with the run). Taken again, None: a retried step scans
        the records itself.
        """
        if self._closed:
            return None
        self._closed = True
        self._shingle_pending()
        self._key_rep.clear()
        cap = self._config.max_paragraphs
        corpus = Corpus(
            self._words,
            self._occurrences,
            self._of_article,
            self._digest,
            frozenset(self._over_cap),
            sum(self._digest.paragraphs[a] - cap for a in self._over_cap),
        )
        taken = Representatives(ShingleTable.concat(self._blocks), self._sites, corpus)
        self._blocks, self._words, self._occurrences, self._of_article = [], [], [], []
        self._sites, self._digest, self._over_cap = [], Digest([], [], [], []), []
        return taken

    def _shingle_pending(self) -> None:
        if self._pending:
            self._blocks.append(shingle_table(self._pending, self._config.shingle_words))
            self._pending = []


def scan(articles: Iterable[ArticleRecord], config: CrossdocConfig) -> Representatives:
    """The first pass over all `articles` at once."""
    first = FirstPass(config)
    for record in articles:
        first.add(record)
    taken = first.take()
    assert taken is not None
    return taken


@dataclass(frozen=True, slots=True)
class Digest:
    """What the step needs of every record besides its paragraphs, taken in its first
    pass: records may be spooled on disk, where each look-up is a seek and a JSON parse."""

    ids: list[str]
    sources: list[str]
    paragraphs: list[int]
    """Number of paragraphs of each record."""
    order_key: list[tuple[str, str]]
    """(date or "9999", source): earlier first, for canonical ties."""


Scan = FirstPass
"""The first pass's earlier name."""

"""Band hashes of the documents' final shingle sets: all the persistent index keeps."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from pipeline.config import CrossdocConfig
from pipeline.records import ArticleRecord
from pipeline.similarity import (
    HASH_VERSION,
    Shingles,
    ShingleTable,
    band_keys,
    choose_bands,
    shingle_table,
    signature_matrix,
    signatures,
)


def banding(config: CrossdocConfig) -> tuple[int, int]:
    """(bands, rows) of the document level's LSH, which the index's hashes follow."""
    return choose_bands(config.document_jaccard, config.num_perm, config.lsh_recall)


def index_settings(config: CrossdocConfig) -> str:
    """What band hashes depend on: an index built otherwise cannot be compared."""
    bands, rows = banding(config)
    return (
        f"shingles={HASH_VERSION} shingle_words={config.shingle_words} num_perm={config.num_perm} "
        f"seed={config.seed} bands={bands} rows={rows}"
    )


_SIGN_BLOCK = 1000
"""Articles whose document shingle sets are built and signed at a time."""


@dataclass(frozen=True, slots=True)
class Signing:
    """Band hashes of the documents' final shingle sets, for the persistent index.

    A document's final set is the union of its kept paragraphs' shingles, which the
    group table already holds: each group is signed once, from it. Only documents with
    paragraphs beyond `max_paragraphs` (left out of the table) are read and shingled.
    """

    group_bands: dict[int, tuple[int, ...]]
    """Band hashes per group (one tuple shared by every copy)."""
    group_of: list[int]
    over_cap: frozenset[int]

    @staticmethod
    def of(
        table: ShingleTable,
        groups: Sequence[int],
        group_of: list[int],
        over_cap: frozenset[int],
        config: CrossdocConfig,
        wanted: bool,
    ) -> Signing:
        """Signed now, so the table (the run's largest array) can go; nothing is signed
        unless `wanted` (there is an index)."""
        out = Signing({}, group_of, over_cap)
        if not wanted:
            return out
        bands, rows = banding(config)
        for start in range(0, len(groups), _SIGN_BLOCK):
            block = range(start, min(start + _SIGN_BLOCK, len(groups)))
            sig = signatures(table.take(block), config.num_perm, config.seed)
            for i, keys in zip(block, band_keys(sig, bands, rows).tolist(), strict=True):
                out.group_bands[groups[i]] = tuple(keys)
        return out

    def bands(
        self,
        articles: Sequence[ArticleRecord],
        alive: Sequence[int],
        removed: Mapping[int, Collection[int]],
        config: CrossdocConfig,
    ) -> dict[int, tuple[int, ...]]:
        """Band hashes of the `alive` articles; `removed`: their paragraphs removed."""
        bands, rows = banding(config)
        out = {a: self.group_bands[self.group_of[a]] for a in alive if a not in self.over_cap}
        late = [a for a in alive if a in self.over_cap]
        for start in range(0, len(late), _SIGN_BLOCK):
            block = late[start : start + _SIGN_BLOCK]
            final_sets = [
                _final_set(articles[a], removed.get(a, ()), config.shingle_words) for a in block
            ]
            sig = signature_matrix(final_sets, config.num_perm, config.seed)
            for a, keys in zip(block, band_keys(sig, bands, rows).tolist(), strict=True):
                out[a] = tuple(keys)
        return out


def _final_set(record: ArticleRecord, removed: Collection[int], size: int) -> Shingles:
    # one batched shingle_table per article: a call per paragraph costs far more
    texts = [p["text"] for i, p in enumerate(record["paragraphs"]) if i not in removed]
    return frozenset(shingle_table(texts, size).values.tolist())

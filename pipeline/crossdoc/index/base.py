"""The persistent cross-run index of documents: LSH band hashes and ids, nothing more.

A later run must deduplicate its documents against everything seen before, but memory
must stay bounded at any corpus size, so the index holds neither texts nor signatures:
per document its key, the run that first saw it, the id of its canonical, and its band
hashes (as datasketch's own LSH keeps them, to know what to remove); per band hash the
keys in that bucket. Agreement of band hashes gives an *estimate* of the Jaccard with a
document of an earlier run (`estimate_jaccard`), which is all that can be verified
without the earlier text.

Two backends share one layout (`IndexStore`): SQLite under the output folder (`sqlite`:
embedded, no server) and Redis (`redis`: shared between machines). Buckets are capped at
`max_bucket` keys; inserts that a cap refused are counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Entry:
    """What the index remembers of one document."""

    key: str
    seq: int
    """The run (1, 2, ...) that first saw this document."""
    canonical: str
    """The output id of the canonical article of its cluster when it was first seen."""
    bands: tuple[int, ...]


class IndexStore(Protocol):
    """One layout, two backends. `settings` fixes the banding the hashes were made with.

    Failures of the store raise `IndexStoreError`.
    """

    def describe(self) -> str:
        """The store as the manifest names it."""
        ...

    def check_settings(self, settings: str) -> None:
        """Record `settings` in a new store; raise `IndexStoreError` if it holds others."""
        ...

    def begin_run(self) -> int:
        """A new run's number (1, 2, ...)."""
        ...

    def entries(self, keys: Sequence[str]) -> dict[str, Entry]:
        """The entries of those `keys` the store holds."""
        ...

    def query(self, bands: Sequence[Sequence[int]]) -> list[set[str]]:
        """Per document (its band hashes), the keys sharing any bucket with it."""
        ...

    def add(self, entries: Sequence[Entry]) -> int:
        """Store the `entries` not held yet; returns the band inserts a full bucket
        refused."""
        ...

    def reset(self) -> None:
        """Forget everything (`--reset-index`)."""
        ...

    def close(self) -> None: ...


def estimate_jaccard(a: Sequence[int], b: Sequence[int], rows: int) -> float:
    """A band agrees with probability s**rows, so s ≈ (agreeing share) ** (1/rows)."""
    if not a or len(a) != len(b):
        return 0.0
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    return float((agree / len(a)) ** (1.0 / rows))


def pack_bands(bands: Sequence[int]) -> bytes:
    """Band hashes as stored: 8 bytes each, little-endian."""
    return b"".join(int(b).to_bytes(8, "little") for b in bands)


def unpack_bands(blob: bytes) -> tuple[int, ...]:
    return tuple(int.from_bytes(blob[i : i + 8], "little") for i in range(0, len(blob), 8))

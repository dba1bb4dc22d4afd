"""The persistent cross-run index of documents: LSH band hashes and ids, nothing more."""

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
    """One layout, two backends. `settings` fixes the banding the hashes were made with."""

    def describe(self) -> str: ...

    def check_settings(self, settings: str) -> None: ...

    def begin_run(self) -> int: ...

    def entries(self, keys: Sequence[str]) -> dict[str, Entry]: ...

    def query(self, bands: Sequence[Sequence[int]]) -> list[set[str]]: ...

    def add(self, entries: Sequence[Entry]) -> int: ...

    def reset(self) -> None: ...

    def close(self) -> None: ...


def estimate_jaccard(a: Sequence[int], b: Sequence[int], rows: int) -> float:
    """A band agrees with probability s**rows, so s ≈ (agreeing share) ** (1/rows)."""
    if not a or len(a) != len(b):
        return 0.0
    agree = sum(x == y for x, y in zip(a, b, strict=True))
    return float((agree / len(a)) ** (1.0 / rows))


def pack_bands(bands: Sequence[int]) -> bytes:
    return b"".join(int(b).to_bytes(8, "little") for b in bands)


def unpack_bands(blob: bytes) -> tuple[int, ...]:
    return tuple(int.from_bytes(blob[i : i + 8], "little") for i in range(0, len(blob), 8))

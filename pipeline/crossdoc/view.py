"""The run's article records with the step's edits applied lazily, as writers read them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from pipeline.crossdoc.edits import Edit
from pipeline.records import ArticleRecord


class EditedArticles(Sequence[ArticleRecord]):
    """The run's article records with the corpus-level edits applied on access.

    Holds only the edits and the indices kept, so spooled records stay on disk.
    """

    def __init__(
        self,
        base: Sequence[ArticleRecord],
        keep: list[int],
        edits: dict[int, Edit],
        final_ids: list[str],
    ) -> None:
        self.base = base
        self.keep = keep
        self.edits = edits
        self.final_ids = final_ids

    def __len__(self) -> int:
        return len(self.keep)

    @overload
    def __getitem__(self, index: int) -> ArticleRecord: ...

    @overload
    def __getitem__(self, index: slice) -> list[ArticleRecord]: ...

    def __getitem__(self, index: int | slice) -> ArticleRecord | list[ArticleRecord]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        a = self.keep[index]
        return apply_edit(self.base[a], self.edits.get(a), self.final_ids[a])

    def __iter__(self) -> Iterator[ArticleRecord]:
        wanted = iter(self.keep)
        target = next(wanted, None)
        for a, record in enumerate(self.base):
            if target is None:
                return
            if a == target:
                yield apply_edit(record, self.edits.get(a), self.final_ids[a])
                target = next(wanted, None)


def apply_edit(record: ArticleRecord, edit: Edit | None, final_id: str) -> ArticleRecord:
    if edit is None:
        return record
    out: ArticleRecord = dict(record)  # type: ignore[assignment]
    if edit.removed:
        out["paragraphs"] = [p for i, p in enumerate(record["paragraphs"]) if i not in edit.removed]
        out["text"] = "\n\n".join(p["text"] for p in out["paragraphs"])
        out["removed"] = sorted(
            [*record["removed"], *edit.removed.values()], key=lambda r: r["position"]
        )
        out["id"] = final_id
    out["duplicate_of"] = edit.duplicate_of
    out["duplicate_reason"] = edit.reason
    out["duplicate_similarity"] = edit.similarity
    out["cross_duplicates"] = [c for _, c in sorted(edit.cross, key=lambda x: x[0])]
    return out

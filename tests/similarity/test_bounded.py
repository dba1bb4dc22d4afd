"""Near-duplicate pairs with a bounded fan-out: exact on small inputs, linear on copies."""

from __future__ import annotations

import pytest

from pipeline.model import Article
from pipeline.similarity import MatchSettings, Pair, bounded_pairs, find_pairs, shingle_table

PARAGRAPHS = MatchSettings(
    jaccard=0.8,
    containment=0.75,
    num_perm=128,
    recall=0.995,
    seed=1,
    max_bucket=500,
    max_postings=1000,
)


def _components(n: int, pairs: list[Pair]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            x = parent[x]
        return x

    for p in pairs:
        ra, rb = find(p.a), find(p.b)
        parent[max(ra, rb)] = min(ra, rb)
    return [find(i) for i in range(n)]


def _variants(text: str, copies: int) -> list[str]:
    """Copies of a paragraph: each with its own word changed, every fourth truncated."""
    words = text.split()
    out = []
    for k in range(copies):
        w = list(words)
        w[(k * 7) % len(w)] = f"changed{k}"
        if k % 4 == 3:
            w = w[: len(w) * 5 // 6]
        out.append(" ".join(w))
    return out


def test_small_inputs_give_every_pair_find_pairs_gives(
    seed_articles: dict[str, Article],
) -> None:
    texts = [p.text for a in seed_articles.values() for p in a.paragraphs]
    texts += _variants(texts[3], 6) + _variants(texts[10], 6)
    table = shingle_table(texts, 3)
    found = bounded_pairs(table, PARAGRAPHS, fanout=16)
    assert found.matches.pairs == find_pairs(table, PARAGRAPHS).pairs
    assert found.fanout.buckets == found.fanout.postings == 0


@pytest.mark.parametrize("fanout", [pytest.param(1, id="star"), pytest.param(4, id="four")])
def test_many_copies_same_groups_linear_pairs(
    seed_articles: dict[str, Article], fanout: int
) -> None:
    paragraphs = [p.text for p in seed_articles["002"].paragraphs if len(p.text.split()) > 30]
    texts = [v for t in paragraphs[:3] for v in _variants(t, 160)]
    table = shingle_table(texts, 3)
    every = find_pairs(table, PARAGRAPHS).pairs
    bounded = bounded_pairs(table, PARAGRAPHS, fanout=fanout)
    assert _components(len(texts), bounded.matches.pairs) == _components(len(texts), every)
    # all pairs grow with the square of the copies; bounded ones linearly
    assert len(bounded.matches.pairs) < 8 * len(texts) < 50 * len(texts) < len(every)
    assert set(bounded.matches.pairs) <= set(every)  # same verification, same values
    assert bounded.fanout.buckets > 0

"""Every verified near-duplicate pair among shingle sets (`find_pairs`).

Used where every pair is wanted: the paragraphs of one document. Across a corpus, where
one story may have thousands of copies, `bounded.bounded_pairs` keeps the work linear.
Two candidate generators, because one measure cannot serve both questions:

* MinHash LSH finds pairs by Jaccard. Bands come from `lsh.choose_bands` (a pair exactly
  at the threshold is a candidate with probability >= `recall`); buckets are formed with
  numpy over the whole signature matrix at once instead of one dict insert per band.
* A prefix-filtered inverted index finds containment (a quote inside a longer
  paragraph, a truncated copy inside the full story), which LSH cannot: the pair's
  Jaccard is low. If |X ∩ Y| >= c·|X| then Y holds at least one of any
  |X| - ceil(c·|X|) + 1 shingles of X; we take X's *rarest* shingles as that prefix, so
  the probe touches few postings and the filter has no false negatives.

Every candidate is then checked on the exact sets, so nothing below a threshold is ever
reported. Buckets and postings are capped (`max_bucket`, `max_postings`): a shingle or a
band shared by thousands of units points at template text, not at a duplicate, and an
uncapped bucket is quadratic. What a cap cut is counted in `Caps`, for the manifest.
"""

from __future__ import annotations

import numpy as np

from pipeline.similarity.containment import containment_candidates, dense_ids
from pipeline.similarity.lsh import choose_bands, lsh_candidates
from pipeline.similarity.minhash import signatures
from pipeline.similarity.pairs import Matches, MatchSettings
from pipeline.similarity.table import ShingleTable, sorted_unique
from pipeline.similarity.verify import feasible, intersections, judge_pairs


def find_pairs(table: ShingleTable, settings: MatchSettings) -> Matches:
    """Every verified near-duplicate pair among the rows of `table`, sorted by (a, b).

    `settings` sets the thresholds, the banding's recall and the caps (see
    `MatchSettings`); what a cap cut is counted in the result's `caps`.
    """
    result = Matches()
    n = len(table)
    if n < 2:
        return result
    bands, rows = choose_bands(settings.jaccard, settings.num_perm, settings.recall)
    sig = signatures(table, settings.num_perm, settings.seed)
    found = [lsh_candidates(sig, bands, rows, settings.max_bucket, result.caps)]
    del sig
    dense = dense_ids(table)
    if settings.containment is not None:
        found.append(
            containment_candidates(
                table, settings.containment, settings.max_postings, result.caps, dense
            )
        )
    codes = sorted_unique(np.concatenate(found))
    a, b = codes // n, codes % n
    keep = feasible(a, b, table.sizes, settings)
    a, b = a[keep], b[keep]
    result.verified = len(a)
    result.compared = int(table.sizes[a].sum() + table.sizes[b].sum())
    inter = intersections(table, a, b, dense)
    result.pairs = judge_pairs(a, b, inter, table.sizes, settings)
    return result

"""Cleaning: which extracted paragraphs are story and which are chrome, and why.

`clean_paragraphs` runs the passes (`passes`) over the paragraphs of one document: the
chrome patterns of `rules`, matched through `screen`, then the positional passes of
`structure` and the headline of `title`, reading each paragraph as a `lines.Line` and
the vocabularies of `lexicon`. On HTML pages, with `clean.scorer`, the learned paragraph
scorer (`scorer`, reading `features`) decides what the rules leave ambiguous.
"""

from pipeline.clean.passes import clean_paragraphs
from pipeline.clean.scorer import scorer_for

__all__ = ["clean_paragraphs", "scorer_for"]

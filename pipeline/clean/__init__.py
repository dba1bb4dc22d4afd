"""Cleaning: which extracted paragraphs are story and which are chrome, and why.

`clean_paragraphs` runs the passes (`passes`) over the paragraphs of one document: the
chrome patterns of `rules`, matched through `screen`, then the positional passes of
`structure` and the headline of `title`, reading each paragraph as a `lines.Line` and
the vocabularies of `lexicon`.
"""

from pipeline.clean.passes import clean_paragraphs

__all__ = ["clean_paragraphs"]

"""A three-paragraph story for the cleaning tests, and what cleaning keeps of a dump."""

from __future__ import annotations

from pipeline.clean import clean_paragraphs
from pipeline.config import CleanConfig
from pipeline.model import Paragraph

BODY = [
    "The city council voted on Tuesday to approve a new budget that raises spending on "
    "public transport by a fifth, after months of debate between the two main parties.",
    "Supporters said the plan would cut traffic and pollution in the centre, while critics "
    "warned that the money would have been better spent on repairing existing roads.",
    "The mayor said construction of the first new tram line would begin next spring and "
    "was expected to take about three years, with the route still under consultation.",
]
"""Three paragraphs of running prose: the body any chrome is put around."""
CFG = CleanConfig()


def kept(texts: list[str], **kwargs: object) -> list[str]:
    """The texts `clean_paragraphs` keeps, with the default config."""
    paragraphs = [Paragraph(t) for t in texts]
    decision = clean_paragraphs(paragraphs, CFG, **kwargs)  # type: ignore[arg-type]
    return [texts[i] for i in decision.kept]

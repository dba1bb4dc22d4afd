"""The page from the view: the Jinja2 environment over `templates/`, and the entry points.

The template only loops and prints; autoescaping is on for every template, so input
text is never markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import jinja2

from pipeline.config import ReportConfig
from pipeline.output.report.build import build_view
from pipeline.output.report.fields import Record
from pipeline.output.report.tally import Tally

TEMPLATE = "report.html.j2"
"""The page's template, in this package's `templates/` folder beside its stylesheet."""


def environment() -> jinja2.Environment:
    """Autoescape on for every template (not only *.html): input text is never markup."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.output.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def iter_report(
    articles: Iterable[Record],
    quarantined: Iterable[Record],
    manifest: Mapping[str, Any],
    clusters: Iterable[Record] = (),
    config: ReportConfig | None = None,
    tally: Tally | None = None,
) -> Iterator[str]:
    """The page in chunks, so a large report is written without one giant string.

    `articles` is read twice (once without `tally`, see `build_view`): pass a list or a
    re-iterable spool, not a generator.
    """
    view = build_view(articles, quarantined, manifest, clusters, config, tally)
    return environment().get_template(TEMPLATE).generate(view=view)


def render_report(
    articles: Iterable[Record],
    quarantined: Iterable[Record],
    manifest: Mapping[str, Any],
    clusters: Iterable[Record] = (),
    config: ReportConfig | None = None,
) -> str:
    """The whole page as one string (`iter_report` joined)."""
    return "".join(iter_report(articles, quarantined, manifest, clusters, config))

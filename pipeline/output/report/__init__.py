"""The run report: one static page on which a person judges what cleaning removed.

People trust (or fix) a cleaning tool by looking at what it threw away, next to what it
kept. So the page shows every article in reading order with each removed paragraph back
in its place, struck through and coloured by why it went, and every duplicate links to
the paragraph it duplicates.

Why a view model (`view`): all decisions (grouping, linking, colours, chart geometry)
are plain Python (`build`, `articles`, `clusters`, `charts`), and the Jinja2 template
(`render`, `templates/`) only loops and prints, with autoescaping on — so no text from
an input can become markup. The page is self-contained (inline CSS, server-drawn SVG, no
script, a Content-Security-Policy that forbids scripts and network) because reports are
mailed around and opened from disk.

Records are read as plain mappings, tolerantly (`fields`): fields are added over time
(cross-document annotations, clusters) and a report must still render from an older
run's records.
"""

from pipeline.output.report.build import build_view
from pipeline.output.report.render import iter_report, render_report
from pipeline.output.report.tally import Tally
from pipeline.output.report.view import Category, ReportView, category

__all__ = [
    "Category",
    "ReportView",
    "Tally",
    "build_view",
    "category",
    "iter_report",
    "render_report",
]

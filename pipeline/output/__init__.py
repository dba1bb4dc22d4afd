"""The output folder: every file a run leaves, written atomically and reproducibly.

`prepare_output` proves the folder writable before any work is done, `output_lock` keeps
a second run out of it, and `write_outputs` writes the records as JSON Lines, Markdown,
Parquet and the HTML report, the manifest last. `import_writers` imports the Parquet and
report writers ahead of time on a background thread. The names of the files are here
too, for the tools that read a run's output.
"""

from pipeline.output.counts import Written
from pipeline.output.lock import LOCK_NAME, output_lock
from pipeline.output.names import (
    ARTICLES,
    CLUSTERS,
    MANIFEST,
    MARKDOWN_DIR,
    PARQUET,
    QUARANTINE,
    REPORT,
)
from pipeline.output.owned import TEMP_PREFIX
from pipeline.output.write import (
    import_writers,
    prepare_output,
    write_outputs,
    write_parquet_file,
)

__all__ = [
    "ARTICLES",
    "CLUSTERS",
    "LOCK_NAME",
    "MANIFEST",
    "MARKDOWN_DIR",
    "PARQUET",
    "QUARANTINE",
    "REPORT",
    "TEMP_PREFIX",
    "Written",
    "import_writers",
    "output_lock",
    "prepare_output",
    "write_outputs",
    "write_parquet_file",
]

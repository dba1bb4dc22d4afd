"""Read: command-line inputs to raw documents, every one accounted for.

`expand_inputs` turns files, folders and globs into `InputFile`s (or quarantine records
for what cannot be read); `iter_documents` yields the documents one input holds: one for
a page (gzip undone), many for a WARC or JSONL archive, sniffed from its bytes.
"""

from pipeline.read.inputs import InputFile, expand_inputs
from pipeline.read.page import iter_documents, read_file

__all__ = ["InputFile", "expand_inputs", "iter_documents", "read_file"]

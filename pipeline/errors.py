"""Every error class of the pipeline, in one place.

Two families. *Usage errors* (`NewscleanError` and its subclasses) stop a run before or
instead of its work and reach the user as one line with exit code 2: a bad config, an
input that names nothing, an output folder that cannot be written, an index that cannot
be opened. *Document errors* (`ExtractionError`, `BinaryContentError`,
`DeadlineExceeded`) never leave `process_document`: they become the quarantine record of
the one document that raised them; `ExpansionCapError` never leaves the readers.
"""

from __future__ import annotations


class NewscleanError(Exception):
    """A problem with how the run was asked for, reported in one line (exit code 2)."""


class ConfigError(NewscleanError, ValueError):
    """A configuration file or value that cannot be used."""


class InputError(NewscleanError, ValueError):
    """A command-line input that names nothing at all (bad argument, not bad data)."""


class OutputError(NewscleanError, OSError):
    """The output folder cannot be created or written."""


class OutputBusyError(OutputError):
    """Another run holds the output folder."""


class IndexStoreError(NewscleanError, OSError):
    """The index cannot be opened, or was built with other LSH settings."""


class ExtractionError(ValueError):
    """The page could not be parsed or held no main text."""


class BinaryContentError(ValueError):
    """The bytes are not text in any encoding (an image, a PDF, an archive...)."""


class ExpansionCapError(OSError):
    """A decompression passed its cap (`read.bounded`): the reader stops and reports it."""


class DeadlineExceeded(BaseException):
    """The time limit of a block ran out.

    A `BaseException`, like `KeyboardInterrupt`, so that the `except Exception` blocks
    inside third-party extractors do not swallow it.
    """

    def __init__(self, seconds: float) -> None:
        super().__init__(f"timed out after {seconds:g} s")
        self.seconds = seconds


__all__ = [
    "BinaryContentError",
    "ConfigError",
    "DeadlineExceeded",
    "ExpansionCapError",
    "ExtractionError",
    "IndexStoreError",
    "InputError",
    "NewscleanError",
    "OutputBusyError",
    "OutputError",
]

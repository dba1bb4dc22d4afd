"""The `flows` extra: what the flows need beyond the pipeline, and a clear word without it.

`pip install -e .` installs the pipeline alone (Prefect, its server and Dask are large
and `pipeline/` never needs them). Someone who then runs a flow command should be told
what to install, not shown a `ModuleNotFoundError` traceback from deep in an import.
"""

from __future__ import annotations

import sys

INSTALL_HINT = 'pip install -e ".[flows]"'
"""From a checkout; add `-c constraints.txt` for the versions CI runs."""
EXTRA_MODULES = frozenset({"prefect", "prefect_dask"})
"""Top-level modules that only the `flows` extra installs."""


class MissingExtraError(ImportError):
    """Prefect (the `flows` extra) is not installed."""


def require_flows_extra() -> None:
    """Import Prefect, or raise `MissingExtraError` saying what to install.

    Only a missing Prefect is turned into the hint; any other import failure inside
    Prefect (a broken install, a version clash) propagates as it is, since the hint
    would then mislead.
    """
    try:
        import prefect  # noqa: F401  (imported anyway by whatever needs the extra)
    except ModuleNotFoundError as exc:
        if (exc.name or "").partition(".")[0] not in EXTRA_MODULES:
            raise
        raise MissingExtraError(
            f"the Prefect flows need the flows extra, which is not installed: {INSTALL_HINT}"
        ) from exc


def exit_unless_installed() -> None:
    """For the `python -m flows...` commands: one line on stderr and exit 2 (as for any
    other unusable argument) when the extra is missing."""
    try:
        require_flows_extra()
    except MissingExtraError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None

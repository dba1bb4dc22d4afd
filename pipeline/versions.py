"""Versions of the tool and of the libraries whose behaviour shapes the output."""

from __future__ import annotations

import platform
from importlib import metadata

_LIBRARIES = ("newsclean", "trafilatura", "datasketch", "lxml", "markdown-it-py", "xxhash")


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found

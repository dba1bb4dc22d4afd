"""The checks every config section runs when it is built: the whole config validated at start.

A value the code cannot use must fail the run before the first document, in one line that
names the key (`ConfigError`, exit code 2), never later as a traceback or as every document
quarantined for the same reason. So every number is checked to be finite and within what
the code supports, every regular expression is compiled, and every LSH banding the run will
need is chosen once here (`choose_bands` raises for combinations no banding satisfies).
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Iterable
from typing import TypeVar

from pipeline.errors import ConfigError

E = TypeVar("E", bound=enum.StrEnum)

INT_MAX = 2**31 - 1
"""Largest count any setting may hold: a C `int`, which every count fits in practice."""
SEED_MAX = 2**32 - 1
"""numpy's `RandomState` (which draws the MinHash permutations) takes seeds 0..2**32-1."""


def section_of(obj: object) -> str:
    return type(obj).__name__.removesuffix("Config").lower()


def positive(obj: object, *names: str) -> None:
    """Each setting is an integer in 1..INT_MAX (or a positive finite float)."""
    for name in names:
        value = getattr(obj, name)
        if not value > 0:
            raise ConfigError(f"{section_of(obj)}.{name} must be positive, got {value!r}")
        at_most(obj, name, INT_MAX)


def at_most(obj: object, name: str, limit: int) -> None:
    value = getattr(obj, name)
    if not value <= limit:
        raise ConfigError(f"{section_of(obj)}.{name} must be at most {limit}, got {value!r}")


def at_least(obj: object, name: str, low: float) -> None:
    """A finite number no smaller than `low` (a factor such as a required gain)."""
    value = getattr(obj, name)
    if not (math.isfinite(value) and value >= low):
        raise ConfigError(
            f"{section_of(obj)}.{name} must be a finite number >= {low}, got {value!r}"
        )


def int_range(obj: object, name: str, low: int, high: int, why: str = "") -> None:
    value = getattr(obj, name)
    if not low <= value <= high:
        reason = f" ({why})" if why else ""
        raise ConfigError(
            f"{section_of(obj)}.{name} must be in {low}..{high}{reason}, got {value!r}"
        )


def seeds(obj: object, *names: str) -> None:
    for name in names:
        int_range(obj, name, 0, SEED_MAX, "what numpy's RandomState accepts")


def open_unit(obj: object, *names: str) -> None:
    """Each value lies in (0, 1): a probability that must be neither 0 nor certain."""
    for name in names:
        value = getattr(obj, name)
        if not 0.0 < value < 1.0:
            raise ConfigError(f"{section_of(obj)}.{name} must be in (0, 1), got {value!r}")


def half_open_unit(obj: object, *names: str) -> None:
    """Each value lies in (0, 1]: a similarity threshold."""
    for name in names:
        value = getattr(obj, name)
        if not 0.0 < value <= 1.0:
            raise ConfigError(f"{section_of(obj)}.{name} must be in (0, 1], got {value!r}")


def closed_unit(obj: object, *names: str) -> None:
    """Each value lies in [0, 1]: a share."""
    for name in names:
        value = getattr(obj, name)
        if not 0.0 <= value <= 1.0:
            raise ConfigError(f"{section_of(obj)}.{name} must be in [0, 1], got {value!r}")


def choice(obj: object, name: str, kind: type[E]) -> E:
    """The value as a member of `kind` (a TOML string), or an error naming every choice."""
    value = getattr(obj, name)
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(repr(str(m)) for m in kind)
        raise ConfigError(
            f"{section_of(obj)}.{name} must be one of {choices}, got {value!r}"
        ) from None


def seconds(obj: object, name: str) -> float:
    """A duration >= 0 where 0 and infinity both mean "no limit"; returns it with infinity
    given as 0, the one spelling the rest of the code knows (and that JSON can hold)."""
    value = getattr(obj, name)
    if math.isnan(value) or value < 0:
        raise ConfigError(
            f"{section_of(obj)}.{name} must be >= 0 (0 or inf = no limit), got {value!r}"
        )
    return 0.0 if math.isinf(value) else float(value)


def regexes(obj: object, name: str, flags: int = re.IGNORECASE) -> None:
    """Compile each pattern as the stage will (the same flags), so a typo fails now."""
    for i, pattern in enumerate(getattr(obj, name)):
        try:
            re.compile(pattern, flags)
        except (re.error, RecursionError, OverflowError) as exc:
            raise ConfigError(
                f"{section_of(obj)}.{name}[{i}] is not a valid regular expression "
                f"({exc}): {pattern!r}"
            ) from exc


def banding(obj: object, thresholds: Iterable[str], num_perm: int, recall: float) -> None:
    """The LSH banding each threshold needs exists for `num_perm` and `recall`."""
    from pipeline.similarity.lsh import choose_bands  # numpy, only once a config is built

    for name in thresholds:
        try:
            choose_bands(getattr(obj, name), num_perm, recall)
        except ValueError as exc:
            raise ConfigError(f"{section_of(obj)}.{name}: {exc}") from exc

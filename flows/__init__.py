"""Prefect flows over the `pipeline/` stages.

Kept apart from `pipeline/` so the library never pays Prefect's import cost (about 2 s)
and stays usable without it; everything here is a thin orchestration layer.
"""

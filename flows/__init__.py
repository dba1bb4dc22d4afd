"""Prefect flows over the `pipeline/` stages.

Kept apart from `pipeline/` so the library never pays Prefect's import cost (seconds, at
every start) and stays usable without it; everything here is a thin orchestration layer.
"""

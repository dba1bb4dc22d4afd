"""The module `python -m flows.clean_articles` runs.

A package's `__main__` and not a `flows/clean_articles.py` of its own, because of how
process pools start workers: they re-import the parent's main module unless its name
ends in `.__main__`. As a plain module, every worker of the `processes` runner imported
Prefect with it (~1 s of CPU per worker, at the start of every run).
"""

from flows.clean_articles.cli import main

if __name__ == "__main__":
    raise SystemExit(main())

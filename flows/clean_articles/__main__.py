"""The module `python -m flows.clean_articles` runs.

A package's `__main__` and not a `flows/clean_articles.py` of its own, because of how
process pools start workers: they re-import the parent's main module unless its name
ends in `.__main__`. As a plain module, every worker of the `processes` runner imported
Prefect with it: all of its import cost again in every worker, at the start of every run.

Prefect is looked for before the command line is imported (which imports Prefect), so
that without the `flows` extra the command says what to install.
"""

from flows.extra import exit_unless_installed

if __name__ == "__main__":
    exit_unless_installed()
    from flows.clean_articles.cli import main

    raise SystemExit(main())

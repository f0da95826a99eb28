"""Entry point for ``python -m ktcli`` and the ``ktcli`` console script."""

from __future__ import annotations


def main() -> None:
    """Run the command-line interface."""
    import gc

    # Start-up creates tens of thousands of objects that live until the process ends
    # (modules, classes, the analysis read): collecting every 700 allocations, Python's
    # default, walks them again and again and frees nothing. A larger first generation
    # still collects the cycles of a long guided session.
    gc.set_threshold(50_000, 20, 20)
    from ktcli.cli.app import run

    run()


if __name__ == "__main__":
    main()

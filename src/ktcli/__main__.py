"""Entry point for ``python -m ktcli`` and the ``ktcli`` console script."""

from __future__ import annotations


def main() -> None:
    """Run the command-line interface."""
    from ktcli.cli.app import run

    run()


if __name__ == "__main__":
    main()

"""The ``allegiance`` command group; each command module adds its commands to it."""

from __future__ import annotations

import logging
import sys

import click

__all__ = ["main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="allegiance")
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
def main(verbose: int) -> None:
    """allegiance: who did what to whom, coded from news text."""
    logging.basicConfig(level=logging.WARNING - 10 * verbose, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")

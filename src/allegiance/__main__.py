"""``python -m allegiance``: the same as the ``allegiance`` command."""

from allegiance.cli import run

run()

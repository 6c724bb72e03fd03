"""``allegiance evaluate`` (score on a gold file) and ``allegiance stages``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from allegiance.cli.app import main
from allegiance.cli.options import coder_config, coder_options
from allegiance.pipeline.coder import Coder

__all__ = ["evaluate", "stages"]


@main.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.option("--worst", default=10, show_default=True, help="How many worst examples to show.")
@click.option("--json", "as_json", is_flag=True, help="Print the figures as one JSON object.")
@click.option("--limit", type=int, default=None, help="Score only the first N records.")
@coder_options
def evaluate(gold: str, worst: int, as_json: bool, limit: int | None, **kw: Any) -> None:
    """Score the coder on a gold file (any of the dev sets' formats)."""
    from allegiance.evaluate import evaluate_file, render_report

    report = evaluate_file(Path(gold), coder=Coder(coder_config(kw)), limit=limit)
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(render_report(report, worst=worst))


@main.command()
def stages() -> None:
    """The pipeline stages in order: what each needs, from which stage, and what it adds."""
    from allegiance.pipeline.stages import pipeline_facts

    for facts in pipeline_facts():
        needs = ", ".join(f"{field} ({source})" for field, source in facts.requires) or "-"
        click.echo(f"{facts.name:<18} needs   {needs}")
        click.echo(f"{'':<18} assigns {', '.join(facts.assigns)}")

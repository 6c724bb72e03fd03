"""``allegiance evaluate``: score the coder on a gold file."""

from allegiance.evaluate.report import EvalReport, evaluate_file, render_report

__all__ = ["EvalReport", "evaluate_file", "render_report"]

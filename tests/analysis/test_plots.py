"""Pictures: each command's --plot writes a real, non-trivial PNG or SVG drawn from the
store of articles written for the tests, and a bad file name is refused before work."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from allegiance.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _distinct_colours(path: Path) -> int:
    import matplotlib.image as mpimg
    import numpy as np

    pixels = mpimg.imread(path)
    return len(np.unique(pixels.reshape(-1, pixels.shape[-1]), axis=0))


@pytest.mark.parametrize(("args", "words"), [
    (["dyad", "VEN", "USA"], [": Engage in negotiation", "cooperation-conflict index"]),
    (["actor", "VEN", "--since", "2026-02-01"], ["Venezuela", "change of net Goldstein"]),
    (["network", "--since", "2026-01-01"], ["RUS bloc", "USA bloc", "net conflict"]),
    (["shifts", "--since", "2026-02-01", "--min-events", "1"],
     ["RUS-VEN", "Provide military aid"]),
])
def test_every_plot_is_drawn(db: str, tmp_path: Path, args: list[str], words: list[str]) -> None:
    runner = CliRunner()
    png, svg = tmp_path / "picture.png", tmp_path / "picture.svg"
    for path in (png, svg):
        result = runner.invoke(main, [*args, "--db", db, "--plot", str(path)])
        assert result.exit_code == 0, result.output
        assert f"wrote {path}" in result.stderr
    assert png.read_bytes().startswith(PNG_MAGIC) and png.stat().st_size > 15_000
    assert _distinct_colours(png) > 50  # bars, lines and text, not an empty frame
    text = svg.read_text(encoding="utf-8")
    assert text.lstrip().startswith("<?xml") and "<svg" in text
    for word in words:
        # Matplotlib writes SVG text as glyph paths, each labelled by its text in a comment.
        assert word in text, word


def test_a_bad_picture_name_is_refused_before_any_work(db: str, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["dyad", "VEN", "USA", "--db", db, "--plot",
                                       str(tmp_path / "x.jpg")])
    assert result.exit_code == 2 and "must end in .png or .svg" in result.output
    assert not (tmp_path / "x.jpg").exists()


def test_no_data_draws_no_picture(db: str, tmp_path: Path) -> None:
    path = tmp_path / "none.png"
    result = CliRunner().invoke(main, ["network", "--db", db, "--since", "2030-01-01",
                                       "--plot", str(path)])
    assert result.exit_code == 1 and not path.exists()

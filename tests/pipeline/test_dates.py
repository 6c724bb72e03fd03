import datetime as dt

import pytest

from allegiance.pipeline.stages.dates import resolve_date

PUB = dt.date(2026, 11, 25)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "future", "expected"),
    [
        ("talks on Tuesday", False, dt.date(2026, 11, 24)),
        ("talks on Wednesday", False, PUB),
        ("will meet on Friday", True, dt.date(2026, 11, 27)),
        ("last Wednesday", False, dt.date(2026, 11, 18)),
        ("yesterday", False, dt.date(2026, 11, 24)),
        ("On 4 October 2007, the court ruled", False, dt.date(2007, 10, 4)),
        ("on March 3", False, dt.date(2026, 3, 3)),
        ("on Dec. 30", False, dt.date(2025, 12, 30)),
        ("2024-02-29 was a leap day", False, dt.date(2024, 2, 29)),
        ("no date here", False, PUB),
    ],
)
def test_resolves_against_publication_date(text: str, future: bool, expected: dt.date) -> None:
    assert resolve_date(text, PUB, future=future) == expected


def test_without_publication_date_only_explicit_dates() -> None:
    assert resolve_date("on Tuesday", None) is None
    assert resolve_date("on 4 October 2007", None) == dt.date(2007, 10, 4)

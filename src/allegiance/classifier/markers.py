"""Actor markers: the ``<s>..</s>`` / ``<t>..</t>`` tags the classifier was trained on.

The tags are added to the tokenizer as special tokens, so a literal tag already in the
input text would be read as a marker; :func:`mark` defuses such strings first.
"""

from __future__ import annotations

SOURCE_OPEN = "<s>"
SOURCE_CLOSE = "</s>"
TARGET_OPEN = "<t>"
TARGET_CLOSE = "</t>"
MARKERS: tuple[str, str, str, str] = (SOURCE_OPEN, SOURCE_CLOSE, TARGET_OPEN, TARGET_CLOSE)

Span = tuple[int, int]

__all__ = [
    "MARKERS",
    "SOURCE_CLOSE",
    "SOURCE_OPEN",
    "TARGET_CLOSE",
    "TARGET_OPEN",
    "mark",
]


def _clean_span(span: Span | None, length: int) -> Span | None:
    """Clamp a span into the text; an empty or inverted span means no actor."""
    if span is None:
        return None
    start, end = max(0, min(span[0], length)), max(0, min(span[1], length))
    return (start, end) if start < end else None


def _untangle(source: Span | None, target: Span | None) -> Span | None:
    """Make the target nest in, contain, or avoid the source (tags must not cross).

    Nested spans are kept as they are (``<s><t>Iran</t></s>`` is still readable); a target
    that crosses the source keeps its larger part outside the source.
    """
    if source is None or target is None:
        return target
    (s0, s1), (t0, t1) = source, target
    crossing = (t0 < s0 < t1 < s1) or (s0 < t0 < s1 < t1)
    if not crossing:
        return target
    left, right = (t0, s0), (s1, t1)
    best = max(left, right, key=lambda sp: sp[1] - sp[0])
    return best if best[0] < best[1] else None


def _defuse(segment: str) -> str:
    """Break literal marker strings in the input so they do not read as markers."""
    for tag in MARKERS:
        if tag in segment:
            segment = segment.replace(tag, tag[0] + " " + tag[1:])
    return segment


def _insertions(source: Span | None, target: Span | None) -> list[tuple[int, int, int, int, str]]:
    """(position, order, width, rank, tag) for each tag, sorted so nesting stays well formed.

    At one position closing tags come before opening tags; of two openings the longer span
    opens first (it is the outer one) and of two closings the shorter span closes first.
    Equal spans (the same phrase as both actors) nest the target inside the source.
    """
    items: list[tuple[int, int, int, int, str]] = []
    for rank, (span, opener, closer) in enumerate(((source, SOURCE_OPEN, SOURCE_CLOSE),
                                                   (target, TARGET_OPEN, TARGET_CLOSE))):
        if span is None:
            continue
        width = span[1] - span[0]
        items.append((span[0], 1, -width, rank, opener))
        items.append((span[1], 0, width, -rank, closer))
    return sorted(items)


def mark(text: str, source: Span | None, target: Span | None) -> str:
    """Insert the actor markers into ``text`` around the character spans given.

    ``source`` and ``target`` are ``(start, end)`` character offsets (end exclusive) or
    ``None`` (a one-sided event has no target). Out-of-range spans are clamped, empty ones
    ignored, and a target crossing the source is trimmed so the tags nest.

    >>> mark("Israeli jets bombed Gaza", (0, 12), (20, 24))
    '<s>Israeli jets</s> bombed <t>Gaza</t>'
    """
    src = _clean_span(source, len(text))
    tgt = _untangle(src, _clean_span(target, len(text)))
    pieces: list[str] = []
    cursor = 0
    for position, _order, _width, _rank, tag in _insertions(src, tgt):
        pieces.append(_defuse(text[cursor:position]))
        pieces.append(tag)
        cursor = position
    pieces.append(_defuse(text[cursor:]))
    return "".join(pieces)

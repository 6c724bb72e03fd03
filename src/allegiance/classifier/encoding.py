"""Marked text -> padded token-id arrays, shared by training and inference.

Training (``scripts/train_classifier.py``) imports this module so the model sees exactly
the same ids at run time as it saw when it learned.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

from allegiance.classifier.markers import MARKERS

__all__ = ["MarkedEncoder", "window"]

IntArray = npt.NDArray[np.int64]


def window(ids: list[int], max_len: int, keep: set[int]) -> list[int]:
    """Cut ``ids`` ([CLS] body [SEP]) to ``max_len``, keeping the tokens around the markers.

    Plain right truncation would drop a target named late in a long sentence, and the
    model reads the marker positions, so the window is centred on the marked region.
    """
    if len(ids) <= max_len:
        return ids
    head, body, tail = ids[:1], ids[1:-1], ids[-1:]
    budget = max_len - 2
    positions = [i for i, tok in enumerate(body) if tok in keep]
    lo, hi = (min(positions), max(positions) + 1) if positions else (0, 0)
    if hi - lo >= budget:
        start = lo  # the actors are far apart: keep the source side, which comes first
    else:
        start = max(0, lo - (budget - (hi - lo)) // 2)
        start = min(start, len(body) - budget)
    return head + body[start:start + budget] + tail


class MarkedEncoder:
    """Tokenizes marked sentences into (input_ids, attention_mask) batches."""

    def __init__(self, tokenizer: Tokenizer, max_len: int) -> None:
        self.tokenizer = tokenizer
        self.max_len = max_len
        tokenizer.no_truncation()
        tokenizer.no_padding()
        ids = [tokenizer.token_to_id(m) for m in MARKERS]
        if any(i is None for i in ids):
            raise ValueError(f"tokenizer lacks the marker tokens {MARKERS}")
        self.marker_ids: set[int] = {int(i) for i in ids if i is not None}
        pad = tokenizer.token_to_id("[PAD]")
        self.pad_id = int(pad) if pad is not None else 0

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Token ids per text, windowed to ``max_len``."""
        encodings = self.tokenizer.encode_batch(list(texts))
        return [window(list(e.ids), self.max_len, self.marker_ids) for e in encodings]

    def pad(self, rows: Sequence[list[int]]) -> tuple[IntArray, IntArray]:
        """Right-pad to the longest row: (input_ids, attention_mask), both int64."""
        width = max((len(r) for r in rows), default=1)
        input_ids = np.full((len(rows), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(rows), width), dtype=np.int64)
        for i, row in enumerate(rows):
            input_ids[i, :len(row)] = row
            mask[i, :len(row)] = 1
        return input_ids, mask

"""The learned event classifier: a marked sentence -> a probability per event class.

    >>> from allegiance.classifier import EventClassifier, mark
    >>> text = "Israeli jets bombed Gaza on Monday."
    >>> clf = EventClassifier.default()
    >>> proba = clf.predict_proba([mark(text, (0, 12), (20, 24))])
    >>> clf.labels[int(proba[0].argmax())]
    'ASSAULT'

The model is MiniLM-L6 fine-tuned with the actors marked (``<s>..</s>``, ``<t>..</t>``),
shipped as int8 ONNX and run with onnxruntime; see ``docs/classifier.md``.
"""

from __future__ import annotations

from allegiance.classifier.encoding import MarkedEncoder, window
from allegiance.classifier.markers import (
    MARKERS,
    SOURCE_CLOSE,
    SOURCE_OPEN,
    TARGET_CLOSE,
    TARGET_OPEN,
    mark,
)
from allegiance.classifier.model import EventClassifier, default_model_dir

__all__ = [
    "MARKERS",
    "SOURCE_CLOSE",
    "SOURCE_OPEN",
    "TARGET_CLOSE",
    "TARGET_OPEN",
    "EventClassifier",
    "MarkedEncoder",
    "default_model_dir",
    "mark",
    "window",
]

"""The event classifier at run time: int8 ONNX MiniLM on onnxruntime, no torch."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from allegiance.classifier.encoding import MarkedEncoder
from allegiance.classifier.markers import MARKERS
from allegiance.errors import ModelError

__all__ = ["MODEL_FILE", "EventClassifier", "default_model_dir"]

MODEL_FILE = "classifier.int8.onnx"
TOKENIZER_FILE = "tokenizer.json"
CONFIG_FILE = "config.json"

FloatArray = npt.NDArray[np.float32]


def default_model_dir() -> Path:
    """Where the shipped model lives (``allegiance/data/model``)."""
    return Path(str(resources.files("allegiance.data").joinpath("model")))


def _read_config(model_dir: Path) -> dict[str, Any]:
    missing = [f for f in (MODEL_FILE, TOKENIZER_FILE, CONFIG_FILE)
               if not (model_dir / f).is_file()]
    if missing:
        raise ModelError(
            f"event classifier files missing in {model_dir}: {', '.join(missing)}; "
            "reinstall allegiance, or rebuild the model with `make train` "
            "(needs the [train] extras)")
    try:
        config: dict[str, Any] = json.loads((model_dir / CONFIG_FILE).read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"{model_dir / CONFIG_FILE}: unreadable classifier config: {exc}") from exc
    if tuple(config.get("markers", ())) != MARKERS or not config.get("labels"):
        raise ModelError(f"{model_dir / CONFIG_FILE}: the config does not match this version "
                         f"of allegiance (expected markers {MARKERS} and a label list)")
    return config


def _softmax(logits: FloatArray, temperature: float) -> FloatArray:
    z = logits.astype(np.float64) / temperature
    z -= z.max(axis=1, keepdims=True)
    e = np.exp(z)
    proba: FloatArray = (e / e.sum(axis=1, keepdims=True)).astype(np.float32)
    return proba


class EventClassifier:
    """Predicts the event class of a marked sentence (see :func:`allegiance.classifier.mark`).

    ``threads`` is onnxruntime's intra-op thread count: 1 by default, because the batch
    runner already uses one process per core.
    """

    def __init__(self, session: Any, encoder: MarkedEncoder, labels: Sequence[str],
                 temperature: float = 1.0) -> None:
        self._session = session
        self._encoder = encoder
        self.labels: tuple[str, ...] = tuple(labels)
        self.temperature = temperature

    @classmethod
    def load(cls, model_dir: str | Path, *, threads: int = 1) -> EventClassifier:
        """Load a model directory written by ``scripts/train_classifier.py``."""
        import onnxruntime as ort
        from tokenizers import Tokenizer

        model_dir = Path(model_dir)
        config = _read_config(model_dir)
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        try:
            session = ort.InferenceSession(str(model_dir / MODEL_FILE), opts,
                                           providers=["CPUExecutionProvider"])
            tokenizer = Tokenizer.from_file(str(model_dir / TOKENIZER_FILE))
            encoder = MarkedEncoder(tokenizer, int(config["max_len"]))
        except Exception as exc:  # onnxruntime raises its own untyped errors
            raise ModelError(f"cannot load the event classifier from {model_dir}: {exc}") from exc
        return cls(session, encoder, config["labels"], float(config.get("temperature", 1.0)))

    @classmethod
    def default(cls) -> EventClassifier:
        """The shipped model, loaded once per process."""
        return _default()

    def predict_proba(self, marked_texts: Sequence[str], *, batch_size: int = 1) -> FloatArray:
        """Class probabilities, shape ``(len(marked_texts), len(self.labels))``.

        One text per run by default: the int8 model quantises its activations with one
        scale per batch tensor, so a text batched with others gets probabilities a few
        points different from the same text alone (up to 0.07 seen). Coding must not
        depend on an article's neighbours in a batch (a re-run after a crash would
        store different events), and on the CPU one-at-a-time runs as fast as batches
        of 32. Larger batches are for offline scoring where that does not matter.
        """
        out = np.zeros((len(marked_texts), len(self.labels)), dtype=np.float32)
        if not marked_texts:
            return out
        rows = self._encoder.ids(marked_texts)
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        for at in range(0, len(order), max(1, batch_size)):
            idx = order[at:at + batch_size]
            ids, mask = self._encoder.pad([rows[i] for i in idx])
            logits = self._session.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
            out[idx] = _softmax(np.asarray(logits, dtype=np.float32), self.temperature)
        return out

    def predict(self, marked_texts: Sequence[str], *, batch_size: int = 1
                ) -> list[tuple[str, float]]:
        """The best class and its probability for each text ("NONE", with a model that
        has it, when nothing happened between the two marked actors)."""
        proba = self.predict_proba(marked_texts, batch_size=batch_size)
        best = proba.argmax(axis=1)
        return [(self.labels[int(b)], float(proba[i, b])) for i, b in enumerate(best)]


@cache
def _default() -> EventClassifier:
    return EventClassifier.load(default_model_dir())

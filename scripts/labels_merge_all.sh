#!/usr/bin/env bash
# The final labels: one annotator per batch, then the adjudicated sentences on top.
set -euo pipefail
cd "$(dirname "$0")/.."
O=labels/raw
adj=$(ls $O/adjudicated-*.ADJ.jsonl 2>/dev/null || true)
.venv/bin/python scripts/labels.py merge --replace --strict --only voa: -o labels/voa.jsonl \
  $O/voa-001.A1.jsonl $O/voa-002.A2.jsonl $O/voa-003.A3.jsonl $O/voa-004.A4.jsonl \
  $O/voa-005.A5.jsonl $O/voa-006.A6.jsonl $O/voa-007.B1.jsonl $O/voa-008.B2.jsonl \
  $O/voa-009.B3.jsonl $O/voa-010.B4.jsonl $O/voa-011.B5.jsonl $O/voa-012.B6.jsonl \
  $O/voa-013.B6.jsonl $O/voa-014.B4.jsonl $adj
.venv/bin/python scripts/labels.py merge --replace --strict --only wcep: -o labels/wcep.jsonl \
  $O/wcep-015.A1.jsonl $O/wcep-016.A2.jsonl $O/wcep-017.A3.jsonl $O/wcep-018.A4.jsonl \
  $O/wcep-019.B1.jsonl $O/wcep-020.B1.jsonl $O/wcep-021.B2.jsonl $O/wcep-022.B3.jsonl \
  $O/wcep-023.B4.jsonl $O/wcep-024.B5.jsonl $O/wcep-025.B5.jsonl $O/wcep-026.B6.jsonl \
  $adj

# The whole dev loop. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint train bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	@echo "== coding examples/venezuela_military_aid.txt (published 2026-11-24) =="
	$(VENV)/bin/allegiance code examples/venezuela_military_aid.txt --date 2026-11-24 --format table
	@echo
	@echo "== with the background statements the default output leaves out (--include-historical) =="
	$(VENV)/bin/allegiance code examples/venezuela_military_aid.txt --date 2026-11-24 --format table --include-historical
	@echo
	@echo "== the same, as the contract's JSON Lines (first 2 records) =="
	$(VENV)/bin/allegiance code examples/venezuela_military_aid.txt --date 2026-11-24 --format jsonl | head -n 2

test: $(STAMP)
	$(VENV)/bin/pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/mypy

# Fine-tunes the event classifier and writes src/allegiance/data/model/ (needs torch,
# a CPU build taken from pip; only this target installs it).
train: $(STAMP)
	$(PY) -m pip install -q -e '.[train]'
	$(PY) scripts/train_classifier.py --threads 1

bench: $(STAMP)
	$(PY) scripts/bench.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache

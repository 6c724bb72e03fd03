# The whole dev loop. `make demo` and `make test` work on a fresh machine.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint train bench clean kb-actors

# constraints.txt pins the tested versions; pyproject.toml only gives ranges.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

DEMO_CORPUS := src/allegiance/data/samples/world_news_demo.jsonl

# Ingests the seed article and 350 real world-news items into the default store
# (~/.local/share/allegiance/events.db, or $$ALLEGIANCE_DB), then shows what it holds.
# Run it twice: the second run skips every article as already stored.
demo: $(STAMP)
	@echo "== ingesting the seed article (published 2026-11-24) and $(DEMO_CORPUS) =="
	$(VENV)/bin/allegiance ingest examples/venezuela_military_aid.txt $(DEMO_CORPUS) --date 2026-11-24 --progress
	@echo
	@echo "== the store =="
	$(VENV)/bin/allegiance db info
	@echo
	@echo "== top events: most reported first =="
	$(VENV)/bin/allegiance events --order mentions --limit 15
	@echo
	@echo "== Venezuela: every stored event with VEN on either side, newest first =="
	$(VENV)/bin/allegiance events --actor VEN --limit 15
	@echo
	@echo "== a cited brief on Venezuela, from the stored events =="
	$(VENV)/bin/allegiance brief --actor VEN
	@echo
	@echo "== the seed article coded directly (allegiance code), as a table =="
	$(VENV)/bin/allegiance code examples/venezuela_military_aid.txt --date 2026-11-24 --format table

test: $(STAMP)
	$(VENV)/bin/pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests scripts
	$(VENV)/bin/mypy

# Fine-tunes the event classifier and writes src/allegiance/data/model/ (needs torch,
# a CPU build taken from pip; only this target installs it), then two more, each without
# one half of the labelled train documents (build/oof/, not shipped), so that the
# acceptance model (labels/ train split; numpy only) learns from classifier readings as
# sharp as on new text. About 20 minutes per classifier on 2 cores.
OOF := build/oof
train: $(STAMP)
	$(PY) -m pip install -q -c constraints.txt -e '.[train]'
	$(PY) scripts/train_classifier.py --threads 1
	$(PY) scripts/train_classifier.py --threads 1 --labels-fold 0/2 --out $(OOF)/clf0
	$(PY) scripts/train_classifier.py --threads 1 --labels-fold 1/2 --out $(OOF)/clf1
	$(PY) scripts/train_acceptance.py --fold-classifiers $(OOF)/clf0,$(OOF)/clf1

# Coding speed against bare spaCy, then ingest throughput and storing cost, then the
# analyses on a synthetic store of a million events (built once into build/synth/, about
# 11 minutes on 2 cores; SQLite, and PostgreSQL when ALLEGIANCE_BENCH_POSTGRES or
# ALLEGIANCE_TEST_POSTGRES names a database), then the REST API's latency on that store
# while another process ingests.
bench: $(STAMP)
	$(PY) scripts/bench.py
	$(PY) scripts/bench_ingest.py
	$(PY) scripts/bench_analysis.py
	$(PY) scripts/bench_api.py
	$(PY) scripts/bench_scale.py

# Rebuilds src/allegiance/data/actors/kb_actors.tsv.gz from the actor knowledge base
# (shared/data/kb beside the checkout, or KB=DIR).
KB ?= ../shared/data/kb
kb-actors: $(STAMP)
	$(PY) scripts/build_kb_actors.py --kb $(KB)

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache

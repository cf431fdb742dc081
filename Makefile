# policyqa — `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
POLICYQA := $(VENV)/bin/policyqa
export VENV
export POLICYQA_HOME ?= $(CURDIR)/data
export DEMO_PORT ?= 8765
export API_PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup models run test test-fast fuzz lint bench bench-scale bench-extract eval crawl clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*?## "}{printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU wheel first: a bare `torch` requirement would pull a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed ## Create the virtualenv and install everything (torch CPU first)

models: setup ## Provision EmbeddingGemma's weights (falls back to e5-small when impossible)
	@$(POLICYQA) models --profile gemma || echo "models: continuing with e5-small"

run: setup models ## Demo end to end: demo sites, crawl, index, API + page on 127.0.0.1:8000
	bash scripts/run-demo.sh

test: setup ## The whole test suite, offline (installs the test browser when missing)
	bash scripts/test.sh

test-fast: setup ## Unit tests only (no browser, no real model, no servers)
	$(VENV)/bin/pytest -q -m "not slow and not integration"

fuzz: setup ## Hostile input: schemathesis, junk requests, slow clients, hostile pages and imports
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 timeout 1500 $(PY) -m fuzz.run

lint: setup ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy crawler index qa api

bench: setup ## Benchmarks; results in bench/results/
	bash scripts/bench.sh

bench-scale: setup ## Import -> index -> serve at 10k and 100k chunks (SIZES=10000,100000,1000000 for 1M)
	nice -n 19 $(PY) bench/bench_scale.py --sizes $${SIZES:-10000,100000}

eval: setup models ## policyqa eval per embedder profile: own question sets and both dev-set halves
	bash scripts/eval.sh

crawl: setup ## Crawl the real sources (needs internet)
	$(POLICYQA) crawl

clean: ## Remove the virtualenv and all state
	rm -rf $(VENV) data

bench-extract: setup ## Extraction on real pages (AEB) and the mirrors, next to trafilatura
	HF_HUB_OFFLINE=1 $(PY) bench/bench_extract.py

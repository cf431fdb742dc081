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
.PHONY: help setup lock models run test test-fast fuzz lint typecheck bench bench-scale bench-extract eval crawl clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*?## "}{printf "  %-10s %s\n", $$1, $$2}'

# Every package's version, pinned (torch aside); `make lock` refreshes it.
LOCK := requirements.lock
# Every Python package of the repository, tests included; mypy runs in strict mode (pyproject.toml).
TYPED := facts crawler index qa api demo bench fuzz scripts tests

$(VENV)/.installed: pyproject.toml $(LOCK) requirements/torch.txt
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU wheel first: a bare `torch` requirement would pull a multi-GB CUDA build.
	$(PIP) install --quiet -r requirements/torch.txt
	$(PIP) install --quiet -c $(LOCK) -e '.[dev]'
	touch $@

setup: $(VENV)/.installed ## Create the virtualenv and install everything (torch CPU first, versions from requirements.lock)

# Pins already in the lock are kept; LOCK_ARGS=--upgrade moves every package to its newest allowed version.
lock: ## Re-pin dependencies into requirements.lock after changing pyproject.toml (then make setup)
	@test -x $(VENV)/bin/pip-compile || { python3 -m venv $(VENV) && $(PIP) install --quiet pip-tools; }
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --extra dev --extra milvus \
	  --strip-extras --no-emit-index-url --no-emit-find-links --unsafe-package torch \
	  -c requirements/torch.txt $(LOCK_ARGS) -o $(LOCK) pyproject.toml

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

lint: setup ## ruff check, ruff format --check and mypy --strict on every package (what CI and pre-commit run)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(TYPED)

typecheck: setup ## mypy --strict on every package, tests included
	$(VENV)/bin/mypy $(TYPED)

bench: setup ## Benchmarks; results in bench/results/
	bash scripts/bench.sh

bench-scale: setup ## Import -> index -> serve at 10k and 100k chunks (SIZES=...,1000000 for 1M; MODE=distributed)
	nice -n 19 $(PY) bench/bench_scale.py --sizes $${SIZES:-10000,100000} --mode $${MODE:-single}

eval: setup models ## policyqa eval per embedder profile: own question sets and both dev-set halves
	bash scripts/eval.sh

crawl: setup ## Crawl the real sources (needs internet)
	$(POLICYQA) crawl

clean: ## Remove the virtualenv and all state
	rm -rf $(VENV) data

bench-extract: setup ## Extraction on real pages (AEB) and the mirrors, next to trafilatura
	HF_HUB_OFFLINE=1 $(PY) bench/bench_extract.py

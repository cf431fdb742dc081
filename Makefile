# policyqa — `make help` lists the targets.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
POLICYQA := $(VENV)/bin/policyqa
export POLICYQA_HOME ?= $(CURDIR)/data
DEMO_PORT ?= 8765
API_PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help setup models demo-site run test test-fast lint bench eval crawl clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*?## "}{printf "  %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	# The CPU wheel first: a bare `torch` requirement would pull a multi-GB CUDA build.
	$(PIP) install --quiet torch==2.13.0
	$(PIP) install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed ## Create the virtualenv and install everything (torch CPU first)

models: setup ## Provision the default embedder's weights (falls back to e5-small if impossible)
	$(POLICYQA) models

run: setup models ## Demo end to end: serve the demo site, crawl, index, serve the API on :$(API_PORT)
	bash scripts/run-demo.sh

test: setup ## Run the whole test suite offline
	bash scripts/test.sh

test-fast: setup ## Unit tests only (no browser, no real model)
	$(VENV)/bin/pytest -q -m "not slow and not integration"

lint: setup ## ruff and mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy crawler index qa api

bench: setup ## Benchmarks; results in bench/results/
	bash scripts/bench.sh

eval: setup ## Evaluate answers on the demo development set
	$(POLICYQA) eval --questions demo/questions.jsonl

crawl: setup ## Crawl the real sources (needs internet)
	$(POLICYQA) crawl

clean: ## Remove the virtualenv and state
	rm -rf $(VENV) data

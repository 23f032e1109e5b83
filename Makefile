# Quick start: `make run` (set up + materialise everything) and `make test` (set up + run the tests).
SHELL := /bin/bash
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export SEEDS_DIR ?= $(CURDIR)/seeds
export WAREHOUSE_DIR ?= $(CURDIR)/warehouse
UV_VERSION := 0.13.8
UV := $(CURDIR)/.venv-tools/bin/uv
PY := $(CURDIR)/.venv/bin/python

.PHONY: setup run test dev lint bench bench-large eval clean

$(UV):
	python3 -m venv $(CURDIR)/.venv-tools
	$(CURDIR)/.venv-tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen
	touch $@

setup: .venv/.synced
	mkdir -p "$(DAGSTER_HOME)"
	cp -f dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"

## Materialise every asset from $(SEEDS_DIR) into $(WAREHOUSE_DIR), then print a summary. Runs that a killed
## process left open are closed first (assets/run.py), then `dg launch --job materialize_everything` runs.
run: setup
	$(PY) -m assets.run materialize_everything
	$(PY) -m pipeline.summary "$(WAREHOUSE_DIR)"

## Lint, then run the test suite (offline).
test: setup
	$(CURDIR)/.venv/bin/ruff check pipeline assets tests bench
	$(PY) -m pytest -q

## Optional: the Dagster UI and daemon on http://127.0.0.1:$(DAGSTER_PORT) (schedules and sensors run), with
## `dg dev`. Stops at once if the port is taken: `make dev DAGSTER_PORT=3001` picks another.
DAGSTER_PORT ?= 3000
dev: setup
	@$(PY) -m assets.port_check $(DAGSTER_PORT)
	$(CURDIR)/.venv/bin/dg dev -m assets.definitions -h 127.0.0.1 -p $(DAGSTER_PORT)

## Throughput benchmark (N = 200 and 1,000 generated articles; about 9 minutes on 2 cores).
bench: setup
	$(PY) -m bench.run --sizes 200 1000 --headline 1000

## The same at N = 10,000 (about 25 minutes; peak memory under 3 GB).
bench-large: setup
	$(PY) -m bench.run --sizes 10000 --headline 10000

## Extraction quality: the seeds, plus the project's own dev and held-out test sets (eval/), scored by
## ../shared/eval/score.py. Each set is materialised into its own warehouse under .eval/.
EVAL_SCORER ?= $(CURDIR)/../shared/eval/score.py
eval: setup
	@for set in dev test; do \
	  rm -rf .eval/$$set && mkdir -p .eval/$$set/home && cp dagster.yaml .eval/$$set/home/ && \
	  DAGSTER_HOME=$(CURDIR)/.eval/$$set/home SEEDS_DIR=$(CURDIR)/eval/$$set/articles \
	    WAREHOUSE_DIR=$(CURDIR)/.eval/$$set/warehouse \
	    $(CURDIR)/.venv/bin/dg launch --job materialize_everything -m assets.definitions \
	    > .eval/$$set/run.log 2>&1 || { tail -20 .eval/$$set/run.log; exit 1; }; \
	  echo "== eval/$$set"; $(PY) $(EVAL_SCORER) --warehouse .eval/$$set/warehouse/news.duckdb \
	    --gold eval/$$set/gold | grep timex; \
	done
	@echo "== seeds (make run's warehouse)"; $(PY) $(EVAL_SCORER) --warehouse "$(WAREHOUSE_DIR)/news.duckdb"

lint: setup
	$(CURDIR)/.venv/bin/ruff check pipeline assets tests bench

clean:
	rm -rf .dagster_home warehouse .eval

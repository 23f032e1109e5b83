# Quick start: `make run` (set up + materialise everything) and `make test` (set up + run the tests).
SHELL := /bin/bash
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export SEEDS_DIR ?= $(CURDIR)/seeds
export WAREHOUSE_DIR ?= $(CURDIR)/warehouse
UV_VERSION := 0.13.8
UV := $(CURDIR)/.venv-tools/bin/uv
PY := $(CURDIR)/.venv/bin/python

.PHONY: setup run test dev lint bench bench-large clean

$(UV):
	python3 -m venv $(CURDIR)/.venv-tools
	$(CURDIR)/.venv-tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen
	touch $@

setup: .venv/.synced
	mkdir -p "$(DAGSTER_HOME)"
	cp -f dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"

## Materialise every asset from $(SEEDS_DIR) into $(WAREHOUSE_DIR), then print a summary.
run: setup
	$(CURDIR)/.venv/bin/dagster job execute -m assets.definitions -j materialize_everything
	$(PY) -m pipeline.summary "$(WAREHOUSE_DIR)"

## Lint, then run the test suite (offline).
test: setup
	$(CURDIR)/.venv/bin/ruff check pipeline assets tests bench
	$(PY) -m pytest -q

## Optional: the Dagster UI and daemon on http://127.0.0.1:3000 (schedules and sensors run).
dev: setup
	$(CURDIR)/.venv/bin/dagster dev -m assets.definitions -h 127.0.0.1 -p 3000

## Throughput benchmark (N = 200 and 1,000 generated articles; about 10 minutes on 2 cores).
bench: setup
	$(PY) -m bench.run --sizes 200 1000 --headline 1000

## The same at N = 10,000 (long).
bench-large: setup
	$(PY) -m bench.run --sizes 10000 --headline 10000

lint: setup
	$(CURDIR)/.venv/bin/ruff check pipeline assets tests bench

clean:
	rm -rf .dagster_home warehouse

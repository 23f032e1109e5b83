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

# --compile-bytecode: the .pyc files are written once here. Every process of a run (the run, each Dask worker)
# otherwise compiles the ~1,000 modules it imports from source whenever Python may not write them
# (PYTHONDONTWRITEBYTECODE, a read-only install): 4.9 s -> 2.6 s to import the pipeline, per process.
.venv/.synced: $(UV) pyproject.toml uv.lock Makefile
	$(UV) sync --frozen --compile-bytecode
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

## Throughput benchmark (N = 200 and 1,000 generated articles; about 9 minutes on 2 cores). Ends with
## `throughput_ratio= rerun_growth= rerun_ratio_10k= peak_rss_mb=`: throughput_ratio is measured here; the
## three N = 10,000 figures are read from bench/out/large.json (the last `make bench-large`), labelled so.
bench: setup
	$(PY) -m bench.run --sizes 200 1000

## N = 1,000 and 10,000 in one run (about 20 minutes): all four figures, saved to bench/out/large.json.
bench-large: setup
	$(PY) -m bench.run --sizes 1000 10000 --baseline-sizes 1000 --save bench/out/large.json

## Extraction quality, three sets, each materialised into its own warehouse under .eval/ and scored by
## ../shared/eval/score.py: the seeds (gold-dev), the real press pages of ../shared/eval/press (gold-press),
## and the project's own dev and held-out test sets of invented articles (eval/, dates only).
EVAL_SCORER ?= $(CURDIR)/../shared/eval/score.py
EVAL_SHARED ?= $(CURDIR)/../shared/eval
define eval_set  # name, articles folder, gold folder, score lines to show (grep pattern)
	@rm -rf .eval/$(1) && mkdir -p .eval/$(1)/home && cp dagster.yaml .eval/$(1)/home/ && \
	  DAGSTER_HOME=$(CURDIR)/.eval/$(1)/home SEEDS_DIR=$(2) WAREHOUSE_DIR=$(CURDIR)/.eval/$(1)/warehouse \
	    $(CURDIR)/.venv/bin/dg launch --job materialize_everything -m assets.definitions \
	    > .eval/$(1)/run.log 2>&1 || { tail -20 .eval/$(1)/run.log; exit 1; }
	@echo "== $(1)"; $(PY) $(EVAL_SCORER) --warehouse .eval/$(1)/warehouse/news.duckdb --gold $(3) | grep -E '$(4)'
endef

eval: setup
	$(call eval_set,seeds,$(CURDIR)/seeds,$(EVAL_SHARED)/gold-dev,.)
	$(call eval_set,press,$(EVAL_SHARED)/press,$(EVAL_SHARED)/gold-press,.)
	$(call eval_set,dev,$(CURDIR)/eval/dev/articles,$(CURDIR)/eval/dev/gold,timex|reference)
	$(call eval_set,test,$(CURDIR)/eval/test/articles,$(CURDIR)/eval/test/gold,timex|reference)

lint: setup
	$(CURDIR)/.venv/bin/ruff check pipeline assets tests bench

clean:
	rm -rf .dagster_home warehouse .eval

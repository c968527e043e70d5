# The commands a developer runs are the commands CI runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck bench eval train train-coach install dev clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.dev-installed: $(BIN)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(BIN)/.installed
dev: $(BIN)/.dev-installed

## run: install, load the demo workspace and serve the API on http://$(HOST):$(PORT)
run: $(BIN)/.installed
	$(BIN)/dealscout demo
	@echo "API: http://$(HOST):$(PORT)  docs: http://$(HOST):$(PORT)/docs  (use a token above)"
	@echo "CLI on the demo: . $(VENV)/bin/activate && export DEALSCOUT_WORKSPACE=demo"
	$(BIN)/dealscout serve --host $(HOST) --port $(PORT)

## test: install the dev extras and run the whole test suite
test: $(BIN)/.dev-installed
	$(BIN)/pytest

lint: $(BIN)/.dev-installed
	$(BIN)/ruff check dealscout tests bench

typecheck: $(BIN)/.dev-installed
	$(BIN)/mypy

bench: $(BIN)/.dev-installed
	$(BIN)/python -m bench.run

eval: $(BIN)/.installed
	$(BIN)/dealscout eval coach ../shared/eval/coach_dev.jsonl
	$(BIN)/dealscout eval classify ../shared/eval/signals_dev.jsonl

## train: rebuild the signal model from data/signals/ (same data → byte-identical file)
train: $(BIN)/.installed
	$(BIN)/dealscout train classify

## train-coach: rebuild data/coach/units.jsonl and the coach's semantic model (same data, same file)
train-coach: $(BIN)/.installed
	$(BIN)/python data/coach/build.py
	$(BIN)/dealscout train coach

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

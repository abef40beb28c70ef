# The two commands: `make demo` and `make test`. Both need only Python >= 3.11 and PyPI.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

## Install coldflow into .venv and run the demo (sandbox, no services needed).
demo: $(VENV)/.installed
	$(BIN)/coldflow demo

## Lint, then the whole suite on SQLite, then again on PostgreSQL + Redis.
test: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -m "not services"
	$(BIN)/python scripts/services_pass.py

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

format: $(VENV)/.test-installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) coldflow-demo .pytest_cache .ruff_cache

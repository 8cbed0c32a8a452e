# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up they call.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false

.PHONY: setup db-upgrade run sandbox test test-unit test-e2e lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# Migrate DATABASE_URL (default: the embedded SQLite file var/o365portal.db) to the newest schema.
db-upgrade: setup
	$(BIN)/python -m o365portal.db upgrade

run: setup db-upgrade
	$(BIN)/python -m o365portal.sandbox --port 8443 --data-dir var/sandbox

sandbox: run

test: setup db-upgrade
	$(BIN)/python -m pytest -q tests/unit tests/integration

lint: setup
	$(BIN)/ruff check o365portal tests
	$(BIN)/ruff format --check o365portal tests

clean:
	rm -rf $(VENV) var .web .pytest_cache

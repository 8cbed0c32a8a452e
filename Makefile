# The two commands a newcomer needs: `make run` and `make test`. Everything else is set-up they call.
SHELL := /bin/bash
PY ?= python3.11
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
export PATH := $(BIN):$(PATH)
export REFLEX_USE_NPM := 1
export REFLEX_TELEMETRY_ENABLED := false
PYTEST := $(BIN)/python -m pytest -q -p no:playwright
# Branch coverage of the pure rules in domain/ stays at 100 % (the run fails below it).
DOMAIN_COVERAGE := --cov=o365portal.domain --cov-branch --cov-fail-under=100 \
	--cov-report=term-missing:skip-covered

.PHONY: setup services browser db-upgrade run sandbox test check test-unit test-services \
	test-integration test-e2e test-e2e-production test-smoke screenshots bench clean

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

setup: $(VENV)/.installed

# PostgreSQL and Redis for the production-path tests (started if installed but not running).
services:
	bash scripts/ensure_postgres.sh
	bash scripts/ensure_redis.sh

# Debian's Chromium for the browser tests (Playwright cannot download browsers here), with fonts
# for emoji and accented names, so screenshots show what users see.
BROWSER_PACKAGES := chromium fonts-noto-color-emoji fonts-dejavu-core
browser:
	dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || \
		(apt-get update -qq && apt-get install -y -qq $(BROWSER_PACKAGES))

# Migrate DATABASE_URL (default: the embedded SQLite file $PORTAL_DATA_DIR/o365portal.db, var/ unless
# set) to the newest schema.
db-upgrade: setup
	$(BIN)/python -m o365portal.db upgrade

# The portal on the embedded default: SQLite + the Partner Center sandbox + demo data, port 3000.
# PORTAL_DATA_DIR (default var/), PORTAL_PORT and SANDBOX_PORT move it (docs/configuration.md).
run: setup db-upgrade
	$(BIN)/python -m o365portal.embedded

# Only the Partner Center sandbox, on https://localhost:8443 (details in var/sandbox/sandbox.json).
sandbox: setup
	$(BIN)/python -m o365portal.sandbox --port $${SANDBOX_PORT:-8443} \
		--data-dir $${PORTAL_DATA_DIR:-var}/sandbox

# The service tests run on both databases here (SERVICES_DATABASES, see tests/services/conftest.py).
test: setup services browser check
	SERVICES_DATABASES="sqlite postgres" $(PYTEST) tests/unit tests/services tests/integration \
		$(DOMAIN_COVERAGE)
	$(PYTEST) tests/e2e
	E2E_STACK=production $(PYTEST) tests/e2e -m production_path
	$(PYTEST) tests/smoke

test-unit: setup
	$(PYTEST) tests/unit $(DOMAIN_COVERAGE)

# The services against an in-process Partner Center on SQLite in RAM: no server, seconds.
test-services: setup
	$(PYTEST) tests/services

# The database on both backends, the client and services over HTTPS with MSAL, and the
# service tests again on PostgreSQL.
test-integration: setup services
	SERVICES_DATABASES=postgres $(PYTEST) tests/integration tests/services

test-e2e: setup browser
	$(PYTEST) tests/e2e

test-e2e-production: setup services browser
	E2E_STACK=production $(PYTEST) tests/e2e -m production_path

# The README's `make run` on a fresh data folder and free ports, walked in Chromium, then Ctrl+C.
test-smoke: setup browser
	$(PYTEST) tests/smoke

# Screenshots of every page at desktop and phone size (needs `make run` in another terminal).
screenshots: setup browser
	$(BIN)/python scripts/screenshots.py http://localhost:$${PORTAL_PORT:-3000} screenshots

# Benchmarks at realistic sizes next to a one-counter Reflex app built in the same run
# (docs/performance.md); BENCH_ARGS passes options, e.g. BENCH_ARGS="--stack production".
bench: setup services browser
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# Static checks, part of `make test`: ruff lint + format, mypy (strict on domain/ and partner_center/).
check: setup
	$(BIN)/ruff check o365portal tests scripts benchmarks rxconfig.py
	$(BIN)/ruff format --check o365portal tests scripts benchmarks rxconfig.py
	$(BIN)/mypy o365portal benchmarks

clean:
	rm -rf $(VENV) var .web .pytest_cache

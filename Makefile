# The two commands of the README, plus the setup step they share.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo sandbox test lint setup stack-up stack-down

# Setup: the .venv at the repo root, reinstalled when pyproject.toml changes.
$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

# 1st command: the embedded default, live: stack + twins + streams + sinks + simulator (Ctrl-C stops).
demo: $(STAMP)
	$(BIN)/prestasync demo

# The stack and the twins with sample data, without the workers (for poking at the APIs).
sandbox: $(STAMP)
	$(BIN)/prestasync stack up
	$(BIN)/prestasync sandbox up
	$(BIN)/prestasync sandbox load-sample
	$(BIN)/prestasync stack status
	$(BIN)/prestasync sandbox status

# 2nd command: lint, types, schema compatibility, unit and integration tests on the real stack.
test: $(STAMP)
	$(BIN)/prestasync stack up
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kernel prestasync streams sinks schemas sandbox
	$(BIN)/python -m schemas.compat
	@command -v phpunit >/dev/null || { echo "installing Debian's php-cli and phpunit (the PrestaShop module's tests)"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q php-cli phpunit; }
	phpunit -c modules/prestasyncstorestock/phpunit.xml
	PRESTASYNC_REQUIRE_STACK=1 $(BIN)/pytest -m "unit or integration" --durations=30 tests

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy kernel prestasync streams sinks schemas sandbox

stack-down: $(STAMP)
	$(BIN)/prestasync stack down

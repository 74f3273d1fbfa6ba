# pulumi-dataplatforms: `make up` deploys the quickstart against the emulator; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE ?= quickstart

.PHONY: install up down test lint schema schema-check bench emulator clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

.stamp-install: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

install: .stamp-install

up: install
	scripts/emulator.sh start
	scripts/deploy.sh up $(EXAMPLE)

down: install
	scripts/deploy.sh down $(EXAMPLE)
	scripts/emulator.sh stop

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

schema: install
	$(BIN)/python -m pulumi_dataplatforms_provider.generate

schema-check: install
	$(BIN)/python -m pulumi_dataplatforms_provider.generate --check

bench: install
	$(BIN)/python -m benchmarks

emulator: install
	$(BIN)/dataplatforms-emulator serve

clean:
	scripts/emulator.sh stop 2>/dev/null || true
	rm -rf .dataplatforms .pulumi .stamp-install .pytest_cache .mypy_cache .ruff_cache

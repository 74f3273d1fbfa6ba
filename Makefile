# pulumi-dataplatforms: `make up` deploys the quickstart against the emulator; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EXAMPLE ?= quickstart

.PHONY: install pulumi up down test lint schema schema-check sdks bench emulator clean mutation

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

.stamp-install: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev,emulator]"
	touch $@

install: .stamp-install

# A Pulumi CLI: on PATH, cached in .pulumi/bin, from the official installer, or built from Go modules.
# Its path goes to .pulumi/cli-path; without one, `make up` fails saying how to get one, and the
# real-CLI tests skip (under CI=true they fail). Then the YAML language host, next to it in
# .pulumi/bin (scripts/pulumi-yaml.sh); without one the CLI still works, and the YAML program tests
# fail where a Go toolchain could have built it. Last, the codegen-only language host that
# `pulumi package gen-sdk` uses for Python and Node.js (`make sdks`), into .pulumi/codegen
# (scripts/codegen-host.sh).
pulumi:
	@scripts/pulumi.sh || echo "pulumi: none could be had; make up needs one, the real-CLI tests skip"
	@scripts/pulumi-yaml.sh || echo "pulumi-language-yaml: none could be had; the YAML program tests fail where Go is (skip elsewhere)"
	@scripts/codegen-host.sh || echo "codegen host: none could be built; make sdks and tests/test_gen_sdk.py need it"

up: install pulumi
	scripts/emulator.sh start
	scripts/deploy.sh up $(EXAMPLE)

down: install pulumi
	scripts/deploy.sh down $(EXAMPLE)
	scripts/emulator.sh stop

test: install pulumi
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/mypy --strict scripts/cli_stack.py scripts/gen_sdks.py

schema: install
	$(BIN)/python -m pulumi_dataplatforms_provider.generate

schema-check: install
	$(BIN)/python -m pulumi_dataplatforms_provider.generate --check

# The SDKs of schema.json (sdks/python, sdks/nodejs), with the real `pulumi package gen-sdk`.
sdks: install pulumi
	$(BIN)/python -m scripts.gen_sdks

bench: install pulumi
	$(BIN)/python -m benchmarks

emulator: install
	$(BIN)/dataplatforms-emulator serve

# Mutation testing in a copy of the tree (.mutation/); not part of CI. Options via MUTATION_ARGS,
# e.g. make mutation MUTATION_ARGS="--planted" or MUTATION_ARGS="--target core --sample 50 --seed 1".
mutation: install
	$(BIN)/python scripts/mutation.py $(MUTATION_ARGS)

clean:
	scripts/emulator.sh stop 2>/dev/null || true
	rm -rf .dataplatforms .node .pulumi/cli-path .pulumi/bin .pulumi/codegen .stamp-install .pytest_cache .mypy_cache .ruff_cache

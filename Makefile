# The two commands a newcomer needs: `make run` and `make test`. Everything installs from PyPI.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test gen gen-check lint fmt install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## make run: start embedded PostgreSQL, the gRPC workers and Envoy; prints where they listen.
run: $(STAMP)
	$(BIN)/drop serve

## make test: lint, generated-code freshness, then every test.
test: $(STAMP) lint gen-check
	$(BIN)/pytest

## make gen: regenerate gen/ (Python stubs + .pyi, Envoy descriptor set) from proto/.
gen: $(STAMP)
	$(BIN)/python scripts/gen.py gen

## gen-check: fails when gen/ is not what `make gen` would write.
gen-check: $(STAMP)
	$(BIN)/python scripts/gen.py check

lint: $(STAMP)
	$(BIN)/buf lint
	$(BIN)/buf format -d --exit-code
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/buf format -w
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) .drop

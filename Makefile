# The two commands a newcomer needs: `make run` and `make test`. Everything installs from PyPI.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

NODE_MODULES := clients/typescript/node_modules/.package-lock.json

BASELINE := gen/baseline/drop.binpb

.PHONY: run test gen gen-check lint fmt install clean baseline browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The TypeScript client's toolchain (protoc-gen-es, tsc) from the npm registry, as locked.
$(NODE_MODULES): clients/typescript/package.json clients/typescript/package-lock.json
	cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error

install: $(STAMP) $(NODE_MODULES)

## browser: Debian's Chromium for the browser test of the TypeScript client. CI runs as root
## and installs it; elsewhere install it yourself (the test is skipped without it, outside CI).
browser:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not found: sudo apt-get install chromium (browser test skipped outside CI)"; fi

## make run: start embedded PostgreSQL, the gRPC workers and Envoy; prints where they listen.
run: $(STAMP)
	$(BIN)/drop serve

## make test: lint, generated-code freshness, then every test (the TypeScript client's too).
test: $(STAMP) $(NODE_MODULES) browser lint gen-check
	$(BIN)/pytest

## make gen: regenerate gen/ (Python stubs + .pyi, Envoy descriptor set, OpenAPI) and the
## TypeScript client's clients/typescript/src/gen/ from proto/.
gen: $(STAMP) $(NODE_MODULES)
	$(BIN)/python scripts/gen.py gen

## gen-check: fails when gen/ is not what `make gen` would write.
gen-check: $(STAMP) $(NODE_MODULES)
	$(BIN)/python scripts/gen.py check

lint: $(STAMP)
	$(BIN)/buf lint
	$(BIN)/buf format -d --exit-code
	$(BIN)/buf breaking --against $(BASELINE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: $(STAMP)
	$(BIN)/buf format -w
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make baseline: record the current protos as the released contract that `buf breaking`
## guards. Only for a deliberate, documented version bump (see README).
baseline: $(STAMP)
	$(BIN)/buf build -o $(BASELINE)

clean:
	rm -rf $(VENV) .drop clients/typescript/node_modules clients/typescript/dist

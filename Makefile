# The two commands a newcomer needs: `make run` and `make test`. Everything installs from PyPI.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

NODE_MODULES := clients/typescript/node_modules/.package-lock.json

BASELINE := gen/baseline/drop.binpb

.PHONY: run test gen gen-check lint fmt install clean baseline toolchains bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The TypeScript client's toolchain (protoc-gen-es, tsc) from the npm registry, as locked.
$(NODE_MODULES): clients/typescript/package.json clients/typescript/package-lock.json
	cd clients/typescript && npm ci --no-audit --no-fund --loglevel=error

install: $(STAMP) $(NODE_MODULES)

## toolchains: what the client tests need beyond Python and Node, from Debian's packages:
## Chromium (the TypeScript client in a browser) and Go with protoc-gen-go, protoc-gen-go-grpc
## and gRPC's Go sources (the README's Go recipe, compiled offline). CI runs as root and gets
## them here; elsewhere install them yourself (those tests are skipped without them, outside CI).
DEBIAN_TOOLCHAINS := chromium golang-go protoc-gen-go protoc-gen-go-grpc golang-google-grpc-dev \
  golang-google-genproto-dev golang-github-golang-protobuf-1-5-dev

toolchains:
	@missing=$$(for p in $(DEBIAN_TOOLCHAINS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "not installed (client tests skipped outside CI): sudo apt-get install" $$missing; fi

## make run: start embedded PostgreSQL, the gRPC workers and Envoy; prints where they listen.
## Local webhook receivers are allowed here (the walk-through's); production refuses them.
run: $(STAMP)
	@dev=true; [ "$${DROP_ENV:-}" = production ] && dev=false; \
	DROP_WEBHOOK_ALLOW_PRIVATE=$${DROP_WEBHOOK_ALLOW_PRIVATE:-$$dev} exec $(BIN)/drop serve

## make test: lint, generated-code freshness, then every test (the TypeScript client's too).
test: $(STAMP) $(NODE_MODULES) toolchains lint gen-check
	$(BIN)/pytest

## make gen: regenerate gen/ (Python stubs + .pyi, Envoy descriptor set, OpenAPI) and the
## TypeScript client's clients/typescript/src/gen/ from proto/.
gen: $(STAMP) $(NODE_MODULES)
	$(BIN)/python scripts/gen.py gen

## gen-check: fails when gen/ is not what `make gen` would write.
gen-check: $(STAMP) $(NODE_MODULES)
	$(BIN)/python scripts/gen.py check

## make bench: Drop against its peers and limits (bench/run.py; results in bench/RESULTS.md).
## Installs what it needs: the `bench` extra (FastAPI, uvicorn) and Debian's h2load. A few minutes.
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	command -v h2load >/dev/null || (apt-get update -qq && apt-get install -y -qq nghttp2-client)
	$(BIN)/python -u -m bench.run $(BENCH_ARGS)

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

# The two commands of the README. Both install missing system packages first.
.PHONY: serve test deps playground

BIN := $(or $(CARGO_TARGET_DIR),target)/release/govgraph

# Run the server on ./data with the seed loaded (http://127.0.0.1:8080).
serve: deps
	cargo run --release -- serve

# Run the whole test suite: unit and integration tests (in the release profile the server uses
# too, so RocksDB is compiled once), then the playground in headless Chromium against the
# bundle embedded in the binary.
test: deps
	cargo test --release
	cd playground && npm ci --no-audit --no-fund --loglevel=error && GOVGRAPH_BIN=$(abspath $(BIN)) npm test

# Rebuild the playground bundle (playground/dist/, committed and embedded in the binary).
playground:
	cd playground && npm ci --no-audit --no-fund --loglevel=error && npm run build

deps:
	@scripts/install-deps

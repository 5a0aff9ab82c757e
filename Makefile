# The two commands of the README. Each installs what it needs first (scripts/install-deps):
# serving, only the build's system packages; testing, the test tools too.
.PHONY: serve test deps deps-serve playground fuzz

BIN := $(or $(CARGO_TARGET_DIR),target)/release/govgraph
# The test tools scripts/install-deps puts there (a Python virtual environment's commands, and
# Node.js 20 where the system's is older) come first on PATH, before the system's.
export GOVGRAPH_TOOLS ?= $(HOME)/.cache/govgraph-tools
export PATH := $(GOVGRAPH_TOOLS)/bin:$(PATH)

# Run the server on ./data with the seed loaded (http://127.0.0.1:8080).
serve: deps-serve
	cargo run --release -- serve

# Run the whole test suite: unit and integration tests (in the release profile the server uses
# too, so RocksDB is compiled once), the GraphQL and linked-data suites and the documentation's
# GraphQL and SPARQL examples again against a replica over an Oxigraph server, then the
# playground in headless Chromium against the embedded bundle.
test: deps
	cargo test --release
	GOVGRAPH_IT_STORE=oxigraph cargo test --release --test it -- graphql:: linked:: protocol:: graph_store:: docs::graphql docs::sparql
	cd playground && npm ci --no-audit --no-fund --loglevel=error && GOVGRAPH_BIN=$(abspath $(BIN)) npm test

# Rebuild the playground bundle (playground/dist/, committed and embedded in the binary).
playground: deps
	cd playground && npm ci --no-audit --no-fund --loglevel=error && npm run build

# Run each fuzz target for FUZZ_SECONDS (default 20). cargo-fuzz wants nightly's -Z flags:
# RUSTC_BOOTSTRAP lets the stable toolchain accept them. Built without RocksDB, into its own
# target directory (fuzzing builds every crate with other flags).
FUZZ_SECONDS ?= 20
FUZZ_TARGET_DIR := $(HOME)/.cache/govgraph-fuzz-target
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked --version 0.13.2
	cd fuzz && for target in resolve_ref import_csv sparql_query sparql_update rdf_upload; do \
	  mkdir -p corpus/$$target && \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run -O --target-dir $(FUZZ_TARGET_DIR) $$target corpus/$$target seeds/$$target \
	    -- -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 || exit 1; \
	done

deps:
	@scripts/install-deps test

deps-serve:
	@scripts/install-deps serve

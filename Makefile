# The two commands of the README. Both install missing system packages first.
.PHONY: serve test deps

# Run the server on ./data with the seed loaded (http://127.0.0.1:8080).
serve: deps
	cargo run --release -- serve

# Run the whole test suite (unit and integration tests, in the release profile that the server
# uses too, so RocksDB is compiled once).
test: deps
	cargo test --release

deps:
	@scripts/install-deps

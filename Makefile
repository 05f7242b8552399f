# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_STORE ?= .demo-store
# The demo store is fictional; its passphrase is printed in README.md.
DEMO_PASSPHRASE ?= demo-only-not-a-secret

.PHONY: run test test-slow lint setup bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	@if [ ! -f $(DEMO_STORE)/key.json ]; then \
		echo "Creating a demo store in $(DEMO_STORE) (fictional young people)..."; \
		PATHWAY_DESK_PASSPHRASE='$(DEMO_PASSPHRASE)' $(BIN)/pathway-desk demo --store $(DEMO_STORE) --young-people 200 --seed 7; \
	fi
	$(BIN)/pathway-desk --store $(DEMO_STORE)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: $(STAMP) lint
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

test-slow: $(STAMP)  # the sync property tests over thousands of schedules (hours)
	PATHWAY_SLOW=1 $(BIN)/python -m pytest tests/models/test_merge_property.py \
		tests/sync/test_merge_fold.py tests/sync/test_sync_property.py

bench: $(STAMP)  # bench_gui needs a store: see its docstring
	$(BIN)/python -m bench.bench_store
	$(BIN)/python -m bench.bench_blobs
	$(BIN)/python -m bench.bench_printing
	$(BIN)/python -m bench.bench_writes
	$(BIN)/python -m bench.bench_sync_apply
	$(BIN)/python -m bench.bench_sync_first
	$(BIN)/python -m bench.bench_sync_incremental
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench.bench_caseload_filter
	$(BIN)/python -m bench.bench_dashboard

clean:
	rm -rf $(VENV) $(DEMO_STORE) .pytest_cache .ruff_cache

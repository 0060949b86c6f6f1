# Two commands on a fresh machine with only python3: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test browser lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test,bench]"

# Debian's Chromium for the browser tests (Playwright never downloads a browser here).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "install Debian's chromium (sudo apt-get install chromium) for the browser tests"; fi; fi

demo: install
	$(BIN)/claimgraph build --out graph
	@echo
	@echo "Open graph/graph.html (the graph) or graph/audit.html (the conflicts) in a browser; the tables are graph/claims.csv and graph/conflicts.csv."
	@echo "Try: $(BIN)/claimgraph query graph @conflicts-with-sources"

test: install-test browser
	$(BIN)/python -m pytest -q

lint: install-test
	$(BIN)/ruff check src tests

bench: install-test
	$(BIN)/python tests/benchmarks/extraction.py

# Build, query and reconciliation at 10^3-10^6 (hours; one heavy step at a time; not part of make test).
bench-scale: install-test
	$(BIN)/python tests/benchmarks/scale.py

clean:
	rm -rf $(VENV) build dist .pytest_cache tests/artifacts

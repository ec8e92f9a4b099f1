# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    := out
REPORTS := examples/reports

.PHONY: demo test lint typecheck install chromium clean bench

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's chromium for the browser tests; skipped quietly where apt is not available.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && apt-get install -y -qq chromium) >/dev/null 2>&1 \
	      || echo "chromium could not be installed: browser tests will skip"; \
	  else echo "chromium not installed and cannot install it here: browser tests will skip"; fi; }

demo: $(STAMP)
	mkdir -p $(OUT)
	$(BIN)/clasgraph build $(REPORTS) -o $(OUT)/demo.trig --store $(OUT)/store
	$(BIN)/clasgraph stats $(OUT)/demo.trig
	$(BIN)/clasgraph query $(OUT)/store who-commissions-what --limit 15
	$(BIN)/clasgraph gaps $(OUT)/store --limit 8
	$(BIN)/clasgraph render $(OUT)/store --view commissioning -o $(OUT)/commissioning.html
	@echo "graph: $(OUT)/demo.trig   store: $(OUT)/store   view: $(OUT)/commissioning.html"

lint: $(STAMP)
	$(BIN)/ruff check .

# mypy needs the package layout the wheel has: mirror it with symlinks.
typecheck: $(STAMP)
	rm -rf .mypy-src && mkdir -p .mypy-src/clasgraph
	cp clasgraph/__init__.py .mypy-src/clasgraph/__init__.py
	ln -s ../../build .mypy-src/clasgraph/build
	ln -s ../../graph .mypy-src/clasgraph/graph
	ln -s ../../cli.py .mypy-src/clasgraph/cli.py
	cd .mypy-src && ../$(BIN)/mypy --config-file ../pyproject.toml -p clasgraph

test: $(STAMP) chromium lint typecheck
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(OUT) dist .mypy-src .pytest_cache .mypy_cache .ruff_cache

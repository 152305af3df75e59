# Two commands do everything on a fresh Debian machine with Python 3.11:
#   make serve   set up, build the edition from seeds/, serve it on 127.0.0.1:8000
#   make test    set up (browser included), then run every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: setup build serve site test test-fast browser-deps benchmark goldens clean

$(STAMP): pyproject.toml scripts/bootstrap.sh
	PYTHON=$(PYTHON) bash scripts/bootstrap.sh $(VENV)
	touch $(STAMP)

setup: $(STAMP)

build: setup
	$(BIN)/build-edition build

serve: setup
	@echo "Serving the edition at http://127.0.0.1:8000/telegram-edition/ (Ctrl-C to stop)"
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

site: setup
	$(BIN)/mkdocs build --strict

browser-deps: setup
	bash scripts/install-browser.sh

test: setup browser-deps
	$(BIN)/python -m pytest

test-fast: setup
	$(BIN)/python -m pytest -m "not browser"

goldens: setup
	$(BIN)/python -m pytest tests/test_goldens.py --update-goldens

# make benchmark N=2000 BENCHMARK_ARGS="--repeat 3 --json out.json"
N ?= 10000
BENCHMARK_ARGS ?=
benchmark: setup
	$(BIN)/python benchmarks/bench_build.py $(N) $(BENCHMARK_ARGS)

clean:
	rm -rf site .pytest_cache test-artifacts

# The two commands a newcomer needs: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint audit bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("consult needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,semantic]"
	@touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/consult demo --if-empty
	$(BIN)/python -m consult.app.serve streamlit_app.py --server.port $(PORT)

# fast tests in parallel, then the browser journeys one at a time (they time real interactions)
test: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -m "not e2e"
	$(BIN)/python -m pytest -m e2e

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .

# supply chain: bandit on our code, pip-audit on what is installed (.ci/audit.py explains the rules)
audit: $(VENV)/.installed-dev
	$(BIN)/python .ci/audit.py

bench: $(VENV)/.installed-dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache

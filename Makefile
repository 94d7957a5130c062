# Two entry points a fresh machine needs: `make run` and `make test`.
# Another interpreter gets its own venv: make test PYTHON=python3.13 VENV=.venv-3.13
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint setup clean

# The classifier's hot modules are compiled in place by the install (setup.py), so a change
# under bot/classify reinstalls; NEWSBOT_COMPILE=0 installs them as plain Python.
$(STAMP): pyproject.toml setup.py $(wildcard bot/classify/*.py)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/newsbot run

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	MYPY_CACHE_DIR=$(VENV)/.mypy_cache $(BIN)/mypy

# The PostgreSQL half of the suite runs beside a throwaway cluster (.ci/with-postgres) when
# PostgreSQL is installed, or can be (root with apt-get); otherwise it is reported as skipped.
test: lint
	@if [ -z "$$NEWSBOT_TEST_POSTGRES_URL" ] && { ls /usr/lib/postgresql/*/bin/initdb \
	    >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; }; }; then \
	    .ci/with-postgres $(BIN)/pytest -q; \
	else \
	    $(BIN)/pytest -q; \
	fi

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache build bot/*.so bot/classify/*.so

# sagsfremstilling: two commands on a fresh Debian/Ubuntu machine with Python >= 3.11:
#   make build   creates .venv, installs the pinned dependencies, builds every meeting into build/
#   make test    runs the whole test suite
# Every target is idempotent: a second run does no installing (stamp files in .venv).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check --quiet
SF     := $(BIN)/sagsfremstilling
JOBS   ?=
MOEDE  ?=
PYTEST_ARGS ?= -q -n auto

.PHONY: setup check build packet test bench schema clean distclean lock

setup: $(VENV)/.installed

$(VENV)/.python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "Der kræves Python 3.11 eller nyere ($(PYTHON) er $$($(PYTHON) --version 2>&1))." >&2; exit 1; }
	@$(PYTHON) -c 'import ensurepip, venv' 2>/dev/null || \
	  { echo "Python mangler venv; installér den: sudo apt-get install python3-venv" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	@touch $@

$(VENV)/.installed: $(VENV)/.python requirements.lock pyproject.toml
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(PIP) install -r requirements-test.lock
	@touch $@

check: setup
	$(SF) check

build: setup
	$(SF) build $(if $(JOBS),-j $(JOBS))

packet: setup
	@test -n "$(MOEDE)" || { echo "Angiv mødet: make packet MOEDE=kb-2022-11-15" >&2; exit 2; }
	$(SF) build $(MOEDE) $(if $(JOBS),-j $(JOBS))

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m sagsfremstilling.bench

schema: setup
	$(SF) schema sag -o schemas/sag.schema.json
	$(SF) schema moede -o schemas/moede.schema.json

clean:
	rm -rf build .pytest_cache .hypothesis .mypy_cache .ruff_cache
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) src/*.egg-info

# Re-resolve the newest versions and pin them: runtime in requirements.lock,
# the test suite's extra in requirements-test.lock.
lock:
	rm -rf .venv-lock && $(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet setuptools -e . && \
	  { echo "# Exact pins of what the tool needs at run time, for 'make setup'."; \
	    echo "# Regenerate with 'make lock'."; \
	    .venv-lock/bin/pip freeze --all --exclude-editable | grep -v '^pip=='; } > requirements.lock
	.venv-lock/bin/pip install --quiet -e '.[test]' && \
	  { echo "# Exact pins of what the test suite needs on top of requirements.lock, for 'make test'."; \
	    echo "-r requirements.lock"; \
	    .venv-lock/bin/pip freeze --exclude-editable | grep -vxF -f requirements.lock; } > requirements-test.lock
	rm -rf .venv-lock

# Palimpsest: two commands, `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The database: DB=... (command line or environment), else $PALIMPSEST_DB, else the default.
DB ?= $(or $(PALIMPSEST_DB),$(HOME)/.palimpsest/workbench.db)
PORT ?= 8501

.PHONY: run test install lint bench demo clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## Open the workbench on $(DB), port $(PORT) (demo project loaded on first start).
run: $(STAMP)
	$(BIN)/palimpsest run --db "$(DB)" --port $(PORT)

## Run the whole test suite (browser tests included when Chromium is installed).
test: $(STAMP)
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

## Print the benchmark tables (speed and quality; needs ../shared/corpora for quality).
bench: $(STAMP)
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis *.egg-info

# Two commands on a fresh machine: `make demo` and `make test`. Both set up .venv themselves.
# `make lint` runs the checks CI runs before the tests (ruff, mypy; configured in pyproject.toml).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint imports template addin bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/delar-xl demo --ut demo

test: $(STAMP)
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check delar_xl tests tools benchmarks workbook
	$(BIN)/ruff format --check delar_xl tests tools benchmarks workbook
	$(BIN)/mypy

imports:
	$(PYTHON) tools/imports.py

template: $(STAMP)
	$(BIN)/python -m delar_xl.template.write templates

addin: $(STAMP)
	$(BIN)/python workbook/build.py

docs: $(STAMP)
	UPDATE_DOCS=1 $(BIN)/python -m pytest -q tests/test_docs.py

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) demo

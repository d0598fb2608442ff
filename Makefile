# Two commands on a fresh machine: `make demo` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test template addin bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/delar-xl demo --ut demo

test: $(STAMP)
	$(BIN)/python -m pytest

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

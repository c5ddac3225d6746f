# Two commands for a new user: `make reports` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := forecastkit

.PHONY: reports test lab validate export venv kernel clean bench browser

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (forecastkit)" >/dev/null
	touch $(STAMP)

venv: $(STAMP)

kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (forecastkit)"

validate: $(STAMP)
	$(BIN)/forecastkit validate claims

export: $(STAMP)
	$(BIN)/forecastkit export claims --format csv --output reports/claims.csv

reports: validate export
	$(BIN)/forecastkit report claims --output reports

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks

bench: $(STAMP)
	$(BIN)/python bench/load_bench.py

clean:
	rm -rf $(VENV) build src/*.egg-info

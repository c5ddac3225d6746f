# Two commands for a new user: `make reports` and `make test`. Everything else is set up here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KERNEL := forecastkit

.PHONY: reports test lab validate export venv kernel clean bench browser strip-outputs

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (forecastkit)" >/dev/null
	$(MAKE) --no-print-directory strip-outputs
	touch $(STAMP)

# Notebook outputs never reach git: nbstripout as a git filter (.gitattributes is committed; the
# filter itself lives in .git/config). Cell ids and everything but outputs, execution counts and
# papermill's metadata are kept.
strip-outputs:
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  $(BIN)/nbstripout --install --attributes .gitattributes && \
	  git config filter.nbstripout.clean '"$(abspath $(BIN))/python" -m nbstripout --keep-id --extra-keys "metadata.papermill cell.metadata.papermill"'; \
	else echo "not a git checkout: nbstripout filter not installed"; fi

venv: $(STAMP)

kernel: $(STAMP)
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (forecastkit)"

validate: $(STAMP)
	$(BIN)/forecastkit validate claims

export: $(STAMP)
	$(BIN)/forecastkit export claims --format csv --output reports/claims.csv

reports: validate export
	$(BIN)/forecastkit report claims --output reports

# Headless Chromium for the browser test of the HTML reports (Debian's package). Where it cannot
# be installed (no root, no apt), tests/test_browser.py skips and says why.
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; } \
	  || echo "chromium could not be installed: tests/test_browser.py will be skipped"

# Lint first (seconds), then the whole suite.
test: $(STAMP) browser
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/python -m pytest

# JupyterLab at the project root (claims/, reports/ and notebooks/ all browsable) on the
# explorer; --allow-root when run as root. Extra options: make lab LAB_ARGS="--port 8899 --no-browser"
LAB_ARGS ?=
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS) notebooks/explore.ipynb

bench: $(STAMP)
	$(BIN)/python bench/load_bench.py
	$(BIN)/python bench/score_bench.py
	$(BIN)/python bench/import_bench.py
	$(BIN)/python bench/report_bench.py --sample 10
	$(BIN)/python bench/corpus_bench.py --repeat 1

clean:
	rm -rf $(VENV) build src/*.egg-info

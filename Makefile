# The two commands: `make book` builds the HTML and the PDF; `make test` runs every test.
# Both set up what they need first (a .venv from requirements.txt, Debian packages as root)
# and skip what is already there.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
# JupyterLab's server has its own venv: its packages slow `import altair` in every kernel
# (rfc3987-syntax builds a grammar on import). It runs the `shizhong` kernel from .venv.
LAB_VENV := .venv-lab
LAB_STAMP := $(LAB_VENV)/.installed
# cffconvert pins jsonschema<4 (the book needs 4.x), so it has a small venv of its own.
CFF_VENV := .venv-cff
CFF_STAMP := $(CFF_VENV)/.installed
JB := $(BIN)/jupyter-book
PDF := _build/pdf/shizhong-2019.pdf
PDF_ZH := _build/pdf/shizhong-2019.zh.pdf
# The Chinese edition: the same notebooks, built with _config.zh.yml and _toc.zh.yml in a tree
# of its own (Jupyter Book always writes <path-output>/_build/html), then copied to html/zh.
ZH_TREE := _build/zh-tree
JB_FLAGS := --warningiserror --nitpick --keep-going --quiet

# Debian packages: the browser for the tests, CJK fonts, TeX for the PDF, poppler to check it.
DEB_BROWSER := chromium fonts-noto-cjk
DEB_PDF := texlive-xetex latexmk texlive-lang-chinese texlive-latex-extra fonts-noto-cjk poppler-utils

# The site's address, the one setting absolute URLs derive from (citation_pdf_url, JSON-LD):
# `make html SITE_URL=https://example.org/shizhong/`. Unset, pages link relatively.
SITE_URL ?=
export SHIZHONG_SITE_URL := $(SITE_URL)

# Reproducible PDFs and archive: every timestamp comes from the last commit.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1577836800)
export FORCE_SOURCE_DATE := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: help
help:  ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# --- set-up ----------------------------------------------------------------------------

$(STAMP): requirements.txt pyproject.toml
	python3 -c "import ensurepip" 2>/dev/null || tools/ensure-debian-packages.sh python3-venv
	test -x $(PY) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install -q --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name shizhong --display-name "Python (shizhong)" >/dev/null
	touch $@

# tools/lab/: Lab's settings and server config (no update checks, news or extension index).
$(LAB_STAMP): requirements-lab.txt tools/lab/overrides.json tools/lab/jupyter_server_config.json
	python3 -c "import ensurepip" 2>/dev/null || tools/ensure-debian-packages.sh python3-venv
	test -x $(LAB_VENV)/bin/python || python3 -m venv $(LAB_VENV)
	$(LAB_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-lab.txt
	install -D -m 644 tools/lab/overrides.json $(LAB_VENV)/share/jupyter/lab/settings/overrides.json
	install -D -m 644 tools/lab/jupyter_server_config.json \
	  $(LAB_VENV)/etc/jupyter/jupyter_server_config.d/shizhong.json
	touch $@

$(CFF_STAMP): requirements-cff.txt
	test -x $(CFF_VENV)/bin/python || python3 -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/pip install -q --disable-pip-version-check -r requirements-cff.txt
	touch $@

.PHONY: venv lab-venv cff-venv deb-browser deb-pdf
venv: $(STAMP)  ## create .venv from the pinned requirements.txt

lab-venv: $(LAB_STAMP)  ## create .venv-lab (JupyterLab) from the pinned requirements-lab.txt

cff-venv: $(CFF_STAMP)  ## create .venv-cff (cffconvert) from the pinned requirements-cff.txt

deb-browser:
	@tools/ensure-debian-packages.sh $(DEB_BROWSER)

deb-pdf:
	@tools/ensure-debian-packages.sh $(DEB_PDF)

# --- the book --------------------------------------------------------------------------

.PHONY: book html pdf validate fresh notebooks lab lab-en lab-zh dist version
book: pdf html  ## build both PDFs, then both HTML editions (English, 中文; each links its PDF)

dist: book  ## the release archive dist/shizhong-2019-<version>.tar.gz (byte-reproducible)
	$(PY) tools/make_dist.py

version: $(STAMP)  ## copy version and date-released of CITATION.cff to the files that repeat them
	$(PY) tools/release.py

validate: $(STAMP)  ## check the dataset against its schema, the article and its relations
	$(PY) -m shizhong validate data

NOTEBOOKS := notebooks/*.ipynb notebooks/_template/*.ipynb
# The book shows stored outputs: stop (never re-execute) if a notebook's record of what it was
# executed against (data it read, shizhong code, its code cells) no longer holds.
fresh: $(STAMP)  ## stop, naming them, if notebooks were executed against other data or code
	@$(PY) tools/run_notebooks.py --check $(NOTEBOOKS)

html: $(STAMP) validate fresh  ## build both HTML editions: _build/html and _build/html/zh (warnings are errors)
	$(JB) build . --builder html $(JB_FLAGS)
	$(JB) build . --builder html $(JB_FLAGS) --config _config.zh.yml --toc _toc.zh.yml --path-output $(ZH_TREE)
	rm -rf _build/html/zh && cp -r $(ZH_TREE)/_build/html _build/html/zh

pdf: $(STAMP) deb-pdf validate fresh  ## build both PDFs in _build/pdf/ with xelatex
	$(PY) tools/build_pdf.py $(PDF)
	$(PY) tools/build_pdf.py $(PDF_ZH) --lang zh

notebooks: $(STAMP)  ## re-execute every notebook in place (in parallel), recording its inputs
	$(PY) tools/run_notebooks.py $(NOTEBOOKS)

lab: $(STAMP) $(LAB_STAMP)  ## open the notebooks in JupyterLab with the shizhong kernel
	JUPYTER_PATH=$(CURDIR)/$(VENV)/share/jupyter $(LAB_VENV)/bin/jupyter lab notebooks/ \
	  $(if $(filter 0,$(shell id -u)),--allow-root)

# One language to read: a copy of the notebooks with the other edition's cells left out.
lab-en: LAB_LANG := en
lab-zh: LAB_LANG := zh
lab-en:  ## JupyterLab on the English edition's cells only (a copy in _build/lab/en)
lab-zh:  ## JupyterLab on the 中文 edition's cells only (a copy in _build/lab/zh)
lab-en lab-zh: $(STAMP) $(LAB_STAMP)
	$(PY) tools/lab_edition.py $(LAB_LANG)
	JUPYTER_PATH=$(CURDIR)/$(VENV)/share/jupyter $(LAB_VENV)/bin/jupyter lab \
	  _build/lab/$(LAB_LANG)/notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

# --- checks ----------------------------------------------------------------------------

.PHONY: test check lint lint-workflows format bench lock lock-lab clean translations-status
# The edit loop: no build, browser, PDF or Lab. Strict nbval re-runs only the notebooks whose
# record of inputs no longer holds (outputs computed from unchanged inputs cannot differ).
check: $(STAMP)  ## the edit loop (about a minute): data, library, claims; nbval on stale notebooks
	$(PY) -m shizhong validate data
	$(PY) -m pytest -q -n 2 -p no:cacheprovider -m "not slow and not browser and not built" \
	  --deselect tests/test_fresh.py::test_every_notebook_is_fresh tests
	@stale="$$($(PY) tools/run_notebooks.py --list $(NOTEBOOKS))"; \
	if [ -z "$$stale" ]; then echo "no stale notebook: nothing for strict nbval to re-run"; else \
	  $(PY) -m pytest -q -n 2 --dist loadfile -p no:cacheprovider --nbval $$stale; \
	  echo "outputs still right, but stale: make notebooks refreshes their records"; fi

test: $(STAMP) $(LAB_STAMP) $(CFF_STAMP) deb-browser dist lint-workflows  ## run every test (builds the book and the archive first)
	$(PY) -m pytest -n 2 --dist loadfile --nbval tests notebooks  # loadfile: a notebook stays in one kernel

translations-status: $(STAMP)  ## list the Chinese cells not reviewed against their English as it is
	$(PY) -m shizhong translations status notebooks/*.ipynb

lint: $(STAMP)  ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

lint-workflows: $(STAMP)  ## actionlint and zizmor (offline) on .github/workflows
	$(BIN)/actionlint -no-color .github/workflows/*.yml
	$(BIN)/zizmor --offline --no-progress --strict-collection .github/workflows

format: $(STAMP)  ## ruff fix and format
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) deb-browser  ## time the build against its floor and a stock book; update README
	@tools/ensure-debian-packages.sh hyperfine
	$(PY) tools/bench.py

lock: $(STAMP)  ## re-resolve requirements.in into the pinned requirements.txt
	rm -rf /tmp/shizhong-lock && python3 -m venv /tmp/shizhong-lock
	/tmp/shizhong-lock/bin/pip install -q -r requirements.in
	{ echo "# Generated by \`make lock\` from requirements.in. Do not edit by hand."; \
	  /tmp/shizhong-lock/bin/pip freeze | sort -f; } > requirements.txt

lock-lab:  ## re-resolve JupyterLab and jupyterlab-myst into the pinned requirements-lab.txt
	rm -rf /tmp/shizhong-lock-lab && python3 -m venv /tmp/shizhong-lock-lab
	/tmp/shizhong-lock-lab/bin/pip install -q jupyterlab==4.6.6 jupyterlab-myst==2.7.0
	{ echo "# The JupyterLab server for \`make lab\`, in its own .venv-lab (never in the book's .venv: its"; \
	  echo "# packages slow every kernel's \`import altair\`). It runs the book's \`shizhong\` kernel from .venv."; \
	  echo "# Generated by \`make lock-lab\` from jupyterlab==4.6.6 and jupyterlab-myst==2.7.0. Do not edit by hand."; \
	  /tmp/shizhong-lock-lab/bin/pip freeze | sort -f; } > requirements-lab.txt

clean:  ## remove the build and the archive (keeps .venv, .venv-lab and .venv-cff)
	rm -rf _build dist

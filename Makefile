# litreview: `make site` builds the review's website, `make test` runs every check.
# Both set up .venv from requirements.lock first; set-up does nothing while the lock is unchanged.

# The Python that makes .venv: 3.12 where the machine has it (on PATH or installed by pyenv),
# else python3 (3.11+). On 3.12+ coverage measures through sys.monitoring (COVERAGE_CORE below),
# which costs the suite a fifth of what 3.11's tracer does. `make PYTHON=python3.11 ...` chooses.
PY_CANDIDATES := python3.12 $(wildcard $(shell pyenv root 2>/dev/null)/versions/3.12*/bin/python3) python3
PYTHON ?= $(firstword $(foreach p,$(PY_CANDIDATES),$(shell $(p) -c 'import sys; print(sys.version_info >= (3, 11) and "$(p)" or "")' 2>/dev/null)) python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.lock pyproject.toml | cksum | cut -d' ' -f1)

export NO_MKDOCS_2_WARNING := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: all setup chromium browser check site linkcheck-external serve test suite test-fast test-cost lint lock clean bench cff doc-tables realworld

all: site

setup: $(STAMP)

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@rm -rf scripts/litreview.egg-info  # the metadata of its name before mkdocs-litreview
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# An editable install leaves litreview uncompiled, and where PYTHONDONTWRITEBYTECODE is set
	@# (this machine) every build and command would compile it again (~70 ms): compile it once.
	@# Python checks each .pyc against its source, so an edited module is compiled afresh.
	@PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q scripts/litreview
	@rm -f $(VENV)/.installed-*
	@touch $@

# Citations, bibliography, front matter, structure and Markdown links, without building.
check: $(STAMP)
	$(BIN)/litreview check --strict
	$(BIN)/litreview fmt --order key --check

# Check, then build strictly into a new folder and check its links; only then is site/ (a link
# to the newest complete build) switched to it in one atomic rename. A failed or killed build
# leaves the last good site/ untouched; two builds at once queue on a lock.
site: check chromium
	@$(BIN)/litreview build

# External links too (needs the network; CI runs it weekly). Successes are cached for a week.
linkcheck-external: site
	$(BIN)/litreview linkcheck --external --cache .cache/linkcheck.json

serve: $(STAMP)
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

# The options and codes tables in docs/ are made from the code (a test fails when they differ).
doc-tables: $(STAMP)
	$(BIN)/python -m litreview.commands.maintenance .

lint: $(STAMP)
	$(BIN)/ruff check scripts tests bench
	$(BIN)/ruff format --check scripts tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# Chromium prints the review's PDF (make site) and drives the browser tests (make test);
# Playwright's own download can't work here, so it is Debian's: chromium-headless-shell, the
# headless build Playwright itself uses (the same pages and PDF for about 30% less CPU a page
# than the full browser's headless mode), or chromium where only that is installed. Another
# Chromium-based browser: make site LITREVIEW_CHROMIUM=/usr/bin/google-chrome
export LITREVIEW_CHROMIUM ?= $(firstword $(wildcard /usr/bin/chromium-headless-shell /usr/bin/chromium) /usr/bin/chromium-headless-shell)
CHROMIUM_PACKAGE := $(if $(filter %chromium-headless-shell,$(LITREVIEW_CHROMIUM)),chromium-headless-shell,chromium)
CAN_APT := $(shell [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo yes)

# Never fails: without Chromium the site is built without its PDF, and says so.
chromium:
	@if [ -x "$(LITREVIEW_CHROMIUM)" ]; then :; \
	elif [ "$(CAN_APT)" = yes ]; then \
	  echo "Installing Debian's $(CHROMIUM_PACKAGE) (it prints the PDF and runs the browser tests)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(CHROMIUM_PACKAGE) >/dev/null; \
	else \
	  echo "note: no Chromium at $(LITREVIEW_CHROMIUM), so no PDF of the review."; \
	  echo "Install it with:  sudo apt-get install $(CHROMIUM_PACKAGE)"; \
	  echo "or point to another Chromium-based browser:  make site LITREVIEW_CHROMIUM=/path/to/chrome"; \
	fi

# The tests need Chromium, and pdftoppm (poppler-utils) to draw the PDF's pages.
browser: chromium
	@if [ -x "$(LITREVIEW_CHROMIUM)" ]; then :; else \
	  echo "The browser and PDF tests need Chromium at $(LITREVIEW_CHROMIUM), which is missing."; \
	  exit 1; \
	fi
	@if command -v pdftoppm >/dev/null; then :; \
	elif [ "$(CAN_APT)" = yes ]; then \
	  echo "Installing poppler-utils (pdftoppm draws the PDF's pages in the tests)"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; }; \
	else \
	  echo "The PDF tests need pdftoppm:  sudo apt-get install poppler-utils"; \
	  exit 1; \
	fi

# CITATION.cff, valid by cffconvert (GitHub's "Cite this repository" reads it). cffconvert pins
# jsonschema<4, which the core's jsonschema>=4.18 excludes, so it has a venv of its own.
CFF_VENV  := .cff-venv
CFF_STAMP := $(CFF_VENV)/.installed-$(shell cat requirements-cff.lock | cksum | cut -d' ' -f1)

$(CFF_STAMP):
	@test -x $(CFF_VENV)/bin/python || $(PYTHON) -m venv $(CFF_VENV)
	$(CFF_VENV)/bin/python -m pip install --quiet -r requirements-cff.lock
	@rm -f $(CFF_VENV)/.installed-*
	@touch $@

cff: $(CFF_STAMP)
	$(CFF_VENV)/bin/cffconvert --validate -i CITATION.cff

# Coverage counts the builds and CLI runs the tests start as subprocesses (pyproject.toml).
# Workers (pytest-xdist): see XDIST below; loadfile keeps the tests of one file on one worker, so a
# module's fixture (test_package's sdist build) is made once; the xdist_group marks in
# tests/conftest.py are for --dist loadgroup, which did not yet group them here (see the notes).
# Screenshots of the pages are taken only in CI (CI=true), which keeps them.
# Files go out costliest first (tests/conftest.py orders them), not by number of tests.
# One worker more than the machine has cores: many tests wait on a local server's timeout, a
# subprocess or Chromium, and the extra worker runs meanwhile.
XDIST := -n $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 ))) --dist loadfile --no-loadscope-reorder

# Coverage's core: sys.monitoring where the venv's Python has it (3.12+), else the C tracer.
COV_CORE = $(shell $(BIN)/python -c 'import sys; print("sysmon" if sys.version_info >= (3, 12) else "ctrace")')

# The suite's temporary folders go on a RAM disk where the machine has one (/dev/shm), in a
# folder of the run's own that is removed after it. The tests create and delete hundreds of
# thousands of files (copies of projects, their builds). On this machine's disk (ext4 without
# a journal, which checks each new inode against those recently deleted) the file creation cost
# about 60 s of system CPU in a suite of about 590 s.
# Only where it has 2 GiB free: a container's /dev/shm may hold 64 MB.
IN_RAM = free=$$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 {print $$4}'); \
	tmp=$$( { test "$${free:-0}" -ge 2097152 && mktemp -d -p /dev/shm litreview-suite.XXXXXX; } 2>/dev/null || mktemp -d); \
	trap 'rm -rf "$$tmp"' EXIT; TMPDIR=$$tmp

# pytest keeps each test module with its asserts rewritten in __pycache__ unless bytecode writing
# is off (PYTHONDONTWRITEBYTECODE, set on this machine): then every worker rewrote all 240 modules
# on every run, 8.6 s of CPU each; with them kept, 3.5 s from the second run on.
KEEP_PYC := PYTHONDONTWRITEBYTECODE=

# The linters run as tests (tests/test_lint.py), beside the rest on the workers; `make lint`
# runs them alone. In a new clone, CITATION.cff's venv (~10 s of pip) is made beside the suite,
# its output kept aside and shown only if it fails; the file is validated after the suite.
# Either failing fails make test.
test: $(STAMP) check browser
	@log=$$(mktemp); \
	$(MAKE) --no-print-directory $(CFF_STAMP) >"$$log" 2>&1 & venv=$$!; \
	$(MAKE) --no-print-directory suite; status=$$?; \
	if ! wait $$venv; then cat "$$log"; rm -f "$$log"; echo "make test: could not make $(CFF_VENV)" >&2; exit 1; fi; \
	rm -f "$$log"; \
	$(MAKE) --no-print-directory cff || exit 1; \
	exit $$status

suite: $(STAMP)
	$(IN_RAM) $(KEEP_PYC) COVERAGE_CORE=$(COV_CORE) $(BIN)/pytest $(XDIST) --cov --cov-report=term

# Where the suite's time goes, in CPU seconds (steady on a shared machine): per file and per
# test, with the subprocesses, Chromium launches and page loads each test started (tests/cost.py).
# It also writes tests/file_costs.json, from which the workers take the costliest files first.
test-cost: $(STAMP)
	@rm -rf tests/artifacts/cost
	$(IN_RAM) $(KEEP_PYC) COVERAGE_CORE=$(COV_CORE) PYTHONPATH=tests $(BIN)/pytest $(XDIST) -q -p cost --cov --cov-report= || true
	$(BIN)/python tests/cost.py

# The loop while editing, about a minute: no build, no subprocess, no browser, no coverage.
test-fast: $(STAMP)
	$(IN_RAM) $(KEEP_PYC) $(BIN)/pytest $(XDIST) -q -m "not build and not browser"

# Benchmarks print ratios measured in one run; they assert nothing about time.
BENCH_VENV  := .bench-venv
BENCH_STAMP := $(BENCH_VENV)/.installed-$(shell cat bench/requirements-mkdocs-bibtex.lock 2>/dev/null | cksum | cut -d' ' -f1)

$(BENCH_STAMP):
	@test -x $(BENCH_VENV)/bin/python || $(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r bench/requirements-mkdocs-bibtex.lock
	@rm -f $(BENCH_VENV)/.installed-*
	@touch $@

bench: $(STAMP) $(BENCH_STAMP)
	$(BIN)/python bench/bench.py --bibtex-python $(BENCH_VENV)/bin/python $(if $(shell command -v valgrind),--instructions)
	$(BIN)/python bench/verify_compare.py
	$(BIN)/python bench/pdf_step.py
	$(BIN)/python bench/explore_keystroke.py
	$(BIN)/python bench/releases_step.py

# Every review in ../shared/corpora imported and built: per corpus, the citations pandoc reads in
# the source, our finder in the import, and how many were rendered, shown unknown, reported or
# lost (must be 0; the target fails otherwise). docs/realworld.md holds the last table.
realworld: $(STAMP)
	$(BIN)/python bench/realworld.py

# Re-resolve the dependencies of pyproject.toml (with the dev extras) into the lock file.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Exact versions of every package in .venv (runtime, tests and lint)."; \
	  echo "# Regenerate with 'make lock' after changing pyproject.toml's dependencies."; \
	  .lock-venv/bin/python -m pip freeze --all --exclude-editable | grep -viE '^(pip|litreview|mkdocs-litreview|mkdocs_litreview)=='; \
	} > requirements.lock
	rm -rf .lock-venv

clean:
	rm -rf site .site.versions .site.lock .pytest_cache .mypy_cache .ruff_cache bench/out .cff-venv

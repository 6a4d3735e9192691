# policybook — entry points. `make help` lists them.
#
#   make build                     set up, then build site + PDFs into build/
#   make test PYTEST_ARGS='-k x'   set up, ruff, mypy, pytest
#   make VENV=/path/to/venv test   use (and share) a venv outside the worktree
#
# All set-up logic lives in tools/setup.sh (idempotent, ~1 s when nothing to do).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV ?= .venv
PYTHON ?= python3
PYTEST_ARGS ?=

export VENV PYTHON
# Run this worktree's code even when the venv is shared and its editable
# install points at another worktree.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))

BIN := $(VENV)/bin
LINT_PATHS := generator tests benchmarks

.PHONY: help setup build test lint ruff mypy pytest bench clean distclean

help:
	@echo 'make setup      Debian packages, venv ($(VENV)), vendored mermaid (idempotent)'
	@echo 'make build      setup + policybook build (site and PDFs into build/)'
	@echo 'make test       setup + ruff + mypy + pytest   (PYTEST_ARGS=... passed to pytest)'
	@echo 'make lint       setup + ruff + mypy'
	@echo 'make bench      setup + benchmarks/run.py'
	@echo 'make clean      remove build outputs and tool caches'
	@echo 'make distclean  clean + remove .venv and vendor/'
	@echo 'Variables: VENV=$(VENV)  PYTHON=$(PYTHON)  SKIP_APT=1 skips the apt step'

setup:
	@tools/setup.sh

build: setup
	$(BIN)/policybook build

ruff: setup
	$(BIN)/ruff check $(LINT_PATHS)

mypy: setup
	$(BIN)/mypy

lint: ruff mypy

pytest: setup
	$(BIN)/pytest $(PYTEST_ARGS)

# Sequential on purpose: lint first, then the (slower) tests.
test: setup
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/mypy
	$(BIN)/pytest $(PYTEST_ARGS)

bench: setup
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf build site tests/artifacts benchmarks/out
	rm -rf .pytest_cache .mypy_cache .ruff_cache .hypothesis
	find . \( -name .git -o -name .venv -o -path './$(VENV)' \) -prune -o \
		\( -name __pycache__ -o -name '*.egg-info' \) -type d -print0 | xargs -0r rm -rf

# Only the in-tree venv: a shared VENV=... is left alone.
distclean: clean
	rm -rf .venv vendor

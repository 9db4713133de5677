# Grassroots: `make demo` serves the demo site, `make test` runs the whole suite.
SHELL := /bin/bash
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PY := .venv/bin/python
# uv from PATH when present, else a private copy bootstrapped with the machine's Python.
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
HOST ?= 127.0.0.1
PORT ?= 8000
# `make test` runs the suite on this many processes (TEST_WORKERS=0: in this one).
TEST_WORKERS ?= 2

.PHONY: install demo test lint bench messages clean

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet --python python3
	@touch $@

install: .venv/.synced

demo: export DJANGO_SETTINGS_MODULE := config.settings.dev
demo: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: export DJANGO_SETTINGS_MODULE := config.settings.test
test: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# National-scale benchmarks (bench/run.py): generates the country into BENCH_DB (emptied
# first: use a database of its own) and writes bench/RESULTS.md.
BENCH_SCALE ?= 0.01
BENCH_DB ?= postgres://grassroots:grassroots@127.0.0.1:5432/grassroots_bench
bench: install
	$(PY) -m bench.run --scale $(BENCH_SCALE) --database-url $(BENCH_DB)

# The lint CI holds: ruff's checks (line length 100 included) and its formatting, unchanged.
lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

messages: install
	mkdir -p locale
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py makemessages -l vi -l en --no-obsolete --ignore '.venv/*' --ignore '.tools/*' --ignore 'bench/*'
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py compilemessages --ignore '.venv/*' --ignore '.tools/*' 

clean:
	rm -rf .venv .tools db.sqlite3 staticfiles

# The two commands: `make run` serves the demo, `make test` runs every test.
# Both build what they need on a fresh machine (a .venv, system packages, translations).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
WORKERS ?= 2

.PHONY: run test install install-dev bench lint translations translations-update clean

run: install
	@.ci/system-packages run
	$(BIN)/flask --app wsgi seed-demo --if-empty
	@echo "Serving on http://127.0.0.1:$(PORT) with the background worker beside it  (sign-in accounts: see README)"
	@# One command, two processes: the worker (report batches, e-mail, alerts) stops when gunicorn does.
	@$(BIN)/flask --app wsgi worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	PORT=$(PORT) WORKERS=$(WORKERS) $(BIN)/gunicorn wsgi:app

test: install-dev
	@.ci/system-packages test
	@if [ -f tests/js/package.json ]; then npm install --silent --no-audit --no-fund --prefix tests/js; fi
	$(BIN)/ruff check feedback tests bench
	$(BIN)/python -m pytest -q

# Benchmarks print tables with a baseline measured in the same run. The crash and load runs take minutes.
bench: install-dev
	$(BIN)/python bench/storage.py
	$(BIN)/python bench/guest_limits.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/setup_pages.py
	$(BIN)/python bench/jobs.py
	$(BIN)/python bench/label_audit.py
	$(BIN)/python bench/crash.py --rounds 20
	$(BIN)/python bench/load.py

lint: install-dev
	$(BIN)/ruff check feedback tests bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $(VENV)/.installed $@

translations: | $(BIN)/python
	@if [ -d feedback/translations ]; then $(BIN)/pybabel compile -d feedback/translations >/dev/null; fi

# After adding or changing text: extract every message, merge it into each language's catalogue
# (new ones empty, never guessed), then translate them; `make test` fails while one is empty or fuzzy.
translations-update: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --sort-output \
		-o feedback/translations/messages.pot .
	$(BIN)/pybabel update -i feedback/translations/messages.pot -d feedback/translations \
		--no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile --statistics -d feedback/translations

clean:
	rm -rf $(VENV) .pytest_cache

# Sala: `make run` serves the app, `make test` runs every check. Everything installs into .venv.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app webapp.app
CHROMIUM := /usr/bin/chromium

.PHONY: run test venv test-deps catalogs check-catalog migrate deploy seed lint typecheck imports \
        pytest-sqlite pytest-postgres pytest-e2e chromium icu extract bench clean serve-production

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python icu
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

test-deps: $(VENV)/.installed-test chromium

# Compiled catalogs are build output: made from locales/*/LC_MESSAGES/messages.po.
catalogs: venv
	$(BIN)/pybabel --quiet compile -d locales -D messages

# Regenerate messages.pot from Python, templates, forms/*.yaml and workflows/*.bpmn|dmn, then merge.
extract: venv
	$(BIN)/pybabel --quiet extract -F babel.cfg -k lazy_gettext -k _l -k N_ -o locales/messages.pot .
	$(BIN)/pybabel --quiet update -i locales/messages.pot -d locales -D messages --no-fuzzy-matching

migrate: venv
	$(FLASK) migrate

deploy: venv
	$(FLASK) deploy-workflows

seed: venv
	$(FLASK) seed-demo

# The worker (background jobs, timers) runs beside the web server and stops with it.
run: venv catalogs migrate deploy seed
	SALA_PUBLIC_URL=$${SALA_PUBLIC_URL:-http://127.0.0.1:$(PORT)} $(FLASK) worker & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	echo "Sala serves http://127.0.0.1:$(PORT) (one log line per request below)"; \
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

# The production shape on this machine: gunicorn (SALA_WEB_PROCESSES x SALA_WEB_THREADS) and WORKERS workers.
# Use PostgreSQL (DATABASE_URL) for more than one process; deploy/README.md has the systemd units.
WORKERS ?= 2
serve-production: venv catalogs migrate deploy
	export SALA_BIND=$${SALA_BIND:-127.0.0.1:$(PORT)} SALA_PUBLIC_URL=$${SALA_PUBLIC_URL:-http://127.0.0.1:$(PORT)}; \
	pids=""; for n in $$(seq $(WORKERS)); do $(FLASK) worker & pids="$$pids $$!"; done; \
	trap "kill $$pids 2>/dev/null" EXIT INT TERM; \
	$(BIN)/gunicorn -c deploy/gunicorn.conf.py webapp.wsgi:app

# PyICU (Khmer word breaks in letters) builds against the system's ICU.
icu:
	@if ! pkg-config --exists icu-uc 2>/dev/null || ! command -v g++ >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's libicu-dev, pkg-config and g++ to build PyICU"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null; \
	  else \
	    echo "Missing ICU headers: run 'sudo apt-get install libicu-dev pkg-config g++' (needed by PyICU)"; exit 1; \
	  fi; \
	fi

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Missing $(CHROMIUM): run 'sudo apt-get install chromium' (needed by the browser tests)"; exit 1; \
	  fi; \
	fi

lint: test-deps
	$(BIN)/ruff check webapp tests bench migrations
	$(BIN)/ruff format --check webapp tests bench

typecheck: test-deps
	$(BIN)/mypy

imports: test-deps
	$(BIN)/lint-imports

check-catalog: catalogs
	$(FLASK) check-content

# The suites run on every core (pytest-xdist): each worker builds its own database once.
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -q -p no:cacheprovider -n $(PYTEST_WORKERS)

pytest-sqlite: test-deps catalogs
	$(PYTEST) --ignore=tests/e2e --ignore=tests/postgres

pytest-postgres: test-deps catalogs
	SALA_TEST_DB=postgresql $(PYTEST) tests/services tests/web tests/postgres

# The journeys run once on the office laptop's screen and once on a 390-pixel phone.
pytest-e2e: test-deps catalogs
	$(PYTEST) tests/e2e
	SALA_E2E_VIEWPORT=phone $(PYTEST) tests/e2e

test: lint typecheck imports check-catalog pytest-sqlite pytest-postgres pytest-e2e

# NATIONAL_SCALE=0.1 and LOAD_SECONDS=30 for a quick look; the defaults take about a quarter of an hour.
NATIONAL_SCALE ?= 1
LOAD_SECONDS ?= 120

bench: venv
	$(BIN)/python bench/engine_throughput.py
	$(BIN)/python bench/letters.py
	$(BIN)/python bench/sla.py
	$(BIN)/python bench/page_weight.py
	$(BIN)/python bench/national.py --scale $(NATIONAL_SCALE)
	$(BIN)/python bench/load.py --duration $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) instance .mypy_cache .ruff_cache

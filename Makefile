# ITA portal. `make run` sets everything up and starts the server; `make test` runs the test suite.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# Python >= 3.12: the first of these that runs (pyenv shims may exist without a version behind them).
PYTHON ?= $(shell for p in python3.13 python3.12 $$(ls -d /root/.pyenv/versions/3.1[23]*/bin/python3 2>/dev/null); do \
	$$p -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1 && { echo $$p; break; }; done)
ADDR ?= 127.0.0.1:8000

.PHONY: install lock browser pdftools nginx run worker migrate seed test test-fast lint messages clean samples serve-production

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Installs exactly what requirements.lock says (versions and hashes), then the portal itself without its
# dependencies; `pip check` fails when pyproject.toml asks for something the lock lacks (run `make lock`).
$(VENV)/.installed: $(BIN)/python pyproject.toml requirements.lock
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check
	touch $@

install: $(VENV)/.installed

# Rewrites requirements.lock from pyproject.toml (the newest versions its ranges allow, with their hashes), with
# pip-tools in a throw-away environment; commit the result. `make lock LOCK_ARGS=--upgrade-package=django` moves one.
LOCK_ARGS ?=
lock:
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is required"; exit 1; }
	$(PYTHON) -m venv build/lock-tools && build/lock-tools/bin/pip install --quiet pip-tools
	build/lock-tools/bin/pip-compile --quiet --extra test --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
	  $(LOCK_ARGS) --output-file requirements.lock pyproject.toml

# The browser tests (tests/browser, Playwright) drive Debian's Chromium; Playwright's own download is not used.
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The PDF tests (tests/reports/test_pdf_text.py) read our PDFs with poppler (pdftotext, pdftoppm) and qpdf.
pdftools:
	@command -v qpdf >/dev/null && command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || { \
	  echo "Installing Debian's qpdf and poppler-utils for the PDF tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq qpdf poppler-utils >/dev/null; }

# tests/test_deploy_nginx.py checks deploy/nginx.conf with nginx (`nginx -t`, and its cache in front of a live
# portal); they are skipped without it. Debian's package starts its own default site where services may start:
# stopped here (and disabled under systemd); the tests run their own nginx on free ports.
nginx:
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  echo "Installing Debian's nginx for the tests of deploy/nginx.conf"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq nginx >/dev/null; \
	  if [ -d /run/systemd/system ]; then $$SUDO systemctl disable --now nginx >/dev/null 2>&1 || true; \
	  elif [ -s /run/nginx.pid ]; then $$SUDO /usr/sbin/nginx -s quit 2>/dev/null || true; fi; }

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Local data: the seed documents, the demo users, the demo route of memos of pong-nam-ron with an acting signer (set
# while it has none; docs/features.md) and, once, the demo signing certificate (private/demo-certificate/,
# docs/operations/signing.md) that the local settings sign issued memos with.
seed: migrate
	$(BIN)/python manage.py load_seed_documents
	$(BIN)/python manage.py create_demo_users
	$(BIN)/python manage.py demo_route
	$(BIN)/python manage.py demo_certificate

# The background worker (large documents, README "Long work") runs beside the development server and stops with it.
run: seed
	$(BIN)/python manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/python manage.py runserver $(ADDR)

# The background worker alone (what deploy/ita-portal-worker.service runs), with the settings of the environment.
worker: install
	$(BIN)/python manage.py db_worker --no-reload

# The production stack on this machine: production settings, PostgreSQL (DATABASE_URL, required), static files
# collected and served by WhiteNoise, gunicorn on $(ADDR). Behind the reverse proxy of deploy/ it serves HTTPS;
# alone, over plain HTTP, set DJANGO_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 to try it.
serve-production: install
	@test -n "$$DATABASE_URL" || { echo "Set DATABASE_URL (PostgreSQL) and DJANGO_SECRET_KEY"; exit 1; }
	DJANGO_SETTINGS_MODULE=ita_portal.settings.production $(BIN)/python manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=ita_portal.settings.production $(BIN)/python manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=ita_portal.settings.production $(BIN)/gunicorn ita_portal.wsgi --bind $(ADDR) \
	  --workers 3 --timeout 120 --access-logfile - --error-logfile -

# The suite in TEST_WORKERS processes (pytest-xdist; each its own test database, a module stays in one process): the
# browser tests mostly wait for Chromium while the others compute. TEST_WORKERS=0 runs it in this process.
TEST_WORKERS ?= 2
TEST_PROCESSES = $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile)

test: install browser pdftools nginx
	$(BIN)/python -m pytest $(TEST_PROCESSES) $(PYTEST_ARGS)

# The fast lane while you work: no browser, no PDF (about 2 minutes); `make test` before you push.
test-fast: install
	$(BIN)/python -m pytest $(TEST_PROCESSES) -m "not browser and not pdf" $(PYTEST_ARGS)

messages: install
	$(BIN)/python manage.py makemessages -l th --no-location --ignore=.venv
	$(BIN)/python manage.py compilemessages --ignore=.venv

# One page of each kind of document, printed from the seed data, as PNG (needs Debian's poppler-utils).
# Each line: kind, organization, fiscal year, page, extra render_document options.
SAMPLES := "memo pong-nam-ron 2567 1" "measures pong-nam-ron 2567 5" "progress mueang-phalai 2566 1 --round six_month" \
	"annual khok-ma 2568 4 --round annual" "status dong-sombun 2564 3 --round six_month"
samples: seed
	@command -v pdftoppm >/dev/null || { echo "pdftoppm is needed: apt-get install poppler-utils"; exit 1; }
	@mkdir -p build docs/samples
	@for sample in $(SAMPLES); do set -- $$sample; kind=$$1 org=$$2 year=$$3 page=$$4; shift 4; \
	  $(BIN)/python manage.py render_document $$kind --org $$org --year $$year "$$@" --output build/$$kind.pdf && \
	  pdftoppm -r 80 -png -singlefile -f $$page -l $$page build/$$kind.pdf docs/samples/$$kind-$$org-$$year-p$$page; \
	done

clean:
	rm -rf $(VENV) db.sqlite3

lint: install
	$(BIN)/ruff check .

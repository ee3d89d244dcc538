# The portal's commands. Each creates the virtual environment (.venv/) when it is missing.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test lint format messages compilemessages migrations-check bench bench-mail fault-run loadtest backup restore clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# axe-core for the browser tests' accessibility checks, from package-lock.json. npm writes
# node_modules/.package-lock.json on every install.
NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

compilemessages: $(STAMP)
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then \
		$(BIN)/python manage.py compilemessages --ignore=.venv -v 0; fi

run: $(STAMP) compilemessages
	$(BIN)/python manage.py migrate --noinput
	SITE_URL=http://localhost:$(PORT) $(BIN)/python manage.py seed_demo
	@[ -n "$$INBOUND_IMAP_URL" ] || echo "Email replies are off: set INBOUND_IMAP_URL to poll a support mailbox (README, \"Email channel\")."
	SITE_URL=http://localhost:$(PORT) $(BIN)/python manage.py runserver localhost:$(PORT)

test: $(STAMP) $(NODE_STAMP) compilemessages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --ignore=.venv --ignore=tests --ignore=bench -l el -l it -l sk --no-obsolete
	$(BIN)/python manage.py makemessages -d djangojs --ignore=.venv --ignore=staticfiles -l el -l it -l sk --no-obsolete

bench: $(STAMP) compilemessages
	$(BIN)/python bench/run.py

bench-mail: $(STAMP) compilemessages
	$(BIN)/python bench/mail_forms.py

# The production shape under a trickle of work while Redis, SMTP and the worker fail
# (bench/fault_run.py); needs PostgreSQL (DATABASE_URL names the server) and redis-server.
fault-run: $(STAMP) compilemessages
	$(BIN)/python bench/fault_run.py

# The outage hour with Locust against the production shape (bench/loadtest.py); Locust
# is installed only for this (requirements-load.txt). Needs PostgreSQL and redis-server.
LOAD_STAMP := $(VENV)/.installed-load
$(LOAD_STAMP): $(STAMP) requirements-load.txt
	$(BIN)/pip install --quiet -r requirements-load.txt
	touch $(LOAD_STAMP)

loadtest: $(LOAD_STAMP) compilemessages
	$(BIN)/python bench/loadtest.py

# The database and the private files into backups/<date-time>/ (or BACKUP=folder), and
# back into an empty database and files folder (README, "Backups and the restore drill").
BACKUP ?= backups/$(shell date +%Y%m%d-%H%M%S)
backup: $(STAMP)
	$(BIN)/python manage.py backup $(BACKUP)

restore: $(STAMP)
	@[ -n "$(BACKUP)" ] && [ -d "$(BACKUP)" ] || { echo "restore: BACKUP=folder is required"; exit 1; }
	$(BIN)/python manage.py restore $(BACKUP)

clean:
	rm -rf $(VENV) node_modules staticfiles .pytest_cache .ruff_cache

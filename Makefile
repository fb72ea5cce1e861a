# 人大代表工作平台 — two commands: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   ?= .venv
PY     := $(VENV)/bin/python
PORT   ?= 8000
STAMP  := $(VENV)/.installed

.PHONY: run test install system-deps node-deps lint check clean ci bench bench-vote backup restore

$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）/ Python 3.11 is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

system-deps:
	@bash .ci/system-deps

# axe-core for the browser tests (package.json, pinned by package-lock.json) into
# node_modules/; npm comes with Node.js (.ci/system-deps). Without npm the browser
# tests are deselected with a notice.
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund --loglevel=error && touch $(AXE); \
	else echo "提示：未找到 npm，浏览器测试需要 axe-core（npm ci）。" >&2; fi

node-deps: $(AXE)

run: export DJANGO_DEBUG ?= 1
run: install system-deps
	$(PY) manage.py migrate --noinput
	$(PY) manage.py compile_translations
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py send_reminders
	$(PY) manage.py run_portal --port $(PORT)

test: export PORTAL_TESTING = 1
test: install system-deps node-deps
	$(PY) manage.py compile_translations
	$(PY) -m pytest -n $${PYTEST_WORKERS:-auto} $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	PORTAL_TESTING=1 $(VENV)/bin/mypy

# Province scale (issue 14, README "Benchmarks"): builds a Hunan-sized data set in
# PostgreSQL (SCALE=1.0; CI runs SCALE=0.002), serves it with gunicorn and
# production settings, and measures every page against the floor.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/portal_bench
bench: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/province.py --scale $${SCALE:-1.0} $(BENCH_BUILD_ARGS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/measure.py --requests $${BENCH_REQUESTS:-40} --clients $${BENCH_CLIENTS:-4}

# Vote day against a running `make run` (another terminal): 160 deputies sign in
# and press "投票" twice at once (README, "Vote day").
bench-vote: export DJANGO_DEBUG ?= 1
bench-vote: install
	$(PY) bench/vote_day.py --base http://127.0.0.1:$(PORT) --deputies $${DEPUTIES:-160}

# Backup and restore (issue 15, docs/backup.md): the database (pg_dump -Fc, or the
# SQLite online backup) and MEDIA_ROOT into $(BACKUP_DIR) with a timestamp;
# restore takes the newest set (FROM=path for another) and refuses a database
# that holds data unless FORCE=1. DEBUG as in `make run`: the commands need no
# secret and DEBUG changes nothing they do.
BACKUP_DIR ?= var/backups
backup: export DJANGO_DEBUG ?= 1
backup: install
	$(PY) manage.py backup --dir $(BACKUP_DIR)

restore: export DJANGO_DEBUG ?= 1
restore: install
	$(PY) manage.py restore --dir $(BACKUP_DIR) $(if $(FROM),--from $(FROM)) $(if $(filter 1,$(FORCE)),--force)

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) var staticfiles db.sqlite3

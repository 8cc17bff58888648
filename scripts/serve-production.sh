#!/usr/bin/env bash
# Production start of the web server, the one the README documents (and tests/recall/
# test_production.py runs exactly): gather the static files and their manifest (without them
# every page answers 500 when DEBUG is off), migrate, stop on any deployment check, then gunicorn.
#
#   DEBUG=false SECRET_KEY=... HTTPS=true ALLOWED_HOSTS=recall.example.org scripts/serve-production.sh
#
# WEB_BIND (default 127.0.0.1:8000) and WEB_WORKERS (default 2 per core) set gunicorn's address
# and worker count; every other variable is the app's own (README, Configuration).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.venv/bin/python}"

if [[ "${DEBUG:-false}" =~ ^(true|1|yes|on)$ ]]; then
    echo "serve-production.sh: DEBUG is on; this script is for DEBUG=false (use make run)" >&2
    exit 2
fi
export DEBUG=false

"$PYTHON" manage.py collectstatic --no-input -v 0
"$PYTHON" manage.py migrate --no-input -v 0
"$PYTHON" manage.py check --deploy --fail-level WARNING
# gunicorn's own lines in the campaign's time zone, as the app's (Django sets it for the workers).
TZ="$("$PYTHON" -c 'from recall.settings import TIME_ZONE; print(TIME_ZONE)')"
export TZ
exec "$PYTHON" -m gunicorn recall.wsgi \
    --bind "${WEB_BIND:-127.0.0.1:8000}" \
    --workers "${WEB_WORKERS:-$((2 * $(nproc)))}" \
    --access-logfile -

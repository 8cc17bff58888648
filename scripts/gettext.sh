#!/usr/bin/env bash
# GNU gettext (msgfmt, xgettext) for `make messages` and the test that the committed Spanish
# catalogue (locale/es/LC_MESSAGES/django.mo) is compiled from its .po file.
set -euo pipefail
if command -v msgfmt >/dev/null && command -v xgettext >/dev/null; then
  echo "gettext: msgfmt and xgettext are installed"
  exit 0
fi
if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
  echo "gettext: installing Debian's gettext package"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null
  echo "gettext: installed"
else
  echo "gettext: msgfmt missing; the catalogue test will fail (apt-get install gettext)" >&2
fi

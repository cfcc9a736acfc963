#!/usr/bin/env bash
# The translator workflow (Babel): extract the sentences, merge them into every catalogue,
# start a new language, and check that every catalogue is complete.
#   bash scripts/i18n.sh update        # new sentences arrive as msgstr "" in i18n/locales/*.po
#   bash scripts/i18n.sh init it       # a sixth language: i18n/locales/it.po
#   bash scripts/i18n.sh check         # what is missing or broken, by name
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${VENV_DIR:-.venv}/bin/python
case "${1:-}" in
  extract|update) "$PY" -m i18n.tools "$1" ;;
  init) "$PY" -m i18n.tools init "${2:?usage: i18n.sh init LOCALE}" ;;
  check) "$PY" -m pytest -n 0 tests/i18n ;;
  *) echo "usage: bash scripts/i18n.sh extract | update | init LOCALE | check" >&2; exit 2 ;;
esac

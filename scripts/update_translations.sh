#!/bin/sh
# Gathers the app's messages into locales/messages.pot and merges them into every catalog under locales/:
# new or changed messages arrive untranslated (shown in English until translated; a test lists them).
# Then translate the empty and fuzzy entries of locales/<locale>/LC_MESSAGES/messages.po and run
# `pytest tests/test_i18n.py`. The app compiles the catalogs in memory when it starts; the .mo files
# written here only check that they compile, and are not kept (.gitignore).
set -e
cd "$(dirname "$0")/.."
pybabel extract -F babel.cfg --no-wrap --sort-by-file --project "RNN Playground" -o locales/messages.pot .
pybabel update -i locales/messages.pot -d locales -D messages --no-wrap --ignore-obsolete --no-fuzzy-matching
pybabel compile -d locales -D messages --statistics

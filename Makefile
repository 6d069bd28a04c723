# The README's two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PO     := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test install upgrade translations extract update-catalogs system-packages bench clean

# The PDF worker runs beside gunicorn (reports, profile sheets, posters and cards are background jobs).
run: install
	$(BIN)/proconnect init
	@echo "proconnect is running on http://$(HOST):$(PORT) with its PDF worker (Ctrl+C stops both)"
	$(BIN)/proconnect jobs worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT; \
	  $(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - \
	    --logger-class proconnect.serving.RedactingLogger wsgi:app

test: system-packages install node_modules/axe-core
	bash .ci/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)

# axe-core for the accessibility checks in tests/browser, pinned by package-lock.json.
node_modules/axe-core: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

install: $(STAMP) translations

# Exact versions from requirements.lock, so a new release of a dependency never changes a fresh install;
# `make upgrade` is the deliberate step that moves them. The project itself goes in without resolving again.
$(STAMP): pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

# Newest releases that pyproject.toml allows, written to requirements.lock, installed, then the whole suite.
# Review the lock file's diff and the test run before committing it.
upgrade:
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --extra test --strip-extras --no-emit-index-url --no-emit-find-links \
	  --allow-unsafe -o requirements.lock pyproject.toml
	$(MAKE) test

# Compiled catalogs are built here, never committed. Fuzzy entries are left out: they await a translator,
# and the app shows the German text (marked) meanwhile.
translations: $(MO)
translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@ -l $*

# UI strings (English msgids) and form texts (German, msgctxt = form id) into one template.
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k lazy_ngettext:1,2 --add-comments=TRANSLATORS: \
	  --project=proconnect --version=1 --msgid-bugs-address=dev@proconnect.invalid --width=100 \
	  -o translations/messages.pot .

# New and changed texts come in empty; see 'proconnect translations status'. No fuzzy matching: Babel's guesses
# pair unrelated texts and their placeholders, which pybabel compile then rejects. Obsolete entries are dropped:
# Babel can write one beside a live entry of the same context, which msgfmt rejects.
update-catalogs: extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --width=100 --ignore-obsolete --no-fuzzy-matching

system-packages:
	bash .ci/system-packages.sh

bench: install
	$(BIN)/python bench/submit.py
	$(BIN)/python bench/render.py
	$(BIN)/python bench/kiosk_sync.py
	$(BIN)/python bench/pdf_jobs.py

clean:
	rm -rf $(VENV) .pytest_cache

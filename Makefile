# Trygg chatt. `make help` lists the targets. The two you need: `make run` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)
export RASA_TELEMETRY_ENABLED := false
export TF_CPP_MIN_LOG_LEVEL := 2

.PHONY: help venv run test lint lint-baseline train content-check form-rules bench i18n-extract i18n-update i18n-compile bench bench-nlu bench-places screenshots rotate-key clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

venv: ## Create .venv (Python 3.10) and install pinned dependencies if they changed
	@scripts/setup_venv.sh

i18n-compile: venv ## Check and compile the catalogs (locales/*/LC_MESSAGES/*.mo)
	@$(VENV)/bin/pybabel compile -d locales -D messages --statistics 2>&1 | { grep -v '^compiling' || true; }

train: venv ## Train the model if it is missing or older than config/domain/data
	@$(PY) scripts/model.py train

run: venv ## Set up and run everything locally (Rasa, actions, web app); says so if it already runs
	@if $(PY) scripts/stack.py --already-running; then exit 0; fi; \
	  $(MAKE) --no-print-directory i18n-compile train && exec $(PY) scripts/stack.py

test: venv lint i18n-compile train ## Lint (as `make lint`), then set up and run all tests (installs PostgreSQL/Redis/Chromium helpers as needed)
	@scripts/test.sh

lint: venv ## ruff (lint + format) and mypy against scripts/lint_baseline.json: no new findings, no fixed ones left in it
	@$(PY) scripts/lint.py

lint-baseline: venv ## Lower scripts/lint_baseline.json to what lint finds now (ALLOW_GROWTH=1 also raises it: after merges, moves)
	@$(PY) scripts/lint.py --update $(if $(ALLOW_GROWTH),--allow-growth)

screenshots: venv i18n-compile train ## Run the browser tests and refresh docs/screenshots/ from their pictures (build/screenshots/)
	@rm -rf build/screenshots
	@scripts/test.sh tests/browser -q
	@mkdir -p docs/screenshots && cp build/screenshots/*.png docs/screenshots/
	@echo "docs/screenshots/ refreshed; review and commit the pictures you mean to change"

rotate-key: venv ## New phone encryption key: every stored number re-encrypted with it, the old keys removed (docs/deploy.md)
	@$(PY) -m bot.secrets rotate

i18n-extract: venv ## Re-extract locales/messages.pot from domain.yml and the code
	@$(VENV)/bin/pybabel extract -F locales/babel.cfg -o locales/messages.pot --no-wrap --no-location --project "Trygg chatt" . 2>&1 | { grep -v "^extracting" || true; }

i18n-update: i18n-extract ## Merge new/changed source texts into every catalog (changed ones become fuzzy; Swedish copied)
	@$(VENV)/bin/pybabel update -i locales/messages.pot -d locales -D messages --no-wrap -N --ignore-pot-creation-date 2>&1 | { grep -v "^updating" || true; }
	@$(PY) scripts/i18n_swedish.py

form-rules: venv ## Rewrite data/rules/forms.yml (danger and questions inside a form) from domain.yml
	@$(PY) scripts/form_rules.py

content-check: venv ## Editors: is every answer translated, every placeholder and fact right?
	@$(PY) scripts/content_check.py

bench: venv train ## Every benchmark; rewrites the tables in docs/benchmarks.md
	@scripts/bench.sh

bench-places: venv ## Nearest-RVC lookup benchmark
	@$(PY) scripts/bench_places.py --write

bench-nlu: venv train ## Train on data/, score the independent test sets (and danger inside the form), table per language
	@$(PY) scripts/bench_nlu.py --write --form --confusions

clean: ## Remove the venv, models and build output
	rm -rf $(VENV) models build .pytest_cache locales/*/LC_MESSAGES/*.mo

# The two commands of the README are `make run` and `make test`; the rest serve them.
# Odoo 19 is found by tools/crm_suite.py: ODOO_PATH when set, else `import odoo`.
PYTHON ?= python3
ADDONS := crm_iso_complaints crm_iso_surveys crm_mall_counter crm_iso_complaints_merge crm_iso_replica
JS = $(wildcard $(addsuffix /static/*/*/*.js,$(ADDONS)) $(addsuffix /static/*/*/*/*.js,$(ADDONS)))

.PHONY: run test lint readme deps check wheel wheels

run:  ## create (once) or update the demo database and start Odoo on 127.0.0.1:8069
	$(PYTHON) tools/crm_suite.py run

test:  ## fresh database, install the three addons, run every test, drop it
	$(PYTHON) tools/crm_suite.py test

lint:  ## ruff, pylint-odoo (OCA checks), prettier and eslint (JS), the generated READMEs, schema changes carry a version bump
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check .
	$(PYTHON) -m pylint --rcfile=.pylintrc $(ADDONS)
	$(PYTHON) tools/gen_readme.py --check
	$(PYTHON) tools/check_versions.py
	npm ci --no-audit --no-fund --loglevel=error
	npx --no-install prettier --check $(JS)
	npx --no-install eslint $(JS)

readme:  ## regenerate each addon's README.rst from its readme/ fragments
	$(PYTHON) tools/gen_readme.py

deps:  ## install the Python dependencies and test tools from PyPI
	$(PYTHON) tools/crm_suite.py deps

check:  ## show where Odoo and PostgreSQL are found
	$(PYTHON) tools/crm_suite.py check

wheel:  ## build the wheel of the three addons into dist/
	$(PYTHON) -m pip wheel --no-deps --no-build-isolation -w dist .

wheels:  ## one OCA-style wheel per addon (odoo-addon-<name>) into dist/
	$(PYTHON) -m pip wheel --no-deps --no-build-isolation -w dist $(addprefix ./,$(ADDONS))

# heat-lbaas: the two commands are `make demo` and `make test` (see README.md).
# Everything runs from the checkout: the virtualenv is .venv/, the devcloud's state .devcloud/.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstalled only when the packaging metadata changes (or the stamp is removed).
STAMP := $(VENV)/.installed
# Keystone (for `heat-lbaas-devcloud up --auth keystone`) has a virtualenv of its own:
# its pins clash with openstack-heat's.
KEYSTONE_VENV := .venv-keystone
# The stamp names the package set: a checkout whose set grew installs it again.
KEYSTONE_STAMP := $(KEYSTONE_VENV)/.installed-with-pymemcache
KEYSTONE_PACKAGES := keystone==30.0.0 gunicorn==27.0.1 PyMySQL pymemcache
# octavia-tempest-plugin in its own virtualenv: its pins clash with openstack-heat's.
OCTAVIA_TEMPEST_VENV := .venv-octavia-tempest
OCTAVIA_TEMPEST_STAMP := $(OCTAVIA_TEMPEST_VENV)/.installed
OCTAVIA_TEMPEST_PACKAGES := octavia-tempest-plugin==3.5.0 tempest==47.0.0
# Upstream Octavia for `make test-octavia`, in its own virtualenv (its pins clash with
# openstack-heat's). Versions that work together: docs/benchmarks.md, "Upstream Octavia".
OCTAVIA_VENV := .venv-octavia
OCTAVIA_STAMP := $(OCTAVIA_VENV)/.installed
OCTAVIA_PACKAGES := octavia==19.0.0 octavia-lib==3.12.0 gunicorn==27.0.1 PyMySQL
# Overall limit of one test run, in seconds. On timeout pytest gets SIGINT first, so
# fixtures stop the processes they started; SIGKILL 60 s later if it is still running.
TEST_TIMEOUT ?= 3000
PYTEST_ARGS ?=
# Test processes side by side (pytest-xdist), each test module whole on one of them, so a
# module's controller or devcloud is its worker's own. Most tests wait on HAProxy and
# Heat rather than on the CPU, so more workers than cores pays. Modules are handed out in
# collection order (--no-loadscope-reorder), so the long e2e modules start first instead
# of last behind the modules with many short tests. TEST_WORKERS=0 runs everything in
# this process (for -s, --pdb).
TEST_WORKERS ?= 3

# haproxy lives in /usr/sbin, which is not on a non-root user's PATH on Debian.
export PATH := $(CURDIR)/$(BIN):$(PATH):/usr/sbin:/sbin

# Tests must not pick up a devcloud exported into the calling shell.
PYTEST := env -u OS_CLOUD -u OS_CLIENT_CONFIG_FILE -u HEAT_LBAAS_DEVCLOUD_DIR \
	-u HEAT_LBAAS_VIP_SUBNET_ID timeout -s INT -k 60 $(TEST_TIMEOUT) \
	$(BIN)/python -m pytest -v --durations=25 -n $(TEST_WORKERS) --dist loadfile \
	--no-loadscope-reorder $(PYTEST_ARGS)

# A subset with no tests yet (pytest exit code 5) is not a failure.
ALLOW_EMPTY = || { rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests selected in $(1)"; else exit $$rc; fi; }

.PHONY: help demo test unit functional e2e tempest tempest-octavia test-octavia venv keystone-venv octavia-venv octavia-tempest-venv system-deps down clean lint bandit sample-config bench

help:
	@echo "make demo           system packages, venv, devcloud, the autoscaled web stack, traffic"
	@echo "make test           every test (unit, functional, e2e), as CI runs them (.ci/run)"
	@echo "make unit | functional | e2e   one test suite"
	@echo "make test-octavia   the resources and templates on upstream Octavia 19 (no-op drivers)"
	@echo "make down           stop the devcloud (heat, controller, haproxy, web servers)"
	@echo "make clean          down, then remove .devcloud/"
	@echo "make lint           ruff over the Python sources, yamllint over templates/ and environments/"
	@echo "make bandit         the security linter, as Octavia's gate runs it (also in make test)"
	@echo "make bench          benchmarks: figures and targets (not run by make test)"
	@echo "make sample-config  regenerate etc/heat-lbaas-controller.conf.sample"
	@echo "make tempest        the Tempest plugin's scenario tests on a devcloud with Keystone"
	@echo "make tempest-octavia  Octavia's API test suite against the controller (noop driver)"
	@echo "make keystone-venv  Keystone's own virtualenv (heat-lbaas-devcloud up --auth keystone)"
	@echo "make venv | system-deps"

demo: system-deps venv
	scripts/demo.sh

test: system-deps venv keystone-venv octavia-venv octavia-tempest-venv
	$(PYTEST) tests

unit: venv
	$(PYTEST) tests/unit $(call ALLOW_EMPTY,tests/unit)

functional: system-deps venv
	$(PYTEST) tests/functional $(call ALLOW_EMPTY,tests/functional)

e2e: system-deps venv keystone-venv
	$(PYTEST) tests/e2e $(call ALLOW_EMPTY,tests/e2e)

# This project's Tempest scenario tests (tempest_plugin/) against a devcloud with
# Keystone: stacks through Heat as Tempest's users, real traffic through the VIPs.
tempest: system-deps venv keystone-venv
	scripts/tempest.sh heat_lbaas $(BIN)/tempest

# Octavia's own API test suite (octavia-tempest-plugin 3.5.0, as Octavia's gate runs it
# in noop mode) against the controller with the noop amphora driver, behind Keystone
# with Octavia's RBAC. OCTAVIA_TESTS: a regex of the tests (default: all API tests).
OCTAVIA_TESTS ?= ^octavia_tempest_plugin\.tests\.api\.v2
tempest-octavia: system-deps venv keystone-venv octavia-tempest-venv
	scripts/tempest.sh octavia $(OCTAVIA_TEMPEST_VENV)/bin/tempest '$(OCTAVIA_TESTS)'

# Upstream Octavia 19 (its API under gunicorn, its worker, a private MariaDB and RabbitMQ;
# tests/support/upstream_octavia.py) under the devcloud's Heat: the templates' lifecycle
# without traffic, and the requests and 409s per stack. `make test` runs these too.
test-octavia: system-deps venv octavia-venv
	@began=$$(date +%s); $(PYTEST) tests/upstream; rc=$$?; \
	echo "make test-octavia: tests took $$(( $$(date +%s) - began )) s"; exit $$rc

# Figures, not pass/fail: every module of bench/__main__.py's MODULES prints its figures
# next to the issue's targets; bench-results/ gets results.json, report.md and the plots.
# Exits non-zero only when a module failed to run.
bench: system-deps venv
	env -u OS_CLOUD -u OS_CLIENT_CONFIG_FILE -u HEAT_LBAAS_DEVCLOUD_DIR \
		$(BIN)/python -m bench --size full --out bench-results

venv: $(STAMP)

keystone-venv: $(KEYSTONE_STAMP)

$(KEYSTONE_STAMP):
	$(PYTHON) -m venv $(KEYSTONE_VENV)
	$(KEYSTONE_VENV)/bin/python -m pip install --upgrade pip
	$(KEYSTONE_VENV)/bin/python -m pip install $(KEYSTONE_PACKAGES)
	touch $@

octavia-tempest-venv: $(OCTAVIA_TEMPEST_STAMP)

$(OCTAVIA_TEMPEST_STAMP):
	$(PYTHON) -m venv $(OCTAVIA_TEMPEST_VENV)
	$(OCTAVIA_TEMPEST_VENV)/bin/python -m pip install --upgrade pip
	$(OCTAVIA_TEMPEST_VENV)/bin/python -m pip install $(OCTAVIA_TEMPEST_PACKAGES)
	touch $@

octavia-venv: $(OCTAVIA_STAMP)

$(OCTAVIA_STAMP):
	$(PYTHON) -m venv $(OCTAVIA_VENV)
	$(OCTAVIA_VENV)/bin/python -m pip install $(OCTAVIA_PACKAGES)
	touch $@

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[test,bench]'
	touch $@

# Debian packages: haproxy (the amphorae), curl (the demo), iputils-ping (PING health
# Debian packages: haproxy (the amphorae), curl (the demo), iputils-ping (PING health
# monitors), mariadb-server (the private database servers of Keystone in `up --auth
# keystone` and of upstream Octavia; their system service is not used), memcached (the
# cache Keystone's workers share in `up --auth keystone`; its service is not used either), rabbitmq-server
# and openssl (upstream Octavia's messaging and throwaway CA, make test-octavia),
# wrk (the data-plane benchmark, make bench and its smoke test),
# python3-venv (only when the python3 in use cannot create a virtualenv yet).
# apt-get runs only when something is missing.
system-deps:
	@missing=""; \
	command -v haproxy >/dev/null 2>&1 || missing="$$missing haproxy"; \
	command -v keepalived >/dev/null 2>&1 || missing="$$missing keepalived"; \
	command -v mariadbd >/dev/null 2>&1 || missing="$$missing mariadb-server"; \
	command -v memcached >/dev/null 2>&1 || missing="$$missing memcached"; \
	[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing="$$missing rabbitmq-server"; \
	command -v openssl >/dev/null 2>&1 || missing="$$missing openssl"; \
	command -v curl >/dev/null 2>&1 || missing="$$missing curl"; \
	command -v wrk >/dev/null 2>&1 || missing="$$missing wrk"; \
	command -v keepalived >/dev/null 2>&1 || missing="$$missing keepalived"; \
	command -v ping >/dev/null 2>&1 || missing="$$missing iputils-ping"; \
	command -v ip >/dev/null 2>&1 || missing="$$missing iproute2"; \
	command -v nsenter >/dev/null 2>&1 || missing="$$missing util-linux"; \
	command -v sysctl >/dev/null 2>&1 || missing="$$missing procps"; \
	command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	command -v mariadb-install-db >/dev/null 2>&1 || missing="$$missing mariadb-server"; \
	if [ ! -x $(BIN)/python ] && ! $(PYTHON) -c 'import ensurepip, venv' >/dev/null 2>&1; then \
		missing="$$missing python3-venv"; \
	fi; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi; \
		echo "installing Debian packages:$$missing"; \
		$$sudo apt-get update && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing; \
	fi

# demo, down and clean always use this checkout's devcloud, whatever the shell exported.
down:
	@if [ -x $(BIN)/heat-lbaas-devcloud ]; then \
		HEAT_LBAAS_DEVCLOUD_DIR=$(CURDIR)/.devcloud $(BIN)/heat-lbaas-devcloud down; \
	else echo "no $(BIN)/heat-lbaas-devcloud: nothing to stop"; fi

clean: down
	rm -rf .devcloud

# ruff checks every Python source of the checkout (rules in pyproject.toml);
# tests/unit/test_lint.py runs the same.
lint: venv
	$(BIN)/ruff check
	$(BIN)/yamllint -c .yamllint --strict templates environments .yamllint

# As Octavia's gate runs it (medium severity and confidence and above); make test runs
# the same through tests/unit/test_bandit.py.
bandit: venv
	$(BIN)/bandit -r heat_lbaas tempest_plugin -ll -ii

sample-config: venv
	$(BIN)/oslo-config-generator --config-file etc/oslo-config-generator/heat-lbaas-controller.conf

# segkit — two commands do everything on a fresh Debian machine with Node 20:
#   make report   set up what is missing, then write reports/segmentation.html and .pdf from data/
#   make test     set up what is missing, then type-check and run the whole test suite
# `make setup` alone is idempotent and quiet when everything is present.

SHELL := /bin/bash
.DEFAULT_GOAL := help

APT_PACKAGES := chromium jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel \
                jupyter-client poppler-utils fonts-dejavu-core clickhouse-server postgresql-15
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
JUPYTER := /usr/bin/jupyter
TS_SOURCES := $(shell find src -name '*.ts' -o -name '*.json' -o -name '*.py' 2>/dev/null)
INPUT ?= data/sample_transactions.csv

.PHONY: help setup apt npm build kernel report test typecheck eslint lint bench clean sample db-demo

help:
	@echo "make report   install what is missing, run the analysis on $(INPUT), write reports/segmentation.{html,pdf}"
	@echo "make test     install what is missing, type-check and run the test suite"
	@echo "make setup    only install (apt packages, npm ci, build, tslab kernel); idempotent"
	@echo "make lint     eslint (typescript-eslint recommended) and a prettier check of the TypeScript"
	@echo "make db-demo  load the sample into a throw-away PostgreSQL and ClickHouse cluster and report from each"
	@echo "make bench    run the benchmarks in bench/ (minutes; not part of the tests)"

setup: apt npm build kernel

# Debian packages: apt-get update + install only when something is missing.
# clickhouse-server and postgresql-15 are for the database tests, which start their own throw-away servers
# (test/helpers/databases.ts) on free loopback ports; the packaged clickhouse-server service is switched off
# right after it is installed (the package enables it). A system PostgreSQL cluster is left as it is.
apt:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "setup: installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null || exit 1; \
	  if echo "$$missing" | grep -qw clickhouse-server; then \
	    echo "setup: disabling the system clickhouse-server service (tests start their own servers)"; \
	    if [ -d /run/systemd/system ]; then $(SUDO) systemctl disable --now clickhouse-server >/dev/null 2>&1 || true; \
	    else $(SUDO) service clickhouse-server stop >/dev/null 2>&1 || true; \
	         $(SUDO) update-rc.d clickhouse-server disable >/dev/null 2>&1 || true; fi; \
	  fi; \
	fi

# npm packages at the locked versions; re-run only when package.json or the lock file change.
# `npm ci` is tried first; the registry reachable here serves no other-platform builds of packages with
# platform binaries (nodejs-polars-darwin-*, @rollup/rollup-android-*, …), so the lock file cannot list them
# and `npm ci` refuses it as out of sync. `npm install` then installs the same locked versions.
npm: node_modules/.segkit-stamp
node_modules/.segkit-stamp: package.json package-lock.json .puppeteerrc.cjs
	@echo "setup: installing npm packages"
	@npm ci --no-audit --no-fund --loglevel=silent 2>/dev/null || npm install --no-audit --no-fund --loglevel=error
	@touch $@

# CommonJS build with type declarations (notebooks import ../dist; tslab cannot import ../src).
build: dist/.build-stamp
dist/.build-stamp: node_modules/.segkit-stamp $(TS_SOURCES) tsconfig.json tsconfig.build.json
	@echo "setup: building dist/"
	@rm -rf dist && npx --no-install tsc -p tsconfig.build.json
	@touch $@

# Register the tslab (TypeScript) and jslab kernels for this user with a launcher that belongs to no
# checkout (scripts/jupyter/tslab-kernel.sh, copied into the kernel spec folder): it starts the tslab of
# the checkout holding the notebook, so registering from a second clone, or deleting one, breaks no other
# clone. Notebooks outside every checkout use this checkout's tslab (the `fallback` file) while it exists.
# Quiet and unchanged when the installed specs are already these.
kernel:
	@data="$$($(JUPYTER) --data-dir)" || exit 1; stage="$$(mktemp -d)"; trap 'rm -rf "$$stage"' EXIT; \
	for k in tslab jslab; do \
	  mkdir -p "$$stage/$$k"; cp scripts/jupyter/tslab-kernel.sh "$$stage/$$k/"; printf '%s\n' "$(CURDIR)" > "$$stage/$$k/fallback"; \
	  if [ $$k = tslab ]; then printf '%s\n' '{"argv": ["/bin/sh", "{resource_dir}/tslab-kernel.sh", "{connection_file}"], "display_name": "TypeScript", "language": "typescript"}'; \
	  else printf '%s\n' '{"argv": ["/bin/sh", "{resource_dir}/tslab-kernel.sh", "{connection_file}", "--js"], "display_name": "JavaScript", "language": "javascript"}'; fi > "$$stage/$$k/kernel.json"; \
	  same=1; for f in kernel.json tslab-kernel.sh fallback; do cmp -s "$$stage/$$k/$$f" "$$data/kernels/$$k/$$f" || same=0; done; \
	  if [ $$same = 0 ]; then \
	    echo "setup: registering the $$k Jupyter kernel (tslab of the notebook's checkout)"; \
	    $(JUPYTER) kernelspec install --user --replace --name $$k "$$stage/$$k" >/dev/null 2>&1 || { echo "setup: jupyter kernelspec install failed" >&2; exit 1; }; \
	  fi; \
	done

report: setup
	@node bin/segkit.js run notebooks/segmentation.ipynb -o reports/segmentation.ipynb \
	  -p input "$(abspath $(INPUT))" -p outDir "$(CURDIR)/reports" -p name segmentation
	@ls -l reports/segmentation.html reports/segmentation.pdf

typecheck: build
	@npx --no-install tsc --noEmit -p tsconfig.json

# eslint (eslint.config.mjs) runs in `make test`; prettier --check (.prettierrc.json) is in `make lint`
# only, until the code base has been reformatted in one commit (`npm run format`).
eslint: npm
	@npx --no-install eslint .

lint: eslint
	@npx --no-install prettier --check --log-level warn "{src,test,bench,scripts}/**/*.ts" "*.ts" eslint.config.mjs

test: setup typecheck eslint
	@npx --no-install vitest run

# The database path end to end: throw-away PostgreSQL + two-shard ClickHouse, segkit load, segkit report --source.
db-demo: setup
	@npx --no-install vite-node scripts/db-demo.ts

bench: setup
	@node bench/run.js

sample: build
	@node bin/segkit.js generate --out data/sample_transactions.csv --seed 42

clean:
	rm -rf dist reports/*.html reports/*.pdf reports/*.csv reports/*.ipynb bench/results

# Two commands do all set-up: `make serve` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: serve serve-zeo backup restore pack test install catalogs bytecode bench clean-var i18n browser-deps db-deps deploy-deps system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip "setuptools<81" wheel

$(STAMP): $(BIN)/python setup.py
	$(BIN)/pip install --quiet -e '.[testing]'
	touch $(STAMP)

install: $(STAMP) catalogs bytecode

# The portal is installed editable, so pip compiles none of its modules; where the environment sets
# PYTHONDONTWRITEBYTECODE (this one does), every process compiled all of them again at each start:
# 0.4-0.7 s of each portal-tick run, every minute.  compileall writes the ones that changed.
bytecode: $(STAMP)
	$(BIN)/python -m compileall -q portal >/dev/null

# Translations are compiled at every install/run, so a changed .po always shows.
catalogs: $(STAMP)
	$(BIN)/python setup.py -q compile_catalogs

var/Data.fs: | $(STAMP)
	mkdir -p var
	$(BIN)/portal-init development.ini --demo

# PDFs are typeset by weasyprint (pango) with Debian's Noto CJK fonts embedded; the tests read
# them back with poppler's pdftotext.  Installed when missing.
system-deps:
	@{ ls /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc && ldconfig -p | grep -q libpangoft2-1.0 && \
		command -v pdftotext; } >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk \
			libpango-1.0-0 libpangoft2-1.0-0 poppler-utils >/dev/null; } || \
		echo "fonts-noto-cjk, pango or poppler-utils could not be installed: PDFs need them"

serve: install system-deps var/Data.fs
	$(BIN)/pserve development.ini

# Browser tests drive Debian's chromium (never a downloaded browser) and inject axe-core from npm.
browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && [ -d /usr/share/fonts/opentype/noto ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; }
	@[ -f .browser/node_modules/axe-core/axe.min.js ] || \
		npm install --silent --no-audit --no-fund --prefix .browser axe-core@4 >/dev/null

# Backups with ZODB's repozo: the first is full, later ones incremental; blobs are copied beside
# them (blob files never change once written).  Restore with `make restore RESTORE_TO=/some/dir`.
BACKUPS ?= var/backups
backup: install
	mkdir -p $(BACKUPS)/repozo $(BACKUPS)/blobs
	$(BIN)/repozo -B -r $(BACKUPS)/repozo -f var/Data.fs
	cp -a -n var/blobs/. $(BACKUPS)/blobs/

restore: install
	test -n "$(RESTORE_TO)"
	mkdir -p $(RESTORE_TO)/blobs
	$(BIN)/repozo -R -r $(BACKUPS)/repozo -o $(RESTORE_TO)/Data.fs
	cp -a $(BACKUPS)/blobs/. $(RESTORE_TO)/blobs/

# Drop revisions older than a week from var/Data.fs (stop `make serve` first: it holds the lock).
pack: install
	$(BIN)/portal-pack development.ini --days 7

# A ZEO server and two application processes on loopback (stop them with Ctrl-C).
ZEO_PORT ?= 8100
serve-zeo: install var/Data.fs
	printf '<zeo>\n  address 127.0.0.1:$(ZEO_PORT)\n</zeo>\n<filestorage>\n  path $(CURDIR)/var/Data.fs\n  blob-dir $(CURDIR)/var/blobs\n</filestorage>\n' > var/zeo.conf
	$(BIN)/runzeo -C var/zeo.conf & sleep 2; \
	$(BIN)/pserve zeo.ini zeo_port=$(ZEO_PORT) http_port=6544 & \
	$(BIN)/pserve zeo.ini zeo_port=$(ZEO_PORT) http_port=6545; kill %1 %2

# RelStorage's test starts a private PostgreSQL server from Debian's packages; without them it skips.
db-deps:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; } || \
		echo "PostgreSQL could not be installed: tests/test_relstorage.py will skip"

# The deployment tests check the shipped nginx site with Debian's nginx (installed when missing;
# the package's service is not started here); without it they skip, saying why.
deploy-deps:
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; } || \
		echo "nginx could not be installed: the nginx tests in tests/test_production.py will skip"

# The suite runs on every core (pytest-xdist; each worker has its own temp folders and ports).
test: install system-deps browser-deps db-deps deploy-deps
	$(BIN)/python -m pytest -q -n auto tests

bench: install db-deps
	mkdir -p bench-results
	$(BIN)/python -m bench.bench_foundation
	$(BIN)/python -m bench.bench_register
	$(BIN)/python -m bench.bench_vote
	$(BIN)/python -m bench.bench_city
	$(BIN)/python -m bench.bench_zeo
	$(BIN)/python -m bench.bench_bind
	$(BIN)/python -m bench.bench_notify
	$(BIN)/python -m bench.bench_desks

# Re-extract message ids from code and templates (lingua), to update the .po by hand.
i18n: install
	$(BIN)/pot-create -o portal/locale/portal.pot portal templates
	$(BIN)/pybabel update -i portal/locale/portal.pot -d portal/locale -D portal -l zh_Hans --no-fuzzy-matching

clean-var:
	rm -rf var

# shellcheck shell=bash
# Shared set-up for scripts/run, scripts/test and scripts/lint: finds Odoo,
# builds the virtual environment, finds or starts PostgreSQL. Sourced, never run.
#
# Settings (environment variables, all optional):
#   ODOO_SRC        an Odoo 18.0 source tree (holds odoo-bin)   default /opt/odoo-18.0
#   WILLSOFT_HOME   venv, node tools, Odoo data, logs, ...      default ~/.local/share/willsoft_privacy
#   WILLSOFT_PG     auto | cluster | embedded | env              default auto
#                   (env: use PGHOST/PGPORT/PGUSER/PGPASSWORD as given)
#   WILLSOFT_PGDATA data folder of the embedded PostgreSQL      default $WILLSOFT_HOME/pgdata
#   PYTHON          the Python 3.10-3.12 to build the venv with  default python3

set -euo pipefail

REPO_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ODOO_SRC=${ODOO_SRC:-/opt/odoo-18.0}
WILLSOFT_HOME=${WILLSOFT_HOME:-$HOME/.local/share/willsoft_privacy}
WILLSOFT_PG=${WILLSOFT_PG:-auto}
PYTHON=${PYTHON:-python3}
VENV="$WILLSOFT_HOME/venv"
ODOO_NIGHTLY_URL=${ODOO_NIGHTLY_URL:-https://nightly.odoo.com/18.0/nightly/src/odoo_18.0.latest.tar.gz}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[31mERROR: %s\033[0m\n' "$*" >&2; exit 2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
    else return 1; fi
}

# --- Odoo ------------------------------------------------------------------

odoo_tree_ok() {
    [ -f "$1/odoo-bin" ] && [ -f "$1/odoo/release.py" ] &&
        grep -q "version_info = (18, 0" "$1/odoo/release.py"
}

# Fetch the official 18.0 nightly source for users who are online.
fetch_odoo_nightly() {
    local dest=$1 tmp
    command -v curl >/dev/null || return 1
    tmp=$(mktemp -d)
    say "No Odoo tree at $dest: fetching the official 18.0 nightly source"
    if ! curl -fsSL --connect-timeout 15 --max-time 900 "$ODOO_NIGHTLY_URL" -o "$tmp/odoo.tar.gz"; then
        rm -rf "$tmp"; return 1
    fi
    mkdir -p "$dest" || { rm -rf "$tmp"; return 1; }
    tar -xzf "$tmp/odoo.tar.gz" -C "$dest" --strip-components=1
    rm -rf "$tmp"
    # The nightly keeps addons in addons/; odoo-bin finds them there itself.
    odoo_tree_ok "$dest"
}

find_odoo() {
    if odoo_tree_ok "$ODOO_SRC"; then return; fi
    if [ -e "$ODOO_SRC" ] && [ -n "$(ls -A "$ODOO_SRC" 2>/dev/null)" ]; then
        die "ODOO_SRC=$ODOO_SRC is not an Odoo 18.0 source tree (no odoo-bin, or odoo/release.py is not 18.0).
Point ODOO_SRC at the folder that holds odoo-bin of an Odoo 18.0 Community source tree."
    fi
    fetch_odoo_nightly "$ODOO_SRC" && return
    die "No Odoo 18.0 source tree found, and the official nightly could not be fetched.
Provide one of these, then run this command again:
  - an Odoo 18.0 Community source tree (the folder holding odoo-bin) at $ODOO_SRC, or
  - the path of such a tree in the environment: export ODOO_SRC=/path/to/odoo-18.0
The tree is e.g. the extracted $ODOO_NIGHTLY_URL
or a checkout of the 18.0 branch of github.com/odoo/odoo."
}

odoo_addons_path() {
    local paths="$REPO_DIR"
    [ -d "$ODOO_SRC/addons" ] && paths="$paths,$ODOO_SRC/addons"
    paths="$paths,$ODOO_SRC/odoo/addons"
    echo "$paths"
}

# pip, less the warnings of find-links folders that a machine may name but lack.
quiet_pip() {
    "$@" 2> >(grep -v "^WARNING: Location '.*' is ignored" >&2)
}

# --- Python ----------------------------------------------------------------

setup_venv() {
    local stamp want
    want=$(cat "$ODOO_SRC/requirements.txt" "$REPO_DIR/requirements.txt" | sha256sum | cut -c1-16)
    stamp="$VENV/.willsoft-requirements"
    if [ -x "$VENV/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ] &&
        [ "$(cat "$VENV/.willsoft-odoo-src" 2>/dev/null)" = "$ODOO_SRC" ]; then
        return
    fi
    command -v pg_config >/dev/null ||
        die "pg_config is missing: psycopg2 needs PostgreSQL's client headers (Debian: apt-get install libpq-dev)."
    [ -f /usr/include/ldap.h ] || [ -f /usr/local/include/ldap.h ] ||
        die "ldap.h is missing: python-ldap needs it (Debian: apt-get install libldap2-dev libsasl2-dev)."
    say "Building the virtual environment in $VENV (a few minutes the first time)"
    mkdir -p "$WILLSOFT_HOME"
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    local pip=(quiet_pip "$VENV/bin/python" -m pip --disable-pip-version-check -q)
    "${pip[@]}" install "setuptools<81" wheel setuptools_scm
    # cbor2 5.4.2 (Odoo's pin for Python < 3.12) builds only without build
    # isolation, and needs setuptools_scm present to know its own version.
    "${pip[@]}" install --no-build-isolation "cbor2==5.4.2; python_version < '3.12'"
    "${pip[@]}" install -r "$ODOO_SRC/requirements.txt" -r "$REPO_DIR/requirements.txt"
    # Make `import odoo` work (pytest-odoo, scripts) without copying the tree.
    "$VENV/bin/python" - "$ODOO_SRC" <<'PY'
import pathlib, site, sys
pathlib.Path(site.getsitepackages()[0], "odoo-src.pth").write_text(sys.argv[1] + "\n")
PY
    echo "$ODOO_SRC" >"$VENV/.willsoft-odoo-src"
    echo "$want" >"$stamp"
}

# --- Node tools for the lint -------------------------------------------------
# prettier and its XML plugin, at the versions of OCA's 18.0 template, in a
# project-local node_modules (never committed); scripts/prettier runs them.
PRETTIER_VERSION=3.3.3
PRETTIER_PLUGIN_XML_VERSION=3.4.1
NODE_TOOLS="$WILLSOFT_HOME/node"

setup_node_tools() {
    local want="prettier@$PRETTIER_VERSION @prettier/plugin-xml@$PRETTIER_PLUGIN_XML_VERSION"
    if [ -x "$NODE_TOOLS/node_modules/.bin/prettier" ] &&
        [ "$(cat "$NODE_TOOLS/.willsoft-packages" 2>/dev/null)" = "$want" ]; then
        return
    fi
    if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
        say "Node.js or npm is missing, so the lint cannot run prettier: install them (Debian: apt-get install nodejs npm) and run again, or skip that hook with SKIP=prettier."
        return 1
    fi
    say "Installing $want into $NODE_TOOLS"
    mkdir -p "$NODE_TOOLS"
    # shellcheck disable=SC2086
    npm install --prefix "$NODE_TOOLS" --no-save --no-audit --no-fund --loglevel=error $want ||
        { say "npm could not install $want (see above)."; return 1; }
    echo "$want" >"$NODE_TOOLS/.willsoft-packages"
}

# --- PostgreSQL ------------------------------------------------------------
# Exports PGHOST PGPORT PGUSER PGPASSWORD for Odoo, psql and the tests.

pg_ready() {
    "$VENV/bin/python" -c "import psycopg2; psycopg2.connect(dbname='postgres').close()" 2>/dev/null
}

pg_use_cluster() {
    command -v pg_lsclusters >/dev/null || return 1
    local line ver name port status
    line=$(pg_lsclusters -h | sort -r | head -n1)
    [ -n "$line" ] || return 1
    read -r ver name port status _ <<<"$line"
    if [[ $status != online* ]]; then
        say "Starting PostgreSQL cluster $ver/$name"
        as_root pg_ctlcluster "$ver" "$name" start ||
            die "PostgreSQL cluster $ver/$name is down and could not be started: run 'sudo pg_ctlcluster $ver $name start'."
    fi
    export PGHOST=127.0.0.1 PGPORT=$port PGUSER=${PGUSER:-willsoft} PGPASSWORD=${PGPASSWORD:-willsoft}
    if ! pg_ready; then
        # Odoo refuses the postgres role: make a role of our own.
        say "Creating PostgreSQL role $PGUSER"
        as_root runuser -u postgres -- env -u PGHOST -u PGUSER -u PGPASSWORD -u PGPORT \
            psql -p "$port" -qc \
            "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='$PGUSER') THEN
               CREATE ROLE \"$PGUSER\" LOGIN CREATEDB PASSWORD '$PGPASSWORD';
             ELSE ALTER ROLE \"$PGUSER\" LOGIN CREATEDB PASSWORD '$PGPASSWORD'; END IF; END\$\$;" ||
            die "Could not create the PostgreSQL role $PGUSER: create it with CREATEDB and password, then export PGUSER and PGPASSWORD."
    fi
    pg_ready
}

# Embedded PostgreSQL from PyPI (pgserver), for a laptop without a server.
pg_use_embedded() {
    local data=${WILLSOFT_PGDATA:-$WILLSOFT_HOME/pgdata}
    "$VENV/bin/python" -c 'import pgserver' 2>/dev/null ||
        "$VENV/bin/python" -m pip --disable-pip-version-check -q install "pgserver==0.1.4"
    say "Starting the embedded PostgreSQL in $data"
    local out
    # -W ignore: pgserver warns when XDG_RUNTIME_DIR is unset (as under sudo or CI).
    out=$("$VENV/bin/python" -W ignore "$REPO_DIR/scripts/embedded_pg.py" "$data") ||
        die "The embedded PostgreSQL did not start (see above). Install PostgreSQL 15+ and run again."
    eval "$out"
    pg_ready
}

setup_postgres() {
    [ "${PGUSER:-}" != postgres ] || die "Odoo refuses to run as the postgres role: set PGUSER to another role."
    case "$WILLSOFT_PG" in
        env) pg_ready || die "PostgreSQL at PGHOST=${PGHOST:-} PGPORT=${PGPORT:-} PGUSER=${PGUSER:-} does not answer." ;;
        cluster) pg_use_cluster || die "No usable PostgreSQL cluster (pg_lsclusters)." ;;
        embedded) pg_use_embedded || die "The embedded PostgreSQL does not answer." ;;
        auto)
            if [ -n "${PGHOST:-}" ] && pg_ready; then return; fi
            pg_use_cluster || pg_use_embedded ||
                die "No PostgreSQL found. Install PostgreSQL (Debian: apt-get install postgresql) or set PGHOST/PGPORT/PGUSER/PGPASSWORD."
            ;;
        *) die "WILLSOFT_PG must be auto, cluster, embedded or env (not '$WILLSOFT_PG')." ;;
    esac
    export PGHOST PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-$(id -un)} PGPASSWORD=${PGPASSWORD:-}
}

# --- Odoo command line -------------------------------------------------------

odoo() {
    "$VENV/bin/python" "$ODOO_SRC/odoo-bin" \
        --addons-path="$(odoo_addons_path)" \
        --data-dir="$WILLSOFT_HOME/data" \
        --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" --db_password="$PGPASSWORD" \
        "$@"
}

setup_all() {
    find_odoo
    setup_venv
    setup_postgres
    export PATH="$VENV/bin:$PATH"
}

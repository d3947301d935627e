#!/usr/bin/env bash
# The main command: Odoo 18 with trade_union_emulation, its demo data and
# Vietnamese, at http://localhost:8069 (login admin / admin on demo data).
#
#   bash scripts/run.sh [extra odoo args...]
#   UPDATE=1 bash scripts/run.sh          # upgrade the module (-u) first
#
# Database:
#   * By default a persistent PostgreSQL cluster of the project lives in
#     .local/pgdata (ignored by git), on its own port (5433; PG_PORT) and unix
#     socket, so the machine's default cluster is never touched.  It is
#     created on the first run and stopped again when Odoo stops (Ctrl-C).
#     If it is already running (another run.sh), it is reused and left running.
#   * If database settings are given -- env PGHOST/PGPORT/PGUSER/PGPASSWORD/
#     PGSERVICE or DB_HOST/DB_PORT/DB_USER/DB_PASSWORD, or args --db_host,
#     --db_port, --db_user/-r, --db_password/-w, or an Odoo config file
#     -c/--config -- those are used instead and no cluster is started.
#   * The addons path starts with a folder outside the repository, under
#     ${XDG_CACHE_HOME:-~/.cache}/trade_union_emulation/, holding a link named
#     trade_union_emulation to the repository (Odoo's translation exporter
#     follows links, so none may live inside the repository).
#   * The database (DB_NAME, default trade_union_demo) is created and the
#     module installed (-i, demo data, --load-language=vi_VN) when the module
#     is not installed in it yet; later runs reuse it as is, and pass
#     `-u trade_union_emulation` only when UPDATE=1.
#
# Environment: DB_NAME, HTTP_PORT (8069), PG_PORT (5433), PG_ROLE (odoo),
# PGDATA_DIR (.local/pgdata), UPDATE, plus ODOO_BIN, ODOO_ADDONS_PATH,
# ADDON_DIR, PG_BINDIR (see scripts/_common.sh).
set -euo pipefail

# shellcheck source=scripts/_common.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/_common.sh"

DB_NAME=${DB_NAME:-trade_union_demo}
HTTP_PORT=${HTTP_PORT:-8069}
PG_PORT=${PG_PORT:-5433}
PG_ROLE=${PG_ROLE:-odoo}
LOCAL_DIR=$REPO_ROOT/.local
PGDATA_DIR=${PGDATA_DIR:-$LOCAL_DIR/pgdata}

PG_STARTED=0              # 1 when this run started the cluster (and must stop it)
cleanup() {
    stop_odoo
    if ((PG_STARTED)); then
        log "stopping the PostgreSQL cluster in $PGDATA_DIR"
        pg_stop "$PGDATA_DIR"
        PG_STARTED=0
    fi
}
trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

# --- were database settings given? ----------------------------------------
external_db=0
user_config=0
for var in PGHOST PGHOSTADDR PGPORT PGUSER PGPASSWORD PGSERVICE DB_HOST DB_PORT DB_USER DB_PASSWORD; do
    [[ -n "${!var:-}" ]] && external_db=1
done
for arg in "$@"; do
    case "$arg" in
        --db_host|--db_host=*|--db_port|--db_port=*|--db_user|--db_user=*|--db_password|--db_password=*|-r*|-w*)
            external_db=1 ;;
        -c|-c*|--config|--config=*)
            external_db=1; user_config=1 ;;
    esac
done

# --- prerequisites ---------------------------------------------------------
detect_odoo
mkdir -p -- "$LOCAL_DIR/run" "$LOCAL_DIR/data"
port_is_free "$HTTP_PORT" ||
    die "port $HTTP_PORT is already in use (another Odoo?): stop it, or set HTTP_PORT."

db_args=()
if ((external_db)); then
    log "using the database settings given (no local cluster)"
    [[ -n "${DB_HOST:-}" ]] && db_args+=(--db_host="$DB_HOST")
    [[ -n "${DB_PORT:-}" ]] && db_args+=(--db_port="$DB_PORT")
    [[ -n "${DB_USER:-}" ]] && db_args+=(--db_user="$DB_USER")
    [[ -n "${DB_PASSWORD:-}" ]] && db_args+=(--db_password="$DB_PASSWORD")
else
    ensure_system_deps postgresql
    PG_BIN=$(pg_find_bindir)
    if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
        log "creating the PostgreSQL cluster in $PGDATA_DIR"
        pg_init "$PGDATA_DIR" "$PG_ROLE"
    fi
    if pg_is_running "$PGDATA_DIR"; then
        log "PostgreSQL cluster in $PGDATA_DIR already running: reusing it (left running on exit)"
        PG_PORT=$(sed -n 4p "$PGDATA_DIR/postmaster.pid")
    else
        port_is_free "$PG_PORT" ||
            die "port $PG_PORT is already in use: set PG_PORT to a free port for the local PostgreSQL cluster."
        log "starting the PostgreSQL cluster in $PGDATA_DIR on port $PG_PORT"
        PG_STARTED=1
        pg_start "$PGDATA_DIR" "$PGDATA_DIR" "$PG_PORT" ||
            die "cannot start the PostgreSQL cluster in $PGDATA_DIR (see its log above)."
    fi
    db_args=(--db_host="$PGDATA_DIR" --db_port="$PG_PORT" --db_user="$PG_ROLE")
fi
ensure_python_deps requirements.txt
# The addons-path link lives outside the repository (see make_addons_path);
# a link left inside it by an older run.sh would still be followed by Odoo's
# translation exporter: remove it.
if [[ -L "$LOCAL_DIR/addons/$TUE_MODULE" ]]; then
    rm -f -- "$LOCAL_DIR/addons/$TUE_MODULE"
    rmdir -- "$LOCAL_DIR/addons" 2>/dev/null || true
fi
make_addons_path "$(checkout_cache_dir)/addons"
ODOO_WORKDIR=$LOCAL_DIR/run

odoo_args=()
if ((!user_config)); then
    # A config file of the project keeps ~/.odoorc out, and holds what the
    # web UI saves (e.g. the master password).
    [[ -f "$LOCAL_DIR/odoo.conf" ]] || printf '[options]\n' >"$LOCAL_DIR/odoo.conf"
    odoo_args+=(--config="$LOCAL_DIR/odoo.conf")
fi
odoo_args+=(
    --addons-path="$ADDONS_PATH"
    --data-dir="$LOCAL_DIR/data"
    "${db_args[@]}"
    --database="$DB_NAME" --db-filter="^${DB_NAME}\$"
    --http-port="$HTTP_PORT"
)

# --- first run or not? -----------------------------------------------------
# Asks PostgreSQL, through Odoo's own configuration code (so env PG*, --db_*
# args and config files are all honoured exactly as Odoo will), for the state
# of the module in the database: nodb / empty / absent / <ir.module state>.
read -r -d '' STATE_PY <<'PYEOF' || true
import sys
from odoo.tools import config
import odoo.sql_db
module, args = sys.argv[1], sys.argv[2:]
config.parse_config(args, setup_logging=False)
dbname = config["db_name"]
with odoo.sql_db.db_connect("postgres").cursor() as cr:
    cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", [dbname])
    exists = bool(cr.fetchone())
if not exists:
    print("nodb")
    sys.exit(0)
with odoo.sql_db.db_connect(dbname).cursor() as cr:
    cr.execute("SELECT to_regclass('ir_module_module')")
    if cr.fetchone()[0] is None:
        print("empty")
        sys.exit(0)
    cr.execute("SELECT state FROM ir_module_module WHERE name = %s", [module])
    row = cr.fetchone()
    print(row[0] if row else "absent")
PYEOF

state=unknown
if [[ -n "$ODOO_PYTHON" ]]; then
    state=$(cd -- "$ODOO_WORKDIR" && "$ODOO_PYTHON" -c "$STATE_PY" "$TUE_MODULE" "${odoo_args[@]}" "$@" 2>/dev/null) ||
        state=unknown
fi
case "$state" in
    installed|"to upgrade"|"to remove")
        if [[ "${UPDATE:-0}" == 1 ]]; then
            log "database $DB_NAME: updating $TUE_MODULE (UPDATE=1)"
            odoo_args+=(--update="$TUE_MODULE")
        else
            log "database $DB_NAME: $TUE_MODULE installed, reusing it (UPDATE=1 to upgrade the module)"
        fi ;;
    *)
        # nodb, empty, absent, uninstalled, "to install", or unknown (then
        # -i is harmless: Odoo skips modules that are installed already).
        log "database $DB_NAME ($state): installing $TUE_MODULE with demo data and Vietnamese"
        odoo_args+=(--init="$TUE_MODULE" --load-language=vi_VN) ;;
esac

# --- run -------------------------------------------------------------------
log "Odoo at http://localhost:$HTTP_PORT (database $DB_NAME; demo login admin / admin); Ctrl-C stops it"
start_odoo "${odoo_args[@]}" "$@"
wait_odoo
log "Odoo exited with status $ODOO_RC"
cleanup
((INTERRUPTED)) && exit 0
exit "$ODOO_RC"

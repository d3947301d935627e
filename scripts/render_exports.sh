#!/usr/bin/env bash
# Print the five Excel exports of the demo database (made by scripts/run.sh)
# as the receiving federation would: each export of each demo login through
# LibreOffice to PDF, then one PNG per page, to look at.
#
#   bash scripts/render_exports.sh [OUT_DIR] [--login LOGIN ...]
#
# OUT_DIR defaults to .local/exports. Uses the cluster and database of
# scripts/run.sh (PG_PORT, DB_NAME, PGDATA_DIR as there), starting the cluster
# for the run when it is not running; nothing is written to the database.
# Installs LibreOffice Calc, poppler-utils and fonts-liberation2 with apt-get
# when missing.
set -euo pipefail

# shellcheck source=scripts/_common.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/_common.sh"

OUT_DIR=$REPO_ROOT/.local/exports
if [[ $# -gt 0 && $1 != --* ]]; then OUT_DIR=$1; shift; fi
DB_NAME=${DB_NAME:-trade_union_demo}
PG_PORT=${PG_PORT:-5433}
PG_ROLE=${PG_ROLE:-odoo}
PGDATA_DIR=${PGDATA_DIR:-$REPO_ROOT/.local/pgdata}

PG_STARTED=0
cleanup() { ((PG_STARTED)) && pg_stop "$PGDATA_DIR"; PG_STARTED=0; }
trap cleanup EXIT

detect_odoo
# Liberation Serif 2 has Times New Roman's widths and the Vietnamese letters
# (version 1 lacks them: LibreOffice then borrows wider ones from DejaVu).
if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null ||
    ! fc-list ":charset=1ea1" family 2>/dev/null | grep -q "Liberation Serif"; then
    log "installing LibreOffice Calc, poppler-utils and fonts-liberation2"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libreoffice-calc poppler-utils fonts-liberation2 >/dev/null
fi
PG_BIN=$(pg_find_bindir) || die "no PostgreSQL server found: run scripts/run.sh once first."
[[ -f "$PGDATA_DIR/PG_VERSION" ]] || die "no demo database cluster in $PGDATA_DIR: run scripts/run.sh once first."
if pg_is_running "$PGDATA_DIR"; then
    PG_PORT=$(sed -n 4p "$PGDATA_DIR/postmaster.pid")
else
    port_is_free "$PG_PORT" || die "port $PG_PORT is in use: set PG_PORT to a free port."
    pg_start "$PGDATA_DIR" "$PGDATA_DIR" "$PG_PORT" || die "cannot start the cluster in $PGDATA_DIR."
    PG_STARTED=1
fi
# The addons-path link lives outside the repository (see make_addons_path).
make_addons_path "$(checkout_cache_dir)/addons"
mkdir -p -- "$OUT_DIR"
OUT_DIR=$(cd -- "$OUT_DIR" && pwd -P)
rm -f -- "$OUT_DIR"/*.png
(cd / && "$ODOO_PYTHON" "$REPO_ROOT/scripts/render_exports.py" --out "$OUT_DIR" "$@" -- \
    --addons-path="$ADDONS_PATH" --db_host="$PGDATA_DIR" --db_port="$PG_PORT" \
    --db_user="$PG_ROLE" --database="$DB_NAME")
log "exports, PDFs and page images in $OUT_DIR"

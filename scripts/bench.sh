#!/usr/bin/env bash
# Scale benchmark of the trade_union_emulation addon (DESIGN.md §9 "Scale").
#
#   bash scripts/bench.sh [extra odoo args...]
#
# What it does:
#   * Starts a throwaway PostgreSQL cluster (as scripts/test.sh does), installs
#     the module WITHOUT demo data into a scratch database.
#   * scripts/bench.py then builds a province of 100,000 members in 1,000
#     grassroots unions and measures, each beside its lower bound measured in
#     the same run (the same result in plain SQL, or xlsxwriter straight from
#     SQL):
#       1. the year's draft pledges with their lines  (target <= 60 s)
#       2. the province's statistics + its annual report (target <= 3 s)
#       3. the Excel export of every pledge (target <= 30 s, memory <= 300 MB)
#       4. an officer's first pledge list page under record rules (<= 0.3 s)
#   * Prints time, ratio to the bound, PASS/FAIL; exits 1 if a target is missed.
#   * Always stops its cluster and removes its folders.
# Timings depend on the machine: run it when the machine is otherwise idle
# (the load average is printed before and after). It takes several minutes and
# is not part of scripts/test.sh.
#
# Environment: BENCH_MEMBERS (100000), BENCH_UNIONS (1000), BENCH_DISTRICTS
# (12), BENCH_YEAR (2026), plus ODOO_BIN, ODOO_ADDONS_PATH, ADDON_DIR,
# PG_BINDIR (see scripts/_common.sh).
set -euo pipefail

# shellcheck source=scripts/_common.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/_common.sh"

DB_NAME=tue_bench
PG_ROLE=odoo

WORK_DIR=""
PG_DIR=""
CLEANED=0

cleanup() {
    ((CLEANED)) && return 0
    CLEANED=1
    remove_throwaway
}
trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

# --- prerequisites ---------------------------------------------------------
detect_odoo
[[ -n "$ODOO_PYTHON" ]] ||
    die "cannot find the Python interpreter behind ODOO_BIN='${ODOO_BIN:-}': scripts/bench.py must import odoo."
WORK_DIR=$(mktemp -d /tmp/tue-bench.XXXXXX)
make_addons_path "$WORK_DIR/addons"
ODOO_WORKDIR=$WORK_DIR
ensure_system_deps postgresql
ensure_python_deps requirements.txt
PG_BIN=$(pg_find_bindir)

# --- throwaway cluster -----------------------------------------------------
# Memory as a small production server.
start_throwaway_cluster tue-bench-pg "shared_buffers = 256MB" "work_mem = 32MB"

printf '[options]\n' >"$WORK_DIR/odoo.conf"
common_args=(
    --config="$WORK_DIR/odoo.conf"
    --addons-path="$ADDONS_PATH"
    --data-dir="$WORK_DIR/data"
    --db_host="$PG_DIR" --db_port="$PG_PORT" --db_user="$PG_ROLE"
    --database="$DB_NAME"
    --max-cron-threads=0 --workers=0
    "$@"
)

# --- install the module without demo data ------------------------------------
log "installing $TUE_MODULE (no demo data) into $DB_NAME"
start_time=$SECONDS
start_odoo "${common_args[@]}" --init="$TUE_MODULE" --without-demo=all --stop-after-init \
    --log-level=warn --http-port="$(free_port)" --http-interface=127.0.0.1
wait_odoo
((ODOO_RC == 0)) || die "installing $TUE_MODULE failed (status $ODOO_RC)."
log "installed in $((SECONDS - start_time)) s"

# --- the benchmark ------------------------------------------------------------
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
status=0
(cd -- "$WORK_DIR" && "$ODOO_PYTHON" "$REPO_ROOT/scripts/bench.py" "${common_args[@]}" --log-level=warn) || status=$?
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
((INTERRUPTED)) && status=130

cleanup
if ((status == 0)); then
    log "all targets met."
else
    log "FAILED: a target was missed or the bench did not finish (status $status)."
fi
exit "$status"

#!/usr/bin/env bash
# Scale benchmark of the trade_union_emulation addon (DESIGN.md §9 "Scale",
# issue 12).
#
#   bash scripts/bench.sh [--members N] [--grassroots N] [--districts N]
#                         [--year Y] [--json FILE] [--only W3,W4]
#                         [extra odoo args...]
#   bash scripts/bench.sh --compare SMALL.json LARGE.json
#
# What it does:
#   * Starts a throwaway PostgreSQL cluster (as scripts/test.sh does), installs
#     the module WITHOUT demo data into a scratch database.
#   * scripts/bench.py then builds a province (default 100,000 members in 1,000
#     grassroots unions, one district per ~83 grassroots unions; members,
#     sessions, exemplars, commendations in SQL) and measures every yearly job,
#     each beside its lower bound measured in the same run (the same result in
#     plain SQL, xlsxwriter straight from SQL, or the ORM's statements replayed):
#       W1 pledge campaign <= 5 s          W2 province statistics <= 0.3 s
#       W3 pledge export <= 1.5x bound, memory growth <= 150 MB
#       W4 officer's first page <= 50 ms   W5 evaluation campaign <= 10 s
#       W6 annual-report cron <= 30 s, run again <= 2 s
#       W7 10,000-row member import <= 60 s
#       W8 manager's home + status board <= 0.5 s   W9 term summary <= 2 s
#   * Prints time, ratio to the bound, PASS/FAIL; writes the results as JSON
#     (default .local/bench/bench-<members>.json) and, when the runs of
#     100,000 and 1,000,000 members are both there, their growth table
#     (target: no workload more than 12x slower). Exits 1 if a target is missed.
#   * Always stops its cluster and removes its folders.
# Timings depend on the machine: run it when the machine is otherwise idle
# (the load average is printed beside each line). 100,000 members take about
# ten minutes, 1,000,000 about an hour. It is not part of scripts/test.sh;
# tests/test_bench.py runs every code path at a small size instead.
#
# Environment: BENCH_MEMBERS, BENCH_UNIONS, BENCH_DISTRICTS, BENCH_YEAR (the
# defaults of the options), plus ODOO_BIN, ODOO_ADDONS_PATH, ADDON_DIR,
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

# --- options: the bench's own go to bench.py, the rest to Odoo ------------------
bench_args=()
odoo_args=()
json_file=""
members=${BENCH_MEMBERS:-100000}
partial=""
while (($#)); do
    case $1 in
    --compare)
        (($# >= 3)) || die "--compare needs two JSON files."
        exec python3 "$REPO_ROOT/scripts/bench.py" --compare "$2" "$3"
        ;;
    --members | --grassroots | --districts | --year | --json | --only)
        (($# >= 2)) || die "$1 needs a value."
        [[ $1 == --members ]] && members=$2
        [[ $1 == --only ]] && partial=-partial
        if [[ $1 == --json ]]; then json_file=$2; else bench_args+=("$1" "$2"); fi
        shift 2
        ;;
    --members=* | --grassroots=* | --districts=* | --year=* | --only=*)
        [[ $1 == --members=* ]] && members=${1#*=}
        [[ $1 == --only=* ]] && partial=-partial
        bench_args+=("$1")
        shift
        ;;
    --json=*)
        json_file=${1#*=}
        shift
        ;;
    *)
        odoo_args+=("$1")
        shift
        ;;
    esac
done
[[ $members =~ ^[0-9]+$ ]] || die "--members must be a whole number, not '$members'."
RESULTS_DIR="$REPO_ROOT/.local/bench"
mkdir -p "$RESULTS_DIR"
# A run of some workloads (--only) does not replace the full run's results.
[[ -n "$json_file" ]] || json_file="$RESULTS_DIR/bench-$members$partial.json"
bench_args+=(--json "$json_file")

# --- throwaway cluster, module installed ----------------------------------------
# Memory as a small production server for a province (see the README's
# deployment section): a year of 1,000,000 members is 2.5 GB of tables and
# indexes, and the campaigns write several GB of WAL, which at the default
# max_wal_size (1 GB) would force a checkpoint every few seconds.
scale_prepare tue-bench "shared_buffers = 2GB" "work_mem = 32MB" "max_wal_size = 8GB"
common_args=("${SCALE_ARGS[@]}" --max-cron-threads=0 --workers=0 "${odoo_args[@]}")
scale_install "${odoo_args[@]}"

# --- the benchmark ------------------------------------------------------------
log "load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
status=0
(cd -- "$WORK_DIR" && "$ODOO_PYTHON" "$REPO_ROOT/scripts/bench.py" "${bench_args[@]}" \
    "${common_args[@]}" --log-level=warn) || status=$?
small="$RESULTS_DIR/bench-100000.json"
large="$RESULTS_DIR/bench-1000000.json"
if ((status == 0 || status == 1)) && [[ -f $small && -f $large ]]; then
    "$ODOO_PYTHON" "$REPO_ROOT/scripts/bench.py" --compare "$small" "$large" || status=1
fi
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
((INTERRUPTED)) && status=130

cleanup
if ((status == 0)); then
    log "all targets met."
else
    log "FAILED: a target was missed or the bench did not finish (status $status)."
fi
exit "$status"

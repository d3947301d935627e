#!/usr/bin/env bash
# Load test of the trade_union_emulation addon (issue 12, point 3): many users
# at once on a province-sized database, served by Odoo's multi-process server.
#
#   bash scripts/load.sh [--members N] [--grassroots N] [--districts N]
#                        [--duration S] [--think S] [--json FILE]
#                        [--officers N] [--leaders N] [--exporters N]
#                        [extra odoo args...]
#
# What it does:
#   * Starts a throwaway PostgreSQL cluster (as scripts/bench.sh does) and
#     installs the module WITHOUT demo data into a scratch database.
#   * `scripts/bench.py --build-only` builds the province (default 100,000
#     members in 1,000 grassroots unions), the year's pledges (2 in 10 submitted,
#     waiting for approval) and evaluations (1 in 10 submitted), an officer per
#     district and per 20 grassroots unions, a leader per district and the
#     provincial manager, each with the password = the login.
#   * Starts Odoo on it with --workers=4 --max-cron-threads=2 on 127.0.0.1 and
#     a free port, its log written beside the JSON results
#     (.local/load/load-<members>-server.log by default).
#   * scripts/load.py then drives it over JSON-RPC for --duration seconds
#     (default 60) from one OS process per client, as the web client does:
#       20 officers open, filter, search and group the lists of pledges,
#          members, evaluations and study sessions;
#        5 district leaders approve the submitted pledges and evaluations of
#          their district 50 at a time (the list's Approve button);
#        2 exports of a district's pledges to Excel by the provincial manager
#     (--officers/--leaders/--exporters change these numbers; --think S makes
#     each client pause S seconds on average between two actions, default 2,
#     a person's pace; --think 0 sends the next request as soon as the answer
#     came, 27 robots that measure the saturation of the machine);
#     while the addon's crons (pledge campaign, annual reports) run on the
#     cron workers: due when the load starts, triggered again half-way.
#   * Prints, per kind of request, count, requests/s, p50/p95/p99 latency and
#     errors, and the checks (targets):
#       no error (JSON-RPC error or HTTP status other than 200, every export
#       an xlsx file); p95 <= 1 s for every list request; no serialization
#       failure left unretried (server log); the crons ran during the load;
#       no duplicate pledge/evaluation/annual report; every approval made
#       once and recorded (state, approver, one state tracking each).
#     Writes the results as JSON (default .local/load/load-<members>.json) and
#     exits 1 if a check fails.
#   * Always stops Odoo and its cluster and removes its folders (the logs of
#     Odoo and PostgreSQL are kept beside the JSON results).
# Latencies depend on the machine: the load average is printed before and
# after. 100,000 members take about 3 minutes to build. It is not part of
# scripts/test.sh.
#
# Environment: LOAD_DURATION, LOAD_THINK, BENCH_MEMBERS, BENCH_UNIONS,
# BENCH_DISTRICTS (the defaults of the options), plus ODOO_BIN,
# ODOO_ADDONS_PATH, ADDON_DIR, PG_BINDIR (see scripts/_common.sh).
set -euo pipefail

# shellcheck source=scripts/_common.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/_common.sh"

DB_NAME=tue_load
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

# --- options: the province's go to bench.py, the load's to load.py, the rest to Odoo
build_args=()
load_args=()
odoo_args=()
json_file=""
members=${BENCH_MEMBERS:-100000}
duration=${LOAD_DURATION:-60}
while (($#)); do
    case $1 in
    --members | --grassroots | --districts | --duration | --think | --json | \
        --officers | --leaders | --exporters)
        (($# >= 2)) || die "$1 needs a value."
        case $1 in
        --members) members=$2 ;;
        --grassroots | --districts) build_args+=("$1" "$2") ;;
        --duration) duration=$2 ;;
        --think | --officers | --leaders | --exporters) load_args+=("$1" "$2") ;;
        --json) json_file=$2 ;;
        esac
        shift 2
        ;;
    --members=* | --grassroots=* | --districts=* | --duration=* | --think=* | --json=* | \
        --officers=* | --leaders=* | --exporters=*)
        set -- "${1%%=*}" "${1#*=}" "${@:2}"
        ;;
    *)
        odoo_args+=("$1")
        shift
        ;;
    esac
done
[[ $members =~ ^[0-9]+$ ]] || die "--members must be a whole number, not '$members'."
[[ $duration =~ ^[0-9]+$ ]] || die "--duration must be a whole number of seconds, not '$duration'."
build_args+=(--members "$members")
[[ -n ${BENCH_UNIONS:-} && " ${build_args[*]} " != *" --grassroots "* ]] &&
    build_args+=(--grassroots "$BENCH_UNIONS")
[[ -n ${BENCH_DISTRICTS:-} && " ${build_args[*]} " != *" --districts "* ]] &&
    build_args+=(--districts "$BENCH_DISTRICTS")
[[ -n ${LOAD_THINK:-} && " ${load_args[*]} " != *" --think "* ]] &&
    load_args+=(--think "$LOAD_THINK")
RESULTS_DIR="$REPO_ROOT/.local/load"
mkdir -p "$RESULTS_DIR"
[[ -n "$json_file" ]] || json_file="$RESULTS_DIR/load-$members.json"
# Odoo writes its log from a scratch folder: absolute paths only.
json_file=$(realpath -m -- "$json_file")
server_log="${json_file%.json}-server.log"

# --- prerequisites ---------------------------------------------------------
# --- throwaway cluster, module installed ----------------------------------------
# Memory as a small production server; connections for 4 HTTP workers, 2 cron
# workers and the checks of load.py; the statements slower than 200 ms logged
# (load.py lists those of the load).
scale_prepare tue-load "shared_buffers = 2GB" "work_mem = 32MB" "max_wal_size = 8GB" \
    "max_connections = 200" "log_min_duration_statement = 200"
"$ODOO_PYTHON" -c 'import requests, psycopg2' 2>/dev/null ||
    die "scripts/load.py needs the Python packages requests and psycopg2 (both Odoo dependencies) in $ODOO_PYTHON."
pg_log="$PG_DIR/data/server.log"
base_args=("${SCALE_ARGS[@]}")
# Installing and building run in one process, without cron.
build_odoo_args=("${base_args[@]}" --max-cron-threads=0 --workers=0 "${odoo_args[@]}")
scale_install "${odoo_args[@]}"

# --- the data set --------------------------------------------------------------
users_json="$WORK_DIR/users.json"
log "load average before the build: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
start_time=$SECONDS
(cd -- "$WORK_DIR" && "$ODOO_PYTHON" "$REPO_ROOT/scripts/bench.py" \
    --build-only "$users_json" "${build_args[@]}" \
    "${build_odoo_args[@]}" --log-level=warn) ||
    die "building the data set failed (scripts/bench.py --build-only)."
log "data set built in $((SECONDS - start_time)) s"
((INTERRUPTED)) && exit 130

# --- the server -----------------------------------------------------------------
# Multi-process (prefork) server. The time and memory limits are generous: a
# district's pledge export must never be cut short by them (a worker over the
# soft limit is recycled after its request, as in production).
http_port=$(free_port)
: >"$server_log"
# The prefork server starts its long-polling (gevent) process as
# `sys.executable sys.argv[0] gevent ...`: under `python -m odoo`, argv[0] is
# odoo/__main__.py, which cannot run as a script (a traceback every second in
# the log). Run it through a launcher script, as odoo-bin does.
if [[ -n "${ODOO_BIN:-}" ]]; then
    server_cmd=("${ODOO_CMD[@]}")
else
    printf '#!%s\nimport odoo\n\nodoo.cli.main()\n' "$ODOO_PYTHON" >"$WORK_DIR/odoo-bin"
    server_cmd=("$ODOO_PYTHON" "$WORK_DIR/odoo-bin")
fi
log "starting Odoo (4 HTTP workers, 2 cron workers) on 127.0.0.1:$http_port; log: $server_log"
ODOO_CMD=("${server_cmd[@]}")
start_odoo "${base_args[@]}" --workers=4 --max-cron-threads=2 \
    --http-interface=127.0.0.1 --http-port="$http_port" --gevent-port="$(free_port)" \
    --limit-time-real=600 --limit-time-cpu=600 --limit-time-real-cron=600 \
    --limit-memory-soft=$((3 * 1024 ** 3)) --limit-memory-hard=$((4 * 1024 ** 3)) \
    --logfile="$server_log" --log-level=info \
    "${odoo_args[@]}" >>"$server_log" 2>&1
url="http://127.0.0.1:$http_port"
for ((i = 0; i < 120; i++)); do
    kill -0 "$ODOO_PID" 2>/dev/null || {
        tail -n 30 -- "$server_log" >&2
        die "Odoo stopped before answering (see its log above)."
    }
    python3 -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1] + "/web/login", timeout=5)' "$url" 2>/dev/null && break
    sleep 1
done
((i < 120)) || die "Odoo did not answer $url/web/login within 120 s."
log "Odoo answers at $url after $i s"

# --- the load -------------------------------------------------------------------
# Latencies depend on what else the machine runs: say it.
log "load average before the load: $(cut -d' ' -f1-3 /proc/loadavg); busiest processes:"
ps -eo pcpu=,etime=,args= --sort=-pcpu | head -n 4 | cut -c1-160 | sed 's/^/    /' >&2 || true
status=0
"$ODOO_PYTHON" "$REPO_ROOT/scripts/load.py" --url "$url" --db "$DB_NAME" \
    --users "$users_json" --duration "$duration" --server-log "$server_log" \
    --pg-log "$pg_log" \
    --pg "host=$PG_DIR port=$PG_PORT user=$PG_ROLE dbname=$DB_NAME" \
    --json "$json_file" "${load_args[@]}" || status=$?
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
((INTERRUPTED)) && status=130
cp -- "$pg_log" "${json_file%.json}-postgres.log" 2>/dev/null || true

cleanup
if ((status == 0)); then
    log "every check passed; results in $json_file"
else
    log "FAILED: a check failed or the load did not finish (status $status)."
fi
exit "$status"

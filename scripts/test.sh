#!/usr/bin/env bash
# THE test command of the trade_union_emulation addon.
#
#   bash scripts/test.sh [extra odoo args...]
#   e.g. bash scripts/test.sh --test-tags /trade_union_emulation:TestPledge
#
# What it does, and why:
#   * Needs Odoo 18.0 importable by python3, or ODOO_BIN naming the `odoo`
#     executable; otherwise it stops with one sentence saying so.
#   * Installs only what is missing: PostgreSQL server and Chromium with
#     apt-get (Odoo silently SKIPS browser tours without Chromium), the
#     packages of requirements.txt and test-requirements.txt with pip.
#   * Runs the gates first (scripts/gates.sh: pylint-odoo's mandatory checks,
#     ruff check, ruff format --check, oca-checks-odoo-module, oca-checks-po)
#     and stops on any finding before Odoo starts. A developer may skip them
#     for one run with TUE_SKIP_GATES=1; when CI is set they always run.
#   * Starts a throwaway PostgreSQL cluster (mktemp dir, unix socket in it,
#     random free port; never the machine's default cluster or 5432).
#   * Installs the module with its demo data and Vietnamese into a new
#     database with the module's tests enabled (at_install + post_install,
#     tours included, hence an HTTP port), logs to a private file shown live
#     and copied at the end to .local/test.log (TEST_LOG).
#   * Fails (exit 1) when a test fails or errors, when a test is skipped, when
#     no test ran, when the log holds an ERROR/CRITICAL line, or a WARNING that
#     names the module or one of its `union.*` models: those warnings (missing
#     access rules, duplicate field labels, deprecated view syntax...) are
#     defects.
#   * Always stops its cluster and removes its temporary folders (EXIT trap,
#     Ctrl-C included), then prints, as its very last line:
#         N passed, N failed
#
# Environment: ODOO_BIN, ODOO_ADDONS_PATH, ADDON_DIR, PG_BINDIR (see
# scripts/_common.sh), TEST_LOG (default: .local/test.log in the repo),
# TUE_SKIP_GATES (1: no gates, ignored when CI is set).
set -euo pipefail

# shellcheck source=scripts/_common.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/_common.sh"

DB_NAME=tue_test          # must not contain the module name: every log line names the db
PG_ROLE=odoo              # Odoo refuses to connect as `postgres`
TEST_LOG=${TEST_LOG:-$REPO_ROOT/.local/test.log}

WORK_DIR=""               # Odoo's scratch dir: addons symlink, data dir, config
PG_DIR=""                 # the cluster: data dir + unix socket, owned by postgres
TAIL_PID=""
CLEANED=0

cleanup() {
    ((CLEANED)) && return 0
    CLEANED=1
    if [[ -n "$TAIL_PID" ]]; then
        kill "$TAIL_PID" 2>/dev/null || true
        wait "$TAIL_PID" 2>/dev/null || true
    fi
    remove_throwaway
}
trap cleanup EXIT
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

# --- prerequisites ---------------------------------------------------------
detect_odoo
# Odoo's scratch folder first: it checks that ADDON_DIR is an addon before
# anything gets installed or started.
WORK_DIR=$(mktemp -d /tmp/tue-odoo.XXXXXX)
make_addons_path "$WORK_DIR/addons"
ODOO_WORKDIR=$WORK_DIR
ensure_system_deps postgresql chromium
ensure_python_deps requirements.txt test-requirements.txt
PG_BIN=$(pg_find_bindir)

# --- the gates, before Odoo starts ---------------------------------------------
if [[ "${TUE_SKIP_GATES:-}" == 1 && -z "${CI:-}" ]]; then
    log "gates SKIPPED (TUE_SKIP_GATES=1): run 'bash scripts/gates.sh' before you commit."
else
    [[ "${TUE_SKIP_GATES:-}" == 1 ]] && log "CI is set: TUE_SKIP_GATES ignored, the gates run."
    if ! ODOO_PYTHON=$ODOO_PYTHON bash "$REPO_ROOT/scripts/gates.sh"; then
        cleanup
        echo "FAILED: the gates found problems (listed above); no Odoo test was run."
        echo "0 passed, 1 failed"
        exit 1
    fi
fi

# --- throwaway cluster -----------------------------------------------------
start_throwaway_cluster tue-pg

# --- Odoo ------------------------------------------------------------------
# An empty config file: nothing from ~/.odoorc may leak into the test run.
printf '[options]\n' >"$WORK_DIR/odoo.conf"
HTTP_PORT=$(free_port)
# The run logs into its private folder (several runs may go on at once);
# the log is copied to TEST_LOG when the run is over.
RUN_LOG=$WORK_DIR/odoo.log
: >"$RUN_LOG"

odoo_args=(
    --config="$WORK_DIR/odoo.conf"
    --addons-path="$ADDONS_PATH"
    --data-dir="$WORK_DIR/data"
    --db_host="$PG_DIR" --db_port="$PG_PORT" --db_user="$PG_ROLE"
    --database="$DB_NAME" --db-filter="^${DB_NAME}\$"
    --init="$TUE_MODULE"
    --test-enable --test-tags="/$TUE_MODULE"
    --stop-after-init
    --load-language=vi_VN
    --log-level=test
    --http-interface=127.0.0.1 --http-port="$HTTP_PORT"
    --max-cron-threads=0 --workers=0
    "$@"
)
log "running: ${ODOO_CMD[*]} ${odoo_args[*]}"
log "log file: $RUN_LOG (copied to $TEST_LOG at the end)"
start_time=$SECONDS
# Odoo writes the log file itself (so the file is complete when Odoo exits);
# `tail --pid` shows it live and stops by itself once Odoo is gone.
start_odoo "${odoo_args[@]}" >>"$RUN_LOG" 2>&1
tail -n +1 -f --pid="$ODOO_PID" -- "$RUN_LOG" &
TAIL_PID=$!
wait_odoo
wait "$TAIL_PID" 2>/dev/null || true
TAIL_PID=""
log "Odoo exited with status $ODOO_RC after $((SECONDS - start_time)) s"
if ! { mkdir -p -- "$(dirname -- "$TEST_LOG")" && cp -- "$RUN_LOG" "$TEST_LOG"; }; then
    log "WARNING: could not copy the log to $TEST_LOG"
fi
if ((INTERRUPTED)); then
    cleanup
    log "interrupted."
    exit 130
fi

# --- verdict ---------------------------------------------------------------
# How Odoo 18 reports (odoo/tests/result.py, odoo/service/server.py):
#   * every test start:  INFO  <test module logger>: Starting Class.method ...
#   * a skip:            INFO  <test module logger>: skipped Class.method : reason
#     (OdooTestResult.addSkip; the skip count appears nowhere else)
#   * a failure/error:   ERROR <logger>: FAIL: ... / ERROR: ...
#   * at the very end (--stop-after-init with --test-enable), one line per
#     database, INFO (ERROR if a test failed, WARNING if none ran):
#       "<F> failed, <E> error(s) of <N> tests when loading database '<db>'"
#     N counts started tests (skipped ones included; errors in setUpClass are
#     counted in E only).
#   * odoo.tests.stats: "<module>: <n> tests <t>s <q> queries" (information).
# A log record starts with "YYYY-MM-DD HH:MM:SS,mmm PID LEVEL DB LOGGER: ";
# the following lines not starting so (tracebacks, multi-line messages)
# belong to it, so a WARNING is checked on its whole text.
read -r -d '' ANALYZE_PY <<'PYEOF' || true
import re, sys

log_path, module = sys.argv[1], sys.argv[2]
head_re = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} \d+ (?P<level>\S+) (?P<db>\S+) (?P<logger>\S+): ?(?P<msg>.*)$")
names_module = re.compile(r"%s|\bunion\.[a-z_]" % re.escape(module))
summary_re = re.compile(r"(\d+) failed, (\d+) error\(s\) of (\d+) tests when loading database")
skip_re = re.compile(r"^skipped (.+?) : (.*)$")

records = []          # [level, logger, [lines]]
current = ["OUTPUT", "-", []]   # lines printed before the first log record
records.append(current)
with open(log_path, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        m = head_re.match(line)
        if m:
            current = [m["level"], m["logger"], [line]]
            records.append(current)
        else:
            current[2].append(line)

problems, skips, summary, stats = [], [], None, []
for level, logger, lines in records:
    if level == "OUTPUT":
        continue
    text = "\n".join(lines)
    msg = head_re.match(lines[0])["msg"]
    m = summary_re.search(msg)
    if m:
        summary = tuple(int(x) for x in m.groups())
    if logger == "odoo.tests.stats":
        stats.append(msg.strip())
    if level == "INFO":
        m = skip_re.match(msg)
        if m:
            skips.append(f"{logger}: {m[1]} ({m[2].strip()})")
    elif level in ("ERROR", "CRITICAL"):
        problems.append(f"{level} line: {lines[0]}")
    elif level == "WARNING" and names_module.search(text):
        problems.append(f"WARNING naming the module: {lines[0]}")

for s in stats:
    print(f"stats: {s}")
for s in skips:
    print(f"skipped: {s}")
shown = 25
for p in problems[:shown]:
    print(f"problem: {p[:400]}")
if len(problems) > shown:
    print(f"problem: ... and {len(problems) - shown} more, see the log")
if summary is None:
    print("COUNTS - 0 0 0 %d %d" % (len(skips), len(problems)))
else:
    failures, errors, tests = summary
    print("COUNTS ok %d %d %d %d %d" % (tests, failures, errors, len(skips), len(problems)))
PYEOF

verdict=$(python3 -c "$ANALYZE_PY" "$RUN_LOG" "$TUE_MODULE") || die "cannot analyse the log $RUN_LOG."
echo
echo "==================== test verdict ===================="
grep -v '^COUNTS ' <<<"$verdict" || true
read -r _ found tests failures errors skipped problems < <(grep '^COUNTS ' <<<"$verdict" | tail -n1)

status=0
reason() { echo "FAILED: $*"; status=1; }
((ODOO_RC == 0)) || reason "Odoo exited with status $ODOO_RC."
if [[ "$found" != ok ]]; then
    reason "no \"N failed, N error(s) of N tests when loading database\" line in the log (Odoo did not finish the test run)."
fi
((tests > 0)) || reason "no test ran."
((failures + errors == 0)) || reason "$failures test failure(s), $errors test error(s)."
((skipped == 0)) || reason "$skipped test(s) skipped (a skipped tour usually means Chromium or websocket-client is missing)."
((problems == 0)) || reason "$problems ERROR/CRITICAL line(s) or WARNING line(s) naming $TUE_MODULE / union.* in the log."
passed=$((tests - failures - errors - skipped))
((passed >= 0)) || passed=0
((status == 0)) && echo "OK: all $tests test(s) passed, log clean."
echo "full log: $TEST_LOG"

cleanup
echo "$passed passed, $((failures + errors)) failed"
exit "$status"

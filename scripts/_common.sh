# shellcheck shell=bash
# shellcheck disable=SC2034  # globals set here are read by the callers
# Shared helpers of scripts/test.sh and scripts/run.sh.
#
# This file is SOURCED (never executed) so that both scripts locate Odoo,
# install missing dependencies, build the addons path and drive a private
# PostgreSQL cluster in exactly the same way.  The caller sets
# `set -euo pipefail` before sourcing it.
#
# Environment variables understood here (all optional):
#   ODOO_BIN          the `odoo` executable to run; default: `python3 -m odoo`
#                     with the Odoo 18.0 that python3 imports.
#   ODOO_ADDONS_PATH  comma-separated folders holding Odoo's own addons; only
#                     needed when they cannot be derived from the `odoo`
#                     package (e.g. ODOO_BIN runs an interpreter we can't find).
#   ADDON_DIR         folder holding this addon; default: the repository root.
#                     (Lets the harness be tried against another copy.)
#   PG_BINDIR         folder of initdb/pg_ctl; default: newest
#                     /usr/lib/postgresql/*/bin.

TUE_MODULE=trade_union_emulation
REPO_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
ADDON_DIR=$(cd -- "${ADDON_DIR:-$REPO_ROOT}" && pwd -P)
SCRIPT_NAME=$(basename -- "$0")

# --------------------------------------------------------------------------
# Messages
# --------------------------------------------------------------------------
log() { printf '[%s] %s\n' "$SCRIPT_NAME" "$*" >&2; }
die() { printf '%s: %s\n' "$SCRIPT_NAME" "$*" >&2; exit 1; }

# --------------------------------------------------------------------------
# Odoo detection
# --------------------------------------------------------------------------
# Python snippet run by the interpreter that hosts Odoo.  It prints the Odoo
# version on the first line, the real interpreter (not a wrapper such as a
# pyenv shim) on the second, then every folder that holds Odoo addons:
#   - <package>/addons (the `base` module & co),
#   - the `addons` folder beside the package (git layout: mail, web, ...),
#   - every other entry of odoo.addons.__path__ (pip-installed addons such as
#     OCA's report_xlsx live in site-packages/odoo/addons).
# A folder is kept only if it holds at least one module with a manifest,
# because Odoo's --addons-path rejects folders that don't.
# It is run from / so that the current directory can never shadow a package.
_ODOO_PROBE_PY='
import os, sys
import odoo, odoo.release, odoo.addons
pkg = os.path.dirname(os.path.abspath(odoo.__file__))
candidates = [os.path.join(pkg, "addons"),
              os.path.join(os.path.dirname(pkg), "addons")]
candidates += list(odoo.addons.__path__)
def is_addons_dir(d):
    try:
        return any(os.path.isfile(os.path.join(d, m, "__manifest__.py"))
                   for m in os.listdir(d))
    except OSError:
        return False
seen = []
for d in candidates:
    d = os.path.realpath(d)
    if d not in seen and os.path.isdir(d) and is_addons_dir(d):
        seen.append(d)
print(odoo.release.version)
print(sys.executable)
print(",".join(seen))
'

# Sets:
#   ODOO_CMD          array: the command that starts Odoo
#   ODOO_PYTHON       interpreter hosting Odoo ("" if unknown, ODOO_BIN case)
#   ODOO_CORE_ADDONS  comma-separated folders of Odoo's own addons
# Exits with one sentence when no usable Odoo 18.0 is found.
detect_odoo() {
    local probe version="" interp=""
    ODOO_PYTHON=""
    ODOO_CORE_ADDONS=""
    if [[ -n "${ODOO_BIN:-}" ]]; then
        if [[ ! -f "$ODOO_BIN" || ! -x "$ODOO_BIN" ]] && ! command -v -- "$ODOO_BIN" >/dev/null 2>&1; then
            die "ODOO_BIN='$ODOO_BIN' is not an executable file: point ODOO_BIN at the 'odoo' executable of an Odoo 18.0 install, or unset it to use the Odoo 18.0 that python3 imports."
        fi
        ODOO_CMD=("$ODOO_BIN")
        # `odoo --version` prints e.g. "Odoo Server 18.0".
        version=$(cd / && "$ODOO_BIN" --version 2>/dev/null | sed -n 's/^Odoo Server \([0-9][^ ]*\).*/\1/p' | head -n1) || true
        [[ -n "$version" ]] ||
            die "ODOO_BIN='$ODOO_BIN' does not run as Odoo ('$ODOO_BIN --version' fails): point ODOO_BIN at the 'odoo' executable of an Odoo 18.0 install."
        # Find the interpreter behind ODOO_BIN: its shebang if it names a
        # python, otherwise (wrappers such as pyenv shims) python3.
        interp=$(head -n1 -- "$(command -v -- "$ODOO_BIN")" 2>/dev/null | sed -n 's/^#![[:space:]]*//p') || true
        interp=${interp#/usr/bin/env }
        interp=${interp%% *}
        [[ "$(basename -- "${interp:-x}")" == python* ]] || interp=python3
        if probe=$(cd / && "$interp" -c "$_ODOO_PROBE_PY" 2>/dev/null) &&
           [[ "$(head -n1 <<<"$probe")" == "$version" ]]; then
            ODOO_PYTHON=$(sed -n 2p <<<"$probe")
            ODOO_CORE_ADDONS=$(sed -n 3p <<<"$probe")
        fi
    else
        command -v python3 >/dev/null 2>&1 ||
            die "Odoo 18.0 is missing: no python3 found; install Odoo 18.0 so that 'python3 -c \"import odoo\"' works, or set ODOO_BIN to the 'odoo' executable."
        probe=$(cd / && python3 -c "$_ODOO_PROBE_PY" 2>/dev/null) ||
            die "Odoo 18.0 is missing: python3 cannot import the 'odoo' package; install Odoo 18.0 so that 'python3 -c \"import odoo\"' works, or set ODOO_BIN to the 'odoo' executable."
        version=$(head -n1 <<<"$probe")
        ODOO_PYTHON=$(sed -n 2p <<<"$probe")
        ODOO_CORE_ADDONS=$(sed -n 3p <<<"$probe")
        # `python -m odoo` is odoo-bin without the shebang; the current
        # directory is always a scratch folder when it runs (see callers).
        ODOO_CMD=("$ODOO_PYTHON" -m odoo)
    fi
    case "$version" in
        18.0|18.0.*|18.0[!0-9]*) ;;
        *) die "Odoo 18.0 is required but found Odoo '$version': install Odoo 18.0 for python3, or set ODOO_BIN to the 'odoo' executable of an Odoo 18.0 install." ;;
    esac
    if [[ -n "${ODOO_ADDONS_PATH:-}" ]]; then
        ODOO_CORE_ADDONS=$ODOO_ADDONS_PATH
    fi
    [[ -n "$ODOO_CORE_ADDONS" ]] ||
        die "cannot find the addons folders of the Odoo behind ODOO_BIN='$ODOO_BIN': set ODOO_ADDONS_PATH to them (comma-separated)."
    # Odoo converts the local time of naive datetimes using TZ; odoo-bin
    # forces UTC, so do the same for `python3 -m odoo`.
    export TZ=UTC
    log "Odoo $version: ${ODOO_CMD[*]} (core addons: $ODOO_CORE_ADDONS)"
}

# --------------------------------------------------------------------------
# Addons path
# --------------------------------------------------------------------------
# Odoo finds a module by the name of its folder, but the repository root can
# be cloned under any name: expose it through a symlink named after the
# module inside a dedicated folder, and put that folder first on the path.
# The folder must lie OUTSIDE the repository: Odoo's translation exporter
# follows links while it walks the module, so a link inside the repository
# leads back into it again and again (references such as
# addons/trade_union_emulation/.local/addons/trade_union_emulation/.local/...).
# Sets ADDONS_PATH.
make_addons_path() {
    local dir=$1 real
    [[ -f "$ADDON_DIR/__manifest__.py" ]] ||
        die "no __manifest__.py in '$ADDON_DIR': ADDON_DIR (default: the repository root) must be the $TUE_MODULE addon."
    mkdir -p -- "$dir"
    real=$(cd -- "$dir" && pwd -P)
    case "$real/" in
        "$ADDON_DIR"/*) die "the addons-path folder '$dir' lies inside the addon '$ADDON_DIR': choose a folder outside it." ;;
    esac
    if [[ -e "$dir/$TUE_MODULE" && ! -L "$dir/$TUE_MODULE" ]]; then
        die "'$dir/$TUE_MODULE' exists and is not a symlink; remove it."
    fi
    ln -sfn -- "$ADDON_DIR" "$dir/$TUE_MODULE"
    ADDONS_PATH="$dir,$ODOO_CORE_ADDONS"
}

# A folder of this checkout outside the repository, under the user's cache
# (XDG_CACHE_HOME, default ~/.cache): one per checkout, named after a digest
# of its path, so that two clones never share their addons-path link.
checkout_cache_dir() {
    local digest
    digest=$(printf '%s' "$ADDON_DIR" | sha1sum | cut -c1-12)
    printf '%s/%s/%s\n' "${XDG_CACHE_HOME:-$HOME/.cache}" "$TUE_MODULE" "$digest"
}

# --------------------------------------------------------------------------
# Dependencies (installed only when missing)
# --------------------------------------------------------------------------
pg_find_bindir() {
    local d
    if [[ -n "${PG_BINDIR:-}" ]]; then
        [[ -x "$PG_BINDIR/pg_ctl" ]] && { echo "$PG_BINDIR"; return 0; }
        return 1
    fi
    # Newest installed server first.
    while read -r d; do
        [[ -x "$d/initdb" && -x "$d/pg_ctl" ]] && { echo "$d"; return 0; }
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -rV)
    d=$(command -v pg_ctl 2>/dev/null) && [[ -x "$(dirname -- "$d")/initdb" ]] &&
        { dirname -- "$d"; return 0; }
    return 1
}

# The names Odoo's HttpCase looks for (odoo/tests/common.py _find_executable).
find_chrome() {
    local b
    for b in google-chrome chromium chromium-browser google-chrome-stable; do
        command -v "$b" >/dev/null 2>&1 && return 0
    done
    return 1
}

# ensure_system_deps [postgresql] [chromium]
# apt-get installs the named pieces that are missing; `apt-get update` runs
# only when something must be installed.
ensure_system_deps() {
    local want pkgs=()
    for want in "$@"; do
        case "$want" in
            postgresql) pg_find_bindir >/dev/null || pkgs+=(postgresql) ;;
            chromium)   find_chrome || pkgs+=(chromium) ;;
        esac
    done
    ((${#pkgs[@]})) || return 0
    command -v apt-get >/dev/null 2>&1 ||
        die "missing ${pkgs[*]} and apt-get is not available: install ${pkgs[*]} by hand."
    [[ $(id -u) -eq 0 ]] || die "missing ${pkgs[*]}: run as root so that apt-get can install them."
    log "installing with apt-get: ${pkgs[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q --no-install-recommends "${pkgs[@]}"
    if [[ " ${pkgs[*]} " == *" postgresql "* ]]; then
        pg_find_bindir >/dev/null || die "apt-get installed postgresql but no initdb/pg_ctl was found: set PG_BINDIR."
    fi
}

# Prints the requirement lines (read on stdin) that the interpreter does not
# satisfy yet, so that pip runs only when something is missing.  Lines that
# cannot be evaluated (pip options, URLs) are printed too (= "run pip").
_REQ_CHECK_PY='
import sys
from importlib import metadata
try:
    from packaging.requirements import Requirement
except ImportError:
    from pip._vendor.packaging.requirements import Requirement
for raw in sys.stdin:
    line = raw.split(" #", 1)[0].strip()
    if not line or line.startswith("#"):
        continue
    try:
        req = Requirement(line)
    except Exception:
        print(line); continue
    if req.marker is not None and not req.marker.evaluate():
        continue
    try:
        version = metadata.version(req.name)
    except metadata.PackageNotFoundError:
        print(line); continue
    if req.specifier and not req.specifier.contains(version, prereleases=True):
        print(line)
'

# ensure_python_deps REQUIREMENTS_FILE...
# pip-installs the given requirement files (paths relative to the repository
# root: requirements.txt holds what the addon needs at run time,
# test-requirements.txt what the tests and the gates need) into Odoo's
# interpreter, only if one of their requirements is missing.
ensure_python_deps() {
    local file missing pip_args=()
    if [[ -z "$ODOO_PYTHON" ]]; then
        log "WARNING: interpreter of ODOO_BIN unknown; not checking $*"
        return 0
    fi
    for file in "$@"; do
        [[ -f "$REPO_ROOT/$file" ]] || die "missing requirements file $REPO_ROOT/$file."
        pip_args+=(-r "$REPO_ROOT/$file")
    done
    missing=$( for file in "$@"; do cat -- "$REPO_ROOT/$file"; echo; done |
               (cd / && "$ODOO_PYTHON" -c "$_REQ_CHECK_PY")) ||
        die "cannot check the Python requirements with $ODOO_PYTHON (is pip installed for it?)."
    [[ -n "$missing" ]] || return 0
    log "installing missing Python packages with pip: $(tr '\n' ' ' <<<"$missing")"
    # Debian's own python refuses pip installs (PEP 668) unless told.
    if (cd / && "$ODOO_PYTHON" -c 'import os,sys,sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_path("stdlib"), "EXTERNALLY-MANAGED")))'); then
        pip_args+=(--break-system-packages)
    fi
    (cd / && PIP_ROOT_USER_ACTION=ignore "$ODOO_PYTHON" -m pip install -q "${pip_args[@]}")
}

# --------------------------------------------------------------------------
# Private PostgreSQL cluster
# --------------------------------------------------------------------------
# A free TCP port on 127.0.0.1, chosen by the kernel.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

port_is_free() {
    python3 -c 'import socket, sys; s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$1"
}

# pg_init DATADIR ROLE [postgresql.conf line ...]
# initdb as the `postgres` OS user (the server refuses to run as root).  The
# bootstrap superuser is named ROLE (Odoo refuses the role `postgres`), and
# local connections are trusted: the server only listens on 127.0.0.1 and on
# a unix socket inside a folder of its own.
pg_init() {
    local datadir=$1 role=$2 locale_args=(--no-locale)
    shift 2
    id postgres >/dev/null 2>&1 || die "the 'postgres' OS user is missing (it comes with Debian's postgresql package)."
    # C.UTF-8 gives PostgreSQL Unicode upper/lower-casing (Vietnamese ilike).
    locale -a 2>/dev/null | grep -qix 'c.utf-\?8' && locale_args=(--locale=C.UTF-8)
    mkdir -p -- "$datadir"
    chown postgres: -- "$datadir"
    chmod 700 -- "$datadir"
    runuser -u postgres -- test -w "$datadir" ||
        die "the 'postgres' OS user cannot write '$datadir' (a parent folder is not traversable by it)."
    runuser -u postgres -- "$PG_BIN/initdb" -D "$datadir" -U "$role" -A trust -E UTF8 "${locale_args[@]}" >/dev/null
    if (($#)); then
        printf '%s\n' '' '# added by scripts/_common.sh' "$@" >>"$datadir/postgresql.conf"
    fi
}

# pg_start DATADIR SOCKDIR PORT
# Listens on 127.0.0.1:PORT and on SOCKDIR/.s.PGSQL.PORT only.
pg_start() {
    local datadir=$1 sockdir=$2 port=$3
    if ! runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$datadir" -l "$datadir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$sockdir'" \
            start >/dev/null; then
        tail -n 20 -- "$datadir/server.log" >&2 || true
        return 1
    fi
}

pg_is_running() {
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1
}

pg_stop() {
    local datadir=$1
    [[ -n "$datadir" && -f "$datadir/postmaster.pid" ]] || return 0
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$datadir" -m fast -w -t 60 stop >/dev/null 2>&1 ||
        runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$datadir" -m immediate -w stop >/dev/null 2>&1 || true
}

# start_throwaway_cluster PREFIX [postgresql.conf line ...]
# A cluster of the script's own, in a new /tmp/PREFIX.XXXXXX folder, on a free
# port, with the superuser PG_ROLE.  Sets PG_DIR and PG_PORT.
start_throwaway_cluster() {
    local prefix=$1 attempt
    shift
    PG_DIR=$(mktemp -d "/tmp/$prefix.XXXXXX")
    chown postgres: -- "$PG_DIR"
    # Durability is pointless for a database that is deleted within minutes.
    pg_init "$PG_DIR/data" "$PG_ROLE" "fsync = off" "synchronous_commit = off" "full_page_writes = off" "$@"
    for attempt in 1 2 3 4 5; do
        PG_PORT=$(free_port)
        pg_start "$PG_DIR/data" "$PG_DIR" "$PG_PORT" && break
        ((attempt < 5)) || die "cannot start the throwaway PostgreSQL cluster (see its log above)."
    done
    log "PostgreSQL cluster in $PG_DIR, port $PG_PORT"
}

# Stops Odoo and the throwaway cluster, removes PG_DIR and WORK_DIR.
remove_throwaway() {
    stop_odoo
    if [[ -n "${PG_DIR:-}" ]]; then
        pg_stop "$PG_DIR/data"
        rm -rf -- "$PG_DIR"
    fi
    if [[ -n "${WORK_DIR:-}" ]]; then
        rm -rf -- "$WORK_DIR"
    fi
    return 0
}

# --------------------------------------------------------------------------
# Running Odoo
# --------------------------------------------------------------------------
# Odoo runs in the background in a session of its own (setsid), so that a
# Ctrl-C reaches only this script, which forwards exactly one SIGTERM per
# signal received (Odoo shuts down gracefully on the first SIGINT/SIGTERM and
# force-quits on the second).  SIGTERM, not SIGINT, because a background job
# of a non-interactive shell starts with SIGINT ignored, and Odoo installs its
# own handler only once it is fully started.  Callers install:
#   trap 'on_signal INT' INT; trap 'on_signal TERM' TERM; trap cleanup EXIT
ODOO_PID=""
INTERRUPTED=0

on_signal() {
    INTERRUPTED=1
    if [[ -n "$ODOO_PID" ]] && kill -0 "$ODOO_PID" 2>/dev/null; then
        log "got SIG$1, stopping Odoo (pid $ODOO_PID)..."
        kill -TERM "$ODOO_PID" 2>/dev/null || true
    else
        exit 130
    fi
}

# start_odoo ARG... : starts Odoo from a scratch working directory so that the
# current directory never shadows a Python package.  Output goes to this
# script's stdout/stderr (callers redirect).  Sets ODOO_PID.
start_odoo() {
    (cd -- "$ODOO_WORKDIR" && exec setsid "${ODOO_CMD[@]}" "$@") &
    ODOO_PID=$!
}

# Waits until Odoo exits, even across trapped signals; sets ODOO_RC.
wait_odoo() {
    local rc
    while :; do
        wait "$ODOO_PID" && rc=0 || rc=$?
        kill -0 "$ODOO_PID" 2>/dev/null || break
    done
    ODOO_RC=$rc
    ODOO_PID=""
}

# Used by EXIT traps: Odoo still running (script dying early) -> TERM its
# process group (Chrome included), KILL after 30 s.
stop_odoo() {
    local i
    [[ -n "$ODOO_PID" ]] || return 0
    if kill -0 "$ODOO_PID" 2>/dev/null; then
        kill -TERM -- "-$ODOO_PID" 2>/dev/null || kill -TERM "$ODOO_PID" 2>/dev/null || true
        for ((i = 0; i < 30; i++)); do
            kill -0 "$ODOO_PID" 2>/dev/null || break
            sleep 1
        done
        kill -KILL -- "-$ODOO_PID" 2>/dev/null || true
    fi
    wait "$ODOO_PID" 2>/dev/null || true
    ODOO_PID=""
}

# --------------------------------------------------------------------------
# The start shared by scripts/bench.sh and scripts/load.sh: a province is built
# in a throwaway cluster, into a database with the module and no demo data.
#
# scale_prepare NAME PG_SETTING... : checks Odoo and the dependencies, makes
#   WORK_DIR (/tmp/NAME.XXXXXX) and its addons path, starts the cluster
#   NAME-pg with the settings given, and sets SCALE_ARGS: the options every
#   Odoo of the run takes (config, addons, data dir, database of DB_NAME,
#   role PG_ROLE). The caller sets DB_NAME and PG_ROLE, and traps cleanup.
# scale_install ARG... : installs TUE_MODULE without demo data, with these
#   extra Odoo options (single process, no cron); dies if it fails.
scale_prepare() {
    local name=$1
    shift
    detect_odoo
    [[ -n "$ODOO_PYTHON" ]] ||
        die "cannot find the Python interpreter behind ODOO_BIN='${ODOO_BIN:-}': scripts/bench.py must import odoo."
    WORK_DIR=$(mktemp -d "/tmp/$name.XXXXXX")
    make_addons_path "$WORK_DIR/addons"
    ODOO_WORKDIR=$WORK_DIR
    ensure_system_deps postgresql
    ensure_python_deps requirements.txt
    PG_BIN=$(pg_find_bindir)
    start_throwaway_cluster "$name-pg" "$@"
    printf '[options]\n' >"$WORK_DIR/odoo.conf"
    SCALE_ARGS=(
        --config="$WORK_DIR/odoo.conf"
        --addons-path="$ADDONS_PATH"
        --data-dir="$WORK_DIR/data"
        --db_host="$PG_DIR" --db_port="$PG_PORT" --db_user="$PG_ROLE"
        --database="$DB_NAME"
    )
}

scale_install() {
    log "installing $TUE_MODULE (no demo data) into $DB_NAME"
    local start_time=$SECONDS
    start_odoo "${SCALE_ARGS[@]}" --max-cron-threads=0 --workers=0 "$@" \
        --init="$TUE_MODULE" --without-demo=all --stop-after-init \
        --log-level=warn --http-port="$(free_port)" --http-interface=127.0.0.1
    wait_odoo
    ((ODOO_RC == 0)) || die "installing $TUE_MODULE failed (status $ODOO_RC)."
    log "installed in $((SECONDS - start_time)) s"
}

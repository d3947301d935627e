#!/usr/bin/env bash
# The OCA gates of the trade_union_emulation addon, run by scripts/test.sh
# before Odoo starts (and runnable alone):
#
#   bash scripts/gates.sh
#
# The checks, in the pinned versions of test-requirements.txt (the same tools
# and versions as .pre-commit-config.yaml, which follows OCA's 18.0 template;
# `pre-commit run` needs to fetch its hook repositories, these don't):
#   1. pylint with pylint-odoo's MANDATORY checks (.pylintrc-mandatory)
#   2. ruff check (.ruff.toml, the OCA template settings; nothing is fixed)
#   3. ruff format --check
#   4. oca-checks-odoo-module (manifest, XML and CSV data files)
#   5. oca-checks-po (i18n/*.po, i18n/*.pot; po-pretty-format off, as OCA)
# Each prints its findings as `path:line: message`, with repository paths.
# Exit status 1 when any check finds anything, 0 otherwise.
#
# The checks run on a snapshot of the files git would commit (tracked files
# and untracked ones that .gitignore does not exclude), copied into a scratch
# folder named after the module: the OCA tools take the module's name from
# its folder, and stop looking for a manifest at the top of the git checkout,
# which here is the addon itself.
#
# Environment: ODOO_BIN, ADDON_DIR (see scripts/_common.sh). To SKIP the gates
# of one scripts/test.sh run (developers only): TUE_SKIP_GATES=1; CI (CI set)
# always runs them.
set -euo pipefail

# shellcheck source=scripts/_common.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/_common.sh"

SNAP_DIR=""
cleanup() {
    if [[ -n "$SNAP_DIR" ]]; then
        rm -rf -- "$SNAP_DIR"
    fi
    return 0
}
trap cleanup EXIT

# --- tools -----------------------------------------------------------------
if [[ -z "${ODOO_PYTHON:-}" ]]; then
    detect_odoo
fi
ensure_python_deps test-requirements.txt
PY=${ODOO_PYTHON:-python3}

# --- snapshot of the addon -------------------------------------------------
SNAP_DIR=$(mktemp -d /tmp/tue-gates.XXXXXX)
SNAP=$SNAP_DIR/$TUE_MODULE
mkdir -p -- "$SNAP"
if git -C "$ADDON_DIR" rev-parse --show-toplevel >/dev/null 2>&1 &&
   [[ "$(cd -- "$(git -C "$ADDON_DIR" rev-parse --show-toplevel)" && pwd -P)" == "$ADDON_DIR" ]]; then
    (cd -- "$ADDON_DIR" && git ls-files -z --cached --others --exclude-standard |
        while IFS= read -r -d '' f; do [[ -e "$f" ]] && printf '%s\0' "$f"; done |
        xargs -0 -r cp --parents -P -t "$SNAP")
else
    # Not a git checkout of its own (e.g. an unpacked archive): everything
    # but the usual scratch folders.
    (cd -- "$ADDON_DIR" && find . \( -name .git -o -name .local -o -name __pycache__ \) -prune -o \
        -type f -print0 | xargs -0 -r cp --parents -P -t "$SNAP")
fi
# The OCA tools stop at the top of a git work tree: make the scratch folder one.
git -C "$SNAP_DIR" init -q

# --- the checks ------------------------------------------------------------
# Each check's output is reduced to finding lines "path:line: message" with
# the path relative to the repository; anything else it prints is kept for
# the case where the tool fails without a finding (a crash).
declare -a CHECK_NAMES=() CHECK_STATUS=()
OUT_DIR=$SNAP_DIR/out
mkdir -p -- "$OUT_DIR"

run_check() {
    local name=$1 i=${#CHECK_NAMES[@]} rc=0
    shift
    CHECK_NAMES+=("$name")
    (cd -- "$SNAP_DIR" && NO_COLOR=1 TERM=dumb "$@") >"$OUT_DIR/$i.raw" 2>&1 || rc=$?
    CHECK_STATUS+=("$rc")
}

pylint_cmd=("$PY" -m pylint --rcfile="$SNAP/.pylintrc-mandatory" --output-format=text
            --msg-template='{path}:{line}: {symbol} ({msg_id}) {msg} [{obj}]' "$TUE_MODULE")
run_check "pylint-odoo (mandatory)" "${pylint_cmd[@]}"
run_check "ruff check" "$PY" -m ruff check --no-fix --no-cache --output-format=concise "$TUE_MODULE"
run_check "ruff format" "$PY" -m ruff format --check --no-cache "$TUE_MODULE"
run_check "oca-checks-odoo-module" "$PY" -c \
    'import sys; from oca_pre_commit_hooks.cli import main; sys.exit(main())' "$TUE_MODULE"
mapfile -t po_files < <(cd -- "$SNAP_DIR" && find "$TUE_MODULE/i18n" -name '*.po' -o -name '*.pot' 2>/dev/null | sort)
if ((${#po_files[@]})); then
    run_check "oca-checks-po" "$PY" -c \
        'import sys; from oca_pre_commit_hooks.cli_po import main; sys.exit(main())' \
        --disable=po-pretty-format "${po_files[@]}"
fi

# --- verdict ---------------------------------------------------------------
read -r -d '' VERDICT_PY <<'PYEOF' || true
import os, re, sys

out_dir, module = sys.argv[1], sys.argv[2]
names = sys.argv[3].split("\x1f")
statuses = [int(s) for s in sys.argv[4].split()]
prefix = module + "/"
finding_re = re.compile(r"^(?:Would reformat: )?(?P<path>" + re.escape(prefix) + r"[^:\s]+)(?P<rest>.*)$")

failed = False
for i, (name, status) in enumerate(zip(names, statuses)):
    with open(os.path.join(out_dir, f"{i}.raw"), encoding="utf-8", errors="replace") as f:
        raw = f.read().splitlines()
    findings = []
    for line in raw:
        m = finding_re.match(line)
        if not m:
            continue
        path = m["path"][len(prefix):]
        rest = m["rest"]
        if line.startswith("Would reformat: "):
            rest = ": not formatted (ruff format would change it)"
        findings.append((path, rest))
    for path, rest in findings:
        print(f"{path}{rest}")
    if status != 0 and not findings:
        # The tool failed without reporting a finding: show what it said.
        print("\n".join(raw[-30:]))
        verdict = f"FAILED (exit status {status}, no finding reported)"
        failed = True
    elif findings:
        verdict = f"FAILED: {len(findings)} finding(s)"
        failed = True
    else:
        verdict = "ok"
    print(f"== gate {name}: {verdict}")

sys.exit(1 if failed else 0)
PYEOF

names_joined=$(IFS=$'\x1f'; printf '%s' "${CHECK_NAMES[*]}")
status=0
"$PY" -c "$VERDICT_PY" "$OUT_DIR" "$TUE_MODULE" "$names_joined" "${CHECK_STATUS[*]}" || status=$?
if ((status == 0)); then
    log "gates passed"
else
    log "gates FAILED (see the findings above)"
fi
exit "$status"

#!/usr/bin/env bash
# README.rst and static/description/index.html (the app's page in Odoo) from
# readme/*.md and __manifest__.py, with OCA's oca-gen-addon-readme:
#
#   bash scripts/gen_readme.sh
#
# Needs `oca-gen-addon-readme` on PATH (OCA's maintainer-tools; the pre-commit
# hook of the same name installs it) or OCA_GEN_ADDON_README naming it, and
# pandoc (the fragments are Markdown). The tool names the addon after its
# folder, so it runs on a link named trade_union_emulation outside the
# repository (see make_addons_path in scripts/_common.sh). The template is
# scripts/readme_template.rst.jinja: OCA's layout without its GitHub and OCA
# links (the addon is not an OCA one).
set -euo pipefail

# shellcheck source=scripts/_common.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/_common.sh"

GEN=${OCA_GEN_ADDON_README:-oca-gen-addon-readme}
command -v -- "$GEN" >/dev/null 2>&1 ||
    die "'$GEN' not found: install OCA's maintainer-tools (pip install of its repository), or set OCA_GEN_ADDON_README."
command -v pandoc >/dev/null 2>&1 || die "pandoc not found: apt-get install pandoc."

link_dir=$(checkout_cache_dir)/readme
mkdir -p -- "$link_dir"
ln -sfn -- "$ADDON_DIR" "$link_dir/$TUE_MODULE"
"$GEN" --addon-dir="$link_dir/$TUE_MODULE" \
    --org-name="Trade Union Emulation Authors" --repo-name="$TUE_MODULE" --branch=18.0 \
    --template-filename="$REPO_ROOT/scripts/readme_template.rst.jinja"
log "wrote README.rst and static/description/index.html"

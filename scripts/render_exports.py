"""Render the five Excel exports of a demo database as given users, and print
them the way a receiving federation would: LibreOffice to PDF, then one PNG
per page.

    python3 scripts/render_exports.py --out DIR [--login union.officer ...] \
        -- <odoo options: -d DB --db_host ... --addons-path ...>

Each login gets, for each export, the document of everything its lists show
(``<login>-<export>.xlsx``, ``.pdf`` and ``-<page>.png``). Nothing is written
to the database. Needs ``soffice`` (LibreOffice) and ``pdftoppm`` (poppler).
"""

import argparse
import pathlib
import subprocess
import sys

EXPORTS = [
    ("annual_report", "union.annual.report"),
    ("pledge", "union.pledge"),
    ("member_evaluation", "union.member.evaluation"),
    ("commendation", "union.commendation"),
    ("exemplar", "union.exemplar"),
]


def records_of(env, model):
    """What the user's list shows; for the annual report, the latest report
    of the widest organisation the user may read."""
    records = env[model].search([])
    if model != "union.annual.report" or not records:
        return records
    latest = records.filtered(lambda report: report.year == records[0].year)
    return max(latest, key=lambda report: report.member_count)


def render(env, out, logins, dpi):
    for login in logins:
        user = env["res.users"].search([("login", "=", login)])
        if not user:
            sys.exit(f"no user {login!r} in this database")
        user_env = env(user=user.id, context=user.context_get())
        for name, model in EXPORTS:
            records = records_of(user_env, model)
            content, _kind = user_env["ir.actions.report"]._render_xlsx(
                f"trade_union_emulation.report_{name}_xlsx", records.ids, {}
            )
            xlsx = out / f"{login}-{name}.xlsx"
            xlsx.write_bytes(content)
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "pdf", "--outdir", out, xlsx],
                check=True,
                capture_output=True,
            )
            pdf = xlsx.with_suffix(".pdf")
            subprocess.run(
                ["pdftoppm", "-png", "-r", str(dpi), pdf, out / f"{login}-{name}"],
                check=True,
            )
            pages = len(list(out.glob(f"{login}-{name}-*.png")))
            print(f"{login:18} {name:18} {len(records):4} records, {pages} pages")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument(
        "--login", action="append", help="default: union.officer, union.manager"
    )
    parser.add_argument("--dpi", type=int, default=80)
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    odoo_args = [arg for arg in args.odoo_args if arg != "--"]

    import odoo
    from odoo.tools import config

    config.parse_config(odoo_args, setup_logging=False)
    args.out.mkdir(parents=True, exist_ok=True)
    registry = odoo.modules.registry.Registry(config["db_name"])
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            logins = args.login or ["union.officer", "union.manager"]
            render(env, args.out, logins, args.dpi)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()

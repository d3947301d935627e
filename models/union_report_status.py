from odoo import api, fields, models
from odoo.tools import SQL

from .res_config_settings import get_param
from .union_organization import LEVELS
from .union_statistics_mixin import COUNTS, INDICATOR_BY_NAME, RATES, source_queries

# The levels that appear on the board: the units that report (and the
# provincial federation, which reports to the confederation in its turn).
BOARD_LEVELS = ("provincial", "upper_grassroots", "grassroots")
STATUSES = [
    ("missing", "Missing"),
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("accepted", "Accepted"),
]


def _own_fields():
    """For each count, the records attached to the row's unit itself (its
    sub-units folded into a grassroots union): summing them over any set of
    rows counts every record once."""
    return {
        f"own_{name}": fields.Integer(readonly=True, aggregator="sum")
        for name in COUNTS
    }


class UnionReportStatus(models.Model):
    """One row per organisation and year: where its annual report stands and
    the live figures of its subtree.

    A database view, so that the organisations that owe a report appear as
    missing before any report record exists. A row shows the figures of the
    unit's whole subtree; a group of rows (a district with its unions, the
    province) sums each member once, and its rates are ratios of the summed
    counts."""

    _name = "union.report.status"
    _description = "Annual Report Status"
    _inherit = ["union.statistics.mixin", "union.year.records.mixin"]
    _auto = False
    _order = "year desc, organization_id"
    _rec_name = "organization_id"
    # What the view reads: pending changes are flushed before it is queried.
    _depends = {
        "union.organization": [
            "parent_id",
            "parent_path",
            "level",
            "active",
            "grassroots_id",
        ],
        "union.plan": ["year_start", "year_end"],
        "union.annual.report": [
            "organization_id",
            "year",
            "state",
            "date_due",
            "is_overdue",
            "submit_date",
        ],
        "union.member": ["organization_id", "active"],
        "union.study.session": ["state", "year", "attendee_ids"],
        "union.pledge": ["organization_id", "year", "state", "result"],
        "union.exemplar": ["organization_id", "year", "state"],
        "union.commendation": ["organization_id", "year", "state", "line_ids"],
        "union.member.evaluation": ["organization_id", "year", "state", "rating"],
    }

    year = fields.Integer(aggregator=False, readonly=True)
    organization_id = fields.Many2one("union.organization", readonly=True)
    level = fields.Selection(LEVELS, readonly=True)
    parent_id = fields.Many2one(
        "union.organization", string="Reports To", readonly=True
    )
    upper_id = fields.Many2one(
        "union.organization",
        string="Managing Union",
        readonly=True,
        help="The union that manages the unit: its upper-grassroots union (itself "
        "for an upper-grassroots union), or the provincial federation for itself "
        "and the unions directly under it.",
    )
    report_id = fields.Many2one(
        "union.annual.report", string="Annual Report", readonly=True
    )
    status = fields.Selection(STATUSES, readonly=True)
    is_late = fields.Boolean(
        string="Late",
        readonly=True,
        help="Not submitted by its due date, or submitted after it.",
    )
    date_due = fields.Date(string="Due Date", readonly=True)
    days_left = fields.Integer(
        readonly=True, aggregator=False, help="Days left before the due date."
    )
    submit_date = fields.Datetime(string="Submitted On", readonly=True)
    locals().update(_own_fields())

    @property
    def _table_query(self):
        today = fields.Date.context_today(self)
        due = SQL(
            "make_date(y.year, %s, %s)",
            get_param(self.env, "report_due_month"),
            get_param(self.env, "report_due_day"),
        )
        date_due = SQL("COALESCE(r.date_due, %s)", due)
        figure_columns = [
            SQL("COALESCE(f.%s, 0)::int AS %s", SQL(name), SQL(name)) for name in COUNTS
        ]
        figure_columns += [
            SQL("COALESCE(f.own_%s, 0)::int AS own_%s", SQL(name), SQL(name))
            for name in COUNTS
        ]
        figure_columns += [
            SQL(
                "COALESCE(ROUND(100.0 * f.%s / NULLIF(f.%s, 0), 1), 0)::float8 AS %s",
                SQL(INDICATOR_BY_NAME[name].ratio[0]),
                SQL(INDICATOR_BY_NAME[name].ratio[1]),
                SQL(name),
            )
            for name in RATES
        ]
        return SQL(
            """
            WITH years AS (
                SELECT DISTINCT year FROM (
                    SELECT generate_series(year_start, year_end) AS year
                      FROM union_plan
                     WHERE year_end BETWEEN year_start AND year_start + 50
                    UNION ALL SELECT year FROM union_annual_report
                    UNION ALL SELECT %(this_year)s
                ) all_years
            )
            SELECT y.year::bigint * 100000000 + o.id AS id,
                   y.year AS year,
                   o.id AS organization_id,
                   o.level AS level,
                   o.parent_id AS parent_id,
                   CASE WHEN o.level IN ('provincial', 'upper_grassroots') THEN o.id
                        ELSE o.parent_id
                   END AS upper_id,
                   r.id AS report_id,
                   COALESCE(r.state, 'missing') AS status,
                   %(date_due)s AS date_due,
                   %(date_due)s - %(today)s AS days_left,
                   r.submit_date AS submit_date,
                   COALESCE(r.is_overdue, FALSE)
                       OR (COALESCE(r.state, 'draft') = 'draft'
                           AND %(date_due)s < %(today)s)
                       OR COALESCE(r.submit_date::date > %(date_due)s, FALSE)
                       AS is_late,
                   %(figure_columns)s
              FROM union_organization o
        CROSS JOIN years y
         LEFT JOIN union_annual_report r
                ON r.organization_id = o.id AND r.year = y.year
         LEFT JOIN (%(figures)s) f ON f.organization_id = o.id AND f.year = y.year
             WHERE o.level IN %(levels)s AND (o.active OR r.id IS NOT NULL)
            """,
            this_year=today.year,
            today=today,
            date_due=date_due,
            figure_columns=SQL(", ").join(figure_columns),
            figures=self._figures_query(),
            levels=BOARD_LEVELS,
        )

    def _figures_query(self):
        """(organization_id, year, subtree counts, own counts) for every
        organisation above a counted record, from the registry's sources."""
        branches = []
        for names, query in source_queries():
            columns = SQL(", ").join(
                SQL("src.%s AS %s", SQL(name), SQL(name))
                if name in names
                else SQL("0 AS %s", SQL(name))
                for name in COUNTS
            )
            if "member_count" in names:
                # A head count: the same in every year of the board.
                branches.append(
                    SQL(
                        "SELECT src.organization_id, yy.year, %s"
                        " FROM (%s) src CROSS JOIN years yy",
                        columns,
                        query,
                    )
                )
            else:
                branches.append(
                    SQL(
                        "SELECT src.organization_id, src.year, %s FROM (%s) src",
                        columns,
                        query,
                    )
                )
        unit_sums = SQL(", ").join(
            SQL("SUM(rec.%s) AS %s", SQL(name), SQL(name)) for name in COUNTS
        )
        subtree_sums = SQL(", ").join(
            SQL(
                "SUM(c.%s) AS %s,"
                " SUM(c.%s) FILTER (WHERE anc.id = c.unit_id) AS own_%s",
                SQL(name),
                SQL(name),
                SQL(name),
                SQL(name),
            )
            for name in COUNTS
        )
        return SQL(
            """
            SELECT anc.id AS organization_id, c.year, %(subtree_sums)s
              FROM (
                    SELECT CASE WHEN u.level = 'sub_unit'
                                THEN COALESCE(u.grassroots_id, u.id) ELSE u.id
                           END AS unit_id,
                           rec.year, %(unit_sums)s
                      FROM (%(records)s) rec
                      JOIN union_organization u ON u.id = rec.organization_id
                  GROUP BY 1, 2
                   ) c
              JOIN union_organization cu ON cu.id = c.unit_id
        CROSS JOIN LATERAL unnest(
                       string_to_array(rtrim(cu.parent_path, '/'), '/')::int[]
                   ) AS anc(id)
          GROUP BY anc.id, c.year
            """,
            subtree_sums=subtree_sums,
            unit_sums=unit_sums,
            records=SQL(" UNION ALL ").join(branches),
        )

    def _read_group_select(self, aggregate_spec, query):
        """A group sums the records attached to each of its units, so that a
        district and its unions count each member once."""
        name, _sep, func = aggregate_spec.partition(":")
        if name in COUNTS and func == "sum":
            return SQL("SUM(%s)::int", self._read_group_count_sql(name, query))
        return super()._read_group_select(aggregate_spec, query)

    def _read_group_count_sql(self, name, query):
        return self._field_to_sql(self._table, f"own_{name}", query)

    @api.depends("organization_id", "year")
    def _compute_display_name(self):
        for row in self:
            row.display_name = f"{row.organization_id.display_name} – {row.year}"

    # Drill-down: the records obey the user's record rules -------------------

    def action_open_report(self):
        """The unit's report of the year; an officer of the unit creates it
        when it is still missing."""
        self.ensure_one()
        report = self.report_id
        if not report:
            report = self.env["union.annual.report"].create(
                {"organization_id": self.organization_id.id, "year": self.year}
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "union.annual.report",
            "res_id": report.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

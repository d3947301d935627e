from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .union_statistics_mixin import ALL_FIGURES, COUNTS, with_rates
from .union_workflow_mixin import _WORKFLOW, GROUP_MANAGER, Transition, html_has_text

_lt = LazyTranslate(__name__)
ABOVE = _lt(
    "Only a leader of an organisation above “%(organization)s” "
    "can accept or return its term summary."
)

# Head counts are stocks: the term's figure is the one of its last year.
STOCKS = ("member_count",)
SOURCES = [
    ("accepted", "Accepted report"),
    ("submitted", "Submitted report"),
    ("live", "Live figures"),
]


class UnionTermReport(models.Model):
    """The summary of a plan's whole term (sơ kết, tổng kết) by an
    organisation: each year's figures side by side, the term's totals and
    trend, and the narrative the plan asks for (II.5: results, limitations
    and causes, lessons, directions)."""

    _name = "union.term.report"
    _description = "Term Summary Report"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "union.workflow.mixin",
        "union.statistics.mixin",
    ]
    _order = "year_end desc, organization_id"

    # The figures are written by _refresh_statistics.
    _system_fields = ("statistics_date", *ALL_FIGURES)
    _frozen_fields = ("organization_id", "plan_id")
    # The same switch as the annual reports: both are reports to the level above.
    _approval_activity_param = "approval_activity_annual_report"
    _transitions = {
        "submit": Transition(
            ["draft"],
            "submitted",
            _lt("submit"),
            stamp="submit",
            check="_check_results_written",
            # Frozen as submitted: the accepted summary keeps these figures.
            before="_refresh_statistics",
            message=_lt("Term summary submitted."),
            activity="request",
        ),
        "accept": Transition(
            ["submitted"],
            "accepted",
            _lt("accept"),
            group=GROUP_MANAGER,
            above=ABOVE,
            stamp="accept",
            message=_lt("Term summary accepted."),
            activity="close",
        ),
        "reset_to_draft": Transition(
            ["submitted", "accepted"],
            "draft",
            _lt("return"),
            group=GROUP_MANAGER,
            above=ABOVE,
            clear=("accept",),
            reason=_lt("Return Term Summary"),
            message=_lt("Term summary returned for revision."),
            activity="return",
        ),
    }
    _approval_transition = "accept"

    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    plan_id = fields.Many2one(
        "union.plan",
        string="Plan",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The plan whose term is summarised, e.g. 140/KH-LĐLĐ for 2021-2026.",
    )
    year_start = fields.Integer(
        aggregator=False, related="plan_id.year_start", store=True
    )
    year_end = fields.Integer(aggregator=False, related="plan_id.year_end", store=True)
    level = fields.Selection(related="organization_id.level")
    statistics_date = fields.Datetime(string="Figures As Of", readonly=True, copy=False)
    line_ids = fields.One2many(
        "union.term.report.line", "report_id", string="Figures by Year"
    )
    member_count_trend = fields.Integer(
        string="Members (change)", compute="_compute_trends"
    )
    pledge_rate_trend = fields.Float(
        string="Pledge Rate (change, points)", digits=(5, 1), compute="_compute_trends"
    )
    study_rate_trend = fields.Float(
        string="Study Rate (change, points)", digits=(5, 1), compute="_compute_trends"
    )
    results = fields.Html(string="Results Achieved")
    limitations = fields.Html(string="Limitations and Causes")
    lessons = fields.Html(string="Lessons Learned")
    directions = fields.Html(string="Directions and Tasks Ahead")
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("accepted", "Accepted")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        group_expand=True,
        copy=False,
    )
    submit_user_id = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    submit_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    accept_user_id = fields.Many2one(
        "res.users", string="Accepted By", readonly=True, copy=False
    )
    accept_date = fields.Datetime(string="Accepted On", readonly=True, copy=False)
    can_submit = fields.Boolean(compute="_compute_can_transitions")
    can_accept = fields.Boolean(compute="_compute_can_transitions")
    can_reset_to_draft = fields.Boolean(compute="_compute_can_transitions")

    _sql_constraints = [
        (
            "organization_plan_unique",
            "unique(organization_id, plan_id)",
            "This organisation already has a summary of this plan's term.",
        ),
    ]

    @api.depends("organization_id.name", "plan_id.year_start", "plan_id.year_end")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "Term summary %(start)s-%(end)s – %(organization)s",
                start=report.year_start,
                end=report.year_end,
                organization=report.organization_id.name or "",
            )

    @api.depends("line_ids.member_count", "line_ids.pledge_rate", "line_ids.study_rate")
    def _compute_trends(self):
        for report in self:
            first, last = report.line_ids[:1], report.line_ids[-1:]
            report.member_count_trend = last.member_count - first.member_count
            report.pledge_rate_trend = last.pledge_rate - first.pledge_rate
            report.study_rate_trend = last.study_rate - first.study_rate

    @api.model_create_multi
    def create(self, vals_list):
        reports = super().create(vals_list)
        reports._refresh_statistics()
        return reports

    # Figures ------------------------------------------------------------------------

    def _term_years(self):
        """The plan's years up to the current one: a summary made before the
        term ends covers the years already lived."""
        self.ensure_one()
        this_year = fields.Date.context_today(self).year
        return range(self.year_start, min(self.year_end, this_year) + 1)

    def _year_figures(self):
        """{report id: [(year, source, annual report, figures)]}: the frozen
        figures of the year's annual report once submitted, live ones
        otherwise (the report is still a draft, or there is none)."""
        AnnualReport = self.env["union.annual.report"]
        years = {year for report in self for year in report._term_years()}
        # The organisation's own annual reports, readable wherever the summary is.
        annual = {
            (ar.organization_id.id, ar.year): ar
            for ar in AnnualReport.search(
                [
                    ("organization_id", "in", self.organization_id.ids),
                    ("year", "in", list(years)),
                ]
            )
        }
        live = {}
        result = {}
        for report in self:
            org = report.organization_id
            rows = []
            for year in report._term_years():
                annual_report = annual.get((org.id, year), AnnualReport)
                if annual_report.state in ("submitted", "accepted"):
                    figures = {name: annual_report[name] for name in ALL_FIGURES}
                    rows.append((year, annual_report.state, annual_report, figures))
                    continue
                if year not in live:
                    live[year] = self.organization_id._union_statistics(year)
                rows.append((year, "live", annual_report, live[year][org.id]))
            result[report.id] = rows
        return result

    @staticmethod
    def _term_totals(year_figures):
        """The term's figures: flows summed over the years, head counts those
        of the last year, rates the ratios of the summed counts."""
        sums = {
            name: sum(figures[name] for *_r, figures in year_figures) for name in COUNTS
        }
        totals = with_rates(sums)
        last = year_figures[-1][3] if year_figures else {}
        for name in STOCKS:
            totals[name] = last.get(name, 0)
        return totals

    def _refresh_statistics(self):
        Line = self.env["union.term.report.line"].with_context(union_workflow=_WORKFLOW)
        self.line_ids.with_context(union_workflow=_WORKFLOW).unlink()
        now = fields.Datetime.now()
        line_vals = []
        figures_by_report = self._year_figures()
        for report in self:
            year_figures = figures_by_report[report.id]
            line_vals += [
                {
                    "report_id": report.id,
                    "year": year,
                    "source": source,
                    "annual_report_id": annual_report.id,
                    **figures,
                }
                for year, source, annual_report, figures in year_figures
            ]
            report._workflow_write(
                {**self._term_totals(year_figures), "statistics_date": now}
            )
        Line.create(line_vals)

    def action_refresh(self):
        self._check_state(["draft"], self.env._("refresh the figures of"))
        self._check_scope()
        self._refresh_statistics()

    # Workflow ---------------------------------------------------------------------

    def action_submit(self):
        return self._transition("submit")

    def action_accept(self):
        return self._transition("accept")

    def action_reset_to_draft(self, reason=None):
        return self._transition("reset_to_draft", reason)

    def _check_results_written(self):
        empty = self.filtered(lambda r: not html_has_text(r.results))
        if empty:
            raise UserError(
                self.env._(
                    "Write the results achieved in “%(report)s” before submitting it.",
                    report=empty[0].display_name,
                )
            )


class UnionTermReportLine(models.Model):
    _name = "union.term.report.line"
    _description = "Term Summary Figures by Year"
    _inherit = ["union.system.mixin", "union.statistics.mixin"]
    _order = "report_id, year"

    # Every figure of a summary is the system's: _refresh_statistics writes them.
    _system_fields = ("report_id", "year", "source", "annual_report_id", *ALL_FIGURES)

    report_id = fields.Many2one(
        "union.term.report", required=True, index=True, ondelete="cascade"
    )
    year = fields.Integer(aggregator=False, required=True)
    source = fields.Selection(
        SOURCES,
        string="Figures From",
        help="The year's annual report once submitted (its figures are frozen), "
        "otherwise the live figures of the organisation's subtree.",
    )
    annual_report_id = fields.Many2one(
        "union.annual.report", string="Annual Report", ondelete="set null"
    )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_on_refresh(self):
        if not self._is_workflow_call():
            raise UserError(
                self.env._(
                    "The figures of a term summary are computed: "
                    "refresh the summary instead."
                )
            )

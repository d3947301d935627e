import logging
import threading
from collections import defaultdict
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .res_config_settings import get_param
from .union_organization import STAT_COUNTS, STAT_FIELDS
from .union_workflow_mixin import _WORKFLOW, GROUP_MANAGER, GROUP_OFFICER

_logger = logging.getLogger(__name__)

REPORTING_LEVELS = ("upper_grassroots", "grassroots")
REMINDER_DAYS = (30, 7)
CRON_BATCH = 200


class UnionAnnualReport(models.Model):
    _name = "union.annual.report"
    _description = "Annual Report"
    _inherit = [
        "mail.thread",
        "mail.activity.mixin",
        "union.workflow.mixin",
        "union.statistics.mixin",
    ]
    _order = "year desc, organization_id"

    _workflow_fields = (
        "state",
        "submit_user_id",
        "submit_date",
        "accept_user_id",
        "accept_date",
        "is_overdue",
        "reminded_days",
        "statistics_date",
        *STAT_FIELDS,
    )
    _frozen_fields = ("organization_id", "year")
    _locked_states = ("submitted", "accepted")
    _reason_methods = ("action_reset_to_draft",)

    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    level = fields.Selection(related="organization_id.level", store=True)
    parent_organization_id = fields.Many2one(
        related="organization_id.parent_id", string="Reports To", store=True
    )
    year = fields.Integer(
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    date_due = fields.Date(
        string="Due Date",
        compute="_compute_date_due",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
    )
    is_overdue = fields.Boolean(string="Overdue", readonly=True, index=True, copy=False)
    reminded_days = fields.Integer(
        readonly=True,
        copy=False,
        help="The reminder last sent, in days before the due date.",
    )
    statistics_date = fields.Datetime(string="Figures As Of", readonly=True, copy=False)
    line_ids = fields.One2many(
        "union.annual.report.line", "report_id", string="Figures by Organization"
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

    _sql_constraints = [
        (
            "organization_year_unique",
            "unique(organization_id, year)",
            "This organisation already has an annual report for this year.",
        ),
    ]

    @api.depends("year")
    def _compute_date_due(self):
        day, month = (
            get_param(self.env, "report_due_day"),
            get_param(self.env, "report_due_month"),
        )
        for report in self:
            report.date_due = date(report.year, month, day) if report.year else False

    @api.depends("organization_id.name", "year")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "Annual report %(year)s – %(organization)s",
                year=report.year,
                organization=report.organization_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_one_a_year(
            vals_list,
            "organization_id",
            lambda org, year: self.env._(
                "%(organization)s already has an annual report for %(year)s.",
                organization=org.name,
                year=year,
            ),
        )
        reports = super().create(vals_list)
        reports._refresh_statistics()
        return reports

    def write(self, vals):
        if "date_due" in vals and not self._is_workflow_call():
            for report in self:
                if not report.organization_id._is_below_user_scope():
                    raise AccessError(
                        self.env._(
                            "Only the level above “%(organization)s” can change the due date of its report.",
                            organization=report.organization_id.name,
                        )
                    )
        return super().write(vals)

    # Statistics -------------------------------------------------------------------

    def _refresh_statistics(self):
        """Recompute the figures of the whole subtree; one row per organisation.

        The figures of all the reports of a year come from one computation
        over their organisations: the yearly job refreshes a province's
        thousand reports in a few grouped queries."""
        Line = self.env["union.annual.report.line"].with_context(
            union_workflow=_WORKFLOW
        )
        now = fields.Datetime.now()
        self.line_ids.with_context(union_workflow=_WORKFLOW).unlink()
        line_vals = []
        for year, reports in self.grouped("year").items():
            stats = reports.organization_id._union_statistics(year)
            orgs = (
                self.env["union.organization"]
                .with_context(active_test=False)
                .browse(list(stats))
                .sorted("complete_name")
            )
            # Each organisation under each of its ancestors, in tree order.
            below = defaultdict(list)
            for org in orgs:
                if org.active or any(stats[org.id][key] for key in STAT_COUNTS):
                    for ancestor in org.parent_path.split("/")[:-1]:
                        below[int(ancestor)].append(org)
            for report in reports:
                root = report.organization_id
                root_depth = root.parent_path.count("/")
                line_vals += [
                    {
                        "report_id": report.id,
                        "organization_id": org.id,
                        "depth": org.parent_path.count("/") - root_depth,
                        "sequence": index,
                        **stats[org.id],
                    }
                    for index, org in enumerate(below[root.id])
                ]
                report._workflow_write({**stats[root.id], "statistics_date": now})
        Line.create(line_vals)

    def action_refresh(self):
        self._check_state(["draft"], self.env._("refresh the figures of"))
        self._check_scope()
        self._refresh_statistics()

    # Workflow ---------------------------------------------------------------------

    def action_submit(self):
        self._check_state(["draft"], self.env._("submit"))
        self._check_group(GROUP_OFFICER, self.env._("submit annual reports"))
        self._check_scope()
        empty = self.filtered(lambda r: not r.results)
        if empty:
            raise UserError(
                self.env._(
                    "Write the results achieved in “%(report)s” before submitting it.",
                    report=empty[0].display_name,
                )
            )
        # The figures are frozen as submitted: the accepted report keeps them.
        self._refresh_statistics()
        self._workflow_write({"state": "submitted", **self._stamp("submit")})
        self.activity_feedback(
            ["trade_union_emulation.mail_activity_type_annual_report"],
            feedback=self.env._("Report submitted."),
        )
        self._post_transition(self.env._("Annual report submitted."))

    def action_accept(self):
        self._check_state(["submitted"], self.env._("accept"))
        self._check_group(GROUP_MANAGER, self.env._("accept annual reports"))
        self._check_above()
        self._workflow_write({"state": "accepted", **self._stamp("accept")})
        self._post_transition(self.env._("Annual report accepted."))

    def action_reset_to_draft(self, reason=None):
        self._check_state(["submitted", "accepted"], self.env._("return"))
        self._check_group(GROUP_MANAGER, self.env._("return annual reports"))
        self._check_above()
        if not (reason or "").strip():
            return self._ask_reason(
                "action_reset_to_draft", self.env._("Return Report")
            )
        self._workflow_write(
            {"state": "draft", "accept_user_id": False, "accept_date": False}
        )
        self._post_transition(
            self.env._("Annual report returned for revision."), reason
        )
        return True

    def _check_above(self):
        self._check_level_above(
            self.env._(
                "Only a leader of an organisation above “%(organization)s” can accept or return its report."
            )
        )

    def _action_open_records(self, xmlid, domain):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = domain
        action["context"] = {}
        return action

    def action_open_pledges(self):
        return self._action_open_records(
            "trade_union_emulation.union_pledge_action",
            [
                ("organization_id", "child_of", self.organization_id.id),
                ("year", "=", self.year),
            ],
        )

    def action_open_evaluations(self):
        return self._action_open_records(
            "trade_union_emulation.union_member_evaluation_action",
            [
                ("organization_id", "child_of", self.organization_id.id),
                ("year", "=", self.year),
            ],
        )

    def action_open_sessions(self):
        return self._action_open_records(
            "trade_union_emulation.union_study_session_action",
            [
                ("organization_id", "child_of", self.organization_id.id),
                ("year", "=", self.year),
            ],
        )

    # Scheduled action ---------------------------------------------------------------

    @api.model
    def _cron_annual_reports(self):
        today = fields.Date.context_today(self)
        auto_commit = not getattr(threading.current_thread(), "testing", False)
        created = self._create_missing_reports(today.year, auto_commit)
        reminded = self._send_reminders(today, auto_commit)
        overdue = self.search(
            [
                ("state", "=", "draft"),
                ("date_due", "<", today),
                ("is_overdue", "=", False),
            ]
        )
        overdue._workflow_write({"is_overdue": True})
        _logger.info(
            "Annual reports %s: %s created, %s reminders sent, %s newly overdue",
            today.year,
            created,
            reminded,
            len(overdue),
        )

    def _create_missing_reports(self, year, auto_commit):
        orgs = self.env["union.organization"].search(
            [("level", "in", REPORTING_LEVELS)], order="id"
        )
        have = self.search(
            [("organization_id", "in", orgs.ids), ("year", "=", year)]
        ).organization_id
        todo = orgs - have
        for start in range(0, len(todo), CRON_BATCH):
            batch = todo[start : start + CRON_BATCH]
            self.with_context(mail_create_nolog=True, tracking_disable=True).create(
                [{"organization_id": org.id, "year": year} for org in batch]
            )
            if auto_commit:
                self.env.cr.commit()
            self.env["ir.cron"]._notify_progress(
                done=start + len(batch), remaining=len(todo) - start - len(batch)
            )
        return len(todo)

    def _send_reminders(self, today, auto_commit):
        """An activity for the officers 30, then 7, days before the due date; the
        reminder sent is recorded so that a second run sends nothing twice."""
        activity_type = self.env.ref(
            "trade_union_emulation.mail_activity_type_annual_report"
        )
        count = 0
        # Nearest reminder first: a report first seen 5 days before its due date
        # gets the 7-day reminder only, not the 30-day one as well.
        for days in sorted(REMINDER_DAYS):
            reports = self.search(
                [
                    ("state", "=", "draft"),
                    ("date_due", ">=", today),
                    ("date_due", "<=", today + timedelta(days=days)),
                    "|",
                    ("reminded_days", "=", 0),
                    ("reminded_days", ">", days),
                ]
            )
            for report in reports:
                for user in report.organization_id._get_officer_users():
                    report.activity_schedule(
                        activity_type_id=activity_type.id,
                        date_deadline=report.date_due,
                        user_id=user.id,
                        summary=self.env._(
                            "Annual report due in %(days)s days (%(date)s)",
                            days=(report.date_due - today).days,
                            date=report.date_due.strftime("%d/%m/%Y"),
                        ),
                    )
                    count += 1
                report._workflow_write({"reminded_days": days})
            if auto_commit:
                self.env.cr.commit()
        return count


class UnionAnnualReportLine(models.Model):
    _name = "union.annual.report.line"
    _description = "Annual Report Figures by Organization"
    _inherit = ["union.statistics.mixin"]
    _order = "report_id, sequence, id"

    report_id = fields.Many2one(
        "union.annual.report", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    organization_id = fields.Many2one(
        "union.organization", required=True, ondelete="restrict"
    )
    level = fields.Selection(related="organization_id.level")
    depth = fields.Integer()
    year = fields.Integer(related="report_id.year", store=True)

    def _check_computed(self):
        if not (self.env.su or self.env.context.get("union_workflow") is _WORKFLOW):
            raise UserError(
                self.env._(
                    "The figures of an annual report are computed: refresh the report instead."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_computed()
        return super().create(vals_list)

    def write(self, vals):
        self._check_computed()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_on_refresh(self):
        self._check_computed()

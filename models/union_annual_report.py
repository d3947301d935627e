import logging
from collections import defaultdict
from datetime import date, timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .res_config_settings import get_param
from .union_organization import STAT_COUNTS, STAT_FIELDS
from .union_workflow_mixin import (
    _WORKFLOW,
    GROUP_MANAGER,
    GROUP_OFFICER,
    Transition,
    exclusive_job,
    html_has_text,
    job_auto_commit,
)

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)
ABOVE = _lt(
    "Only a leader of an organisation above “%(organization)s” can accept or return "
    "its report."
)
REMINDER_ACTIVITY = "trade_union_emulation.mail_activity_type_annual_report"

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
        "union.year.records.mixin",
    ]
    _order = "year desc, organization_id"

    _transitions = {
        "submit": Transition(
            ["draft"],
            "submitted",
            _lt("submit"),
            stamp="submit",
            check="_check_results_written",
            # The figures are frozen as submitted: the accepted report keeps them.
            before="_refresh_statistics",
            after="_close_reminders",
            message=_lt("Annual report submitted."),
            activity="request",
        ),
        "accept": Transition(
            ["submitted"],
            "accepted",
            _lt("accept"),
            group=GROUP_MANAGER,
            above=ABOVE,
            stamp="accept",
            message=_lt("Annual report accepted."),
            activity="close",
        ),
        "reset_to_draft": Transition(
            ["submitted", "accepted"],
            "draft",
            _lt("return"),
            group=GROUP_MANAGER,
            above=ABOVE,
            clear=("accept",),
            reason=_lt("Return Report"),
            message=_lt("Annual report returned for revision."),
            activity="return",
        ),
    }
    _approval_transition = "accept"
    _approval_activity_param = "approval_activity_annual_report"
    _cron_batch_size = CRON_BATCH
    # The figures are written by _refresh_statistics, the rest by the daily job.
    _system_fields = ("is_overdue", "reminded_days", "statistics_date", *STAT_FIELDS)
    _frozen_fields = ("organization_id", "year")

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
        aggregator=False,
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
        aggregator=False,
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
    can_submit = fields.Boolean(compute="_compute_can_transitions")
    can_accept = fields.Boolean(compute="_compute_can_transitions")
    can_reset_to_draft = fields.Boolean(compute="_compute_can_transitions")
    can_change_due_date = fields.Boolean(compute="_compute_can_change_due_date")

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

    @api.depends("organization_id")
    @api.depends_context("uid")
    def _compute_can_change_due_date(self):
        for report in self:
            report.can_change_due_date = (
                bool(report.organization_id)
                and report.organization_id._is_below_user_scope()
            )

    @api.depends("organization_id.name", "year")
    def _compute_display_name(self):
        for report in self:
            report.display_name = self.env._(
                "Annual report %(year)s – %(organization)s",
                year=report.year,
                organization=report.organization_id.name or "",
            )

    @api.constrains("year", "organization_id")
    def _check_year(self):
        self._check_year_rule()

    @api.model_create_multi
    def create(self, vals_list):
        if not self._is_workflow_call():
            self._check_due_dates_given(vals_list)
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
        if not self.env.context.get("union_statistics_later"):
            reports._refresh_statistics()
        return reports

    def write(self, vals):
        if "date_due" in vals and not self._is_workflow_call():
            for report in self:
                report.organization_id._check_due_date_by_level_above()
        return super().write(vals)

    def _check_due_dates_given(self, vals_list):
        """A report is created with the due date of the settings; only the level
        above the organisation may give it another one."""
        day, month = (
            get_param(self.env, "report_due_day"),
            get_param(self.env, "report_due_month"),
        )
        this_year = fields.Date.context_today(self).year
        for vals in vals_list:
            if not vals.get("date_due"):
                continue
            default = date(vals.get("year") or this_year, month, day)
            organization = self.env["union.organization"].browse(
                vals.get("organization_id")
            )
            if organization and fields.Date.to_date(vals["date_due"]) != default:
                organization._check_due_date_by_level_above()

    # Statistics -------------------------------------------------------------------

    def _refresh_statistics(self, trees=None):
        """Recompute the figures of the whole subtree; one row per organisation.

        The figures of all the reports of a year come from one computation
        over their organisations: the yearly job refreshes a province's
        thousand reports in a few grouped queries. ``trees`` ({year: what
        _statistics_tree returns}) are figures already computed over subtrees
        holding these reports' organisations: the yearly job computes them
        once for all its batches, so that its time grows with the data, not
        with the data times the number of batches."""
        Line = self.env["union.annual.report.line"].with_context(
            union_workflow=_WORKFLOW
        )
        now = fields.Datetime.now()
        self.line_ids.with_context(union_workflow=_WORKFLOW).unlink()
        line_vals = []
        for year, reports in self.grouped("year").items():
            tree = (trees or {}).get(year) or self._statistics_tree(
                reports.organization_id._union_statistics(year)
            )
            stats = tree["statistics"]
            root_ids = set(reports.organization_id.ids)
            # Each organisation under each of the reports' organisations above
            # it, in tree order.
            below = defaultdict(list)
            for org_id in tree["order"]:
                path = tree["ancestors"][org_id]
                if root_ids.isdisjoint(path):
                    continue
                for ancestor in path:
                    if ancestor in root_ids:
                        below[ancestor].append(org_id)
            for report in reports:
                root_id = report.organization_id.id
                root_depth = len(tree["ancestors"][root_id])
                line_vals += [
                    {
                        "report_id": report.id,
                        "organization_id": org_id,
                        "depth": len(tree["ancestors"][org_id]) - root_depth,
                        "sequence": index,
                        **stats[org_id],
                    }
                    for index, org_id in enumerate(below[root_id])
                ]
                report._workflow_write({**stats[root_id], "statistics_date": now})
        Line.create(line_vals)

    @api.model
    def _statistics_tree(self, statistics):
        """What the report lines are made from, read once for figures that
        _union_statistics returned: the figures, each counted organisation's
        ancestors (see _ancestor_ids), and the organisations that get a line
        (active, or archived with a figure of the year), in tree order."""
        counted = (
            self.env["union.organization"]
            .with_context(active_test=False)
            .search([("id", "in", list(statistics))], order="complete_name, id")
        )
        return {
            "statistics": statistics,
            "ancestors": counted._ancestor_ids(),
            "order": [
                org.id
                for org in counted
                if org.active or any(statistics[org.id][key] for key in STAT_COUNTS)
            ],
        }

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

    def _close_reminders(self):
        # The reminders of a submitted report are done; they are the system's.
        self.sudo().activity_feedback(
            [REMINDER_ACTIVITY], feedback=self.env._("Report submitted.")
        )

    def _check_above(self):
        self._check_level_above(self.env._(ABOVE))

    # Scheduled action ---------------------------------------------------------------

    @api.model
    def _cron_annual_reports(self, auto_commit=None):
        """Create the year's missing reports, remind the officers, mark the late
        reports overdue. Batched, each batch committed as it is done (a run
        stopped half-way keeps its batches, the next one does the rest), and
        one worker at a time: a second worker started meanwhile leaves."""
        today = fields.Date.context_today(self)
        if auto_commit is None:
            auto_commit = job_auto_commit(self.env)
        with exclusive_job(
            self.env, "trade_union_emulation.annual_report_cron", auto_commit
        ) as acquired:
            if not acquired:
                _logger.info("Annual reports: another worker is running the job")
                return
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
            self.env["ir.cron"]._notify_progress(done=created + reminded, remaining=0)
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
        if not todo:
            return 0
        # The figures of every tree, computed once: each batch's reports take
        # theirs from it (one pass over the year's records, not one a batch).
        roots = (
            self.env["union.organization"]
            .with_context(active_test=False)
            .search([("parent_id", "=", False)])
        )
        trees = {year: self._statistics_tree(roots._union_statistics(year))}
        batch_size = self._cron_batch_size
        Report = self.with_context(
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            tracking_disable=True,
            union_statistics_later=True,
        )
        for start in range(0, len(todo), batch_size):
            batch = todo[start : start + batch_size]
            reports = Report.create(
                [{"organization_id": org.id, "year": year} for org in batch]
            )
            reports._refresh_statistics(trees)
            self.env["ir.cron"]._notify_progress(
                done=start + len(batch), remaining=len(todo) - start - len(batch)
            )
            if auto_commit:
                # Each batch of reports is kept once made: with the unique
                # constraint, a later run creates only the missing ones.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        return len(todo)

    def _reports_to_remind(self, today):
        """{days: reports} of the reminders due today: the nearest reminder first,
        so that a report first seen 5 days before its due date gets the 7-day
        reminder only; a reminder already sent is not sent again."""
        due = {}
        seen = self.browse()
        for days in sorted(REMINDER_DAYS):
            reports = (
                self.search(
                    [
                        ("state", "=", "draft"),
                        ("date_due", ">=", today),
                        ("date_due", "<=", today + timedelta(days=days)),
                        "|",
                        ("reminded_days", "=", 0),
                        ("reminded_days", ">", days),
                    ],
                    order="id",
                )
                - seen
            )
            due[days] = reports
            seen |= reports
        return due

    def _send_reminders(self, today, auto_commit):
        """One activity per officer and report, 30 then 7 days before the due
        date: the second reminder updates the open activity of the first
        instead of adding one. The reminder sent is recorded with its batch,
        so that a run stopped half-way and run again sends nothing twice.
        Returns the number of activities created or updated."""
        activity_type = self.env.ref(REMINDER_ACTIVITY)
        officers = self.env["union.organization"]._users_by_scope(GROUP_OFFICER)
        Activity = (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        count = 0
        batch_size = self._cron_batch_size
        for days, reports in self._reports_to_remind(today).items():
            # In tree order, so that a batch's reports share their officers:
            # the chatter subscribes each officer once per batch, and batches
            # taken in id order would each meet most of a province's officers.
            reports = reports.sorted(lambda report: report.organization_id.parent_path)
            for start in range(0, len(reports), batch_size):
                batch = reports[start : start + batch_size]
                open_activities = {
                    (activity.res_id, activity.user_id.id): activity
                    for activity in Activity.search(
                        [
                            ("res_model", "=", self._name),
                            ("res_id", "in", batch.ids),
                            ("activity_type_id", "=", activity_type.id),
                        ]
                    )
                }
                to_update = defaultdict(lambda: self.env["mail.activity"])
                to_create = []
                for report in batch:
                    summary = self.env._(
                        "Annual report due in %(days)s days (%(date)s)",
                        days=(report.date_due - today).days,
                        date=report.date_due.strftime("%d/%m/%Y"),
                    )
                    for user in report.organization_id._nearest_users(officers):
                        activity = open_activities.get((report.id, user.id))
                        if activity:
                            to_update[(summary, report.date_due)] |= activity
                        else:
                            to_create.append(
                                {
                                    "res_model_id": model_id,
                                    "res_id": report.id,
                                    "activity_type_id": activity_type.id,
                                    "user_id": user.id,
                                    "date_deadline": report.date_due,
                                    "summary": summary,
                                    "automated": True,
                                }
                            )
                for (summary, deadline), activities in to_update.items():
                    activities.write({"summary": summary, "date_deadline": deadline})
                Activity.create(to_create)
                count += len(to_create) + sum(map(len, to_update.values()))
                batch._workflow_write({"reminded_days": days})
                if auto_commit:
                    # The activities and the record of the reminder sent are
                    # committed together: a run stopped later sends neither twice.
                    self.env.cr.commit()  # pylint: disable=invalid-commit
        return count


class UnionAnnualReportLine(models.Model):
    _name = "union.annual.report.line"
    _description = "Annual Report Figures by Organization"
    _inherit = ["union.system.mixin", "union.statistics.mixin"]
    _order = "report_id, sequence, id"

    # Every figure of a report is the system's: _refresh_statistics writes them.
    _system_fields = (
        "report_id",
        "sequence",
        "organization_id",
        "depth",
        *STAT_FIELDS,
    )

    report_id = fields.Many2one(
        "union.annual.report", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    organization_id = fields.Many2one(
        "union.organization", required=True, ondelete="restrict"
    )
    level = fields.Selection(related="organization_id.level")
    depth = fields.Integer(aggregator=False)
    year = fields.Integer(aggregator=False, related="report_id.year", store=True)

    def _check_computed(self):
        if not (self.env.su or self.env.context.get("union_workflow") is _WORKFLOW):
            raise UserError(
                self.env._(
                    "The figures of an annual report are computed: refresh the "
                    "report instead."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_on_refresh(self):
        self._check_computed()

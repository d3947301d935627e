import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .res_config_settings import get_param
from .union_member import CATEGORIES
from .union_workflow_mixin import (
    GROUP_MANAGER,
    GROUP_OFFICER,
    Transition,
    exclusive_job,
    job_auto_commit,
)

_logger = logging.getLogger(__name__)
_lt = LazyTranslate(__name__)

RESULTS = [
    ("achieved", "Achieved"),
    ("partially_achieved", "Partially achieved"),
    ("not_achieved", "Not achieved"),
]
GENERATION_BATCH = 5000


class UnionPledge(models.Model):
    _name = "union.pledge"
    _description = "Annual Pledge"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.workflow.mixin"]
    _order = "year desc, organization_id, member_id"

    _transitions = {
        "submit": Transition(
            ["draft"],
            "submitted",
            _lt("submit"),
            owner_may=True,
            stamp="submit",
            check="_check_commitments_written",
            message=_lt("Pledge submitted."),
            activity="request",
        ),
        "approve": Transition(
            ["submitted"],
            "approved",
            _lt("approve"),
            group=GROUP_MANAGER,
            not_own=_lt(
                "You cannot approve your own pledge: another leader must approve it."
            ),
            stamp="approve",
            message=_lt("Pledge approved."),
            activity="close",
        ),
        "assess": Transition(
            ["approved"],
            "assessed",
            _lt("assess"),
            group=GROUP_MANAGER,
            stamp="assess",
            check="_check_result_recorded",
            message=_lt("Pledge assessed."),
        ),
        "reset_to_draft": Transition(
            ["submitted", "approved", "assessed"],
            "draft",
            _lt("return to draft"),
            group={
                "submitted": GROUP_OFFICER,
                "approved": GROUP_MANAGER,
                "assessed": GROUP_MANAGER,
            },
            clear=("approve", "assess"),
            reason=_lt("Return to Draft"),
            message=_lt("Pledge returned to draft."),
            activity="return",
        ),
    }
    _approval_activity_param = "approval_activity_pledge"
    _generation_batch_size = GENERATION_BATCH
    _frozen_fields = ("member_id", "year")
    _editable_in_state = {"approved": ("result", "result_note")}
    _state_bound_fields = {"result": ("approved",), "result_note": ("approved",)}

    member_id = fields.Many2one(
        "union.member", required=True, index=True, ondelete="restrict", tracking=True
    )
    year = fields.Integer(
        aggregator=False,
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    organization_id = fields.Many2one(
        "union.organization",
        compute="_compute_member_snapshot",
        store=True,
        precompute=True,
        required=True,
        index=True,
        ondelete="restrict",
        help=(
            "The member's organisation when the pledge was made; kept if the member "
            "moves later."
        ),
    )
    category = fields.Selection(
        CATEGORIES,
        compute="_compute_member_snapshot",
        store=True,
        precompute=True,
        required=True,
        index=True,
    )
    member_user_id = fields.Many2one(
        related="member_id.user_id", string="Member's User"
    )
    line_ids = fields.One2many(
        "union.pledge.line", "pledge_id", string="Commitments", copy=True
    )
    line_count = fields.Integer(compute="_compute_line_stats")
    achieved_line_count = fields.Integer(compute="_compute_line_stats")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("assessed", "Assessed"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        group_expand=True,
        copy=False,
    )
    result = fields.Selection(RESULTS, tracking=True, copy=False, index=True)
    result_note = fields.Text(string="Assessment", copy=False)
    submit_user_id = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    submit_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    approve_user_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approve_date = fields.Datetime(string="Approved On", readonly=True, copy=False)
    assess_user_id = fields.Many2one(
        "res.users", string="Assessed By", readonly=True, copy=False
    )
    assess_date = fields.Datetime(string="Assessed On", readonly=True, copy=False)
    can_submit = fields.Boolean(compute="_compute_can_transitions")
    can_approve = fields.Boolean(compute="_compute_can_transitions")
    can_assess = fields.Boolean(compute="_compute_can_transitions")
    can_reset_to_draft = fields.Boolean(compute="_compute_can_transitions")

    _sql_constraints = [
        (
            "member_year_unique",
            "unique(member_id, year)",
            "This member already has a pledge for this year.",
        ),
    ]

    @api.depends("member_id")
    def _compute_member_snapshot(self):
        # Copied once: the pledge keeps the member's organisation and category
        # of that time (it depends on the member, not on the member's fields).
        for pledge in self:
            pledge.organization_id = pledge.member_id.organization_id
            pledge.category = pledge.member_id.category

    @api.depends("line_ids.achieved")
    def _compute_line_stats(self):
        for pledge in self:
            pledge.line_count = len(pledge.line_ids)
            pledge.achieved_line_count = len(pledge.line_ids.filtered("achieved"))

    @api.depends("member_id.name", "year")
    def _compute_display_name(self):
        for pledge in self:
            pledge.display_name = self.env._(
                "Pledge %(year)s – %(member)s",
                year=pledge.year,
                member=pledge.member_id.name or "",
            )

    @api.constrains("year", "member_id")
    def _check_year(self):
        self._check_year_rule()

    @api.model_create_multi
    def create(self, vals_list):
        # Who may not create gets the access error first, not a word on the data.
        self.check_access("create")
        self._check_members_in_scope([vals.get("member_id") for vals in vals_list])
        self._check_one_a_year(
            vals_list,
            "member_id",
            lambda member, year: self.env._(
                "%(member)s already has a pledge for %(year)s. Open that pledge "
                "instead of creating another.",
                member=member.name,
                year=year,
            ),
            twice_message=self.env._(
                "The same member appears twice for one year: a member makes one "
                "pledge a year."
            ),
        )
        pledges = super().create(vals_list)
        pledges.filtered(lambda p: not p.line_ids)._add_criterion_lines()
        return pledges

    def _add_criterion_lines(self):
        criteria = self.env["union.pledge.criterion"].search(
            [("category", "in", list(set(self.mapped("category"))))]
        )
        self.env["union.pledge.line"]._workflow_create(
            [
                {
                    "pledge_id": pledge.id,
                    "criterion_id": criterion.id,
                    "sequence": criterion.sequence,
                }
                for pledge in self
                for criterion in criteria
                if criterion.category == pledge.category
            ]
        )

    # Workflow ---------------------------------------------------------------------

    def action_submit(self):
        return self._transition("submit")

    def action_approve(self):
        return self._transition("approve")

    def action_assess(self):
        return self._transition("assess")

    def action_reset_to_draft(self, reason=None):
        return self._transition("reset_to_draft", reason)

    def action_bulk_approve(self):
        return self._bulk_transition("approve")

    def action_bulk_assess(self):
        return self._bulk_transition("assess")

    def action_bulk_reset_to_draft(self):
        return self._ask_reason(
            "action_reset_to_draft", self.env._("Return to Draft"), bulk=True
        )

    def action_fill_from_last_year(self):
        """Write into the empty commitments of a draft pledge the concrete
        products the member committed to the year before, criterion by
        criterion; what is written already stays."""
        self.ensure_one()
        self._check_state(["draft"], self.env._("fill"))
        self._check_scope()
        previous = self.search(
            [("member_id", "=", self.member_id.id), ("year", "=", self.year - 1)]
        )
        if not previous:
            raise UserError(
                self.env._(
                    "%(member)s made no pledge for %(year)s that you can read: "
                    "there is nothing to copy.",
                    member=self.member_id.name,
                    year=self.year - 1,
                )
            )
        last = {
            line.criterion_id: line.commitment
            for line in previous.line_ids
            if line.criterion_id and (line.commitment or "").strip()
        }
        filled = 0
        for line in self.line_ids:
            if not (line.commitment or "").strip() and line.criterion_id in last:
                line.commitment = last[line.criterion_id]
                filled += 1
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.display_name,
                "message": self.env._(
                    "%(count)s commitments filled from the pledge of %(year)s.",
                    count=filled,
                    year=previous.year,
                ),
                "type": "success" if filled else "info",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def _check_commitments_written(self):
        for pledge in self:
            if not pledge.line_ids or any(
                not (line.commitment or "").strip() for line in pledge.line_ids
            ):
                raise UserError(
                    self.env._(
                        "“%(pledge)s” cannot be submitted: write the concrete "
                        "product for every commitment first.",
                        pledge=pledge.display_name,
                    )
                )

    def _check_result_recorded(self):
        missing = self.filtered(lambda p: not p.result)
        if missing:
            raise UserError(
                self.env._(
                    "Record the result of “%(pledge)s” (achieved, partially achieved "
                    "or not achieved) before closing its assessment.",
                    pledge=missing[0].display_name,
                )
            )

    def _check_lines_editable(self, field_names):
        """The commitments are written in draft; once approved only their
        results (achieved, result) are recorded."""
        if self._is_workflow_call():
            return
        results = {"achieved", "result_note"}
        for pledge in self:
            if pledge.state == "draft" and not field_names & results:
                continue
            if pledge.state == "approved" and field_names <= results:
                continue
            if pledge.state == "draft":
                raise UserError(
                    self.env._(
                        "The results of the commitments of “%(pledge)s” are recorded "
                        "once it is approved.",
                        pledge=pledge.display_name,
                    )
                )
            raise UserError(
                self.env._(
                    "The commitments of “%(pledge)s” can no longer be changed: it is "
                    "%(state)s.",
                    pledge=pledge.display_name,
                    state=pledge._state_label(),
                )
            )

    # Campaign -------------------------------------------------------------------------

    @api.model
    def _generate_draft_pledges(self, year, organizations, auto_commit=False):
        """Create the missing draft pledges of ``year``, with one line per active
        criterion of the member's category, for the active members of the
        subtrees of ``organizations`` that the user may see.

        Rows are inserted with ``INSERT … SELECT … ON CONFLICT DO NOTHING``: a
        province has 100,000 members, and a run that stopped half-way or a
        second worker must not create a pledge twice. With ``auto_commit``
        each batch is committed as soon as it is made. Returns (created,
        already existing).
        """
        self.check_access("create")
        self.env["union.pledge.line"].check_access("create")
        member_ids = (
            self.env["union.member"]
            .search([("organization_id", "child_of", organizations.ids)], order="id")
            .ids
        )
        self.env.flush_all()
        created = 0
        batch_size = self._generation_batch_size
        for start in range(0, len(member_ids), batch_size):
            batch = member_ids[start : start + batch_size]
            created += self._insert_draft_pledges(year, batch)
            self.env["ir.cron"]._notify_progress(
                done=start + len(batch),
                remaining=max(len(member_ids) - start - len(batch), 0),
            )
            if auto_commit:
                # A job's batches are kept as they are done: a run stopped later
                # leaves them intact and the next run inserts only the rest.
                self.env.cr.commit()  # pylint: disable=invalid-commit
        self.invalidate_model()
        self.env["union.pledge.line"].invalidate_model()
        return created, len(member_ids) - created

    def _insert_draft_pledges(self, year, member_ids):
        self.env.cr.execute(
            """
            WITH new_pledge AS (
                INSERT INTO union_pledge (
                       member_id, year, organization_id, category, state,
                       create_uid, create_date, write_uid, write_date)
                     SELECT m.id, %(year)s, m.organization_id, m.category, 'draft',
                            %(uid)s, now() AT TIME ZONE 'UTC',
                            %(uid)s, now() AT TIME ZONE 'UTC'
                       FROM union_member m
                      WHERE m.id = ANY(%(member_ids)s)
                        -- Skip what exists: a row updated since this snapshot
                        -- (approved meanwhile) would make ON CONFLICT fail
                        -- with a serialization error under REPEATABLE READ.
                        -- The batch's ids bound the look-up to the batch (an
                        -- index scan of the unique key), not the whole year
                        -- made so far, which would grow with every batch.
                        AND NOT EXISTS (
                            SELECT 1 FROM union_pledge x
                             WHERE x.member_id = m.id AND x.year = %(year)s
                               AND x.member_id = ANY(%(member_ids)s))
                ON CONFLICT (member_id, year) DO NOTHING
                  RETURNING id, category
            ), new_line AS (
                INSERT INTO union_pledge_line (
                       pledge_id, criterion_id, sequence, achieved,
                       create_uid, create_date, write_uid, write_date)
                     SELECT p.id, c.id, c.sequence, FALSE,
                            %(uid)s, now() AT TIME ZONE 'UTC',
                            %(uid)s, now() AT TIME ZONE 'UTC'
                       FROM new_pledge p
                       JOIN union_pledge_criterion c
                         ON c.category = p.category AND c.active
            )
            SELECT count(*) FROM new_pledge
            """,
            {"year": year, "uid": self.env.uid, "member_ids": member_ids},
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _cron_generate_pledges(self, auto_commit=None):
        today = fields.Date.context_today(self)
        opening = today.replace(
            month=get_param(self.env, "pledge_campaign_month"),
            day=get_param(self.env, "pledge_campaign_day"),
        )
        if today < opening:
            return
        if auto_commit is None:
            auto_commit = job_auto_commit(self.env)
        with exclusive_job(
            self.env, "trade_union_emulation.pledge_campaign", auto_commit
        ) as acquired:
            if not acquired:
                _logger.info("Pledge campaign: another worker is running it")
                return
            roots = self.env["union.organization"].search([("parent_id", "=", False)])
            created, existing = self._generate_draft_pledges(
                today.year, roots, auto_commit=auto_commit
            )
        _logger.info(
            "Pledge campaign %s: %s draft pledges created, %s already existed",
            today.year,
            created,
            existing,
        )


class UnionPledgeLine(models.Model):
    _name = "union.pledge.line"
    _description = "Pledge Commitment"
    _inherit = ["union.scoped.mixin"]
    _order = "pledge_id, sequence, id"

    _scope_fields = ("pledge_id",)

    pledge_id = fields.Many2one(
        "union.pledge", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    criterion_id = fields.Many2one(
        "union.pledge.criterion", string="Criterion", ondelete="restrict"
    )
    commitment = fields.Text(
        string="Concrete Product", help="What the member commits to deliver this year."
    )
    achieved = fields.Boolean()
    result_note = fields.Text(string="Result")
    state = fields.Selection(related="pledge_id.state")

    @api.model_create_multi
    def create(self, vals_list):
        pledges = self.env["union.pledge"].browse(
            {vals.get("pledge_id") for vals in vals_list}
        )
        given = {name for vals in vals_list for name, value in vals.items() if value}
        pledges._check_lines_editable({"commitment"} | given)
        return super().create(vals_list)

    def write(self, vals):
        self.pledge_id._check_lines_editable(set(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        self.pledge_id._check_lines_editable({"commitment"})

import logging
import threading

from odoo import api, fields, models
from odoo.exceptions import UserError

from .res_config_settings import get_param
from .union_member import CATEGORIES
from .union_workflow_mixin import GROUP_MANAGER, GROUP_OFFICER

_logger = logging.getLogger(__name__)

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

    _workflow_fields = (
        "state",
        "submit_user_id",
        "submit_date",
        "approve_user_id",
        "approve_date",
        "assess_user_id",
        "assess_date",
    )
    _frozen_fields = ("member_id", "year", "organization_id", "category")
    _locked_states = ("submitted", "approved", "assessed")
    _editable_in_state = {"approved": ("result", "result_note")}
    _reason_methods = ("action_reset_to_draft",)

    member_id = fields.Many2one(
        "union.member", required=True, index=True, ondelete="restrict", tracking=True
    )
    year = fields.Integer(
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        ondelete="restrict",
        help="The member's organisation when the pledge was made; kept if the member moves later.",
    )
    category = fields.Selection(CATEGORIES, required=True, index=True)
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

    _sql_constraints = [
        (
            "member_year_unique",
            "unique(member_id, year)",
            "This member already has a pledge for this year.",
        ),
    ]

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

    @api.model_create_multi
    def create(self, vals_list):
        self._check_members_in_scope([vals.get("member_id") for vals in vals_list])
        self._check_one_a_year(
            vals_list,
            "member_id",
            lambda member, year: self.env._(
                "%(member)s already has a pledge for %(year)s. Open that pledge instead of creating another.",
                member=member.name,
                year=year,
            ),
            twice_message=self.env._(
                "The same member appears twice for one year: a member makes one pledge a year."
            ),
        )
        for vals in vals_list:
            member = self.env["union.member"].browse(vals.get("member_id"))
            # The pledge keeps the member's organisation and category of that time.
            vals["organization_id"] = member.organization_id.id
            vals["category"] = member.category
        pledges = super().create(vals_list)
        pledges.filtered(lambda p: not p.line_ids)._add_criterion_lines()
        return pledges

    def write(self, vals):
        if "result" in vals and not self._is_workflow_call():
            not_approved = self.filtered(lambda p: p.state != "approved")
            if not_approved:
                raise UserError(
                    self.env._(
                        "The result of “%(pledge)s” is recorded once the pledge is approved.",
                        pledge=not_approved[0].display_name,
                    )
                )
        return super().write(vals)

    def _add_criterion_lines(self):
        criteria = self.env["union.pledge.criterion"].search(
            [("category", "in", list(set(self.mapped("category"))))]
        )
        self.env["union.pledge.line"].create(
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

    def _is_own(self):
        return all(pledge.member_id.user_id == self.env.user for pledge in self)

    def action_submit(self):
        label = self.env._("submit")
        self._check_state(["draft"], label)
        if not self._is_own():
            self._check_group(
                GROUP_OFFICER, self.env._("submit another member's pledge")
            )
        self._check_scope()
        for pledge in self:
            if not pledge.line_ids or any(
                not (line.commitment or "").strip() for line in pledge.line_ids
            ):
                raise UserError(
                    self.env._(
                        "“%(pledge)s” cannot be submitted: write the concrete product for every commitment first.",
                        pledge=pledge.display_name,
                    )
                )
        self._workflow_write({"state": "submitted", **self._stamp("submit")})
        self._post_transition(self.env._("Pledge submitted."))

    def action_approve(self):
        label = self.env._("approve")
        self._check_state(["submitted"], label)
        self._check_group(GROUP_MANAGER, self.env._("approve pledges"))
        self._check_scope()
        own = self.filtered(lambda p: p.member_id.user_id == self.env.user)
        if own:
            raise UserError(
                self.env._(
                    "You cannot approve your own pledge: another leader must approve it."
                )
            )
        self._workflow_write({"state": "approved", **self._stamp("approve")})
        self._post_transition(self.env._("Pledge approved."))

    def action_assess(self):
        label = self.env._("assess")
        self._check_state(["approved"], label)
        self._check_group(GROUP_MANAGER, self.env._("close the assessment of pledges"))
        self._check_scope()
        missing = self.filtered(lambda p: not p.result)
        if missing:
            raise UserError(
                self.env._(
                    "Record the result of “%(pledge)s” (achieved, partially achieved or not achieved) before closing its assessment.",
                    pledge=missing[0].display_name,
                )
            )
        self._workflow_write({"state": "assessed", **self._stamp("assess")})
        self._post_transition(self.env._("Pledge assessed."))

    def action_reset_to_draft(self, reason=None):
        label = self.env._("return to draft")
        self._check_state(["submitted", "approved", "assessed"], label)
        if any(p.state != "submitted" for p in self):
            self._check_group(GROUP_MANAGER, self.env._("reopen an approved pledge"))
        else:
            self._check_group(GROUP_OFFICER, self.env._("return a pledge to draft"))
        self._check_scope()
        if not (reason or "").strip():
            return self._ask_reason(
                "action_reset_to_draft", self.env._("Return to Draft")
            )
        self._workflow_write(
            {
                "state": "draft",
                "approve_user_id": False,
                "approve_date": False,
                "assess_user_id": False,
                "assess_date": False,
            }
        )
        self._post_transition(self.env._("Pledge returned to draft."), reason)
        return True

    def _check_lines_editable(self, field_names):
        if self._is_workflow_call():
            return
        for pledge in self:
            if pledge.state == "draft":
                continue
            if pledge.state == "approved" and field_names <= {
                "achieved",
                "result_note",
            }:
                continue
            raise UserError(
                self.env._(
                    "The commitments of “%(pledge)s” can no longer be changed: it is %(state)s.",
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
        province has 100,000 members, and two workers running at once must not
        create a pledge twice. Returns (created, already existing).
        """
        self.check_access("create")
        self.env["union.pledge.line"].check_access("create")
        members = self.env["union.member"].search(
            [("organization_id", "child_of", organizations.ids)], order="id"
        )
        self.env.flush_all()
        created = 0
        for start in range(0, len(members), GENERATION_BATCH):
            batch = members[start : start + GENERATION_BATCH]
            created += self._insert_draft_pledges(year, batch.ids)
            if auto_commit:
                self.env.cr.commit()
            self.env["ir.cron"]._notify_progress(
                done=start + len(batch),
                remaining=max(len(members) - start - len(batch), 0),
            )
        self.invalidate_model()
        self.env["union.pledge.line"].invalidate_model()
        return created, len(members) - created

    def _insert_draft_pledges(self, year, member_ids):
        self.env.cr.execute(
            """
            WITH new_pledge AS (
                INSERT INTO union_pledge (member_id, year, organization_id, category, state,
                                          create_uid, create_date, write_uid, write_date)
                     SELECT m.id, %(year)s, m.organization_id, m.category, 'draft',
                            %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                       FROM union_member m
                      WHERE m.id = ANY(%(member_ids)s)
                ON CONFLICT (member_id, year) DO NOTHING
                  RETURNING id, category
            ), new_line AS (
                INSERT INTO union_pledge_line (pledge_id, criterion_id, sequence, achieved,
                                               create_uid, create_date, write_uid, write_date)
                     SELECT p.id, c.id, c.sequence, FALSE,
                            %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
                       FROM new_pledge p
                       JOIN union_pledge_criterion c ON c.category = p.category AND c.active
            )
            SELECT count(*) FROM new_pledge
            """,
            {"year": year, "uid": self.env.uid, "member_ids": member_ids},
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _cron_generate_pledges(self):
        today = fields.Date.context_today(self)
        opening = today.replace(
            month=get_param(self.env, "pledge_campaign_month"),
            day=get_param(self.env, "pledge_campaign_day"),
        )
        if today < opening:
            return
        roots = self.env["union.organization"].search([("parent_id", "=", False)])
        auto_commit = not getattr(threading.current_thread(), "testing", False)
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
        pledges._check_lines_editable({"commitment"})
        return super().create(vals_list)

    def write(self, vals):
        self.pledge_id._check_lines_editable(set(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        self.pledge_id._check_lines_editable({"commitment"})

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .union_organization import LEVELS
from .union_workflow_mixin import GROUP_MANAGER, GROUP_OFFICER

FORMS = [
    ("certificate_of_merit", "Certificate of merit"),
    ("certificate", "Certificate"),
    ("emulation_flag", "Emulation flag"),
    ("title", "Emulation title"),
    ("praise", "Praise"),
]


class UnionCommendation(models.Model):
    _name = "union.commendation"
    _description = "Commendation"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.workflow.mixin"]
    _order = "year desc, decision_date desc, id desc"

    _workflow_fields = (
        "state",
        "submit_user_id",
        "submit_date",
        "approve_user_id",
        "approve_date",
        "reject_reason",
    )
    _locked_states = ("submitted", "approved", "rejected")
    _editable_in_state = {"submitted": ("decision_number", "decision_date")}
    _reason_methods = ("action_reject", "action_reset_to_draft")

    name = fields.Char(required=True, tracking=True)
    form = fields.Selection(FORMS, required=True, default="certificate", tracking=True)
    issuer_level = fields.Selection(
        LEVELS,
        string="Awarding Level",
        required=True,
        default="provincial",
        tracking=True,
        help="The level of the body that awards the commendation.",
    )
    organization_id = fields.Many2one(
        "union.organization",
        string="Proposing Organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    year = fields.Integer(
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    decision_number = fields.Char(tracking=True, copy=False)
    decision_date = fields.Date(tracking=True, copy=False)
    line_ids = fields.One2many(
        "union.commendation.line", "commendation_id", string="Recipients", copy=True
    )
    recipient_count = fields.Integer(compute="_compute_recipient_count", store=True)
    exemplar_id = fields.Many2one(
        "union.exemplar", index="btree_not_null", ondelete="set null", tracking=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
        ],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        group_expand=True,
        copy=False,
    )
    reject_reason = fields.Text(readonly=True, copy=False)
    submit_user_id = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    submit_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    approve_user_id = fields.Many2one(
        "res.users", string="Decided By", readonly=True, copy=False
    )
    approve_date = fields.Datetime(string="Decided On", readonly=True, copy=False)

    @api.depends("line_ids")
    def _compute_recipient_count(self):
        for commendation in self:
            commendation.recipient_count = len(commendation.line_ids)

    def action_submit(self):
        self._check_state(["draft"], self.env._("submit"))
        self._check_group(GROUP_OFFICER, self.env._("submit commendation proposals"))
        self._check_scope()
        empty = self.filtered(lambda c: not c.line_ids)
        if empty:
            raise UserError(
                self.env._(
                    "Add at least one recipient to “%(name)s” before submitting it.",
                    name=empty[0].name,
                )
            )
        self._workflow_write({"state": "submitted", **self._stamp("submit")})
        self._post_transition(self.env._("Commendation proposal submitted."))

    def action_approve(self):
        self._check_state(["submitted"], self.env._("approve"))
        self._check_group(GROUP_MANAGER, self.env._("approve commendations"))
        self._check_scope()
        undecided = self.filtered(
            lambda c: not (c.decision_number or "").strip() or not c.decision_date
        )
        if undecided:
            raise UserError(
                self.env._(
                    "Enter the decision number and date of “%(name)s” before approving it.",
                    name=undecided[0].name,
                )
            )
        self._workflow_write({"state": "approved", **self._stamp("approve")})
        self._post_transition(self.env._("Commendation approved."))

    def action_reject(self, reason=None):
        self._check_state(["submitted"], self.env._("reject"))
        self._check_group(GROUP_MANAGER, self.env._("reject commendations"))
        self._check_scope()
        if not (reason or "").strip():
            return self._ask_reason("action_reject", self.env._("Reject Proposal"))
        self._workflow_write(
            {"state": "rejected", "reject_reason": reason, **self._stamp("approve")}
        )
        self._post_transition(self.env._("Commendation proposal rejected."), reason)
        return True

    def action_reset_to_draft(self, reason=None):
        self._check_state(
            ["submitted", "approved", "rejected"], self.env._("return to draft")
        )
        self._check_group(GROUP_MANAGER, self.env._("return commendations to draft"))
        self._check_scope()
        if not (reason or "").strip():
            return self._ask_reason(
                "action_reset_to_draft", self.env._("Return to Draft")
            )
        self._workflow_write(
            {"state": "draft", "approve_user_id": False, "approve_date": False}
        )
        self._post_transition(self.env._("Commendation returned to draft."), reason)
        return True

    def _check_lines_editable(self):
        if self._is_workflow_call():
            return
        closed = self.filtered(lambda c: c.state != "draft")
        if closed:
            raise UserError(
                self.env._(
                    "The recipients of “%(name)s” can no longer be changed: it is %(state)s.",
                    name=closed[0].name,
                    state=closed[0]._state_label(),
                )
            )


class UnionCommendationLine(models.Model):
    _name = "union.commendation.line"
    _description = "Commendation Recipient"
    _inherit = ["union.scoped.mixin"]
    _order = "commendation_id, sequence, id"

    _scope_fields = ("commendation_id",)

    commendation_id = fields.Many2one(
        "union.commendation", required=True, index=True, ondelete="cascade"
    )
    sequence = fields.Integer(default=10)
    member_id = fields.Many2one(
        "union.member", index="btree_not_null", ondelete="restrict"
    )
    recipient_organization_id = fields.Many2one(
        "union.organization", index="btree_not_null", ondelete="restrict"
    )
    achievement = fields.Text()
    organization_id = fields.Many2one(
        related="commendation_id.organization_id", store=True, index=True
    )
    year = fields.Integer(related="commendation_id.year", store=True, index=True)
    state = fields.Selection(related="commendation_id.state", store=True, index=True)
    form = fields.Selection(related="commendation_id.form")
    decision_number = fields.Char(related="commendation_id.decision_number")
    decision_date = fields.Date(related="commendation_id.decision_date")

    # commendation_id too: on create a constraint runs only for the fields given,
    # and a line with neither recipient gives none of the other two.
    @api.constrains("commendation_id", "member_id", "recipient_organization_id")
    def _check_recipient(self):
        for line in self:
            if bool(line.member_id) == bool(line.recipient_organization_id):
                raise ValidationError(
                    self.env._(
                        "Each recipient is either a member or an organisation, not both and not neither."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["union.commendation"].browse(
            {v.get("commendation_id") for v in vals_list}
        )._check_lines_editable()
        self.env["union.commendation"]._check_members_in_scope(
            [v.get("member_id") for v in vals_list]
        )
        return super().create(vals_list)

    def write(self, vals):
        self.commendation_id._check_lines_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_in_draft(self):
        self.commendation_id._check_lines_editable()

    @api.depends("member_id", "recipient_organization_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = (
                line.member_id or line.recipient_organization_id
            ).display_name or ""

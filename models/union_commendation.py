from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate

from .union_organization import LEVELS
from .union_workflow_mixin import GROUP_MANAGER, Transition

_lt = LazyTranslate(__name__)

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

    _transitions = {
        "submit": Transition(
            ["draft"],
            "submitted",
            _lt("submit"),
            stamp="submit",
            check="_check_recipients_given",
            message=_lt("Commendation proposal submitted."),
            activity="request",
        ),
        "approve": Transition(
            ["submitted"],
            "approved",
            _lt("approve"),
            group=GROUP_MANAGER,
            stamp="approve",
            check="_check_decision_given",
            message=_lt("Commendation approved."),
            activity="close",
        ),
        "reject": Transition(
            ["submitted"],
            "rejected",
            _lt("reject"),
            group=GROUP_MANAGER,
            stamp="approve",
            reason=_lt("Reject Proposal"),
            reason_field="reject_reason",
            message=_lt("Commendation proposal rejected."),
            activity="return",
        ),
        "reset_to_draft": Transition(
            ["submitted", "approved", "rejected"],
            "draft",
            _lt("return to draft"),
            group=GROUP_MANAGER,
            clear=("approve",),
            reason=_lt("Return to Draft"),
            message=_lt("Commendation returned to draft."),
            activity="return",
        ),
    }
    _approval_activity_param = "approval_activity_commendation"
    _editable_in_state = {"submitted": ("decision_number", "decision_date")}

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
        aggregator=False,
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
    can_submit = fields.Boolean(compute="_compute_can_transitions")
    can_approve = fields.Boolean(compute="_compute_can_transitions")
    can_reject = fields.Boolean(compute="_compute_can_transitions")
    can_reset_to_draft = fields.Boolean(compute="_compute_can_transitions")

    @api.depends("line_ids")
    def _compute_recipient_count(self):
        for commendation in self:
            commendation.recipient_count = len(commendation.line_ids)

    @api.constrains("year", "organization_id")
    def _check_year(self):
        self._check_year_rule()

    @api.constrains("decision_date", "year")
    def _check_decision_date(self):
        # A commendation rewards a year's work: it is not decided before that
        # year. (Decisions of past years are entered after the fact, so the
        # date the proposal was recorded is no bound.)
        for commendation in self:
            if (
                commendation.decision_date
                and commendation.year
                and commendation.decision_date.year < commendation.year
            ):
                raise ValidationError(
                    self.env._(
                        "The decision on “%(name)s” cannot be dated before the year "
                        "it commends (%(year)s).",
                        name=commendation.name,
                        year=commendation.year,
                    )
                )

    def action_submit(self):
        return self._transition("submit")

    def action_approve(self):
        return self._transition("approve")

    def action_reject(self, reason=None):
        return self._transition("reject", reason)

    def action_reset_to_draft(self, reason=None):
        return self._transition("reset_to_draft", reason)

    def _check_recipients_given(self):
        empty = self.filtered(lambda c: not c.line_ids)
        if empty:
            raise UserError(
                self.env._(
                    "Add at least one recipient to “%(name)s” before submitting it.",
                    name=empty[0].name,
                )
            )

    def _check_decision_given(self):
        undecided = self.filtered(
            lambda c: not (c.decision_number or "").strip() or not c.decision_date
        )
        if undecided:
            raise UserError(
                self.env._(
                    "Enter the decision number and date of “%(name)s” before "
                    "approving it.",
                    name=undecided[0].name,
                )
            )

    def _check_lines_editable(self):
        if self._is_workflow_call():
            return
        closed = self.filtered(lambda c: c.state != "draft")
        if closed:
            raise UserError(
                self.env._(
                    "The recipients of “%(name)s” can no longer be changed: it is "
                    "%(state)s.",
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
    year = fields.Integer(
        aggregator=False, related="commendation_id.year", store=True, index=True
    )
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
                        "Each recipient is either a member or an organisation, not "
                        "both and not neither."
                    )
                )

    @api.constrains("commendation_id", "member_id", "recipient_organization_id")
    def _check_recipient_in_proposing_organization(self):
        for line in self:
            recipient = line.member_id.organization_id or line.recipient_organization_id
            proposer = line.commendation_id.organization_id
            if recipient and not recipient.parent_path.startswith(proposer.parent_path):
                raise ValidationError(
                    self.env._(
                        "%(recipient)s does not belong to “%(org)s”, which proposes "
                        "the commendation.",
                        recipient=line.display_name,
                        org=proposer.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self.env["union.commendation"].browse(
            {v.get("commendation_id") for v in vals_list}
        )._check_lines_editable()
        self._check_members_in_scope([v.get("member_id") for v in vals_list])
        return super().create(vals_list)

    def write(self, vals):
        commendations = self.commendation_id
        if vals.get("commendation_id"):
            commendations |= commendations.browse(vals["commendation_id"])
        commendations._check_lines_editable()
        if "member_id" in vals:
            self._check_members_in_scope([vals["member_id"]])
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

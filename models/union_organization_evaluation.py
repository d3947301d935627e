from odoo import api, fields, models
from odoo.exceptions import UserError

from .union_member_evaluation import RATINGS
from .union_organization import STAT_FIELDS
from .union_workflow_mixin import GROUP_MANAGER, GROUP_OFFICER


class UnionOrganizationEvaluation(models.Model):
    _name = "union.organization.evaluation"
    _description = "Organization Evaluation"
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
        "approve_user_id",
        "approve_date",
        *STAT_FIELDS,
    )
    _frozen_fields = ("organization_id", "year")
    _locked_states = ("submitted", "approved")
    _reason_methods = ("action_reset_to_draft",)

    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    level = fields.Selection(related="organization_id.level")
    year = fields.Integer(
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    rating = fields.Selection(RATINGS, tracking=True)
    note = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
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
    approve_user_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approve_date = fields.Datetime(string="Approved On", readonly=True, copy=False)

    _sql_constraints = [
        (
            "organization_year_unique",
            "unique(organization_id, year)",
            "This organisation has already been evaluated for this year.",
        ),
    ]

    @api.depends("organization_id.name", "year")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = self.env._(
                "Evaluation %(year)s – %(organization)s",
                year=evaluation.year,
                organization=evaluation.organization_id.name or "",
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_one_a_year(
            vals_list,
            "organization_id",
            lambda org, year: self.env._(
                "%(organization)s has already been evaluated for %(year)s.",
                organization=org.name,
                year=year,
            ),
        )
        evaluations = super().create(vals_list)
        evaluations._refresh_indicators()
        return evaluations

    def _refresh_indicators(self):
        """The figures of the organisation's subtree: facts, the same for
        whoever refreshes them (union.organization._union_statistics)."""
        for year, evaluations in self.grouped("year").items():
            stats = evaluations.organization_id._union_statistics(year)
            for evaluation in evaluations:
                figures = stats[evaluation.organization_id.id]
                evaluation._workflow_write(
                    {name: figures[name] for name in STAT_FIELDS}
                )

    def action_refresh(self):
        self._check_state(["draft"], self.env._("refresh"))
        self._check_scope()
        self._refresh_indicators()

    def action_submit(self):
        self._check_state(["draft"], self.env._("submit"))
        self._check_group(GROUP_OFFICER, self.env._("submit organisation evaluations"))
        self._check_scope()
        missing = self.filtered(lambda e: not e.rating)
        if missing:
            raise UserError(
                self.env._(
                    "Choose a rating for “%(evaluation)s” first.",
                    evaluation=missing[0].display_name,
                )
            )
        # The figures are frozen as submitted.
        self._refresh_indicators()
        self._workflow_write({"state": "submitted", **self._stamp("submit")})
        self._post_transition(self.env._("Evaluation submitted."))

    def action_approve(self):
        self._check_state(["submitted"], self.env._("approve"))
        self._check_group(GROUP_MANAGER, self.env._("approve organisation evaluations"))
        self._check_above()
        self._workflow_write({"state": "approved", **self._stamp("approve")})
        self._post_transition(self.env._("Evaluation approved."))

    def action_reset_to_draft(self, reason=None):
        self._check_state(["submitted", "approved"], self.env._("return to draft"))
        self._check_group(
            GROUP_MANAGER, self.env._("return organisation evaluations to draft")
        )
        self._check_above()
        if not (reason or "").strip():
            return self._ask_reason(
                "action_reset_to_draft", self.env._("Return to Draft")
            )
        self._workflow_write(
            {"state": "draft", "approve_user_id": False, "approve_date": False}
        )
        self._post_transition(self.env._("Evaluation returned to draft."), reason)
        return True

    def _check_above(self):
        """An organisation is rated by the level above it, never by itself."""
        self._check_level_above(
            self.env._(
                "Only a leader of an organisation above “%(organization)s” can approve or return its evaluation."
            )
        )

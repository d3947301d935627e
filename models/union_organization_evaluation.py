from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .union_member_evaluation import RATINGS
from .union_organization import STAT_FIELDS
from .union_workflow_mixin import GROUP_MANAGER, Transition

_lt = LazyTranslate(__name__)
ABOVE = _lt(
    "Only a leader of an organisation above “%(organization)s” can approve or return "
    "its evaluation."
)


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

    _transitions = {
        "submit": Transition(
            ["draft"],
            "submitted",
            _lt("submit"),
            stamp="submit",
            check="_check_rating_chosen",
            # The figures are frozen as submitted.
            before="_refresh_indicators",
            message=_lt("Evaluation submitted."),
            activity="request",
        ),
        "approve": Transition(
            ["submitted"],
            "approved",
            _lt("approve"),
            group=GROUP_MANAGER,
            above=ABOVE,
            stamp="approve",
            message=_lt("Evaluation approved."),
            activity="close",
        ),
        "reset_to_draft": Transition(
            ["submitted", "approved"],
            "draft",
            _lt("return to draft"),
            group=GROUP_MANAGER,
            above=ABOVE,
            clear=("approve",),
            reason=_lt("Return to Draft"),
            message=_lt("Evaluation returned to draft."),
            activity="return",
        ),
    }
    _approval_activity_param = "approval_activity_organization_evaluation"
    # The indicators are written by _refresh_indicators only.
    _system_fields = STAT_FIELDS
    _frozen_fields = ("organization_id", "year")

    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    level = fields.Selection(related="organization_id.level")
    year = fields.Integer(
        aggregator=False,
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
    can_submit = fields.Boolean(compute="_compute_can_transitions")
    can_approve = fields.Boolean(compute="_compute_can_transitions")
    can_reset_to_draft = fields.Boolean(compute="_compute_can_transitions")

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

    @api.constrains("year", "organization_id")
    def _check_year(self):
        self._check_year_rule()

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
        return self._transition("submit")

    def action_approve(self):
        return self._transition("approve")

    def action_reset_to_draft(self, reason=None):
        return self._transition("reset_to_draft", reason)

    def _check_rating_chosen(self):
        missing = self.filtered(lambda e: not e.rating)
        if missing:
            raise UserError(
                self.env._(
                    "Choose a rating for “%(evaluation)s” first.",
                    evaluation=missing[0].display_name,
                )
            )

    def _check_above(self):
        """An organisation is rated by the level above it, never by itself."""
        self._check_level_above(self.env._(ABOVE))

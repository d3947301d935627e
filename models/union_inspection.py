from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate

from .union_workflow_mixin import GROUP_MANAGER, Transition, html_has_text

_lt = LazyTranslate(__name__)


class UnionInspection(models.Model):
    _name = "union.inspection"
    _description = "Inspection and Supervision"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.workflow.mixin"]
    _order = "date desc, id desc"

    _transitions = {
        "start": Transition(
            ["planned"],
            "in_progress",
            _lt("start"),
            message=_lt("Inspection started."),
        ),
        "follow_up": Transition(
            ["in_progress"],
            "follow_up",
            _lt("issue the recommendations of"),
            check="_check_recommendations_written",
            after="_schedule_follow_up",
            message="_post_follow_up",
        ),
        "close": Transition(
            ["follow_up", "in_progress"],
            "closed",
            _lt("close"),
            group=GROUP_MANAGER,
            stamp="close",
            after="_close_follow_up",
            message=_lt("Inspection closed."),
        ),
        "reopen": Transition(
            ["closed"],
            "in_progress",
            _lt("reopen"),
            group=GROUP_MANAGER,
            clear=("close",),
            message=_lt("Inspection reopened."),
        ),
    }
    _scope_fields = ("organization_id", "inspector_organization_id")

    name = fields.Char(required=True, tracking=True)
    kind = fields.Selection(
        [("inspection", "Inspection"), ("supervision", "Supervision")],
        required=True,
        default="inspection",
    )
    organization_id = fields.Many2one(
        "union.organization",
        string="Inspected Organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    inspector_organization_id = fields.Many2one(
        "union.organization",
        string="Inspecting Organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    date = fields.Date(required=True, default=fields.Date.context_today, tracking=True)
    content = fields.Html()
    findings = fields.Html()
    recommendations = fields.Html()
    deadline = fields.Date(string="Remediation Deadline", tracking=True)
    state = fields.Selection(
        [
            ("planned", "Planned"),
            ("in_progress", "In Progress"),
            ("follow_up", "Following Up Recommendations"),
            ("closed", "Closed"),
        ],
        default="planned",
        required=True,
        index=True,
        tracking=True,
        group_expand=True,
        copy=False,
    )
    close_user_id = fields.Many2one(
        "res.users", string="Closed By", readonly=True, copy=False
    )
    close_date = fields.Datetime(string="Closed On", readonly=True, copy=False)
    can_start = fields.Boolean(compute="_compute_can_transitions")
    can_follow_up = fields.Boolean(compute="_compute_can_transitions")
    can_close = fields.Boolean(compute="_compute_can_transitions")
    can_reopen = fields.Boolean(compute="_compute_can_transitions")

    @api.constrains("organization_id", "inspector_organization_id")
    def _check_organizations(self):
        for inspection in self:
            inspected, inspector = (
                inspection.organization_id,
                inspection.inspector_organization_id,
            )
            if inspected == inspector or not inspected.parent_path.startswith(
                inspector.parent_path
            ):
                raise ValidationError(
                    self.env._(
                        "“%(inspector)s” cannot inspect “%(inspected)s”: an "
                        "organisation inspects the organisations below it.",
                        inspector=inspector.name,
                        inspected=inspected.name,
                    )
                )

    @api.constrains("date", "deadline")
    def _check_deadline(self):
        for inspection in self:
            if inspection.deadline and inspection.deadline <= inspection.date:
                raise ValidationError(
                    self.env._(
                        "The remediation deadline must come after the inspection date."
                    )
                )

    def action_start(self):
        return self._transition("start")

    def action_follow_up(self):
        """Findings and recommendations are issued: the inspected organisation's
        officers get an activity until the recommendations are closed."""
        return self._transition("follow_up")

    def action_close(self):
        return self._transition("close")

    def action_reopen(self):
        return self._transition("reopen")

    def _check_recommendations_written(self):
        for inspection in self:
            if not html_has_text(inspection.recommendations) or not inspection.deadline:
                raise UserError(
                    self.env._(
                        "Write the recommendations of “%(name)s” and their deadline "
                        "first.",
                        name=inspection.name,
                    )
                )

    def _schedule_follow_up(self):
        activity_type = self.env.ref(
            "trade_union_emulation.mail_activity_type_inspection"
        )
        officers = self.env["union.organization"]._users_by_scope(
            "trade_union_emulation.group_union_officer"
        )
        model_id = self.env["ir.model"]._get_id(self._name)
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": inspection.id,
                    "activity_type_id": activity_type.id,
                    "date_deadline": inspection.deadline,
                    "user_id": user.id,
                    "summary": self.env._("Carry out the inspection recommendations"),
                    "automated": True,
                }
                for inspection in self
                for user in inspection.organization_id._nearest_users(officers)
            ]
        )

    def _post_follow_up(self, reason=None):
        self._post_notes(
            {
                inspection.id: self.env._(
                    "Recommendations issued; follow-up until %(deadline)s.",
                    deadline=inspection.deadline,
                )
                for inspection in self
            }
        )

    def _close_follow_up(self):
        # The follow-up activities are the inspected officers'; closing the
        # inspection closes them.
        self.sudo().activity_feedback(
            ["trade_union_emulation.mail_activity_type_inspection"],
            feedback=self.env._("Recommendations closed."),
        )

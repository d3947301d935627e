from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .union_workflow_mixin import GROUP_MANAGER, GROUP_OFFICER


class UnionInspection(models.Model):
    _name = "union.inspection"
    _description = "Inspection and Supervision"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.workflow.mixin"]
    _order = "date desc, id desc"

    _workflow_fields = ("state", "close_user_id", "close_date")
    _locked_states = ("closed",)
    _reason_methods = ()
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
                        "“%(inspector)s” cannot inspect “%(inspected)s”: an organisation inspects the organisations below it.",
                        inspector=inspector.name,
                        inspected=inspected.name,
                    )
                )

    @api.constrains("date", "deadline")
    def _check_deadline(self):
        for inspection in self:
            if inspection.deadline and inspection.deadline < inspection.date:
                raise ValidationError(
                    self.env._(
                        "The remediation deadline cannot come before the inspection date."
                    )
                )

    def action_start(self):
        self._check_state(["planned"], self.env._("start"))
        self._check_group(GROUP_OFFICER, self.env._("start inspections"))
        self._check_scope()
        self._workflow_write({"state": "in_progress"})
        self._post_transition(self.env._("Inspection started."))

    def action_follow_up(self):
        """Findings and recommendations are issued: the inspected organisation's
        officers get an activity until the recommendations are closed."""
        self._check_state(["in_progress"], self.env._("issue the recommendations of"))
        self._check_group(GROUP_OFFICER, self.env._("issue recommendations"))
        self._check_scope()
        for inspection in self:
            if not inspection.recommendations or not inspection.deadline:
                raise UserError(
                    self.env._(
                        "Write the recommendations of “%(name)s” and their deadline first.",
                        name=inspection.name,
                    )
                )
        self._workflow_write({"state": "follow_up"})
        activity_type = self.env.ref(
            "trade_union_emulation.mail_activity_type_inspection"
        )
        for inspection in self:
            for user in inspection.organization_id._get_officer_users():
                inspection.activity_schedule(
                    activity_type_id=activity_type.id,
                    date_deadline=inspection.deadline,
                    user_id=user.id,
                    summary=self.env._("Carry out the inspection recommendations"),
                )
        self._post_transition(
            self.env._(
                "Recommendations issued; follow-up until %(deadline)s.",
                deadline=self[:1].deadline,
            )
        )

    def action_close(self):
        self._check_state(["follow_up", "in_progress"], self.env._("close"))
        self._check_group(GROUP_MANAGER, self.env._("close inspections"))
        self._check_scope()
        self._workflow_write({"state": "closed", **self._stamp("close")})
        self.activity_feedback(
            ["trade_union_emulation.mail_activity_type_inspection"],
            feedback=self.env._("Recommendations closed."),
        )
        self._post_transition(self.env._("Inspection closed."))

    def action_reopen(self):
        self._check_state(["closed"], self.env._("reopen"))
        self._check_group(GROUP_MANAGER, self.env._("reopen inspections"))
        self._check_scope()
        self._workflow_write(
            {"state": "in_progress", "close_user_id": False, "close_date": False}
        )
        self._post_transition(self.env._("Inspection reopened."))

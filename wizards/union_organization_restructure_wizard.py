from odoo import api, fields, models
from odoo.exceptions import UserError

from ..models.union_workflow_mixin import GROUP_ADMIN


class UnionOrganizationRestructureWizard(models.TransientModel):
    _name = "union.organization.restructure.wizard"
    _description = "Restructure an Organization"

    organization_id = fields.Many2one(
        "union.organization", required=True, readonly=True
    )
    operation = fields.Selection(
        [
            ("move", "Move under another parent"),
            ("merge", "Merge into another organisation"),
        ],
        required=True,
        default="move",
    )
    new_parent_id = fields.Many2one("union.organization", string="New Parent")
    target_id = fields.Many2one("union.organization", string="Merge Into")
    member_count = fields.Integer(related="organization_id.direct_member_count")
    note = fields.Text(
        help=(
            "Posted on the organisations' history, e.g. the decision behind the "
            "change."
        )
    )

    @api.onchange("operation")
    def _onchange_operation(self):
        self.new_parent_id = self.target_id = False

    def action_apply(self):
        self.ensure_one()
        if not self.env.user.has_group(GROUP_ADMIN):
            raise UserError(
                self.env._("Only a union administrator can restructure organisations.")
            )
        org = self.organization_id
        if self.operation == "move":
            if not self.new_parent_id:
                raise UserError(self.env._("Choose the new parent organisation."))
            old = org.parent_id
            org.parent_id = self.new_parent_id
            org.message_post(
                body=self.env._(
                    "Moved from %(old)s to %(new)s. %(note)s",
                    old=old.display_name or "-",
                    new=self.new_parent_id.display_name,
                    note=self.note or "",
                )
            )
        else:
            if not self.target_id:
                raise UserError(self.env._("Choose the organisation to merge into."))
            org._merge_into(self.target_id)
            if self.note:
                org.message_post(body=self.note)
        return {"type": "ir.actions.act_window_close"}

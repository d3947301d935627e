from odoo import fields, models
from odoo.exceptions import UserError


class UnionReasonWizard(models.TransientModel):
    """Asks why a document is returned, rejected or withdrawn, then calls the
    document's own action method, which checks rights and posts the reason."""

    _name = "union.reason.wizard"
    _description = "Reason for a Workflow Step"

    res_model = fields.Char(required=True)
    res_ids = fields.Json(required=True)
    method = fields.Char(required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        records = self.env[self.res_model].browse(self.res_ids)
        if self.method not in getattr(records, "_reason_methods", ()):
            raise UserError(self.env._("This step cannot be taken from here."))
        if not (self.reason or "").strip():
            raise UserError(self.env._("Give the reason."))
        getattr(records, self.method)(reason=self.reason.strip())
        return {"type": "ir.actions.act_window_close"}

from odoo import fields, models
from odoo.exceptions import UserError


class UnionReasonWizard(models.TransientModel):
    """Asks why a document is returned, rejected or withdrawn, then calls the
    document's own action method, which checks rights and posts the reason.
    From a list (``bulk``), one reason serves every selected document, each
    taken on its own."""

    _name = "union.reason.wizard"
    _description = "Reason for a Workflow Step"

    res_model = fields.Char(required=True)
    res_ids = fields.Json(required=True)
    method = fields.Char(required=True)
    bulk = fields.Boolean()
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        if self.res_model not in self.env or not hasattr(
            self.env[self.res_model], "_get_reason_methods"
        ):
            raise UserError(self.env._("This step cannot be taken from here."))
        records = self.env[self.res_model].browse(self.res_ids)
        if self.method not in records._get_reason_methods():
            raise UserError(self.env._("This step cannot be taken from here."))
        reason = (self.reason or "").strip()
        if not reason:
            raise UserError(self.env._("Give the reason."))
        key = self.method.removeprefix("action_")
        if self.bulk and key in records._transitions:
            return records._bulk_transition(key, reason=reason)
        getattr(records, self.method)(reason=reason)
        return {"type": "ir.actions.act_window_close"}

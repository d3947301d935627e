from odoo import fields, models


class ResUsers(models.Model):
    _inherit = "res.users"

    union_organization_ids = fields.Many2many(
        "union.organization",
        "res_users_union_organization_rel",
        "user_id",
        "organization_id",
        string="Union Organizations",
        help="The organisations whose data this user works on, each with its whole subtree.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "union_organization_ids" in vals:
            # Record rules read this field: cached rule domains are now stale.
            self.env.registry.clear_cache()
        return res

from odoo import api, fields, models

from .res_config_settings import get_param
from .union_workflow_mixin import GROUP_MEMBER


class ResUsers(models.Model):
    _inherit = "res.users"

    union_organization_ids = fields.Many2many(
        "union.organization",
        "res_users_union_organization_rel",
        "user_id",
        "organization_id",
        string="Union Organizations",
        help="The organisations whose data this user works on, each with its whole "
        "subtree.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        # Union users land on their work of the year, unless told otherwise.
        if get_param(self.env, "home_for_new_users"):
            home = self.env.ref(
                "trade_union_emulation.union_home_action", raise_if_not_found=False
            )
            newcomers = users.filtered(
                lambda user: not user.action_id and user.has_group(GROUP_MEMBER)
            )
            if home and newcomers:
                newcomers.sudo().action_id = home.id
        return users

    def write(self, vals):
        res = super().write(vals)
        if "union_organization_ids" in vals:
            # Record rules read this field: cached rule domains are now stale.
            self.env.registry.clear_cache()
        return res

    def _union_skip_onboarding(self):
        """No OdooBot onboarding chat for these users (the demo logins land on
        their work). OdooBot is optional: nothing to do without it."""
        if "odoobot_state" in self._fields:
            self.sudo().odoobot_state = "disabled"

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
    # What the record rules test, as plain ids: "organization_id in <ids>" and
    # "member_id in <ids>" are index scans that PostgreSQL can OR together,
    # where the same rules written with child_of and member_id.user_id are two
    # sub-queries it can only check row by row (a scan of every pledge for an
    # officer's first page). The rule domains are cached: whatever changes
    # these sets clears the cache (_union_scope_changed).
    union_scope_organization_ids = fields.Many2many(
        "union.organization",
        string="Union Scope",
        compute="_compute_union_scope",
        compute_sudo=True,
        help="The user's organisations and everything under them, archived ones "
        "included: the organisations whose records the user may work on.",
    )
    union_member_ids = fields.Many2many(
        "union.member",
        string="Union Member Records",
        compute="_compute_union_scope",
        compute_sudo=True,
        help="The member records linked to this user, archived ones included.",
    )

    @api.depends("union_organization_ids")
    def _compute_union_scope(self):
        Organization = self.env["union.organization"].with_context(active_test=False)
        Member = self.env["union.member"].with_context(active_test=False)
        members = Member.search([("user_id", "in", self.ids)]) if self.ids else Member
        for user in self:
            user.union_scope_organization_ids = (
                Organization.search(
                    [("id", "child_of", user.union_organization_ids.ids)]
                )
                if user.union_organization_ids
                else Organization
            )
            user.union_member_ids = members.filtered(
                lambda member, user=user: member.user_id == user
            )

    @api.model
    def _union_scope_changed(self):
        """The organisation tree, a user's organisations or a member's user
        changed: the record rules' ids are stale in every worker."""
        self.env["res.users"].invalidate_model(
            ["union_scope_organization_ids", "union_member_ids"]
        )
        self.env.registry.clear_cache()

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
            self._union_scope_changed()
        return res

    def _union_skip_onboarding(self):
        """No OdooBot onboarding chat for these users (the demo logins land on
        their work). OdooBot is optional: nothing to do without it."""
        if "odoobot_state" in self._fields:
            self.sudo().odoobot_state = "disabled"

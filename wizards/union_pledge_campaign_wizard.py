from odoo import fields, models
from odoo.exceptions import UserError

from ..models.union_workflow_mixin import GROUP_OFFICER


def default_organizations(env):
    return env.user.union_organization_ids


def check_campaign_year(env, year, organizations):
    """The campaign's year is one the documents may have, for every organisation."""
    refused = env["union.pledge"]._year_refusal([(org, year) for org in organizations])
    if refused:
        raise UserError(env["union.pledge"]._year_error(*refused))


def check_organizations_in_scope(env, organizations):
    """A campaign runs on the user's own organisations and their subtrees."""
    if not organizations:
        raise UserError(env._("Choose at least one organisation."))
    outside = organizations.filtered(
        lambda org: not org._is_below_user_scope(strict=False)
    )
    if outside:
        raise UserError(
            env._(
                "“%(org)s” is not among the organisations you work on: choose your "
                "own organisations or those below them.",
                org=outside[0].name,
            )
        )


class UnionPledgeCampaignWizard(models.TransientModel):
    _name = "union.pledge.campaign.wizard"
    _description = "Open the Pledge Campaign"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    organization_ids = fields.Many2many(
        "union.organization",
        string="Organizations",
        required=True,
        default=lambda self: default_organizations(self.env),
        help=(
            "Draft pledges are made for the active members of these organisations "
            "and of their subtrees."
        ),
    )

    def action_generate(self):
        self.ensure_one()
        if not self.env.user.has_group(GROUP_OFFICER):
            raise UserError(
                self.env._("Only union officers can open the pledge campaign.")
            )
        check_organizations_in_scope(self.env, self.organization_ids)
        check_campaign_year(self.env, self.year, self.organization_ids)
        created, existing = self.env["union.pledge"]._generate_draft_pledges(
            self.year, self.organization_ids
        )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Pledge campaign %(year)s", year=self.year),
                "message": self.env._(
                    "%(created)s draft pledges created; %(existing)s members already "
                    "had one.",
                    created=created,
                    existing=existing,
                ),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

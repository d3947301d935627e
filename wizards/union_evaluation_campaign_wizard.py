from odoo import fields, models
from odoo.exceptions import UserError

from ..models.union_workflow_mixin import GROUP_OFFICER
from .union_pledge_campaign_wizard import (
    check_campaign_year,
    check_organizations_in_scope,
    default_organizations,
)


class UnionEvaluationCampaignWizard(models.TransientModel):
    _name = "union.evaluation.campaign.wizard"
    _description = "Prepare the Year's Member Evaluations"

    year = fields.Integer(
        required=True, default=lambda self: fields.Date.context_today(self).year
    )
    organization_ids = fields.Many2many(
        "union.organization",
        string="Organizations",
        required=True,
        default=lambda self: default_organizations(self.env),
    )

    def action_generate(self):
        self.ensure_one()
        if not self.env.user.has_group(GROUP_OFFICER):
            raise UserError(self.env._("Only union officers can prepare evaluations."))
        check_organizations_in_scope(self.env, self.organization_ids)
        check_campaign_year(self.env, self.year, self.organization_ids)
        created, existing = self.env[
            "union.member.evaluation"
        ]._generate_draft_evaluations(self.year, self.organization_ids)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Evaluations %(year)s", year=self.year),
                "message": self.env._(
                    "%(created)s draft evaluations created; %(existing)s members "
                    "were already evaluated.",
                    created=created,
                    existing=existing,
                ),
                "type": "success",
                "sticky": False,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

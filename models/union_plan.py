from odoo import api, fields, models
from odoo.exceptions import ValidationError

# The years of a plan bound the years of the documents made under it: a plan
# covers at most a congress term and its overlap (e.g. 2021–2026).
MAX_PLAN_YEARS = 10


class UnionPlan(models.Model):
    _name = "union.plan"
    _description = "Union Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.scoped.mixin"]
    _order = "issue_date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    number = fields.Char(tracking=True, help="Document number, e.g. 140/KH-LĐLĐ.")
    issue_date = fields.Date(tracking=True)
    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    year_start = fields.Integer(
        aggregator=False,
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
    )
    year_end = fields.Integer(
        aggregator=False,
        required=True,
        default=lambda self: fields.Date.context_today(self).year,
    )
    topic_ids = fields.One2many("union.study.topic", "plan_id", string="Study Topics")
    description = fields.Html()
    state = fields.Selection(
        [("draft", "Draft"), ("active", "In Progress"), ("done", "Closed")],
        default="draft",
        required=True,
        tracking=True,
        copy=False,
    )

    @api.constrains("year_start", "year_end")
    def _check_years(self):
        for plan in self:
            if not 1900 < plan.year_start <= plan.year_end < 2200:
                raise ValidationError(
                    self.env._("The plan must end in or after the year it starts.")
                )
            if plan.year_end - plan.year_start > MAX_PLAN_YEARS:
                raise ValidationError(
                    self.env._(
                        "A plan covers at most %(years)s years (a congress term); "
                        "%(start)s–%(end)s is longer.",
                        years=MAX_PLAN_YEARS,
                        start=plan.year_start,
                        end=plan.year_end,
                    )
                )
            # Its yearly topics must stay inside the new years.
            plan.topic_ids._check_year()

    @api.depends("number", "name")
    def _compute_display_name(self):
        for plan in self:
            plan.display_name = (
                f"{plan.number} – {plan.name}" if plan.number else plan.name
            )

    def action_activate(self):
        self.check_access("write")
        self.write({"state": "active"})

    def action_close(self):
        self.check_access("write")
        self.write({"state": "done"})

    def action_reset_to_draft(self):
        self.check_access("write")
        self.write({"state": "draft"})

from odoo import api, fields, models
from odoo.exceptions import ValidationError


class UnionStudyTopic(models.Model):
    _name = "union.study.topic"
    _description = "Study Topic"
    _inherit = ["union.scoped.mixin"]
    _order = "plan_id, year, sequence, id"

    _scope_fields = ("plan_id",)

    name = fields.Char(required=True)
    plan_id = fields.Many2one(
        "union.plan", required=True, index=True, ondelete="cascade"
    )
    organization_id = fields.Many2one(
        related="plan_id.organization_id", store=True, index=True
    )
    year = fields.Integer(aggregator=False, help="Leave empty for the full-term topic.")
    is_full_term = fields.Boolean(compute="_compute_is_full_term", store=True)
    sequence = fields.Integer(default=10)
    description = fields.Html()
    session_ids = fields.One2many("union.study.session", "topic_id", string="Sessions")
    session_count = fields.Integer(compute="_compute_session_count")

    @api.depends("year")
    def _compute_is_full_term(self):
        for topic in self:
            topic.is_full_term = not topic.year

    def _compute_session_count(self):
        counts = dict(
            self.env["union.study.session"]._read_group(
                [("topic_id", "in", self.ids)], ["topic_id"], ["__count"]
            )
        )
        for topic in self:
            topic.session_count = counts.get(topic, 0)

    @api.constrains("year", "plan_id")
    def _check_year(self):
        for topic in self.filtered("year"):
            if not topic.plan_id.year_start <= topic.year <= topic.plan_id.year_end:
                raise ValidationError(
                    self.env._(
                        "The topic year %(year)s lies outside the plan's years "
                        "%(start)s–%(end)s.",
                        year=topic.year,
                        start=topic.plan_id.year_start,
                        end=topic.plan_id.year_end,
                    )
                )

    @api.depends("name", "year")
    def _compute_display_name(self):
        for topic in self:
            prefix = str(topic.year) if topic.year else self.env._("Full term")
            topic.display_name = f"[{prefix}] {topic.name}"

from odoo import fields, models


class UnionStatisticsMixin(models.AbstractModel):
    """The year's figures of an organisation's subtree (union.organization._union_statistics)."""

    _name = "union.statistics.mixin"
    _description = "Union Statistics"

    member_count = fields.Integer(string="Members", readonly=True)
    studied_count = fields.Integer(string="Members Who Studied", readonly=True)
    pledged_count = fields.Integer(string="Members Who Pledged", readonly=True)
    pledge_approved_count = fields.Integer(string="Pledges Approved", readonly=True)
    pledge_achieved_count = fields.Integer(string="Pledges Achieved", readonly=True)
    exemplar_count = fields.Integer(string="Recognised Exemplars", readonly=True)
    commendation_count = fields.Integer(
        string="Commended", readonly=True, help="Members and organisations commended."
    )
    evaluation_excellent_count = fields.Integer(string="Rated Excellent", readonly=True)
    evaluation_good_count = fields.Integer(string="Rated Good", readonly=True)
    evaluation_complete_count = fields.Integer(string="Rated Complete", readonly=True)
    evaluation_incomplete_count = fields.Integer(
        string="Rated Incomplete", readonly=True
    )
    study_rate = fields.Float(
        string="Study Rate (%)", digits=(5, 1), readonly=True, aggregator="avg"
    )
    pledge_rate = fields.Float(
        string="Pledge Rate (%)", digits=(5, 1), readonly=True, aggregator="avg"
    )
    pledge_achieved_rate = fields.Float(
        string="Pledges Achieved (%)",
        digits=(5, 1),
        readonly=True,
        aggregator="avg",
        help="Achieved pledges over submitted pledges.",
    )

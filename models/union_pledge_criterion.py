from odoo import fields, models

from .union_member import CATEGORIES


class UnionPledgeCriterion(models.Model):
    _name = "union.pledge.criterion"
    _description = "Pledge Criterion"
    _inherit = ["union.system.mixin"]
    _order = "category, sequence, id"

    name = fields.Text(required=True, translate=False)
    category = fields.Selection(CATEGORIES, required=True, index=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    source = fields.Char(
        help="Where the criterion comes from, e.g. Plan 140/KH-LĐLĐ, section 3.1."
    )

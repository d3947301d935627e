from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import LazyTranslate

from .union_workflow_mixin import GROUP_MANAGER, Transition

_lt = LazyTranslate(__name__)

EXEMPLAR_TYPES = [
    ("model", "Model / good practice"),
    ("collective", "Exemplary collective"),
    ("individual", "Exemplary individual"),
    ("good_deed", "Good person, good deed"),
]
# The propaganda channels of Plan 140/KH-LĐLĐ, III.1.
CHANNELS = [
    ("newspaper", "Newspaper"),
    ("radio_tv", "Radio and television"),
    ("website", "Website"),
    ("zalo", "Zalo"),
    ("facebook", "Facebook"),
    ("other", "Other"),
]


class UnionExemplar(models.Model):
    _name = "union.exemplar"
    _description = "Exemplary Model"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.workflow.mixin"]
    _order = "year desc, name"

    # Proposing an exemplar is creating it: its approvers are told then.
    _transitions = {
        "recognize": Transition(
            ["proposed"],
            "recognized",
            _lt("recognise"),
            group=GROUP_MANAGER,
            stamp="recognize",
            message=_lt("Exemplar recognised."),
            activity="close",
        ),
        "reset_to_proposed": Transition(
            ["recognized"],
            "proposed",
            _lt("withdraw the recognition of"),
            group=GROUP_MANAGER,
            clear=("recognize",),
            reason=_lt("Withdraw Recognition"),
            message=_lt("Recognition withdrawn."),
            activity="return",
        ),
    }
    _approval_transition = "recognize"
    _approval_activity_param = "approval_activity_exemplar"
    # A recognised exemplar is then published: its publications stay open.
    _editable_in_state = {"recognized": ("publication_ids",)}

    name = fields.Char(required=True, tracking=True)
    exemplar_type = fields.Selection(
        EXEMPLAR_TYPES, string="Type", required=True, default="model", tracking=True
    )
    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
        help="The organisation that proposes the exemplar.",
    )
    member_ids = fields.Many2many("union.member", string="Members")
    year = fields.Integer(
        aggregator=False,
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    description = fields.Html()
    publication_ids = fields.One2many(
        "union.exemplar.publication", "exemplar_id", string="Publications"
    )
    publication_count = fields.Integer(compute="_compute_publication_count")
    commendation_ids = fields.One2many(
        "union.commendation", "exemplar_id", string="Commendations"
    )
    state = fields.Selection(
        [("proposed", "Proposed"), ("recognized", "Recognised")],
        default="proposed",
        required=True,
        index=True,
        tracking=True,
        group_expand=True,
        copy=False,
    )
    recognize_user_id = fields.Many2one(
        "res.users", string="Recognised By", readonly=True, copy=False
    )
    recognize_date = fields.Datetime(string="Recognised On", readonly=True, copy=False)
    can_recognize = fields.Boolean(compute="_compute_can_transitions")
    can_reset_to_proposed = fields.Boolean(compute="_compute_can_transitions")

    @api.depends("publication_ids")
    def _compute_publication_count(self):
        for exemplar in self:
            exemplar.publication_count = len(exemplar.publication_ids)

    @api.constrains("member_ids", "organization_id")
    def _check_members(self):
        for exemplar in self:
            path = exemplar.organization_id.parent_path
            outsiders = exemplar.member_ids.filtered(
                lambda m, path=path: not m.organization_id.parent_path.startswith(path)
            )
            if outsiders:
                raise UserError(
                    self.env._(
                        "%(member)s does not belong to “%(org)s”, which proposes "
                        "this exemplar.",
                        member=outsiders[0].name,
                        org=exemplar.organization_id.name,
                    )
                )

    @api.constrains("year", "organization_id")
    def _check_year(self):
        self._check_year_rule()

    @api.model_create_multi
    def create(self, vals_list):
        exemplars = super().create(vals_list)
        exemplars._request_approval()
        return exemplars

    def action_recognize(self):
        return self._transition("recognize")

    def action_reset_to_proposed(self, reason=None):
        return self._transition("reset_to_proposed", reason)

    @api.model
    def _awaiting_states(self):
        return {"proposed"}

    def action_open_commendation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Propose a Commendation"),
            "res_model": "union.commendation",
            "view_mode": "form",
            "context": {
                "default_exemplar_id": self.id,
                "default_name": self.name,
                "default_organization_id": self.organization_id.id,
                "default_year": self.year,
                "default_line_ids": [
                    (0, 0, {"member_id": member.id, "achievement": self.name})
                    for member in self.member_ids
                ],
            },
        }


class UnionExemplarPublication(models.Model):
    _name = "union.exemplar.publication"
    _description = "Exemplar Publication"
    _inherit = ["union.scoped.mixin"]
    _order = "date desc, id desc"

    _scope_fields = ("exemplar_id",)

    exemplar_id = fields.Many2one(
        "union.exemplar", required=True, index=True, ondelete="cascade"
    )
    organization_id = fields.Many2one(
        related="exemplar_id.organization_id", store=True, index=True
    )
    channel = fields.Selection(CHANNELS, required=True, default="website")
    date = fields.Date(required=True, default=fields.Date.context_today)
    title = fields.Char(required=True)
    url = fields.Char(string="Link")

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .union_organization import MEMBER_LEVELS

CATEGORIES = [
    ("civil_servant", "Civil servant"),
    ("public_employee", "Public employee"),
    ("worker", "Worker"),
]


class UnionMember(models.Model):
    _name = "union.member"
    _description = "Union Member"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.scoped.mixin"]
    _order = "name, id"
    _rec_names_search = ["name", "union_card_number"]

    name = fields.Char(required=True, tracking=True)
    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("level", "in", MEMBER_LEVELS)],
    )
    grassroots_id = fields.Many2one(
        related="organization_id.grassroots_id", store=True, index=True
    )
    category = fields.Selection(CATEGORIES, required=True, tracking=True, index=True)
    is_union_officer = fields.Boolean(string="Union Officer", tracking=True)
    union_position = fields.Char(
        string="Union Post",
        tracking=True,
        help="The post the member holds in the union, e.g. Chủ tịch CĐCS, Tổ trưởng tổ công đoàn.",
    )
    is_party_member = fields.Boolean(string="Party Member", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="User",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
    )
    gender = fields.Selection(
        [("male", "Male"), ("female", "Female"), ("other", "Other")]
    )
    # Personal data (party membership, birth date, ethnicity): tracked, so that
    # the member's history says who changed them, and shown in no other
    # document's chatter or export.
    birth_date = fields.Date(tracking=True)
    ethnicity = fields.Char(default="Kinh", tracking=True)
    union_card_number = fields.Char(index="btree_not_null", tracking=True)
    join_date = fields.Date(string="Union Join Date")
    job_title = fields.Char()
    phone = fields.Char()
    email = fields.Char()
    active = fields.Boolean(default=True, tracking=True)
    session_ids = fields.Many2many(
        "union.study.session",
        "union_study_session_member_rel",
        "member_id",
        "session_id",
        string="Study Sessions Attended",
        readonly=True,
        copy=False,
        help="Attendance is recorded on the study session.",
    )
    session_count = fields.Integer(compute="_compute_session_count")
    pledge_ids = fields.One2many("union.pledge", "member_id", string="Pledges")
    pledge_count = fields.Integer(compute="_compute_pledge_count")
    evaluation_ids = fields.One2many(
        "union.member.evaluation", "member_id", string="Evaluations"
    )
    evaluation_count = fields.Integer(compute="_compute_evaluation_count")
    commendation_line_ids = fields.One2many(
        "union.commendation.line", "member_id", string="Commendations"
    )
    commendation_count = fields.Integer(compute="_compute_commendation_count")

    _sql_constraints = [
        (
            "union_card_number_unique",
            "unique(union_card_number)",
            "Another member already holds this union card number.",
        ),
        (
            "user_unique",
            "unique(user_id)",
            "This user is already linked to another member.",
        ),
    ]

    def _compute_session_count(self):
        counts = dict(
            self.env["union.study.session"]._read_group(
                [("attendee_ids", "in", self.ids)], ["attendee_ids"], ["__count"]
            )
        )
        for member in self:
            member.session_count = counts.get(member, 0)

    def _compute_pledge_count(self):
        counts = dict(
            self.env["union.pledge"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.pledge_count = counts.get(member, 0)

    def _compute_evaluation_count(self):
        counts = dict(
            self.env["union.member.evaluation"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.evaluation_count = counts.get(member, 0)

    def _compute_commendation_count(self):
        counts = dict(
            self.env["union.commendation.line"]._read_group(
                [
                    ("member_id", "in", self.ids),
                    ("commendation_id.state", "=", "approved"),
                ],
                ["member_id"],
                ["__count"],
            )
        )
        for member in self:
            member.commendation_count = counts.get(member, 0)

    @api.constrains("organization_id")
    def _check_organization_level(self):
        for member in self:
            if member.organization_id.level not in MEMBER_LEVELS:
                raise ValidationError(
                    self.env._(
                        "“%(member)s” cannot belong to “%(org)s”: members belong to a grassroots union or one of its sub-units.",
                        member=member.name,
                        org=member.organization_id.name,
                    )
                )

    @api.constrains("user_id")
    def _check_user_unique(self):
        # Checked before the flush reaches the SQL constraint: linking a user
        # notifies them by mail first, and that would fail on the SQL error.
        # Plain SQL because an ORM search would flush the pending link first;
        # it also sees the members the current user may not read.
        linked = self.filtered("user_id")
        if not linked:
            return
        self.env.cr.execute(
            "SELECT 1 FROM union_member WHERE user_id = ANY(%s) AND NOT id = ANY(%s) LIMIT 1",
            (linked.user_id.ids, linked.ids),
        )
        if self.env.cr.fetchone():
            raise ValidationError(
                self.env._("This user is already linked to another member.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize(vals)
        return super().write(vals)

    @staticmethod
    def _normalize(vals):
        # An empty card number is no number: keep it NULL so that uniqueness holds.
        if "union_card_number" in vals:
            vals["union_card_number"] = (
                vals["union_card_number"] or ""
            ).strip() or False

    def _action_open_related(self, xmlid, extra_context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"default_member_id": self.id, **(extra_context or {})}
        return action

    def action_open_pledges(self):
        return self._action_open_related("trade_union_emulation.union_pledge_action")

    def action_open_evaluations(self):
        return self._action_open_related(
            "trade_union_emulation.union_member_evaluation_action"
        )

    def action_open_commendations(self):
        return self._action_open_related(
            "trade_union_emulation.union_commendation_line_action"
        )

    def action_open_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_study_session_action"
        )
        action["domain"] = [("attendee_ids", "in", self.id)]
        action["context"] = {}
        return action

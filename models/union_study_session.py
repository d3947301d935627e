import functools

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.osv import expression

MODES = [
    ("conference", "Conference"),
    ("regular_meeting", "Regular meeting"),
    ("flag_ceremony", "Monday flag ceremony"),
    ("online", "Online"),
    ("other", "Other"),
]


class UnionStudySession(models.Model):
    _name = "union.study.session"
    _description = "Study Session"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.scoped.mixin"]
    _order = "date desc, id desc"

    name = fields.Char(required=True, tracking=True)
    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    topic_id = fields.Many2one(
        "union.study.topic",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    date = fields.Date(
        required=True, default=fields.Date.context_today, index=True, tracking=True
    )
    year = fields.Integer(
        aggregator=False, compute="_compute_year", store=True, index=True
    )
    mode = fields.Selection(
        MODES, required=True, default="regular_meeting", tracking=True
    )
    location = fields.Char()
    attendee_ids = fields.Many2many(
        "union.member",
        "union_study_session_member_rel",
        "session_id",
        "member_id",
        string="Attendees",
    )
    attendee_count = fields.Integer(compute="_compute_attendee_count", store=True)
    note = fields.Html()
    state = fields.Selection(
        [("planned", "Planned"), ("done", "Held"), ("cancelled", "Cancelled")],
        default="planned",
        required=True,
        tracking=True,
        copy=False,
    )

    @api.depends("date")
    def _compute_year(self):
        for session in self:
            session.year = session.date.year if session.date else 0

    @api.depends("attendee_ids")
    def _compute_attendee_count(self):
        for session in self:
            session.attendee_count = len(session.attendee_ids)

    def _check_access(self, operation):
        """The record rules asked to the database, in one query. Odoo checks
        them in Python on the records at hand, and the members' rule (the
        sessions they attended) then reads every attendance of those records:
        about 8,000 attendances and their members for a list page of a
        district's 80 sessions. Same rules, same refusal."""
        if not all(isinstance(id_, int) for id_ in self._ids) or not self.env[
            "ir.model.access"
        ].check(self._name, operation, raise_exception=False):
            return super()._check_access(operation)
        Rule = self.env["ir.rule"]
        domain = Rule._compute_domain(self._name, operation)
        if not domain or not self:
            return None
        allowed = set(
            self.sudo()._search(expression.AND([[("id", "in", self.ids)], domain]))
        )
        forbidden = self.browse([id_ for id_ in self._ids if id_ not in allowed])
        if forbidden:
            return forbidden, functools.partial(
                Rule._make_access_error, operation, forbidden
            )
        return None

    @api.constrains("date", "organization_id")
    def _check_date(self):
        """A session's year is a year a document may have: one of a plan of its
        organisation or above, or within a year of now."""
        self._check_year_rule(year_of=lambda session: session.date.year)

    @api.constrains("attendee_ids", "organization_id")
    def _check_attendees(self):
        for session in self:
            path = session.organization_id.parent_path
            outsiders = session.attendee_ids.filtered(
                lambda m, path=path: not m.organization_id.parent_path.startswith(path)
            )
            if outsiders:
                raise ValidationError(
                    self.env._(
                        "%(member)s is not a member of “%(org)s” or of its "
                        "sub-organisations, "
                        "so cannot be recorded at its session.",
                        member=outsiders[0].name,
                        org=session.organization_id.name,
                    )
                )

    def action_done(self):
        self.check_access("write")
        self.write({"state": "done"})

    def action_cancel(self):
        self.check_access("write")
        self.write({"state": "cancelled"})

    def action_reset_to_planned(self):
        self.check_access("write")
        self.write({"state": "planned"})

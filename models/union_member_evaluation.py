from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .res_config_settings import get_param
from .union_pledge import RESULTS
from .union_workflow_mixin import GROUP_MANAGER, GROUP_OFFICER

RATINGS = [
    ("excellent", "Excellent completion of duties"),
    ("good", "Good completion of duties"),
    ("complete", "Completion of duties"),
    ("incomplete", "Incomplete duties"),
]
HIGH_RATINGS = ("excellent", "good")


def rating_from_score(env, score):
    """The rating a score proposes, by the bands of the settings."""
    if score >= get_param(env, "rating_excellent_min"):
        return "excellent"
    if score >= get_param(env, "rating_good_min"):
        return "good"
    if score >= get_param(env, "rating_complete_min"):
        return "complete"
    return "incomplete"


class UnionMemberEvaluation(models.Model):
    _name = "union.member.evaluation"
    _description = "Member Evaluation"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.workflow.mixin"]
    _order = "year desc, organization_id, member_id"

    _workflow_fields = (
        "state",
        "submit_user_id",
        "submit_date",
        "approve_user_id",
        "approve_date",
    )
    _frozen_fields = ("member_id", "year", "organization_id", "grassroots_id")
    _locked_states = ("submitted", "approved")
    _reason_methods = ("action_reset_to_draft",)

    member_id = fields.Many2one(
        "union.member", required=True, index=True, ondelete="restrict", tracking=True
    )
    year = fields.Integer(
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        ondelete="restrict",
        help="The member's organisation at the time of the evaluation.",
    )
    grassroots_id = fields.Many2one(
        "union.organization", string="Grassroots Union", index=True, ondelete="restrict"
    )
    category = fields.Selection(related="member_id.category")
    pledge_id = fields.Many2one(
        "union.pledge", compute="_compute_pledge_id", string="Pledge of the Year"
    )
    pledge_state = fields.Selection(
        lambda self: self.env["union.pledge"]._fields["state"].selection,
        compute="_compute_pledge_id",
        string="Pledge Status",
    )
    pledge_result = fields.Selection(
        RESULTS, compute="_compute_pledge_id", string="Pledge Result"
    )
    score = fields.Float(
        digits=(5, 1), tracking=True, help="From 0 to 100; proposes the rating."
    )
    proposed_rating = fields.Selection(
        RATINGS, compute="_compute_proposed_rating", store=True
    )
    rating = fields.Selection(
        RATINGS,
        compute="_compute_rating",
        store=True,
        readonly=False,
        precompute=True,
        tracking=True,
        index=True,
    )
    note = fields.Text()
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved")],
        default="draft",
        required=True,
        index=True,
        tracking=True,
        group_expand=True,
        copy=False,
    )
    submit_user_id = fields.Many2one(
        "res.users", string="Submitted By", readonly=True, copy=False
    )
    submit_date = fields.Datetime(string="Submitted On", readonly=True, copy=False)
    approve_user_id = fields.Many2one(
        "res.users", string="Approved By", readonly=True, copy=False
    )
    approve_date = fields.Datetime(string="Approved On", readonly=True, copy=False)

    _sql_constraints = [
        (
            "member_year_unique",
            "unique(member_id, year)",
            "This member has already been evaluated for this year.",
        ),
        (
            "score_range",
            "CHECK(score >= 0 AND score <= 100)",
            "The score must lie between 0 and 100.",
        ),
    ]

    @api.depends("member_id", "year")
    def _compute_pledge_id(self):
        pledges = self.env["union.pledge"].search(
            [
                ("member_id", "in", self.member_id.ids),
                ("year", "in", list(set(self.mapped("year")))),
            ]
        )
        by_key = {(p.member_id.id, p.year): p for p in pledges}
        for evaluation in self:
            pledge = by_key.get(
                (evaluation.member_id.id, evaluation.year), self.env["union.pledge"]
            )
            evaluation.pledge_id = pledge
            evaluation.pledge_state = pledge.state
            evaluation.pledge_result = pledge.result

    @api.depends("score")
    def _compute_proposed_rating(self):
        for evaluation in self:
            evaluation.proposed_rating = rating_from_score(
                self.env, evaluation.score or 0.0
            )

    @api.depends("score")
    def _compute_rating(self):
        for evaluation in self:
            evaluation.rating = rating_from_score(self.env, evaluation.score or 0.0)

    @api.depends("member_id.name", "year")
    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = self.env._(
                "Evaluation %(year)s – %(member)s",
                year=evaluation.year,
                member=evaluation.member_id.name or "",
            )

    @api.constrains("score")
    def _check_score(self):
        for evaluation in self:
            if not 0 <= evaluation.score <= 100:
                raise ValidationError(
                    self.env._("The score must lie between 0 and 100.")
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._check_members_in_scope([vals.get("member_id") for vals in vals_list])
        self._check_one_a_year(
            vals_list,
            "member_id",
            lambda member, year: self.env._(
                "%(member)s has already been evaluated for %(year)s.",
                member=member.name,
                year=year,
            ),
        )
        for vals in vals_list:
            member = self.env["union.member"].browse(vals.get("member_id"))
            vals["organization_id"] = member.organization_id.id
            vals["grassroots_id"] = member.grassroots_id.id
        return super().create(vals_list)

    # Workflow ---------------------------------------------------------------------

    def action_submit(self):
        self._check_state(["draft"], self.env._("submit"))
        self._check_group(GROUP_OFFICER, self.env._("submit evaluations"))
        self._check_scope()
        missing = self.filtered(lambda e: not e.rating)
        if missing:
            raise UserError(
                self.env._(
                    "Choose a rating for “%(evaluation)s” first.",
                    evaluation=missing[0].display_name,
                )
            )
        self._workflow_write({"state": "submitted", **self._stamp("submit")})
        self._post_transition(self.env._("Evaluation submitted."))

    def action_approve(self):
        self._check_state(["submitted"], self.env._("approve"))
        self._check_group(GROUP_MANAGER, self.env._("approve evaluations"))
        self._check_scope()
        if self.filtered(lambda e: e.member_id.user_id == self.env.user):
            raise UserError(
                self.env._(
                    "You cannot approve your own evaluation: another leader must approve it."
                )
            )
        self._check_pledge_rule()
        self._check_excellent_quota()
        self._workflow_write({"state": "approved", **self._stamp("approve")})
        labels = dict(self._fields["rating"]._description_selection(self.env))
        for evaluation in self:
            evaluation._post_transition(
                self.env._(
                    "Evaluation approved: %(rating)s (score %(score)s proposed %(proposed)s).",
                    rating=labels[evaluation.rating],
                    score=evaluation.score,
                    proposed=labels[evaluation.proposed_rating],
                )
            )

    def action_reset_to_draft(self, reason=None):
        self._check_state(["submitted", "approved"], self.env._("return to draft"))
        group = (
            GROUP_MANAGER if any(e.state == "approved" for e in self) else GROUP_OFFICER
        )
        self._check_group(group, self.env._("return evaluations to draft"))
        self._check_scope()
        if not (reason or "").strip():
            return self._ask_reason(
                "action_reset_to_draft", self.env._("Return to Draft")
            )
        self._workflow_write(
            {"state": "draft", "approve_user_id": False, "approve_date": False}
        )
        self._post_transition(self.env._("Evaluation returned to draft."), reason)
        return True

    def _check_pledge_rule(self):
        """The year's pledge result is a rating criterion (Plan 140/KH-LĐLĐ, II.2)."""
        if get_param(self.env, "allow_rating_without_pledge"):
            return
        labels = dict(self._fields["rating"]._description_selection(self.env))
        for evaluation in self.filtered(lambda e: e.rating in HIGH_RATINGS):
            pledge = evaluation.pledge_id
            if not pledge:
                why = self.env._(
                    "they made no pledge for %(year)s", year=evaluation.year
                )
            elif pledge.state not in ("approved", "assessed") or not pledge.result:
                why = self.env._(
                    "their pledge for %(year)s has not been assessed yet",
                    year=evaluation.year,
                )
            elif pledge.result != "achieved":
                result_labels = dict(
                    pledge._fields["result"]._description_selection(self.env)
                )
                why = self.env._(
                    "their pledge result is “%(result)s”",
                    result=result_labels[pledge.result],
                )
            else:
                continue
            raise UserError(
                self.env._(
                    "%(member)s cannot be rated “%(rating)s”: %(why)s. The result of the yearly pledge "
                    "is a rating criterion; only members whose pledge was achieved can be rated excellent or good.",
                    member=evaluation.member_id.name,
                    rating=labels[evaluation.rating],
                    why=why,
                )
            )

    def _check_excellent_quota(self):
        """Decree 335/2025/ND-CP: excellent ratings may not exceed a share of the
        good ones within a grassroots union and year."""
        if not get_param(self.env, "excellent_quota"):
            return
        percent = get_param(self.env, "excellent_quota_percent")
        for (grassroots, year), evaluations in self.grouped(
            lambda e: (e.grassroots_id, e.year)
        ).items():
            # The cap counts every approved rating of the union, including those
            # the approving leader's own scope does not show.
            approved = dict(
                self.sudo()._read_group(
                    [
                        ("grassroots_id", "=", grassroots.id),
                        ("year", "=", year),
                        ("state", "=", "approved"),
                    ],
                    ["rating"],
                    ["__count"],
                )
            )
            excellent = approved.get("excellent", 0) + len(
                evaluations.filtered(lambda e: e.rating == "excellent")
            )
            good = approved.get("good", 0) + len(
                evaluations.filtered(lambda e: e.rating == "good")
            )
            allowed = int(good * percent / 100)
            if excellent and excellent > allowed:
                raise UserError(
                    self.env._(
                        "Approving would give %(union)s %(excellent)s excellent ratings for %(year)s, "
                        "but at most %(percent)s%% of its %(good)s good ratings may be excellent, "
                        "that is %(allowed)s.",
                        union=grassroots.name,
                        excellent=excellent,
                        year=year,
                        percent=percent,
                        good=good,
                        allowed=allowed,
                    )
                )

    @api.model
    def _generate_draft_evaluations(self, year, organizations):
        """Create the year's missing draft evaluations for the active members of
        the subtrees of ``organizations``. Returns (created, already existing)."""
        members = self.env["union.member"].search(
            [("organization_id", "child_of", organizations.ids)]
        )
        evaluated = self.search(
            [("member_id", "in", members.ids), ("year", "=", year)]
        ).member_id
        todo = members - evaluated
        self.with_context(tracking_disable=True, mail_create_nolog=True).create(
            [{"member_id": member.id, "year": year} for member in todo]
        )
        return len(todo), len(evaluated)

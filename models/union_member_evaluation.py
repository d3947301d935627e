from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import LazyTranslate

from .res_config_settings import get_param
from .union_pledge import GENERATION_BATCH, RESULTS
from .union_workflow_mixin import GROUP_MANAGER, GROUP_OFFICER, Transition

_lt = LazyTranslate(__name__)

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

    _transitions = {
        "submit": Transition(
            ["draft"],
            "submitted",
            _lt("submit"),
            stamp="submit",
            check="_check_rating_chosen",
            message=_lt("Evaluation submitted."),
            activity="request",
        ),
        "approve": Transition(
            ["submitted"],
            "approved",
            _lt("approve"),
            group=GROUP_MANAGER,
            not_own=_lt(
                "You cannot approve your own evaluation: another leader must approve "
                "it."
            ),
            stamp="approve",
            check="_check_can_be_approved",
            message="_post_approval",
            activity="close",
        ),
        "reset_to_draft": Transition(
            ["submitted", "approved"],
            "draft",
            _lt("return to draft"),
            group={"submitted": GROUP_OFFICER, "approved": GROUP_MANAGER},
            clear=("approve",),
            reason=_lt("Return to Draft"),
            message=_lt("Evaluation returned to draft."),
            activity="return",
        ),
    }
    _approval_activity_param = "approval_activity_member_evaluation"
    _generation_batch_size = GENERATION_BATCH
    _frozen_fields = ("member_id", "year")

    member_id = fields.Many2one(
        "union.member", required=True, index=True, ondelete="restrict", tracking=True
    )
    year = fields.Integer(
        aggregator=False,
        required=True,
        index=True,
        default=lambda self: fields.Date.context_today(self).year,
        tracking=True,
    )
    organization_id = fields.Many2one(
        "union.organization",
        compute="_compute_member_snapshot",
        store=True,
        precompute=True,
        required=True,
        index=True,
        ondelete="restrict",
        help="The member's organisation at the time of the evaluation.",
    )
    grassroots_id = fields.Many2one(
        "union.organization",
        string="Grassroots Union",
        compute="_compute_member_snapshot",
        store=True,
        precompute=True,
        index=True,
        ondelete="restrict",
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
    pledge_result = fields.Selection(RESULTS, compute="_compute_pledge_id")
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
    can_submit = fields.Boolean(compute="_compute_can_transitions")
    can_approve = fields.Boolean(compute="_compute_can_transitions")
    can_reset_to_draft = fields.Boolean(compute="_compute_can_transitions")

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

    @api.depends("member_id")
    def _compute_member_snapshot(self):
        # Copied once: the evaluation keeps the member's organisation of that time.
        for evaluation in self:
            evaluation.organization_id = evaluation.member_id.organization_id
            evaluation.grassroots_id = evaluation.member_id.grassroots_id

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

    @api.constrains("year", "member_id")
    def _check_year(self):
        self._check_year_rule()

    @api.model_create_multi
    def create(self, vals_list):
        # Who may not create gets the access error first, not a word on the data.
        self.check_access("create")
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
        return super().create(vals_list)

    # Workflow ---------------------------------------------------------------------

    def action_submit(self):
        return self._transition("submit")

    def action_approve(self):
        return self._transition("approve")

    def action_reset_to_draft(self, reason=None):
        return self._transition("reset_to_draft", reason)

    def action_bulk_submit(self):
        return self._bulk_transition("submit")

    def action_bulk_approve(self):
        return self._bulk_transition("approve")

    def action_bulk_reset_to_draft(self):
        return self._ask_reason(
            "action_reset_to_draft", self.env._("Return to Draft"), bulk=True
        )

    def _check_rating_chosen(self):
        missing = self.filtered(lambda e: not e.rating)
        if missing:
            raise UserError(
                self.env._(
                    "Choose a rating for “%(evaluation)s” first.",
                    evaluation=missing[0].display_name,
                )
            )

    def _check_can_be_approved(self):
        self._check_pledge_rule()
        self._check_excellent_quota()

    def _post_approval(self, reason=None):
        labels = dict(self._fields["rating"]._description_selection(self.env))
        self._post_notes(
            {
                evaluation.id: self.env._(
                    "Evaluation approved: %(rating)s (score %(score)s proposed "
                    "%(proposed)s).",
                    rating=labels[evaluation.rating],
                    score=evaluation.score,
                    proposed=labels[evaluation.proposed_rating],
                )
                for evaluation in self
            }
        )

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
                    "%(member)s cannot be rated “%(rating)s”: %(why)s. The result of "
                    "the yearly pledge "
                    "is a rating criterion; only members whose pledge was achieved "
                    "can be rated excellent or good.",
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
                        "Approving would give %(union)s %(excellent)s excellent "
                        "ratings for %(year)s, "
                        "but at most %(percent)s%% of its %(good)s good ratings may "
                        "be excellent, "
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
        the subtrees of ``organizations`` that the user may see. Returns
        (created, already existing).

        A province has 100,000 members: rows are inserted by batches with
        ``INSERT … SELECT … ON CONFLICT DO NOTHING``, in the caller's
        transaction. A run that fails leaves nothing half-made, a second run
        (or a second user) creates only what is missing."""
        self.check_access("create")
        member_ids = (
            self.env["union.member"]
            .search([("organization_id", "child_of", organizations.ids)], order="id")
            .ids
        )
        self.env.flush_all()
        # A draft has no score yet: it proposes the rating of a score of 0.
        rating = rating_from_score(self.env, 0.0)
        created = 0
        batch_size = self._generation_batch_size
        for start in range(0, len(member_ids), batch_size):
            created += self._insert_draft_evaluations(
                year, member_ids[start : start + batch_size], rating
            )
        self.invalidate_model()
        return created, len(member_ids) - created

    def _insert_draft_evaluations(self, year, member_ids, rating):
        self.env.cr.execute(
            """
            WITH new_evaluation AS (
                INSERT INTO union_member_evaluation (
                    member_id, year, organization_id, grassroots_id, state,
                    proposed_rating, rating,
                    create_uid, create_date, write_uid, write_date)
                     SELECT m.id, %(year)s, m.organization_id, m.grassroots_id, 'draft',
                            %(rating)s, %(rating)s,
                            %(uid)s, now() AT TIME ZONE 'UTC',
                            %(uid)s, now() AT TIME ZONE 'UTC'
                       FROM union_member m
                      WHERE m.id = ANY(%(member_ids)s)
                        -- Skip what exists: a row updated since this snapshot
                        -- (approved meanwhile) would make ON CONFLICT fail
                        -- with a serialization error under REPEATABLE READ.
                        -- The batch's ids bound the look-up to the batch (an
                        -- index scan of the unique key), not the whole year
                        -- made so far, which would grow with every batch.
                        AND NOT EXISTS (
                            SELECT 1 FROM union_member_evaluation x
                             WHERE x.member_id = m.id AND x.year = %(year)s
                               AND x.member_id = ANY(%(member_ids)s))
                ON CONFLICT (member_id, year) DO NOTHING
                  RETURNING id
            )
            SELECT count(*) FROM new_evaluation
            """,
            {
                "year": year,
                "uid": self.env.uid,
                "member_ids": member_ids,
                "rating": rating,
            },
        )
        return self.env.cr.fetchone()[0]

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .emulation_common import EmulationCase


@tagged("post_install", "-at_install")
class TestMemberEvaluation(EmulationCase):
    """The year's rating of a member: workflow, rights, score bands, the pledge
    rule, the cap on excellent ratings and the campaign wizard."""

    def rating_labels(self, user):
        Evaluation = self.env["union.member.evaluation"].with_user(user)
        return dict(Evaluation._fields["rating"]._description_selection(Evaluation.env))

    # Workflow and rights --------------------------------------------------------------

    def test_workflow_right_roles(self):
        evaluation = self.make_evaluation(self.member_a2, 55)
        self.assertEqual(evaluation.organization_id, self.sub_unit_a)
        self.assertEqual(evaluation.grassroots_id, self.grassroots_a)
        self.assertEqual(evaluation.rating, "complete")

        evaluation.with_user(self.user_officer_a).action_submit()
        self.assertEqual(evaluation.state, "submitted")
        self.assertEqual(evaluation.submit_user_id, self.user_officer_a)

        evaluation.with_user(self.user_manager_a).action_approve()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(evaluation.approve_user_id, self.user_manager_a)
        self.assertTrue(evaluation.approve_date)

    def test_officer_cannot_approve(self):
        evaluation = self.make_evaluation(self.member_a2, 55, state="submitted")
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_officer_a).action_approve()
        self.assertEqual(evaluation.state, "submitted")

    def test_other_district_cannot_touch(self):
        evaluation = self.make_evaluation(self.member_a2, 55)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_officer_b).action_submit()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_officer_b).write({"score": 60})
        evaluation.with_user(self.user_officer_a).action_submit()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_manager_b).action_approve()
        self.assertEqual(evaluation.state, "submitted")
        self.assertFalse(
            self.env["union.member.evaluation"]
            .with_user(self.user_manager_b)
            .search([("id", "=", evaluation.id)])
        )

    def test_member_cannot_act(self):
        Evaluation = self.env["union.member.evaluation"].with_user(self.user_member_a1)
        with self.assertRaises(AccessError):
            Evaluation.create(
                {"member_id": self.member_a1.id, "year": self.YEAR, "score": 99}
            )
        evaluation = self.make_evaluation(self.member_a1, 60)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_member_a1).write({"score": 99})
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_member_a1).action_submit()
        evaluation.with_user(self.user_officer_a).action_submit()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_member_a1).action_approve()
        self.assertEqual(evaluation.state, "submitted")

    def test_state_and_locked_record_only_change_through_workflow(self):
        evaluation = self.make_evaluation(self.member_a2, 55)
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_manager_a).write({"state": "approved"})
        with self.assertRaises(UserError):
            self.env["union.member.evaluation"].with_user(self.user_officer_a).create(
                {
                    "member_id": self.member_a1.id,
                    "year": self.YEAR,
                    "score": 50,
                    "state": "approved",
                }
            )
        evaluation.with_user(self.user_officer_a).action_submit()
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_officer_a).write({"score": 95})
        self.assertEqual(evaluation.score, 55)

    def test_reset_to_draft_asks_reason(self):
        evaluation = self.make_evaluation(self.member_a2, 55, state="approved")
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_officer_a).action_reset_to_draft(
                reason="Sai điểm"
            )
        action = evaluation.with_user(self.user_manager_a).action_reset_to_draft()
        self.assertEqual(
            evaluation.state, "approved", "without a reason nothing changes yet"
        )
        self.confirm_reason(action, self.user_manager_a, "Chấm lại điểm")
        self.assertEqual(evaluation.state, "draft")
        self.assertFalse(evaluation.approve_user_id)
        self.assertIn(
            "Chấm lại điểm", self.messages_text(evaluation, self.user_manager_a)
        )
        # Back in draft the score can be corrected.
        evaluation.with_user(self.user_officer_a).write({"score": 72})
        self.assertEqual(evaluation.rating, "good")

    def test_cannot_approve_own_evaluation(self):
        self.member_a2.user_id = self.user_manager_a
        evaluation = self.make_evaluation(self.member_a2, 55, state="submitted")
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_manager_a).action_approve()
        self.assertEqual(evaluation.state, "submitted")

    # Score bands and the chosen rating ------------------------------------------------

    def test_score_proposes_rating_by_default_bands(self):
        expected = {
            100: "excellent",
            90: "excellent",
            89.9: "good",
            70: "good",
            69.9: "complete",
            50: "complete",
            49.9: "incomplete",
            0: "incomplete",
        }
        evaluation = self.make_evaluation(self.member_a1, 0)
        for score, rating in expected.items():
            evaluation.with_user(self.user_officer_a).write({"score": score})
            self.assertEqual(evaluation.proposed_rating, rating, f"score {score}")
            self.assertEqual(evaluation.rating, rating, f"score {score}")

    def test_bands_follow_settings(self):
        self.set_setting("rating_excellent_min", 95)
        self.set_setting("rating_good_min", 80)
        self.set_setting("rating_complete_min", 60)
        evaluation = self.make_evaluation(self.member_a1, 92)
        self.assertEqual(evaluation.proposed_rating, "good")
        for score, rating in {
            95: "excellent",
            79: "complete",
            60: "complete",
            59: "incomplete",
        }.items():
            evaluation.with_user(self.user_officer_a).write({"score": score})
            self.assertEqual(evaluation.proposed_rating, rating, f"score {score}")

    def test_bands_through_settings_form(self):
        Settings = self.env["res.config.settings"].with_user(self.user_system_admin)
        Settings.create(
            {
                "union_rating_excellent_min": 85,
                "union_rating_good_min": 65,
                "union_rating_complete_min": 45,
            }
        ).execute()
        self.assertEqual(
            self.make_evaluation(self.member_a1, 86).proposed_rating, "excellent"
        )
        self.assertEqual(
            self.make_evaluation(self.member_a2, 46).proposed_rating, "complete"
        )
        with self.assertRaises(ValidationError):
            Settings.create(
                {"union_rating_excellent_min": 60, "union_rating_good_min": 70}
            )

    def test_manager_chooses_another_rating(self):
        evaluation = self.make_evaluation(self.member_a2, 75)
        self.assertEqual(evaluation.proposed_rating, "good")
        evaluation.with_user(self.user_manager_a).write({"rating": "complete"})
        self.assertEqual(evaluation.proposed_rating, "good")
        evaluation.with_user(self.user_officer_a).action_submit()
        evaluation.with_user(self.user_manager_a).action_approve()
        self.assertEqual(
            (evaluation.state, evaluation.rating), ("approved", "complete")
        )
        labels = self.rating_labels(self.user_manager_a)
        approval = evaluation.with_user(self.user_manager_a).message_ids.filtered(
            lambda m: labels["complete"] in m.body and labels["good"] in m.body
        )
        self.assertEqual(
            len(approval),
            1,
            "the approval message names the rating and the proposed one",
        )
        self.assertIn("75", approval.body)

    # The pledge rule ------------------------------------------------------------------

    def assert_refused(self, evaluation, *fragments):
        with self.assertRaises(UserError) as caught:
            evaluation.with_user(self.user_manager_a).action_approve()
        message = str(caught.exception)
        self.assertIn(self.member_a2.name, message)
        for fragment in fragments:
            self.assertIn(fragment, message)
        self.assertEqual(evaluation.state, "submitted")

    def test_pledge_rule_without_pledge(self):
        excellent = self.make_evaluation(self.member_a2, 95, state="submitted")
        self.assertFalse(excellent.pledge_id)
        self.assert_refused(excellent, "no pledge", str(self.YEAR))

    def test_pledge_rule_good_rating_too(self):
        good = self.make_evaluation(self.member_a2, 80, state="submitted")
        self.assert_refused(good, "no pledge")

    def test_pledge_rule_other_year_pledge_does_not_count(self):
        self.make_pledge(
            self.member_a2, "assessed", result="achieved", year=self.YEAR - 1
        )
        evaluation = self.make_evaluation(self.member_a2, 95, state="submitted")
        self.assertFalse(evaluation.pledge_id)
        self.assert_refused(evaluation, "no pledge")

    def test_pledge_rule_pledge_not_assessed(self):
        pledge = self.make_pledge(self.member_a2, "submitted")
        evaluation = self.make_evaluation(self.member_a2, 95, state="submitted")
        self.assertEqual(evaluation.pledge_id, pledge)
        self.assertEqual(evaluation.pledge_state, "submitted")
        self.assert_refused(evaluation, "not been assessed")
        # Approved but without a result yet: still refused.
        pledge.with_user(self.user_manager_a).action_approve()
        evaluation.invalidate_recordset()
        self.assert_refused(evaluation, "not been assessed")

    def test_pledge_rule_result_not_achieved(self):
        pledge = self.make_pledge(
            self.member_a2, "assessed", result="partially_achieved"
        )
        evaluation = self.make_evaluation(self.member_a2, 95, state="submitted")
        self.assertEqual(evaluation.pledge_result, "partially_achieved")
        result_label = dict(
            pledge._fields["result"]._description_selection(
                pledge.with_user(self.user_manager_a).env
            )
        )
        self.assert_refused(evaluation, result_label["partially_achieved"])

    def test_pledge_rule_achieved_allows(self):
        self.make_pledge(self.member_a2, "approved", result="achieved")
        evaluation = self.make_evaluation(self.member_a2, 95, state="submitted")
        evaluation.with_user(self.user_manager_a).action_approve()
        self.assertEqual(
            (evaluation.state, evaluation.rating), ("approved", "excellent")
        )

    def test_pledge_rule_assessed_achieved_allows(self):
        self.make_pledge(self.member_a2, "assessed", result="achieved")
        evaluation = self.make_evaluation(self.member_a2, 80, state="submitted")
        evaluation.with_user(self.user_manager_a).action_approve()
        self.assertEqual((evaluation.state, evaluation.rating), ("approved", "good"))

    def test_pledge_rule_spares_lower_ratings(self):
        complete = self.make_evaluation(self.member_a2, 60, state="submitted")
        complete.with_user(self.user_manager_a).action_approve()
        incomplete = self.make_evaluation(self.member_a1, 30, state="submitted")
        incomplete.with_user(self.user_manager_a).action_approve()
        self.assertEqual((complete.state, incomplete.state), ("approved", "approved"))

    def test_pledge_rule_lifted_by_setting(self):
        self.set_setting("allow_rating_without_pledge", True)
        evaluation = self.make_evaluation(self.member_a2, 95, state="submitted")
        evaluation.with_user(self.user_manager_a).action_approve()
        self.assertEqual(
            (evaluation.state, evaluation.rating), ("approved", "excellent")
        )

    # The cap on excellent ratings -----------------------------------------------------

    def build_good_ratings(self, count):
        """``count`` approved good ratings in grassroots union A, one of them
        in its sub-unit."""
        for index in range(count):
            org = self.sub_unit_a if index == 0 else self.grassroots_a
            member = self.make_member(f"Đoàn viên Tốt {index}", org, f"T-G{index:03d}")
            self.make_pledge(member, "assessed", result="achieved")
            self.make_evaluation(member, 80, state="approved")

    def excellent_candidates(self, count):
        evaluations = self.env["union.member.evaluation"]
        for index in range(count):
            member = self.make_member(
                f"Đoàn viên Xuất sắc {index}", self.grassroots_a, f"T-E{index:03d}"
            )
            self.make_pledge(member, "assessed", result="achieved")
            evaluations |= self.make_evaluation(member, 95, state="submitted")
        return evaluations

    def test_excellent_cap(self):
        self.set_setting("excellent_quota", True)
        self.build_good_ratings(5)
        first, second = self.excellent_candidates(2)
        first.with_user(self.user_manager_a).action_approve()
        self.assertEqual(
            first.state, "approved", "1 excellent for 5 good is within 20%"
        )
        with self.assertRaises(UserError) as caught:
            second.with_user(self.user_manager_a).action_approve()
        message = str(caught.exception)
        self.assertIn(self.grassroots_a.name, message)
        for number in ("2 excellent", "20%", "5 good", "that is 1"):
            self.assertIn(number, message)
        self.assertEqual(second.state, "submitted")

    def test_excellent_cap_counts_a_batch(self):
        self.set_setting("excellent_quota", True)
        self.build_good_ratings(5)
        both = self.excellent_candidates(2)
        with self.assertRaises(UserError):
            both.with_user(self.user_manager_a).action_approve()
        self.assertEqual(set(both.mapped("state")), {"submitted"})

    def test_bulk_approval_keeps_the_cap_of_one_by_one(self):
        """Each excellent rating passes the cap alone, not both together: the
        bulk step approves them one by one, and the second is refused."""
        self.set_setting("excellent_quota", True)
        self.build_good_ratings(5)
        first, second = self.excellent_candidates(2)
        action = (first | second).with_user(self.user_manager_a).action_bulk_approve()
        wizard = self.env["union.bulk.result.wizard"].browse(action["res_id"])
        self.assertIn("1 of 2", wizard.summary)
        self.assertEqual((first.state, second.state), ("approved", "submitted"))
        self.assertIn(second.display_name, wizard.details)
        self.assertIn("that is 1", wizard.details)
        self.assertNotIn(first.display_name, wizard.details)

    def test_bulk_approval_counts_the_good_ratings_it_approves(self):
        """An excellent rating the cap refuses alone goes through once the good
        ratings selected with it are approved, wherever it is in the selection."""
        self.set_setting("excellent_quota", True)
        goods = self.env["union.member.evaluation"]
        for index in range(5):
            member = self.make_member(
                f"Đoàn viên Tốt {index}", self.grassroots_a, f"T-G{index:03d}"
            )
            self.make_pledge(member, "assessed", result="achieved")
            goods |= self.make_evaluation(member, 80, state="submitted")
        excellent = self.excellent_candidates(1)
        selection = (excellent | goods).with_user(self.user_manager_a)
        action = selection.action_bulk_approve()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("6 of 6", action["params"]["title"])
        self.assertEqual(set((excellent | goods).mapped("state")), {"approved"})
        self.assertEqual(excellent.approve_user_id, self.user_manager_a)

    def test_excellent_cap_other_percentage(self):
        self.set_setting("excellent_quota", True)
        self.set_setting("excellent_quota_percent", 40)
        self.build_good_ratings(5)
        first, second, third = self.excellent_candidates(3)
        (first | second).with_user(self.user_manager_a).action_approve()
        with self.assertRaises(UserError) as caught:
            third.with_user(self.user_manager_a).action_approve()
        self.assertIn("40%", str(caught.exception))
        self.assertEqual(third.state, "submitted")

    def test_excellent_cap_is_per_grassroots_union(self):
        self.set_setting("excellent_quota", True)
        self.build_good_ratings(5)
        self.excellent_candidates(1).with_user(self.user_manager_a).action_approve()
        # Grassroots union B has no good rating: its own cap is 0, whatever A has.
        self.make_pledge(self.member_b1, "assessed", result="achieved")
        evaluation_b = self.make_evaluation(self.member_b1, 95, state="submitted")
        with self.assertRaises(UserError) as caught:
            evaluation_b.with_user(self.user_manager_b).action_approve()
        self.assertIn(self.grassroots_b.name, str(caught.exception))

    def test_excellent_cap_off_by_default(self):
        self.build_good_ratings(5)
        evaluations = self.excellent_candidates(2)
        evaluations.with_user(self.user_manager_a).action_approve()
        self.assertEqual(set(evaluations.mapped("state")), {"approved"})

    # Uniqueness and scope of creation -------------------------------------------------

    def test_one_evaluation_per_member_and_year(self):
        self.make_evaluation(self.member_a1, 60)
        with self.assertRaises(UserError) as caught:
            self.env["union.member.evaluation"].with_user(self.user_officer_a).create(
                {"member_id": self.member_a1.id, "year": self.YEAR, "score": 70}
            )
        self.assertIn(self.member_a1.name, str(caught.exception))
        self.assertIn(str(self.YEAR), str(caught.exception))
        self.assertEqual(
            self.env["union.member.evaluation"].search_count(
                [("member_id", "=", self.member_a1.id), ("year", "=", self.YEAR)]
            ),
            1,
        )
        # Another year is another evaluation.
        self.make_evaluation(self.member_a1, 60, year=self.YEAR - 1)

    def test_member_of_other_organization_refused(self):
        Evaluation = self.env["union.member.evaluation"]
        with self.assertRaises(UserError) as caught:
            Evaluation.with_user(self.user_officer_a).create(
                {"member_id": self.member_b1.id, "year": self.YEAR, "score": 80}
            )
        self.assertIn("another organisation", str(caught.exception))
        self.assertFalse(Evaluation.search([("member_id", "=", self.member_b1.id)]))

    # Campaign wizard ------------------------------------------------------------------

    def test_campaign_wizard_creates_drafts_for_subtree(self):
        archived = self.make_member("Đoàn viên Đã nghỉ", self.grassroots_a, "T-OLD1")
        archived.with_user(self.user_officer_a).active = False
        Wizard = self.env["union.evaluation.campaign.wizard"].with_user(
            self.user_officer_a
        )
        wizard = Wizard.create({"year": self.YEAR})
        self.assertEqual(
            wizard.organization_ids,
            self.district_a,
            "defaults to the officer's organisations",
        )
        result = wizard.action_generate()
        self.assertRegex(result["params"]["message"], r"\b2\b\D+\b0\b")
        Evaluation = self.env["union.member.evaluation"]
        created = Evaluation.search(
            [
                ("year", "=", self.YEAR),
                ("organization_id", "child_of", self.province.id),
            ]
        )
        self.assertEqual(created.member_id, self.member_a1 | self.member_a2)
        self.assertEqual(set(created.mapped("state")), {"draft"})

        # Idempotent: nothing more on a second run.
        again = Wizard.create(
            {"year": self.YEAR, "organization_ids": [Command.set(self.district_a.ids)]}
        ).action_generate()
        self.assertRegex(again["params"]["message"], r"\b0\b\D+\b2\b")
        self.assertEqual(
            Evaluation.search_count(
                [
                    ("year", "=", self.YEAR),
                    ("organization_id", "child_of", self.province.id),
                ]
            ),
            2,
        )

    def test_campaign_wizard_keeps_to_the_officer_scope(self):
        Wizard = self.env["union.evaluation.campaign.wizard"].with_user(
            self.user_officer_a
        )
        # The province is above officer A's district: refused, nothing made.
        with self.assertRaisesRegex(
            UserError, "not among the organisations you work on"
        ):
            Wizard.create(
                {
                    "year": self.YEAR,
                    "organization_ids": [Command.set(self.province.ids)],
                }
            ).action_generate()
        Evaluation = self.env["union.member.evaluation"]
        self.assertFalse(
            Evaluation.search(
                [
                    ("year", "=", self.YEAR),
                    ("organization_id", "child_of", self.province.id),
                ]
            )
        )
        Wizard.create(
            {"year": self.YEAR, "organization_ids": [Command.set(self.district_a.ids)]}
        ).action_generate()
        created = Evaluation.search(
            [
                ("year", "=", self.YEAR),
                ("organization_id", "child_of", self.province.id),
            ]
        )
        self.assertEqual(
            created.member_id,
            self.member_a1 | self.member_a2,
            "member B1 is not officer A's",
        )

    def test_campaign_wizard_not_for_members(self):
        with self.assertRaises(AccessError):
            self.env["union.evaluation.campaign.wizard"].with_user(
                self.user_member_a1
            ).create({"year": self.YEAR})

    # What a member reads --------------------------------------------------------------

    def test_member_reads_only_own_evaluations(self):
        own = self.make_evaluation(self.member_a1, 60, state="approved")
        other = self.make_evaluation(self.member_a2, 60, state="approved")
        other_b = self.make_evaluation(self.member_b1, 60, state="approved")
        Evaluation = self.env["union.member.evaluation"].with_user(self.user_member_a1)
        self.assertEqual(Evaluation.search([]), own)
        self.assertEqual(own.with_user(self.user_member_a1).rating, "complete")
        for evaluation in (other, other_b):
            with self.assertRaises(AccessError):
                evaluation.with_user(self.user_member_a1).read(["rating"])

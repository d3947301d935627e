from datetime import date

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .emulation_common import EmulationCase


@tagged("post_install", "-at_install")
class TestOrganizationEvaluation(EmulationCase):
    """The year's rating of an organisation: indicators computed from the data
    and frozen at submission, approval strictly from above, uniqueness."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Evaluation = cls.env["union.organization.evaluation"]

    def build_grassroots_a_year(self):
        """Grassroots union A in 2025: 3 members (one in the sub-unit), 2 of them
        studied, 1 pledge submitted and 1 still draft, 1 recognised exemplar
        (another only proposed), 2 members commended (another proposal in draft)."""
        self.member_a3 = self.make_member("Phạm Văn Dũng", self.grassroots_a, "T-0004")
        self.make_session(
            self.grassroots_a, date(self.YEAR, 3, 10), self.member_a1 | self.member_a2
        )
        self.make_session(self.grassroots_a, date(self.YEAR - 1, 12, 1), self.member_a3)
        self.make_pledge(self.member_a1, "assessed", result="achieved")
        self.make_pledge(self.member_a2, "draft")
        self.make_exemplar(self.grassroots_a, "Mô hình Văn phòng xanh")
        self.make_exemplar(
            self.grassroots_a, "Mô hình chưa công nhận", recognized=False
        )
        self.make_commendation(self.grassroots_a, self.member_a1 | self.member_a3)
        self.make_commendation(self.grassroots_a, self.member_a2, state="draft")

    def create_evaluation(self, org, user, **vals):
        return self.Evaluation.with_user(user).create(
            {"organization_id": org.id, "year": self.YEAR, **vals}
        )

    def assert_indicators(self, evaluation, **expected):
        actual = {name: evaluation[name] for name in expected}
        self.assertEqual(actual, expected)

    def test_indicators_computed_from_data(self):
        self.build_grassroots_a_year()
        evaluation = self.create_evaluation(self.grassroots_a, self.user_officer_a)
        self.assert_indicators(
            evaluation,
            member_count=3,
            pledged_count=1,
            pledge_rate=33.3,
            pledge_achieved_count=1,
            pledge_achieved_rate=100.0,
            studied_count=2,
            study_rate=66.7,
            exemplar_count=1,
            commendation_count=2,
        )
        # The district's figures take in its whole subtree; district B has none of it.
        district = self.create_evaluation(self.district_a, self.user_manager_province)
        self.assert_indicators(
            district,
            member_count=3,
            pledged_count=1,
            studied_count=2,
            exemplar_count=1,
            commendation_count=2,
        )
        district_b = self.create_evaluation(self.district_b, self.user_manager_province)
        self.assert_indicators(
            district_b,
            member_count=1,
            pledged_count=0,
            pledge_rate=0.0,
            studied_count=0,
            exemplar_count=0,
            commendation_count=0,
        )

    def test_indicators_refresh_in_draft_and_freeze_at_submission(self):
        evaluation = self.create_evaluation(
            self.grassroots_a, self.user_officer_a, rating="good"
        )
        self.assert_indicators(
            evaluation, member_count=2, pledged_count=0, studied_count=0
        )

        # Data entered while the evaluation is a draft: a refresh, or the
        # submission, takes it in.
        self.make_pledge(self.member_a1, "submitted")
        evaluation.with_user(self.user_officer_a).action_refresh()
        self.assert_indicators(evaluation, pledged_count=1, pledge_rate=50.0)
        self.make_session(self.grassroots_a, date(self.YEAR, 4, 2), self.member_a1)
        evaluation.with_user(self.user_officer_a).action_submit()
        self.assertEqual(evaluation.state, "submitted")
        frozen = {
            "member_count": 2,
            "pledged_count": 1,
            "studied_count": 1,
            "study_rate": 50.0,
            "exemplar_count": 0,
            "commendation_count": 0,
        }
        self.assert_indicators(evaluation, **frozen)

        # After the submission the figures stay as submitted.
        member_a3 = self.make_member("Phạm Văn Dũng", self.grassroots_a, "T-0004")
        self.make_pledge(member_a3, "submitted")
        self.make_session(
            self.grassroots_a, date(self.YEAR, 5, 2), self.member_a2 | member_a3
        )
        self.make_exemplar(self.grassroots_a, "Mô hình mới")
        self.make_commendation(self.grassroots_a, self.member_a2)
        evaluation.invalidate_recordset()
        self.assert_indicators(evaluation, **frozen)
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_officer_a).action_refresh()
        evaluation.with_user(self.user_manager_province).action_approve()
        self.assert_indicators(evaluation, **frozen)
        # A fresh evaluation of the same data sees the new figures.
        self.assertEqual(self.grassroots_a.member_count, 3)

    def test_indicators_cannot_be_written(self):
        evaluation = self.create_evaluation(self.grassroots_a, self.user_officer_a)
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_officer_a).write({"member_count": 500})
        self.assertEqual(evaluation.member_count, 2)

    def test_submit_needs_rating(self):
        evaluation = self.create_evaluation(self.grassroots_a, self.user_officer_a)
        with self.assertRaises(UserError):
            evaluation.with_user(self.user_officer_a).action_submit()
        self.assertEqual(evaluation.state, "draft")

    def test_own_manager_cannot_approve_own_organization(self):
        evaluation = self.create_evaluation(
            self.district_a, self.user_officer_a, rating="excellent"
        )
        evaluation.with_user(self.user_officer_a).action_submit()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_manager_a).action_approve()
        self.assertEqual(evaluation.state, "submitted")
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_officer_a).action_approve()
        evaluation.with_user(self.user_manager_province).action_approve()
        self.assertEqual(evaluation.state, "approved")
        self.assertEqual(evaluation.approve_user_id, self.user_manager_province)

    def test_manager_above_approves_grassroots(self):
        evaluation = self.create_evaluation(
            self.grassroots_a, self.user_officer_a, rating="good"
        )
        evaluation.with_user(self.user_officer_a).action_submit()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_manager_b).action_approve()
        self.assertEqual(evaluation.state, "submitted")
        evaluation.with_user(self.user_manager_a).action_approve()
        self.assertEqual(evaluation.state, "approved")

    def test_return_to_draft_from_above_only(self):
        evaluation = self.create_evaluation(
            self.district_a, self.user_officer_a, rating="good"
        )
        evaluation.with_user(self.user_officer_a).action_submit()
        evaluation.with_user(self.user_manager_province).action_approve()
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_manager_a).action_reset_to_draft(
                reason="Tự sửa"
            )
        action = evaluation.with_user(
            self.user_manager_province
        ).action_reset_to_draft()
        self.confirm_reason(action, self.user_manager_province, "Bổ sung minh chứng")
        self.assertEqual(evaluation.state, "draft")

    def test_other_district_cannot_read_or_create(self):
        evaluation = self.create_evaluation(self.grassroots_a, self.user_officer_a)
        with self.assertRaises(AccessError):
            evaluation.with_user(self.user_officer_b).read(["rating"])
        with self.assertRaises(AccessError):
            self.create_evaluation(self.grassroots_b, self.user_officer_a)

    def test_one_evaluation_per_organization_and_year(self):
        self.create_evaluation(self.grassroots_a, self.user_officer_a)
        with self.assertRaises(UserError) as caught:
            self.create_evaluation(self.grassroots_a, self.user_officer_a)
        self.assertIn(self.grassroots_a.name, str(caught.exception))
        self.assertEqual(
            self.Evaluation.search_count(
                [("organization_id", "=", self.grassroots_a.id)]
            ),
            1,
        )
        self.Evaluation.with_user(self.user_officer_a).create(
            {"organization_id": self.grassroots_a.id, "year": self.YEAR - 1}
        )
        self.assertEqual(
            self.Evaluation.search_count(
                [("organization_id", "=", self.grassroots_a.id)]
            ),
            2,
        )

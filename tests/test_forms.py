from odoo.tests import Form, tagged

from .common import UnionCase


@tagged("post_install", "-at_install")
class TestForms(UnionCase):
    """What the back-office forms do as the user types, through their views."""

    def test_score_proposes_the_rating(self):
        with Form(
            self.env["union.member.evaluation"].with_user(self.user_officer_a)
        ) as form:
            form.member_id = self.member_a1
            form.year = 2026
            form.score = 92
            self.assertEqual(form.rating, "excellent")
            self.assertEqual(form.proposed_rating, "excellent")
            form.score = 75
            self.assertEqual(form.rating, "good")
            form.score = 40
            self.assertEqual(form.rating, "incomplete")
            # The officer may still choose another rating than the proposed one.
            form.rating = "complete"
            self.assertEqual(form.proposed_rating, "incomplete")
        evaluation = form.record
        self.assertEqual(
            (evaluation.rating, evaluation.proposed_rating), ("complete", "incomplete")
        )
        self.assertEqual(evaluation.organization_id, self.grassroots_a)

    def test_member_fills_own_pledge_in_the_form(self):
        pledge = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .create({"member_id": self.member_a1.id, "year": 2026})
        )
        with Form(pledge.with_user(self.user_member_a1)) as form:
            for index in range(len(form.line_ids)):
                with form.line_ids.edit(index) as line:
                    line.commitment = f"Sản phẩm {index + 1}"
        self.assertEqual(
            pledge.line_ids.mapped("commitment"),
            [f"Sản phẩm {i + 1}" for i in range(len(pledge.line_ids))],
        )
        pledge.with_user(self.user_member_a1).action_submit()
        self.assertEqual(pledge.state, "submitted")

    def test_report_due_date_follows_the_year(self):
        with Form(
            self.env["union.annual.report"].with_user(self.user_manager_a)
        ) as form:
            form.organization_id = self.grassroots_a
            form.year = 2027
            self.assertEqual(str(form.date_due), "2027-09-10")
        self.assertEqual(form.record.state, "draft")

    def test_restructure_wizard_clears_the_other_target(self):
        wizard = Form(
            self.env["union.organization.restructure.wizard"]
            .with_user(self.user_admin)
            .with_context(default_organization_id=self.grassroots_b.id)
        )
        wizard.operation = "move"
        wizard.new_parent_id = self.district_a
        wizard.operation = "merge"
        self.assertFalse(
            wizard.new_parent_id, "switching to a merge forgets the new parent"
        )
        wizard.operation = "move"
        wizard.new_parent_id = self.district_a
        wizard.save().action_apply()
        self.assertEqual(self.grassroots_b.parent_id, self.district_a)
        self.assertEqual(
            self.member_b1.organization_id,
            self.grassroots_b,
            "members stay in the moved union",
        )

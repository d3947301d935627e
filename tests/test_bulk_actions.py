"""Issue 9.3 and 9.4: lists act in bulk, each record checked as one; the
officer fills a new pledge from last year's; entry points only where they work."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .emulation_common import EmulationCase


@tagged("post_install", "-at_install")
class TestBulkActions(EmulationCase):
    def result_details(self, action):
        """The refused records of a bulk step, from the dialog it opened."""
        self.assertEqual(action["res_model"], "union.bulk.result.wizard")
        wizard = self.env["union.bulk.result.wizard"].browse(action["res_id"])
        return wizard.summary, wizard.details

    def test_bulk_approve_pledges_with_refusals(self):
        members = self.env["union.member"]
        for index in range(4):
            members |= self.make_member(
                f"Đoàn viên {index}", self.grassroots_a, f"T-M{index}"
            )
        submitted = self.env["union.pledge"]
        for member in members:
            submitted |= self.make_pledge(member, "submitted")
        draft = self.make_pledge(self.member_a2, "draft")
        leader = self.make_member("Hoàng Thị Lãnh", self.grassroots_a, "T-L01")
        leader.user_id = self.user_manager_a
        own = self.make_pledge(leader, "draft")
        own.with_user(self.user_manager_a).action_submit()
        outside = self.make_pledge(self.member_b1, "submitted")
        selection = submitted | draft | own

        action = selection.with_user(self.user_manager_a).action_bulk_approve()
        summary, details = self.result_details(action)
        self.assertIn("4 of 6", summary)
        self.assertEqual(set(submitted.mapped("state")), {"approved"})
        self.assertEqual(submitted.approve_user_id, self.user_manager_a)
        self.assertEqual((draft.state, own.state), ("draft", "submitted"))
        self.assertIn(draft.display_name, details)
        self.assertIn("it is Draft", details)
        self.assertIn(own.display_name, details)
        self.assertIn("cannot approve your own pledge", details)
        # The approved ones went exactly as one by one: stamped, posted, closed.
        for pledge in submitted:
            self.assertIn(
                "Pledge approved.", self.messages_text(pledge, self.user_manager_a)
            )
        self.assertFalse(
            self.env["mail.activity"].search(
                [("res_model", "=", "union.pledge"), ("res_id", "in", submitted.ids)]
            )
        )
        # Out of scope: refused like one by one, nothing changes.
        action = (outside | own).with_user(self.user_manager_a).action_bulk_approve()
        summary, details = self.result_details(action)
        self.assertIn("0 of 2", summary)
        self.assertEqual(outside.state, "submitted")

    def test_bulk_approve_all_valid_notifies(self):
        pledges = self.make_pledge(self.member_a1, "submitted") | self.make_pledge(
            self.member_a2, "submitted"
        )
        action = pledges.with_user(self.user_manager_a).action_bulk_approve()
        self.assertEqual(action["tag"], "display_notification")
        self.assertEqual(action["params"]["type"], "success")
        self.assertIn("2 of 2", action["params"]["title"])
        self.assertEqual(set(pledges.mapped("state")), {"approved"})

    def test_officer_cannot_bulk_approve(self):
        pledges = self.make_pledge(self.member_a1, "submitted")
        action = pledges.with_user(self.user_officer_a).action_bulk_approve()
        summary, details = self.result_details(action)
        self.assertIn("0 of 1", summary)
        self.assertIn("Approving Leader", details)
        self.assertEqual(pledges.state, "submitted")

    def test_bulk_return_with_one_reason(self):
        pledges = self.make_pledge(self.member_a1, "submitted") | self.make_pledge(
            self.member_a2, "submitted"
        )
        draft = self.make_pledge(
            self.make_member("Đoàn viên nháp", self.grassroots_a, "T-D1"), "draft"
        )
        action = (
            (pledges | draft)
            .with_user(self.user_manager_a)
            .action_bulk_reset_to_draft()
        )
        self.assertEqual(action["res_model"], "union.reason.wizard")
        self.assertTrue(action["context"]["default_bulk"])
        self.assertEqual(set(pledges.mapped("state")), {"submitted"})
        result = self.confirm_reason(
            action, self.user_manager_a, "Viết lại sản phẩm cụ thể"
        )
        summary, details = self.result_details(result)
        self.assertIn("2 of 3", summary)
        self.assertIn(draft.display_name, details)
        self.assertEqual(set(pledges.mapped("state")), {"draft"})
        for pledge in pledges:
            self.assertIn(
                "Viết lại sản phẩm cụ thể",
                self.messages_text(pledge, self.user_manager_a),
            )
        # The member is told on her own pledge.
        mine = pledges.filtered(lambda p: p.member_id == self.member_a1)
        self.assertIn(
            "Viết lại sản phẩm cụ thể", self.messages_text(mine, self.user_member_a1)
        )

    def test_bulk_return_needs_a_reason(self):
        pledge = self.make_pledge(self.member_a1, "submitted")
        action = pledge.with_user(self.user_manager_a)._bulk_transition(
            "reset_to_draft"
        )
        summary, details = self.result_details(action)
        self.assertIn("Give the reason", details)
        self.assertEqual(pledge.state, "submitted")

    def test_bulk_assess(self):
        with_result = self.make_pledge(self.member_a1, "approved", result="achieved")
        without = self.make_pledge(self.member_a2, "approved")
        action = (
            (with_result | without).with_user(self.user_manager_a).action_bulk_assess()
        )
        summary, details = self.result_details(action)
        self.assertIn("1 of 2", summary)
        self.assertIn("Record the result", details)
        self.assertEqual((with_result.state, without.state), ("assessed", "approved"))

    def test_bulk_approve_evaluations(self):
        good = self.make_evaluation(self.member_a1, 80, state="submitted")
        self.make_pledge(self.member_a2, "assessed", result="achieved")
        achieved = self.make_evaluation(self.member_a2, 95, state="submitted")
        low = self.make_evaluation(
            self.make_member("Đoàn viên thấp", self.grassroots_a, "T-E1"),
            55,
            state="submitted",
        )
        action = (
            (good | achieved | low).with_user(self.user_manager_a).action_bulk_approve()
        )
        summary, details = self.result_details(action)
        self.assertIn("2 of 3", summary)
        self.assertIn(self.member_a1.name, details)
        self.assertIn("no pledge", details)
        self.assertEqual(
            (good.state, achieved.state, low.state),
            ("submitted", "approved", "approved"),
        )

    def test_bulk_submit_evaluations(self):
        evaluations = self.make_evaluation(self.member_a1, 60) | self.make_evaluation(
            self.member_a2, 70
        )
        action = evaluations.with_user(self.user_officer_a).action_bulk_submit()
        self.assertEqual(action["params"]["type"], "success")
        self.assertEqual(set(evaluations.mapped("state")), {"submitted"})

    # Fill from last year --------------------------------------------------------------

    def test_fill_from_last_year(self):
        last = self.make_pledge(self.member_a1, "draft", year=self.YEAR - 1)
        for index, line in enumerate(last.line_ids):
            line.with_user(
                self.user_officer_a
            ).commitment = f"Sản phẩm năm trước {index}"
        new = self.make_pledge(self.member_a1, "draft")
        new.line_ids.with_user(self.user_officer_a).write({"commitment": False})
        kept = new.line_ids[0]
        kept.with_user(self.user_officer_a).commitment = "Đã viết năm nay"

        action = new.with_user(self.user_officer_a).action_fill_from_last_year()
        filled = len(new.line_ids) - 1
        self.assertIn(str(filled), action["params"]["message"])
        self.assertEqual(kept.commitment, "Đã viết năm nay", "what was written stays")
        by_criterion = {line.criterion_id: line.commitment for line in last.line_ids}
        for line in new.line_ids - kept:
            self.assertEqual(line.commitment, by_criterion[line.criterion_id])
        self.assertEqual(new.state, "draft")

        # Only a draft, only in scope, only with a pledge the year before.
        with self.assertRaises(AccessError):
            new.with_user(self.user_officer_b).action_fill_from_last_year()
        first = self.make_pledge(self.member_a2, "draft")
        with self.assertRaises(UserError):
            first.with_user(self.user_officer_a).action_fill_from_last_year()
        new.with_user(self.user_officer_a).action_submit()
        with self.assertRaises(UserError):
            new.with_user(self.user_officer_a).action_fill_from_last_year()

    # Entry points ---------------------------------------------------------------------

    def test_no_duplicate_on_yearly_documents(self):
        for model in (
            "union.pledge",
            "union.member.evaluation",
            "union.organization.evaluation",
            "union.annual.report",
        ):
            for view_type in ("form", "list"):
                with self.subTest(model=model, view=view_type):
                    arch = (
                        self.env[model]
                        .with_user(self.user_manager_a)
                        .get_view(view_type=view_type)["arch"]
                    )
                    self.assertIn('duplicate="0"', arch)

    def test_buttons_follow_what_the_server_allows(self):
        pledge = self.make_pledge(self.member_a1, "submitted")
        as_officer = pledge.with_user(self.user_officer_a)
        as_leader = pledge.with_user(self.user_manager_a)
        as_other = pledge.with_user(self.user_manager_b)
        self.assertEqual(
            (as_officer.can_approve, as_officer.can_reset_to_draft), (False, True)
        )
        self.assertEqual((as_leader.can_approve, as_leader.can_submit), (True, False))
        self.assertFalse(as_other.can_approve, "not in their scope")
        draft = self.make_pledge(self.member_a2, "draft")
        self.assertTrue(draft.with_user(self.user_officer_a).can_submit)
        mine = self.make_pledge(
            self.make_member("Đoàn viên", self.grassroots_a, "T-X1"), "draft"
        )
        self.assertFalse(mine.with_user(self.user_member_a1).can_approve)
        own = pledge.with_user(self.user_member_a1)
        self.assertFalse(own.can_submit, "already submitted")
        report = (
            self.env["union.annual.report"]
            .with_user(self.user_officer_a)
            .create(
                {
                    "organization_id": self.district_a.id,
                    "year": self.YEAR,
                    "results": "<p>Kết quả</p>",
                }
            )
        )
        report.action_submit()
        self.assertFalse(report.with_user(self.user_manager_a).can_accept)
        self.assertTrue(report.with_user(self.user_manager_province).can_accept)

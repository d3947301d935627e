from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import UnionCase

YEAR = 2030


@tagged("post_install", "-at_install")
class TestPledgeWorkflow(UnionCase):
    """draft → submitted → approved → assessed, each step as the user who takes
    it, with the wrong role and the wrong scope refused on the server."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Criterion = cls.env["union.pledge.criterion"]
        cls.criteria = {
            category: Criterion.search([("category", "=", category)])
            for category in ("civil_servant", "public_employee", "worker")
        }

    # Helpers: each step is taken by the user who takes it in real life.

    def _pledge(self, member, user=None, year=YEAR):
        return (
            self.env["union.pledge"]
            .with_user(user or self.user_officer_a)
            .create({"member_id": member.id, "year": year})
        )

    def _submitted(self, member=None, user=None):
        pledge = self.fill_pledge(self._pledge(member or self.member_a1, user=user))
        pledge.action_submit()
        return pledge

    def _approved(self, member=None):
        pledge = self._submitted(member)
        pledge.with_user(self.user_manager_a).action_approve()
        return pledge

    def _messages(self, pledge):
        return " ".join(pledge.with_user(self.user_admin).message_ids.mapped("body"))

    # Creation -------------------------------------------------------------------

    def test_creation_copies_member_data_and_criteria(self):
        pledge = self._pledge(self.member_a2)
        self.assertEqual(pledge.state, "draft")
        self.assertEqual(pledge.organization_id, self.sub_unit_a)
        self.assertEqual(pledge.category, "worker")
        self.assertEqual(pledge.display_name, f"Pledge {YEAR} – Trần Thị Bình")
        self.assertTrue(
            self.criteria["worker"], "the worker criteria of the seeds are shipped"
        )
        self.assertEqual(pledge.line_ids.criterion_id, self.criteria["worker"])
        self.assertEqual(
            pledge.line_ids.mapped("sequence"),
            self.criteria["worker"].mapped("sequence"),
        )
        self.assertEqual(pledge.line_count, len(self.criteria["worker"]))
        self.assertFalse(any(pledge.line_ids.mapped("commitment")))

    def test_history_kept_when_member_moves(self):
        pledge = self._pledge(self.member_a2)
        self.member_a2.with_user(self.user_officer_a).write(
            {"organization_id": self.grassroots_a.id, "category": "civil_servant"}
        )
        self.env.invalidate_all()
        self.assertEqual(pledge.organization_id, self.sub_unit_a)
        self.assertEqual(pledge.category, "worker")
        # Nobody rewrites that history by hand, not even the administrator.
        for vals in (
            {"organization_id": self.grassroots_a.id},
            {"category": "civil_servant"},
            {"member_id": self.member_a1.id},
            {"year": YEAR + 1},
        ):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                pledge.with_user(self.user_admin).write(vals)
        self.env.invalidate_all()
        self.assertEqual(
            (pledge.organization_id, pledge.category, pledge.member_id, pledge.year),
            (self.sub_unit_a, "worker", self.member_a2, YEAR),
        )
        # The next pledge follows the member.
        self.assertEqual(
            self._pledge(self.member_a2, year=YEAR + 1).organization_id,
            self.grassroots_a,
        )

    def test_one_pledge_per_member_and_year(self):
        first = self._pledge(self.member_a1)
        with self.assertRaises(UserError) as cm:
            self._pledge(self.member_a1)
        self.assertIn(
            f"Nguyễn Văn An already has a pledge for {YEAR}", str(cm.exception)
        )
        with self.assertRaises(UserError):
            self._pledge(self.member_a1, user=self.user_member_a1)
        with self.assertRaises(UserError):
            self.env["union.pledge"].with_user(self.user_officer_a).create(
                [
                    {"member_id": self.member_a2.id, "year": YEAR},
                    {"member_id": self.member_a2.id, "year": YEAR},
                ]
            )
        Pledge = self.env["union.pledge"].with_user(self.user_admin)
        self.assertEqual(Pledge.search([("member_id", "=", self.member_a1.id)]), first)
        self.assertFalse(Pledge.search([("member_id", "=", self.member_a2.id)]))
        self.assertTrue(self._pledge(self.member_a1, year=YEAR + 1))

        # The database refuses a duplicate that bypasses the ORM.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env.cr.execute(
                """INSERT INTO union_pledge
                          (member_id, year, organization_id, category, state)
                   VALUES (%s, %s, %s, 'civil_servant', 'draft')""",
                (self.member_a1.id, YEAR, self.grassroots_a.id),
            )

    # Submit -----------------------------------------------------------------------

    def test_member_submits_own_pledge_once_commitments_written(self):
        pledge = self._pledge(self.member_a1).with_user(self.user_member_a1)
        with self.assertRaises(UserError) as cm:
            pledge.action_submit()
        self.assertIn(
            "write the concrete product for every commitment", str(cm.exception)
        )

        lines = pledge.line_ids
        self.assertEqual(len(lines), len(self.criteria["civil_servant"]))
        lines[:-1].write({"commitment": "Hoàn thành 100% hồ sơ đúng hạn"})
        lines[-1].write({"commitment": "   "})
        with self.assertRaises(UserError):
            pledge.action_submit()
        self.assertEqual(pledge.state, "draft")
        self.assertFalse(pledge.submit_user_id)

        lines[-1].write({"commitment": "Mỗi tháng một việc tốt cho đồng nghiệp"})
        pledge.action_submit()
        self.assertEqual(pledge.state, "submitted")
        self.assertEqual(pledge.submit_user_id, self.user_member_a1)
        self.assertTrue(pledge.submit_date)
        posted = pledge.with_user(self.user_admin).message_ids.filtered(
            lambda m: "Pledge submitted." in (m.body or "")
        )
        self.assertEqual(posted.author_id, self.user_member_a1.partner_id)

    def test_officer_submits_in_scope_only(self):
        pledge = self.fill_pledge(self._pledge(self.member_a1))
        for user in (self.user_officer_b, self.user_manager_b):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                pledge.with_user(user).action_submit()
        # A member cannot submit somebody else's pledge.
        with self.assertRaises(UserError):
            pledge.with_user(self.user_member_b1).action_submit()
        self.env.invalidate_all()
        self.assertEqual(pledge.state, "draft")

        pledge.with_user(self.user_officer_a).action_submit()
        self.assertEqual(pledge.state, "submitted")
        self.assertEqual(pledge.submit_user_id, self.user_officer_a)
        with self.assertRaises(UserError):
            pledge.with_user(self.user_officer_a).action_submit()

    # Approve -----------------------------------------------------------------------

    def test_approve_right_role_and_scope(self):
        pledge = self._submitted()
        for user in (
            self.user_officer_a,
            self.user_officer_b,
            self.user_manager_b,
            self.user_member_a1,
        ):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                pledge.with_user(user).action_approve()
        self.env.invalidate_all()
        self.assertEqual(pledge.state, "submitted")
        self.assertFalse(pledge.approve_user_id)

        pledge.with_user(self.user_manager_a).action_approve()
        self.assertEqual(pledge.state, "approved")
        self.assertEqual(pledge.approve_user_id, self.user_manager_a)
        self.assertTrue(pledge.approve_date)
        self.assertIn("Pledge approved.", self._messages(pledge))
        # Approving twice is refused with a sentence, not done twice.
        with self.assertRaises(UserError) as cm:
            pledge.with_user(self.user_manager_a).action_approve()
        self.assertIn("it is Approved", str(cm.exception))

    def test_draft_cannot_be_approved(self):
        pledge = self.fill_pledge(self._pledge(self.member_a1))
        with self.assertRaises(UserError):
            pledge.with_user(self.user_manager_a).action_approve()
        self.assertEqual(pledge.state, "draft")

    def test_manager_cannot_approve_own_pledge(self):
        leader = (
            self.env["union.member"]
            .with_user(self.user_officer_a)
            .create(
                {
                    "name": "Hoàng Thị Lãnh",
                    "organization_id": self.grassroots_a.id,
                    "category": "civil_servant",
                    "is_union_officer": True,
                    "user_id": self.user_manager_a.id,
                }
            )
        )
        pledge = self._submitted(leader, user=self.user_manager_a)
        self.assertEqual(pledge.submit_user_id, self.user_manager_a)
        with self.assertRaises(UserError) as cm:
            pledge.with_user(self.user_manager_a).action_approve()
        self.assertIn("cannot approve your own pledge", str(cm.exception))
        self.env.invalidate_all()
        self.assertEqual(pledge.state, "submitted")
        # The leader above approves it.
        pledge.with_user(self.user_manager_province).action_approve()
        self.assertEqual(pledge.state, "approved")
        self.assertEqual(pledge.approve_user_id, self.user_manager_province)

    # Direct writes -----------------------------------------------------------------

    def test_state_and_stamps_only_through_buttons(self):
        own_draft = self._pledge(self.member_a1)
        for user in (
            self.user_member_a1,
            self.user_officer_a,
            self.user_manager_a,
            self.user_admin,
        ):
            for vals in (
                {"state": "approved"},
                {"state": "submitted"},
                {"approve_user_id": user.id},
                {"submit_date": "2030-01-01 00:00:00"},
            ):
                with (
                    self.subTest(user=user.login, vals=vals),
                    self.assertRaises(UserError) as cm,
                ):
                    own_draft.with_user(user).write(vals)
                if "state" in vals:
                    self.assertIn(
                        "can only be changed with the workflow buttons",
                        str(cm.exception),
                    )
        with self.assertRaises(UserError):
            self.env["union.pledge"].with_user(self.user_manager_a).create(
                {"member_id": self.member_a2.id, "year": YEAR, "state": "approved"}
            )
        self.env.invalidate_all()
        self.assertEqual(own_draft.state, "draft")
        self.assertFalse(own_draft.approve_user_id)
        self.assertFalse(
            self.env["union.pledge"].search([("member_id", "=", self.member_a2.id)])
        )

    def test_submitted_pledge_is_locked(self):
        pledge = self._submitted()
        officer = pledge.with_user(self.user_officer_a)
        with self.assertRaises(UserError):
            officer.line_ids[0].write({"commitment": "Sửa sau khi gửi"})
        with self.assertRaises(UserError):
            officer.write(
                {"line_ids": [Command.create({"commitment": "Thêm sau khi gửi"})]}
            )
        with self.assertRaises(UserError):
            officer.unlink()
        self.env.invalidate_all()
        self.assertEqual(set(pledge.line_ids.mapped("commitment")), {"Sản phẩm cụ thể"})
        self.assertTrue(pledge.exists())

    def test_approved_pledge_locked_except_results(self):
        pledge = self._approved()
        line = pledge.line_ids[0]
        for user in (self.user_officer_a, self.user_manager_a, self.user_admin):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    line.with_user(user).write({"commitment": "Đổi sản phẩm"})
                with self.assertRaises(UserError):
                    pledge.with_user(user).write(
                        {"line_ids": [Command.create({"commitment": "Thêm"})]}
                    )
                with self.assertRaises(UserError):
                    line.with_user(user).unlink()
                with self.assertRaises(UserError):
                    pledge.with_user(user).unlink()
        self.env.invalidate_all()
        self.assertEqual(line.commitment, "Sản phẩm cụ thể")
        self.assertEqual(len(pledge.line_ids), len(self.criteria["civil_servant"]))

        # The results are what an approved pledge is waiting for.
        line.with_user(self.user_officer_a).write(
            {"achieved": True, "result_note": "Đã hoàn thành trong quý III"}
        )
        pledge.with_user(self.user_officer_a).write(
            {"result": "achieved", "result_note": "Hoàn thành tốt các cam kết"}
        )
        self.assertEqual((pledge.result, pledge.achieved_line_count), ("achieved", 1))
        self.assertEqual(pledge.state, "approved")

    def test_result_only_once_approved(self):
        pledge = self.fill_pledge(self._pledge(self.member_a1))
        with self.assertRaises(UserError) as cm:
            pledge.with_user(self.user_manager_a).write({"result": "achieved"})
        self.assertIn("is recorded once it is Approved", str(cm.exception))
        pledge.action_submit()
        with self.assertRaises(UserError):
            pledge.with_user(self.user_manager_a).write({"result": "achieved"})
        self.env.invalidate_all()
        self.assertFalse(pledge.result)
        pledge.with_user(self.user_manager_a).action_approve()
        pledge.with_user(self.user_manager_a).write({"result": "partially_achieved"})
        self.assertEqual(pledge.result, "partially_achieved")

    # Member user -------------------------------------------------------------------

    def test_member_edits_only_own_draft(self):
        own = self._pledge(self.member_a1)
        other = self._pledge(self.member_a2)
        as_member = self.env["union.pledge"].with_user(self.user_member_a1)
        self.assertEqual(as_member.search([("year", "=", YEAR)]), own)
        with self.assertRaises(AccessError):
            other.with_user(self.user_member_a1).read(["state"])
        with self.assertRaises(AccessError):
            other.line_ids[0].with_user(self.user_member_a1).write(
                {"commitment": "Viết hộ"}
            )
        with self.assertRaises(AccessError):
            other.with_user(self.user_member_a1).write(
                {"line_ids": [Command.create({"commitment": "Viết hộ"})]}
            )
        with self.assertRaises(AccessError):
            own.with_user(self.user_member_a1).unlink()
        self.env.invalidate_all()
        self.assertFalse(any(other.line_ids.mapped("commitment")))
        self.assertEqual(len(other.line_ids), len(self.criteria["worker"]))

        own.line_ids.with_user(self.user_member_a1).write(
            {"commitment": "Sản phẩm của tôi"}
        )
        own.with_user(self.user_member_a1).action_submit()
        with self.assertRaises(UserError):
            own.line_ids[0].with_user(self.user_member_a1).write(
                {"commitment": "Sửa sau khi gửi"}
            )
        with self.assertRaises(UserError):
            own.with_user(self.user_member_a1).write({"result_note": "Tự đánh giá"})
        self.env.invalidate_all()
        self.assertEqual(set(own.line_ids.mapped("commitment")), {"Sản phẩm của tôi"})
        self.assertFalse(own.result_note)

    def test_member_cannot_create_pledges(self):
        """A member edits the draft the campaign made; creating one is refused,
        even her own (issue 9.4: the entry point is not offered)."""
        for member in (self.member_a1, self.member_a2, self.member_b1):
            with self.subTest(member=member.name), self.assertRaises(AccessError):
                self._pledge(member, user=self.user_member_a1)
        self.assertFalse(
            self.env["union.pledge"].search([("year", "=", YEAR)]),
        )
        # The form offers no "New" button to her.
        arch = (
            self.env["union.pledge"]
            .with_user(self.user_member_a1)
            .get_view(view_type="form")["arch"]
        )
        self.assertIn('create="False"', arch)
        self.assertIn('delete="False"', arch)

    # Assess ------------------------------------------------------------------------

    def test_assess(self):
        pledge = self._approved()
        with self.assertRaises(UserError) as cm:
            pledge.with_user(self.user_manager_a).action_assess()
        self.assertIn("Record the result", str(cm.exception))
        pledge.with_user(self.user_officer_a).write({"result": "achieved"})
        for user in (self.user_officer_a, self.user_manager_b, self.user_member_a1):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                pledge.with_user(user).action_assess()
        self.env.invalidate_all()
        self.assertEqual(pledge.state, "approved")

        pledge.with_user(self.user_manager_a).action_assess()
        self.assertEqual(pledge.state, "assessed")
        self.assertEqual(pledge.assess_user_id, self.user_manager_a)
        self.assertTrue(pledge.assess_date)
        self.assertIn("Pledge assessed.", self._messages(pledge))
        # Closed: the result stays as assessed.
        with self.assertRaises(UserError):
            pledge.with_user(self.user_manager_a).write({"result": "not_achieved"})
        with self.assertRaises(UserError):
            pledge.with_user(self.user_manager_a).write(
                {"result_note": "Sửa sau khi đóng"}
            )
        self.env.invalidate_all()
        self.assertEqual(pledge.result, "achieved")

    def test_assess_needs_approved_pledge(self):
        pledge = self._submitted()
        with self.assertRaises(UserError):
            pledge.with_user(self.user_manager_a).action_assess()
        self.assertEqual(pledge.state, "submitted")

    # Reset to draft ----------------------------------------------------------------

    def _reason_wizard(self, user, action, reason):
        return (
            self.env["union.reason.wizard"]
            .with_user(user)
            .with_context(**action["context"])
            .create({"reason": reason})
        )

    def test_reset_to_draft_asks_for_reason(self):
        pledge = self._approved()
        action = pledge.with_user(self.user_manager_a).action_reset_to_draft()
        self.assertEqual(action["res_model"], "union.reason.wizard")
        self.assertEqual(action["target"], "new")
        self.assertEqual(action["context"]["default_res_ids"], pledge.ids)
        self.assertEqual(action["context"]["default_method"], "action_reset_to_draft")
        self.env.invalidate_all()
        self.assertEqual(pledge.state, "approved")
        self.assertEqual(pledge.approve_user_id, self.user_manager_a)

        # A blank reason is no reason.
        with self.assertRaises(UserError):
            self._reason_wizard(self.user_manager_a, action, "   ").action_confirm()
        self.assertEqual(pledge.state, "approved")

        reason = "Sản phẩm cam kết chưa cụ thể, đề nghị bổ sung"
        self._reason_wizard(self.user_manager_a, action, reason).action_confirm()
        self.assertEqual(pledge.state, "draft")
        self.assertFalse(pledge.approve_user_id)
        self.assertFalse(pledge.approve_date)
        last = pledge.with_user(self.user_manager_a).message_ids[0].body
        self.assertIn("Pledge returned to draft.", last)
        self.assertIn(reason, last)

        # Editable again, and it goes round once more.
        pledge.line_ids[0].with_user(self.user_member_a1).write(
            {"commitment": "Sản phẩm đã bổ sung"}
        )
        pledge.with_user(self.user_member_a1).action_submit()
        self.assertEqual(pledge.submit_user_id, self.user_member_a1)
        pledge.with_user(self.user_manager_a).action_approve()
        self.assertEqual(pledge.state, "approved")

    def test_reset_right_role_and_scope(self):
        pledge = self._approved()
        action = {
            "context": {
                "default_res_model": "union.pledge",
                "default_res_ids": pledge.ids,
                "default_method": "action_reset_to_draft",
            }
        }
        # An officer cannot reopen an approved pledge, nor can another
        # district's leader.
        for user in (self.user_officer_a, self.user_manager_b, self.user_member_a1):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    pledge.with_user(user).action_reset_to_draft()
                with self.assertRaises(AccessError):
                    self._reason_wizard(user, action, "Lý do").action_confirm()
        self.env.invalidate_all()
        self.assertEqual(pledge.state, "approved")

        # The reason wizard calls nothing but the reason methods.
        other_method = {
            "context": dict(action["context"], default_method="action_assess")
        }
        with self.assertRaises(UserError):
            self._reason_wizard(
                self.user_manager_a, other_method, "Đóng luôn"
            ).action_confirm()
        self.assertEqual(pledge.state, "approved")

        # A submitted pledge is returned by the officer of its scope.
        submitted = self._submitted(self.member_a2)
        with self.assertRaises(AccessError):
            submitted.with_user(self.user_officer_b).action_reset_to_draft(
                reason="Không thuộc phạm vi"
            )
        submitted.with_user(self.user_officer_a).action_reset_to_draft(
            reason="Cần viết rõ sản phẩm"
        )
        self.assertEqual(submitted.state, "draft")
        self.assertIn(
            "Cần viết rõ sản phẩm",
            submitted.with_user(self.user_officer_a).message_ids[0].body,
        )

    def test_reset_draft_refused(self):
        pledge = self._pledge(self.member_a1)
        with self.assertRaises(UserError):
            pledge.with_user(self.user_manager_a).action_reset_to_draft(
                reason="Không có gì để trả lại"
            )
        self.assertEqual(pledge.state, "draft")

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .emulation_common import EmulationCase


@tagged("post_install", "-at_install")
class TestExemplar(EmulationCase):
    """Exemplary models: proposed by an organisation, recognised by a leader,
    published on the propaganda channels."""

    def test_recognized_by_manager_only(self):
        exemplar = self.make_exemplar(
            self.grassroots_a,
            "Gương sáng Nguyễn Văn An",
            recognized=False,
            members=self.member_a1,
        )
        self.assertEqual(exemplar.state, "proposed")
        with self.assertRaises(AccessError):
            exemplar.with_user(self.user_officer_a).action_recognize()
        with self.assertRaises(AccessError):
            exemplar.with_user(self.user_manager_b).action_recognize()
        with self.assertRaises(AccessError):
            exemplar.with_user(self.user_member_a1).action_recognize()
        self.assertEqual(exemplar.state, "proposed")

        exemplar.with_user(self.user_manager_a).action_recognize()
        self.assertEqual(exemplar.state, "recognized")
        self.assertEqual(exemplar.recognize_user_id, self.user_manager_a)
        with self.assertRaises(UserError):
            exemplar.with_user(self.user_manager_a).action_recognize()

    def test_state_only_through_workflow(self):
        exemplar = self.make_exemplar(
            self.grassroots_a, "Mô hình Dân vận khéo", recognized=False
        )
        with self.assertRaises(UserError):
            exemplar.with_user(self.user_manager_a).write({"state": "recognized"})
        with self.assertRaises(UserError):
            self.env["union.exemplar"].with_user(self.user_manager_a).create(
                {
                    "name": "Tự công nhận",
                    "organization_id": self.grassroots_a.id,
                    "state": "recognized",
                }
            )
        self.assertEqual(exemplar.state, "proposed")

    def test_withdraw_recognition_with_reason(self):
        exemplar = self.make_exemplar(self.grassroots_a, "Mô hình Văn phòng xanh")
        with self.assertRaises(UserError):
            exemplar.with_user(self.user_officer_a).write({"name": "Đổi tên"})
        action = exemplar.with_user(self.user_manager_a).action_reset_to_proposed()
        self.assertEqual(exemplar.state, "recognized")
        self.confirm_reason(action, self.user_manager_a, "Phát hiện vi phạm")
        self.assertEqual(exemplar.state, "proposed")
        self.assertFalse(exemplar.recognize_user_id)
        self.assertIn(
            "Phát hiện vi phạm", self.messages_text(exemplar, self.user_manager_a)
        )

    def test_members_from_the_proposing_organization(self):
        with self.assertRaises(UserError):
            self.make_exemplar(
                self.sub_unit_a,
                "Gương sáng sai đơn vị",
                recognized=False,
                members=self.member_a1,
            )
        exemplar = self.make_exemplar(
            self.grassroots_a,
            "Gương sáng cả đơn vị",
            recognized=False,
            members=self.member_a1 | self.member_a2,
        )
        self.assertEqual(
            exemplar.member_ids,
            self.member_a1 | self.member_a2,
            "the sub-unit's members belong to the grassroots union",
        )

    def test_publications(self):
        exemplar = self.make_exemplar(
            self.grassroots_a, "Gương sáng Nguyễn Văn An", members=self.member_a1
        )
        exemplar.with_user(self.user_officer_a).write(
            {
                "publication_ids": [
                    Command.create(
                        {
                            "channel": "newspaper",
                            "date": date(self.YEAR, 6, 1),
                            "title": "Người tốt việc tốt ở trường THPT A",
                            "url": "https://baobackan.vn/nguoi-tot-viec-tot",
                        }
                    ),
                    Command.create(
                        {
                            "channel": "zalo",
                            "date": date(self.YEAR, 6, 2),
                            "title": "Chia sẻ trên Zalo",
                        }
                    ),
                ]
            }
        )
        self.assertEqual(exemplar.publication_count, 2)
        self.assertEqual(
            set(exemplar.publication_ids.mapped("channel")), {"newspaper", "zalo"}
        )
        self.assertEqual(exemplar.publication_ids.organization_id, self.grassroots_a)
        self.env["union.exemplar.publication"].with_user(self.user_officer_a).create(
            {
                "exemplar_id": exemplar.id,
                "channel": "facebook",
                "title": "Trang Facebook LĐLĐ",
                "url": "https://facebook.com/ldld",
            }
        )
        self.assertEqual(exemplar.publication_count, 3)
        with self.assertRaises(AccessError):
            self.env["union.exemplar.publication"].with_user(
                self.user_officer_b
            ).create(
                {
                    "exemplar_id": exemplar.id,
                    "channel": "website",
                    "title": "Không được phép",
                }
            )

    def test_member_reads_only_recognized_exemplars(self):
        recognized = self.make_exemplar(self.grassroots_a, "Mô hình đã công nhận")
        self.env["union.exemplar.publication"].with_user(self.user_officer_a).create(
            {
                "exemplar_id": recognized.id,
                "channel": "website",
                "title": "Bài viết trên website",
            }
        )
        proposed = self.make_exemplar(
            self.grassroots_a, "Mô hình đang đề xuất", recognized=False
        )
        self.env["union.exemplar.publication"].with_user(self.user_officer_a).create(
            {"exemplar_id": proposed.id, "channel": "website", "title": "Bản nháp"}
        )
        recognized_b = self.make_exemplar(self.grassroots_b, "Mô hình huyện B")

        Exemplar = self.env["union.exemplar"].with_user(self.user_member_a1)
        visible = Exemplar.search([])
        self.assertIn(recognized, visible)
        self.assertIn(
            recognized_b,
            visible,
            "recognised exemplars are there for every member to follow",
        )
        self.assertNotIn(proposed, visible)
        self.assertTrue(all(state == "recognized" for state in visible.mapped("state")))
        with self.assertRaises(AccessError):
            proposed.with_user(self.user_member_a1).read(["name"])
        self.assertEqual(
            self.env["union.exemplar.publication"]
            .with_user(self.user_member_a1)
            .search([("exemplar_id", "in", (recognized | proposed).ids)]),
            recognized.publication_ids,
        )
        with self.assertRaises(AccessError):
            self.env["union.exemplar.publication"].with_user(
                self.user_member_a1
            ).create(
                {
                    "exemplar_id": recognized.id,
                    "channel": "facebook",
                    "title": "Thành viên tự đăng",
                }
            )


@tagged("post_install", "-at_install")
class TestCommendation(EmulationCase):
    """Commendation proposals: submitted, then approved with the decision or
    rejected with a reason; recipients locked once submitted."""

    def test_workflow_with_decision(self):
        commendation = self.make_commendation(
            self.grassroots_a, [self.member_a1, self.grassroots_a], state="draft"
        )
        self.assertEqual(commendation.recipient_count, 2)
        commendation.with_user(self.user_officer_a).action_submit()
        self.assertEqual(commendation.state, "submitted")

        manager = self.user_manager_a
        with self.assertRaises(UserError) as caught:
            commendation.with_user(manager).action_approve()
        self.assertIn("decision number and date", str(caught.exception))
        self.assertEqual(commendation.state, "submitted")

        commendation.with_user(manager).write({"decision_number": "125/QĐ-LĐLĐ"})
        with self.assertRaises(UserError):
            commendation.with_user(manager).action_approve()
        self.assertEqual(commendation.state, "submitted")

        commendation.with_user(manager).write(
            {"decision_number": "  ", "decision_date": date(self.YEAR, 12, 1)}
        )
        with self.assertRaises(UserError):
            commendation.with_user(manager).action_approve()
        self.assertEqual(commendation.state, "submitted")

        commendation.with_user(manager).write({"decision_number": "125/QĐ-LĐLĐ"})
        commendation.with_user(manager).action_approve()
        self.assertEqual(commendation.state, "approved")
        self.assertEqual(commendation.approve_user_id, manager)
        with self.assertRaises(UserError):
            commendation.with_user(manager).write({"decision_number": "999/QĐ-LĐLĐ"})

    def test_approval_rights(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="submitted"
        )
        commendation.with_user(self.user_manager_a).write(
            {"decision_number": "7/QĐ", "decision_date": date(self.YEAR, 12, 1)}
        )
        with self.assertRaises(AccessError):
            commendation.with_user(self.user_officer_a).action_approve()
        with self.assertRaises(AccessError):
            commendation.with_user(self.user_manager_b).action_approve()
        with self.assertRaises(AccessError):
            commendation.with_user(self.user_member_a1).action_approve()
        self.assertEqual(commendation.state, "submitted")
        with self.assertRaises(AccessError):
            self.env["union.commendation"].with_user(self.user_officer_b).create(
                {
                    "name": "Đề xuất ngoài phạm vi",
                    "organization_id": self.grassroots_a.id,
                    "year": self.YEAR,
                }
            )

    def test_submit_needs_recipients(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.env["union.member"], state="draft"
        )
        with self.assertRaises(UserError):
            commendation.with_user(self.user_officer_a).action_submit()
        self.assertEqual(commendation.state, "draft")

    def test_reject_requires_reason(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="submitted"
        )
        with self.assertRaises(AccessError):
            commendation.with_user(self.user_officer_a).action_reject(
                reason="Không đủ điều kiện"
            )
        action = commendation.with_user(self.user_manager_a).action_reject()
        self.assertEqual(action["res_model"], "union.reason.wizard")
        self.assertEqual(action["context"]["default_method"], "action_reject")
        self.assertEqual(
            commendation.state,
            "submitted",
            "nothing changes before the reason is given",
        )

        blank = (
            self.env["union.reason.wizard"]
            .with_user(self.user_manager_a)
            .with_context(**action["context"])
            .create({"reason": "   "})
        )
        with self.assertRaises(UserError):
            blank.action_confirm()
        self.assertEqual(commendation.state, "submitted")

        self.confirm_reason(
            action, self.user_manager_a, "Thành tích chưa đủ tiêu chuẩn Giấy khen"
        )
        self.assertEqual(commendation.state, "rejected")
        self.assertEqual(
            commendation.reject_reason, "Thành tích chưa đủ tiêu chuẩn Giấy khen"
        )
        self.assertIn(
            "Thành tích chưa đủ tiêu chuẩn Giấy khen",
            self.messages_text(commendation, self.user_manager_a),
        )

    def test_reason_wizard_checks_the_user_rights(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="submitted"
        )
        action = commendation.with_user(self.user_manager_a).action_reject()
        with self.assertRaises(AccessError):
            self.confirm_reason(action, self.user_manager_b, "Từ chối hộ")
        self.assertEqual(commendation.state, "submitted")

    def test_reject_reason_not_writable(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="draft"
        )
        with self.assertRaises(UserError):
            commendation.with_user(self.user_manager_a).write(
                {"reject_reason": "Ghi trực tiếp"}
            )

    def test_recipients_locked_once_submitted(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="draft"
        )
        # In draft the recipients can still change.
        commendation.with_user(self.user_officer_a).write(
            {"line_ids": [Command.create({"member_id": self.member_a2.id})]}
        )
        self.assertEqual(commendation.recipient_count, 2)
        commendation.with_user(self.user_officer_a).action_submit()
        Line = self.env["union.commendation.line"].with_user(self.user_officer_a)
        with self.assertRaises(UserError):
            Line.create(
                {
                    "commendation_id": commendation.id,
                    "recipient_organization_id": self.grassroots_a.id,
                }
            )
        with self.assertRaises(UserError):
            commendation.line_ids[0].with_user(self.user_officer_a).write(
                {"achievement": "Đổi thành tích"}
            )
        with self.assertRaises(UserError):
            commendation.line_ids[0].with_user(self.user_officer_a).unlink()
        with self.assertRaises(UserError):
            commendation.with_user(self.user_officer_a).write(
                {"line_ids": [Command.create({"member_id": self.member_a2.id})]}
            )
        self.assertEqual(len(commendation.line_ids), 2)

    def test_recipient_is_member_or_organization(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="draft"
        )
        Line = self.env["union.commendation.line"].with_user(self.user_officer_a)
        with self.assertRaises(ValidationError):
            Line.create(
                {
                    "commendation_id": commendation.id,
                    "member_id": self.member_a2.id,
                    "recipient_organization_id": self.grassroots_a.id,
                }
            )
        with self.assertRaises(ValidationError):
            Line.create(
                {"commendation_id": commendation.id, "achievement": "Không rõ ai"}
            )
        Line.create(
            {
                "commendation_id": commendation.id,
                "recipient_organization_id": self.sub_unit_a.id,
            }
        )
        self.assertEqual(commendation.recipient_count, 2)

    def test_recipient_of_other_organization_refused(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="draft"
        )
        with self.assertRaises(UserError):
            self.env["union.commendation.line"].with_user(self.user_officer_a).create(
                {"commendation_id": commendation.id, "member_id": self.member_b1.id}
            )
        self.assertEqual(commendation.line_ids.member_id, self.member_a1)

    def test_commendation_for_an_exemplar(self):
        exemplar = self.make_exemplar(
            self.grassroots_a, "Gương sáng Nguyễn Văn An", members=self.member_a1
        )
        action = exemplar.with_user(self.user_officer_a).action_open_commendation()
        commendation = (
            self.env["union.commendation"]
            .with_user(self.user_officer_a)
            .with_context(**action["context"])
            .create({"form": "certificate_of_merit", "issuer_level": "provincial"})
        )
        self.assertEqual(commendation.exemplar_id, exemplar)
        self.assertEqual(commendation.organization_id, self.grassroots_a)
        self.assertEqual(commendation.line_ids.member_id, self.member_a1)
        self.assertEqual(exemplar.commendation_ids, commendation)

    def test_member_reads_only_approved_commendations(self):
        approved = self.make_commendation(self.grassroots_a, self.member_a2)
        approved_b = self.make_commendation(self.grassroots_b, self.member_b1)
        draft = self.make_commendation(self.grassroots_a, self.member_a1, state="draft")
        submitted = self.make_commendation(
            self.grassroots_a, self.member_a1, state="submitted"
        )
        rejected = self.make_commendation(
            self.grassroots_a, self.member_a1, state="rejected"
        )

        Commendation = self.env["union.commendation"].with_user(self.user_member_a1)
        visible = Commendation.search([])
        self.assertIn(approved, visible)
        self.assertIn(approved_b, visible)
        self.assertTrue(all(state == "approved" for state in visible.mapped("state")))
        for hidden in (draft, submitted, rejected):
            self.assertNotIn(hidden, visible)
            with self.assertRaises(AccessError):
                hidden.with_user(self.user_member_a1).read(["name"])
        lines = (
            self.env["union.commendation.line"]
            .with_user(self.user_member_a1)
            .search([])
        )
        self.assertTrue(all(state == "approved" for state in lines.mapped("state")))
        self.assertIn(approved.line_ids, lines)
        self.assertNotIn(draft.line_ids, lines)

    def test_member_commendation_count(self):
        self.make_commendation(self.grassroots_a, self.member_a1 | self.member_a2)
        self.make_commendation(
            self.grassroots_a, [self.member_a1, self.grassroots_a], name="Bằng khen"
        )
        self.make_commendation(self.grassroots_a, self.member_a1, state="draft")
        self.make_commendation(self.grassroots_a, self.member_a1, state="submitted")
        self.make_commendation(self.grassroots_a, self.member_a1, state="rejected")
        member_a1 = self.member_a1.with_user(self.user_officer_a)
        self.assertEqual(member_a1.commendation_count, 2)
        self.assertEqual(
            self.member_a2.with_user(self.user_officer_a).commendation_count, 1
        )
        self.assertEqual(
            self.member_b1.with_user(self.user_officer_b).commendation_count, 0
        )
        # The member sees the same count on their own record.
        self.assertEqual(
            self.member_a1.with_user(self.user_member_a1).commendation_count, 2
        )

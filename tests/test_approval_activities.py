"""Issue 9.2: approvers are told. A submission schedules one "to approve"
activity for the managers entitled to decide it; the decision marks it done,
a return tells the submitter why, a withdrawal cancels it."""

from datetime import date

from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import MANAGER
from .emulation_common import EmulationCase

APPROVAL = "trade_union_emulation.mail_activity_type_approval"


@tagged("post_install", "-at_install")
class TestApprovalActivities(EmulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.approval_type = cls.env.ref(APPROVAL)

    def open_activities(self, records):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", self.approval_type.id),
            ]
        )

    def done_messages(self, record):
        return record.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.approval_type
        )

    def submitted_pledge(self, member, user):
        pledge = self.make_pledge(member, "draft")
        pledge.with_user(user).action_submit()
        return pledge

    # Pledges -------------------------------------------------------------------------

    def test_pledge_submitted_tells_the_nearest_managers(self):
        pledge = self.submitted_pledge(self.member_a1, self.user_member_a1)
        activities = self.open_activities(pledge)
        # District A's leader covers the grassroots union; the province's is further up.
        self.assertEqual(activities.user_id, self.user_manager_a)
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.res_model, "union.pledge")
        # The approver sees it among their own activities.
        self.assertEqual(
            self.env["mail.activity"]
            .with_user(self.user_manager_a)
            .search([("id", "in", activities.ids)]),
            activities,
        )
        # Asking again makes no second one.
        pledge._request_approval()
        self.assertEqual(self.open_activities(pledge), activities)

        pledge.with_user(self.user_manager_a).action_approve()
        self.assertFalse(self.open_activities(pledge))
        self.assertEqual(len(self.done_messages(pledge)), 1, "marked done")

    def test_nearest_level_with_several_leaders(self):
        second = new_test_user(
            self.env,
            login="t_manager_a_bis",
            groups=f"base.group_user,{MANAGER}",
            union_organization_ids=[Command.set(self.district_a.ids)],
        )
        grassroots_leader = new_test_user(
            self.env,
            login="t_manager_grassroots_b",
            groups=f"base.group_user,{MANAGER}",
            union_organization_ids=[Command.set(self.grassroots_b.ids)],
        )
        pledge_a = self.submitted_pledge(self.member_a2, self.user_officer_a)
        self.assertEqual(
            self.open_activities(pledge_a).user_id, self.user_manager_a | second
        )
        # In union B the grassroots union's own leader is the nearest.
        pledge_b = self.submitted_pledge(self.member_b1, self.user_member_b1)
        self.assertEqual(self.open_activities(pledge_b).user_id, grassroots_leader)
        # One decision closes the activities of both leaders.
        pledge_a.with_user(second).action_approve()
        self.assertFalse(self.open_activities(pledge_a))

    def test_never_the_submitter_nor_the_member_themself(self):
        leader = self.make_member("Hoàng Thị Lãnh", self.grassroots_a, "T-L01")
        leader.user_id = self.user_manager_a
        pledge = self.make_pledge(leader, "draft")
        pledge.with_user(self.user_manager_a).action_submit()
        # The district's only leader is the member: the province decides.
        self.assertEqual(
            self.open_activities(pledge).user_id, self.user_manager_province
        )

    def test_return_tells_the_submitter_why(self):
        pledge = self.submitted_pledge(self.member_a1, self.user_member_a1)
        action = pledge.with_user(self.user_manager_a).action_reset_to_draft()
        self.assertTrue(self.open_activities(pledge), "not before the reason")
        self.confirm_reason(action, self.user_manager_a, "Ghi rõ sản phẩm cụ thể")
        self.assertEqual(pledge.state, "draft")
        self.assertFalse(self.open_activities(pledge))
        self.assertEqual(len(self.done_messages(pledge)), 1)
        returned = pledge.message_ids.filtered(
            lambda m: "Ghi rõ sản phẩm cụ thể" in (m.body or "")
            and not m.mail_activity_type_id
        )
        self.assertEqual(len(returned), 1)
        self.assertIn(self.user_member_a1.partner_id, returned.partner_ids)
        self.assertIn(
            self.user_member_a1.partner_id,
            returned.notification_ids.res_partner_id,
            "the submitter is notified",
        )
        # She reads it on her pledge.
        self.assertIn(
            "Ghi rõ sản phẩm cụ thể",
            self.messages_text(pledge, self.user_member_a1),
        )

    def test_withdrawal_cancels(self):
        pledge = self.submitted_pledge(self.member_a2, self.user_officer_a)
        self.assertTrue(self.open_activities(pledge))
        pledge.with_user(self.user_officer_a).action_reset_to_draft(
            reason="Nộp nhầm, bổ sung sau"
        )
        self.assertFalse(self.open_activities(pledge))
        self.assertFalse(self.done_messages(pledge), "cancelled, not done")
        # Submitted again, the leader is told again.
        pledge.with_user(self.user_officer_a).action_submit()
        self.assertEqual(self.open_activities(pledge).user_id, self.user_manager_a)

    def test_setting_turns_them_off(self):
        settings = self.env["res.config.settings"].with_user(self.user_system_admin)
        settings.create({"union_approval_activity_pledge": False}).execute()
        self.assertFalse(
            settings.create({}).union_approval_activity_pledge,
            "the unticked box stays unticked",
        )
        self.assertTrue(settings.create({}).union_approval_activity_annual_report)
        pledge = self.submitted_pledge(self.member_a1, self.user_member_a1)
        self.assertFalse(self.open_activities(pledge))
        evaluation = self.make_evaluation(self.member_a1, 60, state="submitted")
        self.assertEqual(
            self.open_activities(evaluation).user_id,
            self.user_manager_a,
            "only the pledges' activities are off",
        )
        settings.create({"union_approval_activity_pledge": True}).execute()
        other = self.submitted_pledge(self.member_a2, self.user_officer_a)
        self.assertTrue(self.open_activities(other))

    # The other documents ------------------------------------------------------------

    def test_member_evaluation(self):
        evaluation = self.make_evaluation(self.member_a2, 60, state="submitted")
        self.assertEqual(self.open_activities(evaluation).user_id, self.user_manager_a)
        evaluation.with_user(self.user_manager_a).action_approve()
        self.assertFalse(self.open_activities(evaluation))
        self.assertTrue(self.done_messages(evaluation))

    def test_organization_evaluation_from_strictly_above(self):
        district = (
            self.env["union.organization.evaluation"]
            .with_user(self.user_officer_a)
            .create(
                {
                    "organization_id": self.district_a.id,
                    "year": self.YEAR,
                    "rating": "good",
                }
            )
        )
        district.action_submit()
        self.assertEqual(
            self.open_activities(district).user_id,
            self.user_manager_province,
            "the district's own leader does not decide its rating",
        )
        grassroots = (
            self.env["union.organization.evaluation"]
            .with_user(self.user_officer_a)
            .create(
                {
                    "organization_id": self.grassroots_a.id,
                    "year": self.YEAR,
                    "rating": "good",
                }
            )
        )
        grassroots.action_submit()
        self.assertEqual(self.open_activities(grassroots).user_id, self.user_manager_a)
        district.with_user(self.user_manager_province).action_approve()
        self.assertFalse(self.open_activities(district))

    def test_annual_report_from_strictly_above(self):
        report = (
            self.env["union.annual.report"]
            .with_user(self.user_officer_a)
            .create(
                {
                    "organization_id": self.district_a.id,
                    "year": self.YEAR,
                    "results": "<p>Hoàn thành kế hoạch.</p>",
                }
            )
        )
        report.action_submit()
        self.assertEqual(
            self.open_activities(report).user_id, self.user_manager_province
        )
        action = report.with_user(self.user_manager_province).action_reset_to_draft()
        self.confirm_reason(action, self.user_manager_province, "Bổ sung số liệu")
        self.assertFalse(self.open_activities(report))
        returned = report.message_ids.filtered(
            lambda m: "Bổ sung số liệu" in (m.body or "")
            and not m.mail_activity_type_id
        )
        self.assertIn(self.user_officer_a.partner_id, returned.partner_ids)
        report.with_user(self.user_officer_a).action_submit()
        report.with_user(self.user_manager_province).action_accept()
        self.assertFalse(self.open_activities(report))
        self.assertEqual(len(self.done_messages(report)), 2)

    def test_exemplar_proposed_and_recognised(self):
        exemplar = self.make_exemplar(
            self.grassroots_a, "Mô hình mới", recognized=False
        )
        self.assertEqual(self.open_activities(exemplar).user_id, self.user_manager_a)
        exemplar.with_user(self.user_manager_a).action_recognize()
        self.assertFalse(self.open_activities(exemplar))
        self.assertTrue(self.done_messages(exemplar))

    def test_commendation_rejected_tells_the_submitter(self):
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="submitted"
        )
        self.assertEqual(
            self.open_activities(commendation).user_id, self.user_manager_a
        )
        commendation.with_user(self.user_manager_a).action_reject(
            reason="Chưa đủ thành tích"
        )
        self.assertFalse(self.open_activities(commendation))
        rejected = commendation.message_ids.filtered(
            lambda m: "Chưa đủ thành tích" in (m.body or "")
            and not m.mail_activity_type_id
        )
        self.assertIn(self.user_officer_a.partner_id, rejected.partner_ids)
        other = self.make_commendation(self.grassroots_a, self.member_a2, state="draft")
        other.with_user(self.user_officer_a).action_submit()
        other.with_user(self.user_manager_a).write(
            {"decision_number": "9/QĐ", "decision_date": date(self.YEAR, 12, 1)}
        )
        other.with_user(self.user_manager_a).action_approve()
        self.assertFalse(self.open_activities(other))

    def test_one_batch_of_activities(self):
        """A batch of submissions is one create of activities, whatever its size."""
        pledges = self.env["union.pledge"]
        for index in range(5):
            member = self.make_member(
                f"Đoàn viên {index}", self.grassroots_a, f"T-B{index}"
            )
            pledges |= self.fill_pledge(self.make_pledge(member, "draft"))
        pledges.with_user(self.user_officer_a).action_submit()
        activities = self.open_activities(pledges)
        self.assertEqual(len(activities), 5)
        self.assertEqual(set(activities.mapped("res_id")), set(pledges.ids))
        self.assertEqual(activities.user_id, self.user_manager_a)

    def test_demo_approvers_are_told(self):
        """The demo documents loaded as submitted wait for a decision: each of
        them, not only the first of its kind, has its approvers' activities."""
        checked = 0
        for model in (
            "union.pledge",
            "union.member.evaluation",
            "union.organization.evaluation",
            "union.exemplar",
            "union.commendation",
            "union.annual.report",
        ):
            Model = self.env[model]
            records = Model.search([("state", "in", list(Model._awaiting_states()))])
            xmlids = records.get_external_id()
            records = records.filtered(
                lambda rec, xmlids=xmlids: xmlids[rec.id].startswith(
                    "trade_union_emulation."
                )
            )
            approvers = records._approvers()
            activities = self.open_activities(records)
            for record in records:
                expected = approvers.get(record.id, self.env["res.users"])
                mine = activities.filtered(lambda act, rec=record: act.res_id == rec.id)
                self.assertEqual(
                    mine.user_id, expected, f"{record.display_name} ({model})"
                )
                checked += bool(expected)
        self.assertGreater(checked, 10, "the demo holds submissions to decide")

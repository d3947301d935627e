from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import OFFICER
from .emulation_common import EmulationCase


@tagged("post_install", "-at_install")
class TestInspection(EmulationCase):
    """Inspection and supervision of an organisation by the one above it, and
    the follow-up of its recommendations by the inspected officers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref(
            "trade_union_emulation.mail_activity_type_inspection"
        )

    def plan_inspection(self, inspected, inspector, user, **vals):
        return (
            self.env["union.inspection"]
            .with_user(user)
            .create(
                {
                    "name": f"Kiểm tra việc thực hiện Chỉ thị 05 tại {inspected.name}",
                    "kind": "inspection",
                    "organization_id": inspected.id,
                    "inspector_organization_id": inspector.id,
                    "date": date(self.YEAR, 10, 1),
                    "content": "<p>Kiểm tra việc học tập chuyên đề "
                    "và đăng ký làm theo.</p>",
                    **vals,
                }
            )
        )

    def open_activities(self, inspection):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "union.inspection"),
                ("res_id", "=", inspection.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def test_workflow_and_follow_up_activities(self):
        inspection = self.plan_inspection(
            self.district_a, self.province, self.user_manager_province
        )
        manager = inspection.with_user(self.user_manager_province)
        self.assertEqual(inspection.state, "planned")
        manager.action_start()
        self.assertEqual(inspection.state, "in_progress")

        # Recommendations and their deadline are required to follow up.
        with self.assertRaises(UserError):
            manager.action_follow_up()
        manager.write(
            {
                "findings": "<p>Chưa lưu hồ sơ đăng ký.</p>",
                "recommendations": "<p>Bổ sung hồ sơ đăng ký làm theo.</p>",
            }
        )
        with self.assertRaises(UserError):
            manager.action_follow_up()
        self.assertEqual(inspection.state, "in_progress")
        self.assertFalse(self.open_activities(inspection))

        manager.write({"deadline": date(self.YEAR, 12, 31)})
        manager.action_follow_up()
        self.assertEqual(inspection.state, "follow_up")
        activities = self.open_activities(inspection)
        self.assertEqual(
            activities.user_id,
            self.user_officer_a | self.user_manager_a,
            "the inspected district's officers",
        )
        self.assertEqual(
            set(activities.mapped("date_deadline")), {date(self.YEAR, 12, 31)}
        )

        # The inspected officers see their activity on a record they can read.
        self.assertEqual(
            self.env["mail.activity"]
            .with_user(self.user_officer_a)
            .search(
                [("id", "in", activities.ids), ("user_id", "=", self.user_officer_a.id)]
            ),
            activities.filtered(lambda a: a.user_id == self.user_officer_a),
        )
        self.assertTrue(inspection.with_user(self.user_officer_a).recommendations)

        manager.action_close()
        self.assertEqual(inspection.state, "closed")
        self.assertEqual(inspection.close_user_id, self.user_manager_province)
        self.assertFalse(
            self.open_activities(inspection),
            "closing marks the follow-up activities done",
        )
        done = inspection.message_ids.filtered(
            lambda m: m.mail_activity_type_id == self.activity_type
        )
        self.assertEqual(
            len(done), 2, "one done activity per officer, kept in the chatter"
        )
        with self.assertRaises(UserError):
            manager.write({"findings": "<p>Sửa sau khi đóng</p>"})

    def test_activity_for_direct_officers_first(self):
        officer_ga = new_test_user(
            self.env,
            login="t_officer_ga",
            groups=f"base.group_user,{OFFICER}",
            union_organization_ids=[Command.set(self.grassroots_a.ids)],
        )
        inspection = self.plan_inspection(
            self.grassroots_a,
            self.district_a,
            self.user_officer_a,
            recommendations="<p>Tổ chức sinh hoạt chuyên đề.</p>",
            deadline=date(self.YEAR, 11, 30),
        )
        inspection.action_start()
        inspection.action_follow_up()
        self.assertEqual(self.open_activities(inspection).user_id, officer_ga)

    def test_activity_for_nearest_ancestor_officers(self):
        """The sub-unit and its grassroots union have no officer user: the
        district's officers get it."""
        inspection = self.plan_inspection(
            self.sub_unit_a,
            self.district_a,
            self.user_officer_a,
            recommendations="<p>Lập danh sách đăng ký.</p>",
            deadline=date(self.YEAR, 11, 30),
        )
        inspection.action_start()
        inspection.action_follow_up()
        self.assertEqual(
            self.open_activities(inspection).user_id,
            self.user_officer_a | self.user_manager_a,
        )

    def test_only_inspecting_manager_closes(self):
        inspection = self.plan_inspection(
            self.district_a,
            self.province,
            self.user_manager_province,
            recommendations="<p>Khắc phục.</p>",
            deadline=date(self.YEAR, 12, 31),
        )
        inspection.with_user(self.user_manager_province).action_start()
        inspection.with_user(self.user_manager_province).action_follow_up()
        # The inspected district's leader cannot close the recommendations
        # addressed to it.
        with self.assertRaises(AccessError):
            inspection.with_user(self.user_manager_a).action_close()
        with self.assertRaises(AccessError):
            inspection.with_user(self.user_officer_a).action_close()
        self.assertEqual(inspection.state, "follow_up")
        self.assertEqual(len(self.open_activities(inspection)), 2)

    def test_officer_of_inspecting_side_cannot_close(self):
        inspection = self.plan_inspection(
            self.grassroots_a, self.district_a, self.user_officer_a
        )
        inspection.action_start()
        with self.assertRaises(AccessError):
            inspection.action_close()
        inspection.with_user(self.user_manager_a).action_close()
        self.assertEqual(inspection.state, "closed")
        with self.assertRaises(AccessError):
            inspection.with_user(self.user_officer_a).action_reopen()
        inspection.with_user(self.user_manager_a).action_reopen()
        self.assertEqual(inspection.state, "in_progress")

    def test_inspected_side_reads_but_cannot_write(self):
        inspection = self.plan_inspection(
            self.district_a, self.province, self.user_manager_province
        )
        as_inspected = inspection.with_user(self.user_officer_a)
        self.assertEqual(as_inspected.name, inspection.name)
        self.assertIn(
            inspection,
            self.env["union.inspection"].with_user(self.user_manager_a).search([]),
        )
        with self.assertRaises(AccessError):
            as_inspected.write({"findings": "<p>Tự sửa kết luận</p>"})
        with self.assertRaises(AccessError):
            as_inspected.action_start()
        with self.assertRaises(AccessError):
            inspection.with_user(self.user_manager_a).unlink()
        self.assertEqual(inspection.state, "planned")

    def test_unrelated_district_cannot_read(self):
        inspection = self.plan_inspection(
            self.grassroots_a, self.district_a, self.user_officer_a
        )
        with self.assertRaises(AccessError):
            inspection.with_user(self.user_officer_b).read(["name"])
        self.assertNotIn(
            inspection,
            self.env["union.inspection"].with_user(self.user_manager_b).search([]),
        )
        with self.assertRaises(AccessError):
            self.env["union.inspection"].with_user(self.user_member_a1).search([])

    def test_state_only_through_workflow(self):
        inspection = self.plan_inspection(
            self.grassroots_a, self.district_a, self.user_officer_a
        )
        with self.assertRaises(UserError):
            inspection.write({"state": "closed"})
        self.assertEqual(inspection.state, "planned")

    def test_organizations_and_dates(self):
        with self.assertRaises(ValidationError):
            self.plan_inspection(self.district_a, self.district_a, self.user_officer_a)
        # An organisation inspects those below it, not its parent nor a sibling.
        with self.assertRaises(ValidationError):
            self.plan_inspection(
                self.province, self.district_a, self.user_manager_province
            )
        with self.assertRaises(ValidationError):
            self.plan_inspection(
                self.grassroots_b, self.district_a, self.user_manager_province
            )
        with self.assertRaises(ValidationError):
            self.plan_inspection(
                self.grassroots_a,
                self.district_a,
                self.user_officer_a,
                deadline=date(self.YEAR, 1, 1),
            )

from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import UnionCase


@tagged("post_install", "-at_install")
class TestOrganization(UnionCase):
    """The organisation tree: its constraints, its computed figures, deletion."""

    def _org(self, user, **vals):
        return self.env["union.organization"].with_user(user).create(vals)

    def test_recursion_refused(self):
        district_a = self.district_a.with_user(self.user_admin)
        path_before = self.district_a.parent_path
        for new_parent in (self.sub_unit_a, self.grassroots_a, self.district_a):
            with (
                self.subTest(parent=new_parent.name),
                self.assertRaises(ValidationError) as cm,
            ):
                district_a.write({"parent_id": new_parent.id})
            self.assertIn(
                "under itself or one of its own sub-organisations", str(cm.exception)
            )
        self.env.invalidate_all()
        self.assertEqual(self.district_a.parent_id, self.province)
        self.assertEqual(self.district_a.parent_path, path_before)
        self.assertEqual(self.sub_unit_a.parent_id, self.grassroots_a)

    def test_child_level_below_parent(self):
        for parent, level in (
            (self.grassroots_a, "grassroots"),
            (self.district_a, "provincial"),
            (self.sub_unit_a, "sub_unit"),
        ):
            with (
                self.subTest(parent=parent.name, level=level),
                self.assertRaises(ValidationError) as cm,
            ):
                self._org(
                    self.user_admin,
                    name="Sai cấp",
                    code=f"T-BAD-{level}",
                    level=level,
                    parent_id=parent.id,
                )
            self.assertIn("must be at a lower level than its parent", str(cm.exception))
        self.assertFalse(
            self.env["union.organization"]
            .with_context(active_test=False)
            .search([("code", "like", "T-BAD-")])
        )
        # Any lower level is fine, even one that skips a level.
        grassroots = self._org(
            self.user_admin,
            name="CĐCS trực thuộc tỉnh",
            code="T-GP",
            level="grassroots",
            parent_id=self.province.id,
        )
        self.assertEqual(grassroots.parent_id, self.province)

    def test_parent_level_change_below_child_refused(self):
        with self.assertRaises(ValidationError) as cm:
            self.grassroots_a.with_user(self.user_admin).write({"level": "sub_unit"})
        self.assertIn(self.sub_unit_a.name, str(cm.exception))
        with self.assertRaises(ValidationError):
            self.district_a.with_user(self.user_admin).write({"level": "grassroots"})
        self.env.invalidate_all()
        self.assertEqual(self.grassroots_a.level, "grassroots")
        self.assertEqual(self.district_a.level, "upper_grassroots")

    def test_level_of_organisation_with_members_stays_member_level(self):
        lone = self._org(
            self.user_admin,
            name="CĐCS Lẻ",
            code="T-LONE",
            level="grassroots",
            parent_id=self.province.id,
        )
        self.env["union.member"].with_user(self.user_admin).create(
            {"name": "Đinh Thị Lẻ", "organization_id": lone.id, "category": "worker"}
        )
        with self.assertRaises(ValidationError) as cm:
            lone.with_user(self.user_admin).write({"level": "upper_grassroots"})
        self.assertIn("has members", str(cm.exception))
        self.env.invalidate_all()
        self.assertEqual(lone.level, "grassroots")

    def test_code_unique(self):
        Org = self.env["union.organization"].with_user(self.user_admin)
        for code in ("T-GA", "  T-GA "):
            with (
                self.subTest(code=code),
                mute_logger("odoo.sql_db"),
                self.assertRaises(IntegrityError),
            ):
                Org.create(
                    {
                        "name": "Trùng mã",
                        "code": code,
                        "level": "grassroots",
                        "parent_id": self.district_b.id,
                    }
                )
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.grassroots_b.with_user(self.user_admin).write({"code": "T-GA"})
            self.grassroots_b.flush_recordset()
        self.assertEqual(Org.search_count([("code", "=", "T-GA")]), 1)
        self.assertEqual(self.grassroots_b.code, "T-GB")
        # The constraint carries a message the client shows instead of the SQL error.
        self.assertIn(
            "union_organization_code_unique", self.env.registry._sql_constraints
        )

    def test_member_count_of_whole_subtree(self):
        Org = self.env["union.organization"].with_user(self.user_officer_b)
        # Head counts are public, like the tree: officer B sees those of district A.
        counts = {
            org.code: org.member_count
            for org in Org.browse(
                [
                    self.province.id,
                    self.district_a.id,
                    self.district_b.id,
                    self.grassroots_a.id,
                    self.sub_unit_a.id,
                ]
            )
        }
        self.assertEqual(
            counts, {"T-PROV": 3, "T-DA": 2, "T-DB": 1, "T-GA": 2, "T-SA": 1}
        )
        self.assertEqual(self.grassroots_a.direct_member_count, 1)

        # Archived members are not counted.
        self.member_a2.with_user(self.user_officer_a).write({"active": False})
        self.env.invalidate_all()
        self.assertEqual(self.district_a.with_user(self.user_officer_a).member_count, 1)
        self.assertEqual(self.sub_unit_a.with_user(self.user_officer_a).member_count, 0)
        self.assertEqual(self.province.with_user(self.user_officer_a).member_count, 2)

    def test_grassroots_id(self):
        self.assertEqual(self.grassroots_a.grassroots_id, self.grassroots_a)
        self.assertEqual(self.sub_unit_a.grassroots_id, self.grassroots_a)
        self.assertFalse(self.district_a.grassroots_id)
        self.assertFalse(self.province.grassroots_id)
        self.assertEqual(self.member_a2.grassroots_id, self.grassroots_a)
        self.assertEqual(self.member_b1.grassroots_id, self.grassroots_b)

    def test_complete_name(self):
        self.assertEqual(
            self.sub_unit_a.complete_name,
            "LĐLĐ tỉnh Thử nghiệm / LĐLĐ huyện A / "
            "CĐCS Trường THPT A / Tổ công đoàn Văn phòng A",
        )
        self.district_a.with_user(self.user_officer_a).write({"name": "LĐLĐ thị xã A"})
        self.assertEqual(
            self.sub_unit_a.complete_name,
            "LĐLĐ tỉnh Thử nghiệm / LĐLĐ thị xã A / "
            "CĐCS Trường THPT A / Tổ công đoàn Văn phòng A",
        )
        self.assertEqual(self.province.complete_name, "LĐLĐ tỉnh Thử nghiệm")

    def test_unlink_with_members_refused(self):
        with self.assertRaises(UserError) as cm:
            self.grassroots_b.with_user(self.user_admin).unlink()
        self.assertIn("cannot be deleted", str(cm.exception))
        self.assertIn("CĐCS Bệnh viện B", str(cm.exception))
        # A parent organisation is refused as well: its sub-organisations refer to it.
        with self.assertRaises(UserError):
            self.district_b.with_user(self.user_admin).unlink()
        self.assertTrue(self.grassroots_b.exists())
        self.assertTrue(self.district_b.exists())
        self.assertEqual(self.member_b1.organization_id, self.grassroots_b)

    def test_unlink_with_history_refused(self):
        """A grassroots union whose members all left still holds their past pledges."""
        old = self._org(
            self.user_admin,
            name="CĐCS Cũ",
            code="T-OLD",
            level="grassroots",
            parent_id=self.district_a.id,
        )
        member = (
            self.env["union.member"]
            .with_user(self.user_officer_a)
            .create(
                {"name": "Phạm Văn Cũ", "organization_id": old.id, "category": "worker"}
            )
        )
        pledge = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .create({"member_id": member.id, "year": 2030})
        )
        member.with_user(self.user_officer_a).write(
            {"organization_id": self.grassroots_a.id}
        )
        self.assertEqual(old.with_user(self.user_admin).member_count, 0)
        with self.assertRaises(UserError) as cm:
            old.with_user(self.user_admin).unlink()
        self.assertIn("cannot be deleted", str(cm.exception))
        self.assertTrue(old.exists())
        self.assertEqual(pledge.organization_id, old)

        # A plan is history too.
        planner = self._org(
            self.user_admin,
            name="CĐCS Kế hoạch",
            code="T-PLAN",
            level="grassroots",
            parent_id=self.district_a.id,
        )
        self.env["union.plan"].with_user(self.user_officer_a).create(
            {
                "name": "Kế hoạch học tập",
                "organization_id": planner.id,
                "year_start": 2030,
                "year_end": 2030,
            }
        )
        with self.assertRaises(UserError):
            planner.with_user(self.user_admin).unlink()
        self.assertTrue(planner.exists())

    def test_unlink_empty_organisation(self):
        empty = self._org(
            self.user_officer_a,
            name="CĐCS Mới",
            code="T-NEW",
            level="grassroots",
            parent_id=self.district_a.id,
        )
        # Officers create in their subtree but never delete.
        with self.assertRaises(AccessError):
            empty.with_user(self.user_officer_a).unlink()
        with self.assertRaises(AccessError):
            empty.with_user(self.user_manager_a).unlink()
        self.assertTrue(empty.exists())
        empty.with_user(self.user_admin).unlink()
        self.assertFalse(empty.exists())

    # Restructuring -------------------------------------------------------------

    def _restructure(self, user, org, **vals):
        wizard = (
            self.env["union.organization.restructure.wizard"]
            .with_user(user)
            .with_context(default_organization_id=org.id)
            .create(vals)
        )
        return wizard.action_apply()

    def test_move_by_admin(self):
        self._restructure(
            self.user_admin,
            self.grassroots_a,
            operation="move",
            new_parent_id=self.district_b.id,
        )
        self.assertEqual(self.grassroots_a.parent_id, self.district_b)
        self.assertTrue(
            self.sub_unit_a.parent_path.startswith(self.district_b.parent_path)
        )
        self.assertEqual(
            self.sub_unit_a.complete_name,
            "LĐLĐ tỉnh Thử nghiệm / LĐLĐ huyện B / "
            "CĐCS Trường THPT A / Tổ công đoàn Văn phòng A",
        )
        self.env.invalidate_all()
        self.assertEqual(self.district_b.with_user(self.user_admin).member_count, 3)
        self.assertEqual(self.district_a.with_user(self.user_admin).member_count, 0)
        # The members moved with their organisation into officer B's scope.
        visible = self.env["union.member"].with_user(self.user_officer_b).search([])
        self.assertEqual(
            visible & (self.member_a1 | self.member_a2), self.member_a1 | self.member_a2
        )
        self.assertFalse(
            self.env["union.member"]
            .with_user(self.user_officer_a)
            .search([("id", "=", self.member_a1.id)])
        )
        self.assertTrue(
            self.grassroots_a.message_ids.filtered(
                lambda m: "LĐLĐ huyện B" in (m.body or "")
            )
        )

        # A plain write of the parent works for an admin as well.
        self.grassroots_a.with_user(self.user_admin).write(
            {"parent_id": self.district_a.id}
        )
        self.assertEqual(self.grassroots_a.parent_id, self.district_a)

    def test_move_refused_to_officer_and_manager(self):
        for user in (
            self.user_officer_a,
            self.user_manager_a,
            self.user_manager_province,
        ):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    self.grassroots_a.with_user(user).write(
                        {"parent_id": self.district_b.id}
                    )
                with self.assertRaises(UserError):
                    self.grassroots_a.with_user(user).write({"active": False})
                with self.assertRaises(UserError):
                    self._restructure(
                        user,
                        self.grassroots_a,
                        operation="move",
                        new_parent_id=self.district_b.id,
                    )
        self.env.invalidate_all()
        self.assertEqual(self.grassroots_a.parent_id, self.district_a)
        self.assertTrue(self.grassroots_a.active)

    def test_merge_with_wizard(self):
        pledge = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .create({"member_id": self.member_a1.id, "year": 2030})
        )
        target = self._org(
            self.user_admin,
            name="CĐCS Trường liên cấp A",
            code="T-GA2",
            level="grassroots",
            parent_id=self.district_a.id,
        )
        self._restructure(
            self.user_admin,
            self.grassroots_a,
            operation="merge",
            target_id=target.id,
            note="Quyết định số 12/QĐ-LĐLĐ",
        )

        self.assertEqual(self.member_a1.organization_id, target)
        self.assertEqual(self.sub_unit_a.parent_id, target)
        self.assertEqual(self.member_a2.organization_id, self.sub_unit_a)
        self.assertEqual(self.member_a2.grassroots_id, target)
        self.assertFalse(self.grassroots_a.active)
        self.assertEqual(self.grassroots_a.successor_id, target)
        self.assertTrue(self.grassroots_a.exists(), "nothing is deleted by a merge")
        # Past pledges keep the organisation they had.
        self.assertEqual(pledge.organization_id, self.grassroots_a)
        self.env.invalidate_all()
        self.assertEqual(target.with_user(self.user_admin).member_count, 2)
        self.assertTrue(
            self.grassroots_a.message_ids.filtered(
                lambda m: "Quyết định số 12/QĐ-LĐLĐ" in (m.body or "")
            )
        )

    def test_merge_refused(self):
        # Not into its own sub-unit.
        with self.assertRaises(UserError):
            self._restructure(
                self.user_admin,
                self.grassroots_a,
                operation="merge",
                target_id=self.sub_unit_a.id,
            )
        # Not by an officer.
        with self.assertRaises(UserError):
            self._restructure(
                self.user_officer_a,
                self.grassroots_a,
                operation="merge",
                target_id=self.grassroots_b.id,
            )
        # Not members into an organisation that cannot hold members.
        with self.assertRaises(UserError):
            self._restructure(
                self.user_admin,
                self.grassroots_b,
                operation="merge",
                target_id=self.district_a.id,
            )
        self.env.invalidate_all()
        self.assertTrue(self.grassroots_a.active)
        self.assertFalse(self.grassroots_a.successor_id)
        self.assertEqual(self.member_a1.organization_id, self.grassroots_a)
        self.assertEqual(self.member_b1.organization_id, self.grassroots_b)
        self.assertEqual(self.sub_unit_a.parent_id, self.grassroots_a)

    def test_every_union_user_reads_the_tree(self):
        for user in (
            self.user_member_a1,
            self.user_officer_b,
            self.user_manager_a,
            self.user_admin,
        ):
            with self.subTest(user=user.login):
                orgs = (
                    self.env["union.organization"]
                    .with_user(user)
                    .search([("id", "child_of", self.province.id)])
                )
                self.assertEqual(
                    orgs,
                    self.province
                    | self.district_a
                    | self.district_b
                    | self.grassroots_a
                    | self.sub_unit_a
                    | self.grassroots_b,
                )
                self.assertEqual(
                    self.grassroots_b.with_user(user).read(["name"]),
                    [{"id": self.grassroots_b.id, "name": "CĐCS Bệnh viện B"}],
                )

    def test_officer_gets_scope_on_creation_of_child(self):
        """Officers create grassroots unions under their own district only."""
        child = self._org(
            self.user_officer_a,
            name="CĐCS Công ty A",
            code="T-CA",
            level="grassroots",
            parent_id=self.district_a.id,
        )
        self.assertEqual(child.parent_id, self.district_a)
        with self.assertRaises(AccessError):
            self._org(
                self.user_officer_a,
                name="CĐCS Công ty B",
                code="T-CB",
                level="grassroots",
                parent_id=self.district_b.id,
            )
        self.assertFalse(self.env["union.organization"].search([("code", "=", "T-CB")]))

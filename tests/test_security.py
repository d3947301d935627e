from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.models import BaseModel
from odoo.tests import new_test_user, tagged

from .common import UnionCase

YEAR = 2030


@tagged("post_install", "-at_install")
class TestSecurity(UnionCase):
    """DESIGN §4 for every model of issues 2 and 3: each role × read, write,
    create, unlink, inside the user's subtree (district A) and outside it
    (district B)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Each district's officer keeps their own records.
        cls.plan_a = cls._plan(cls.user_officer_a, cls.district_a)
        cls.plan_b = cls._plan(cls.user_officer_b, cls.district_b)
        cls.topic_a = cls.plan_a.topic_ids
        cls.topic_b = cls.plan_b.topic_ids
        Session = cls.env["union.study.session"]
        cls.session_a = Session.with_user(cls.user_officer_a).create(
            {
                "name": "Hội nghị học tập chuyên đề",
                "organization_id": cls.grassroots_a.id,
                "topic_id": cls.topic_a.id,
                "date": f"{YEAR}-05-19",
                "attendee_ids": [Command.set(cls.member_a1.ids)],
            }
        )
        cls.session_a2 = Session.with_user(cls.user_officer_a).create(
            {
                "name": "Chào cờ đầu tuần",
                "organization_id": cls.sub_unit_a.id,
                "topic_id": cls.topic_a.id,
                "date": f"{YEAR}-06-02",
                "mode": "flag_ceremony",
                "attendee_ids": [Command.set(cls.member_a2.ids)],
            }
        )
        cls.session_b = Session.with_user(cls.user_officer_b).create(
            {
                "name": "Sinh hoạt chuyên đề",
                "organization_id": cls.grassroots_b.id,
                "topic_id": cls.topic_b.id,
                "date": f"{YEAR}-05-20",
                "attendee_ids": [Command.set(cls.member_b1.ids)],
            }
        )
        Pledge = cls.env["union.pledge"]
        cls.pledge_a1 = Pledge.with_user(cls.user_officer_a).create(
            {"member_id": cls.member_a1.id, "year": YEAR}
        )
        cls.pledge_a2 = Pledge.with_user(cls.user_officer_a).create(
            {"member_id": cls.member_a2.id, "year": YEAR}
        )
        cls.pledge_b1 = Pledge.with_user(cls.user_officer_b).create(
            {"member_id": cls.member_b1.id, "year": YEAR}
        )
        cls.criterion = cls.env["union.pledge.criterion"].search(
            [("category", "=", "worker")], limit=1
        )

        cls.officers_a = (cls.user_officer_a, cls.user_manager_a)

    @classmethod
    def _plan(cls, user, org):
        return (
            cls.env["union.plan"]
            .with_user(user)
            .create(
                {
                    "name": f"Kế hoạch học tập {org.name}",
                    "organization_id": org.id,
                    "year_start": YEAR,
                    "year_end": YEAR,
                    "topic_ids": [
                        Command.create({"name": f"Chuyên đề năm {YEAR}", "year": YEAR})
                    ],
                }
            )
        )

    # Assertions -----------------------------------------------------------------------

    def assertReads(self, user, records):
        as_user = records.with_user(user)
        as_user.check_access("read")
        self.assertEqual(len(as_user.read(["create_date"])), len(records))
        self.assertEqual(as_user.search([("id", "in", records.ids)]), records)

    def assertNoRead(self, user, records):
        for record in records:
            with self.assertRaises(AccessError):
                record.with_user(user).check_access("read")
            with self.assertRaises(AccessError):
                record.with_user(user).read(["create_date"])
        self.assertFalse(records.with_user(user).search([("id", "in", records.ids)]))

    def assertWrites(self, user, record, vals):
        record.with_user(user).write(vals)
        for name, value in vals.items():
            if not isinstance(value, list):
                actual = record[name]
                self.assertEqual(
                    actual.id if isinstance(actual, BaseModel) else actual, value
                )

    def assertNoWrite(self, user, record, vals, exception=AccessError):
        before = {name: record[name] for name in vals}
        with self.assertRaises(exception):
            record.with_user(user).write(vals)
        self.env.invalidate_all()
        self.assertEqual({name: record[name] for name in vals}, before)

    def assertCreates(self, user, model, vals):
        record = self.env[model].with_user(user).create(vals)
        self.assertTrue(record.exists())
        return record

    def assertNoCreate(self, user, model, vals, exception=AccessError):
        count = self.env[model].with_context(active_test=False).search_count([])
        with self.assertRaises(exception):
            self.env[model].with_user(user).create(vals)
        self.assertEqual(
            self.env[model].with_context(active_test=False).search_count([]), count
        )

    def assertUnlinks(self, user, record):
        record.with_user(user).unlink()
        self.assertFalse(record.exists())

    def assertNoUnlink(self, user, record):
        with self.assertRaises(AccessError):
            record.with_user(user).unlink()
        self.assertTrue(record.exists())

    # union.organization ---------------------------------------------------------------

    def _org_vals(self, code, parent):
        return {
            "name": f"CĐCS {code}",
            "code": code,
            "level": "grassroots",
            "parent_id": parent.id,
        }

    def test_organization_member(self):
        user = self.user_member_a1
        self.assertReads(
            user,
            self.province
            | self.district_a
            | self.district_b
            | self.grassroots_a
            | self.grassroots_b,
        )
        self.assertNoWrite(user, self.grassroots_a, {"name": "Đổi tên"})
        self.assertNoCreate(
            user, "union.organization", self._org_vals("T-M1", self.district_a)
        )
        self.assertNoUnlink(user, self.sub_unit_a)

    def test_organization_officer_and_manager(self):
        for user in self.officers_a:
            with self.subTest(user=user.login):
                self.assertReads(
                    user,
                    self.province
                    | self.district_b
                    | self.grassroots_b
                    | self.grassroots_a,
                )
                self.assertWrites(user, self.grassroots_a, {"phone": "0209 3870 123"})
                self.assertWrites(user, self.district_a, {"city": "Bắc Kạn"})
                self.assertNoWrite(user, self.grassroots_b, {"phone": "0209 3870 999"})
                self.assertNoWrite(user, self.province, {"phone": "0209 3870 999"})
                # Moving is the administrator's job, even inside the officer's subtree.
                self.assertNoWrite(
                    user,
                    self.sub_unit_a,
                    {"parent_id": self.grassroots_a.id},
                    exception=UserError,
                )
                self.assertNoWrite(
                    user,
                    self.grassroots_a,
                    {"parent_id": self.province.id},
                    exception=UserError,
                )
                new = self.assertCreates(
                    user,
                    "union.organization",
                    self._org_vals(f"T-N-{user.id}", self.district_a),
                )
                self.assertNoCreate(
                    user,
                    "union.organization",
                    self._org_vals(f"T-X-{user.id}", self.district_b),
                )
                self.assertNoCreate(
                    user,
                    "union.organization",
                    self._org_vals(f"T-Y-{user.id}", self.province),
                )
                self.assertNoUnlink(user, new)
                self.assertNoUnlink(user, self.grassroots_b)

    def test_organization_admin(self):
        user = self.user_admin
        self.assertReads(user, self.province | self.district_b)
        self.assertWrites(user, self.grassroots_b, {"phone": "0209 3870 777"})
        self.assertWrites(user, self.grassroots_a, {"parent_id": self.district_b.id})
        new = self.assertCreates(
            user, "union.organization", self._org_vals("T-ADM", self.district_b)
        )
        self.assertUnlinks(user, new)

    # union.member ---------------------------------------------------------------------

    def _member_vals(self, org):
        return {"name": "Hà Thị Mới", "organization_id": org.id, "category": "worker"}

    def test_member_member(self):
        user = self.user_member_a1
        Member = self.env["union.member"].with_user(user)
        self.assertEqual(Member.search([]), self.member_a1)
        self.assertReads(user, self.member_a1)
        self.assertNoRead(user, self.member_a2 | self.member_b1)
        self.assertNoWrite(user, self.member_a1, {"phone": "0912 345 678"})
        self.assertNoWrite(user, self.member_a2, {"phone": "0912 345 678"})
        self.assertNoCreate(user, "union.member", self._member_vals(self.grassroots_a))
        self.assertNoUnlink(user, self.member_a1)

    def test_member_officer_and_manager(self):
        for user in self.officers_a:
            with self.subTest(user=user.login):
                Member = self.env["union.member"].with_user(user)
                fixture = self.member_a1 | self.member_a2 | self.member_b1
                self.assertEqual(
                    Member.search([("id", "in", fixture.ids)]),
                    self.member_a1 | self.member_a2,
                )
                self.assertReads(user, self.member_a1 | self.member_a2)
                self.assertNoRead(user, self.member_b1)
                self.assertWrites(
                    user,
                    self.member_a2,
                    {"phone": "0912 000 111", "is_party_member": True},
                )
                self.assertNoWrite(user, self.member_b1, {"phone": "0912 000 111"})
                new = self.assertCreates(
                    user, "union.member", self._member_vals(self.sub_unit_a)
                )
                self.assertNoCreate(
                    user, "union.member", self._member_vals(self.grassroots_b)
                )
                # Nor can a member of A be moved out to B.
                self.assertNoWrite(
                    user, self.member_a2, {"organization_id": self.grassroots_b.id}
                )
                self.assertUnlinks(user, new)
                self.assertNoUnlink(user, self.member_b1)

    def test_member_province_manager_and_admin(self):
        fixture = self.member_a1 | self.member_a2 | self.member_b1
        self.assertReads(self.user_manager_province, fixture)
        self.assertWrites(
            self.user_manager_province, self.member_b1, {"job_title": "Điều dưỡng"}
        )
        user = self.user_admin
        self.assertReads(user, fixture)
        self.assertWrites(user, self.member_b1, {"phone": "0912 999 000"})
        new = self.assertCreates(
            user, "union.member", self._member_vals(self.grassroots_b)
        )
        self.assertUnlinks(user, new)

    # union.plan and union.study.topic -------------------------------------------------

    def _plan_vals(self, org):
        return {
            "name": f"Kế hoạch {org.name}",
            "organization_id": org.id,
            "year_start": YEAR,
            "year_end": YEAR,
        }

    def _topic_vals(self, plan):
        return {"name": "Chuyên đề bổ sung", "plan_id": plan.id, "year": YEAR}

    def test_plan_and_topic_member(self):
        user = self.user_member_a1
        # Plans and topics are public documents of the movement.
        self.assertReads(user, self.plan_a | self.plan_b)
        self.assertReads(user, self.topic_a | self.topic_b)
        self.assertNoWrite(user, self.plan_a, {"number": "01/KH"})
        self.assertNoWrite(user, self.topic_a, {"name": "Đổi tên"})
        self.assertNoCreate(
            user,
            "union.plan",
            {"name": "Kế hoạch", "organization_id": self.grassroots_a.id},
        )
        self.assertNoCreate(user, "union.study.topic", self._topic_vals(self.plan_a))
        self.assertNoUnlink(user, self.topic_a)
        self.assertNoUnlink(user, self.plan_a)

    def test_plan_and_topic_officer_and_manager(self):
        for user in self.officers_a:
            with self.subTest(user=user.login):
                self.assertReads(user, self.plan_a | self.plan_b)
                self.assertReads(user, self.topic_a | self.topic_b)
                self.assertWrites(user, self.plan_a, {"number": f"{user.id}/KH-LĐLĐ"})
                self.assertNoWrite(user, self.plan_b, {"number": "99/KH"})
                # Nor can they hand their own plan over to district B.
                self.assertNoWrite(
                    user, self.plan_a, {"organization_id": self.district_b.id}
                )
                self.assertWrites(user, self.topic_a, {"name": f"Chuyên đề {user.id}"})
                self.assertNoWrite(user, self.topic_b, {"name": "Đổi tên"})
                plan = self.assertCreates(
                    user, "union.plan", self._plan_vals(self.grassroots_a)
                )
                self.assertNoCreate(
                    user, "union.plan", self._plan_vals(self.grassroots_b)
                )
                topic = self.assertCreates(
                    user, "union.study.topic", self._topic_vals(plan)
                )
                self.assertNoCreate(
                    user, "union.study.topic", self._topic_vals(self.plan_b)
                )
                self.assertUnlinks(user, topic)
                self.assertUnlinks(user, plan)
                self.assertNoUnlink(user, self.topic_b)
                self.assertNoUnlink(user, self.plan_b)

    def test_plan_and_topic_admin(self):
        user = self.user_admin
        self.assertWrites(user, self.plan_b, {"number": "140/KH-LĐLĐ"})
        self.assertWrites(user, self.topic_b, {"name": "Chuyên đề toàn khóa"})
        topic = self.assertCreates(
            user, "union.study.topic", self._topic_vals(self.plan_b)
        )
        self.assertUnlinks(user, topic)
        plan = self.assertCreates(
            user,
            "union.plan",
            {"name": "Kế hoạch tỉnh", "organization_id": self.province.id},
        )
        self.assertUnlinks(user, plan)

    # union.study.session --------------------------------------------------------------

    def _session_vals(self, org, topic):
        return {
            "name": "Sinh hoạt",
            "organization_id": org.id,
            "topic_id": topic.id,
            "date": f"{YEAR}-09-02",
        }

    def test_session_member(self):
        user = self.user_member_a1
        self.assertEqual(
            self.env["union.study.session"].with_user(user).search([]), self.session_a
        )
        self.assertReads(user, self.session_a)
        self.assertNoRead(user, self.session_a2 | self.session_b)
        self.assertNoWrite(user, self.session_a, {"location": "Hội trường"})
        self.assertNoCreate(
            user,
            "union.study.session",
            self._session_vals(self.grassroots_a, self.topic_a),
        )
        self.assertNoUnlink(user, self.session_a)

    def test_session_member_read_follows_the_attendance(self):
        """The rules on sessions are checked by the database (see
        union.study.session._check_access): the attendance it checks is the
        current one, changes not yet written included, and a page mixing an
        attended session with another is refused."""
        user = self.user_member_a1
        other = (
            self.env["union.study.session"]
            .with_user(self.user_officer_a)
            .create(self._session_vals(self.grassroots_a, self.topic_a))
        )
        mixed = (self.session_a | other).with_user(user)
        with self.assertRaises(AccessError):
            mixed.read(["name"])
        other.attendee_ids |= self.member_a1
        self.assertEqual(len(mixed.read(["name"])), 2)
        self.session_a.with_user(self.user_officer_a).attendee_ids -= self.member_a1
        self.env.invalidate_all()
        with self.assertRaises(AccessError):
            self.session_a.with_user(user).read(["name"])
        self.assertEqual(other.with_user(user).read(["name"])[0]["name"], "Sinh hoạt")

    def test_session_officer_and_manager(self):
        for user in self.officers_a:
            with self.subTest(user=user.login):
                fixture = self.session_a | self.session_a2 | self.session_b
                Session = self.env["union.study.session"].with_user(user)
                self.assertEqual(
                    Session.search([("id", "in", fixture.ids)]),
                    self.session_a | self.session_a2,
                )
                self.assertReads(user, self.session_a | self.session_a2)
                self.assertNoRead(user, self.session_b)
                self.assertWrites(
                    user, self.session_a2, {"location": f"Phòng họp {user.id}"}
                )
                self.assertNoWrite(user, self.session_b, {"location": "Phòng họp B"})
                self.assertNoWrite(
                    user,
                    self.session_a2,
                    {
                        "organization_id": self.district_b.id,
                        "attendee_ids": [Command.clear()],
                    },
                )
                # A session of A may use district B's public topic, but is refused in B.
                new = self.assertCreates(
                    user,
                    "union.study.session",
                    self._session_vals(self.grassroots_a, self.topic_b),
                )
                self.assertNoCreate(
                    user,
                    "union.study.session",
                    self._session_vals(self.grassroots_b, self.topic_b),
                )
                self.assertUnlinks(user, new)
                self.assertNoUnlink(user, self.session_b)

    def test_session_admin(self):
        user = self.user_admin
        self.assertReads(user, self.session_a | self.session_b)
        self.assertWrites(user, self.session_b, {"location": "Hội trường B"})
        new = self.assertCreates(
            user,
            "union.study.session",
            self._session_vals(self.grassroots_b, self.topic_b),
        )
        self.assertUnlinks(user, new)

    # union.pledge.criterion -----------------------------------------------------------

    def _criterion_vals(self):
        return {"name": "Tiêu chí bổ sung", "category": "worker", "sequence": 99}

    def test_criterion_non_admin(self):
        for user in (
            self.user_member_a1,
            self.user_officer_a,
            self.user_manager_a,
            self.user_manager_province,
        ):
            with self.subTest(user=user.login):
                self.assertReads(user, self.criterion)
                self.assertNoWrite(user, self.criterion, {"sequence": 1})
                self.assertNoWrite(user, self.criterion, {"active": False})
                self.assertNoCreate(
                    user, "union.pledge.criterion", self._criterion_vals()
                )
                self.assertNoUnlink(user, self.criterion)

    def test_criterion_admin(self):
        user = self.user_admin
        self.assertWrites(user, self.criterion, {"sequence": 1})
        new = self.assertCreates(user, "union.pledge.criterion", self._criterion_vals())
        self.assertWrites(user, new, {"active": False})
        self.assertUnlinks(user, new)

    # union.pledge and union.pledge.line -----------------------------------------------

    def _commit(self, pledge, text):
        return {
            "line_ids": [Command.update(pledge.line_ids[0].id, {"commitment": text})]
        }

    def test_pledge_member(self):
        user = self.user_member_a1
        fixture = self.pledge_a1 | self.pledge_a2 | self.pledge_b1
        self.assertEqual(
            self.env["union.pledge"].with_user(user).search([]), self.pledge_a1
        )
        self.assertReads(user, self.pledge_a1)
        self.assertNoRead(user, self.pledge_a2 | self.pledge_b1)
        self.assertWrites(
            user, self.pledge_a1, self._commit(self.pledge_a1, "Sản phẩm của tôi")
        )
        self.assertEqual(self.pledge_a1.line_ids[0].commitment, "Sản phẩm của tôi")
        self.assertNoWrite(
            user, self.pledge_a2, self._commit(self.pledge_a2, "Viết hộ")
        )
        self.assertNoWrite(
            user, self.pledge_b1, self._commit(self.pledge_b1, "Viết hộ")
        )
        # The campaign makes the pledges: a member creates none, not even her own.
        for member in (self.member_a1, self.member_a2, self.member_b1):
            self.assertNoCreate(
                user, "union.pledge", {"member_id": member.id, "year": YEAR + 1}
            )
        self.assertNoUnlink(user, self.pledge_a1)
        self.assertNoUnlink(user, self.pledge_a2)
        self.assertEqual(len(fixture.exists()), 3)

    def test_pledge_officer_and_manager(self):
        for user in self.officers_a:
            with self.subTest(user=user.login):
                fixture = self.pledge_a1 | self.pledge_a2 | self.pledge_b1
                Pledge = self.env["union.pledge"].with_user(user)
                self.assertEqual(
                    Pledge.search([("id", "in", fixture.ids)]),
                    self.pledge_a1 | self.pledge_a2,
                )
                self.assertReads(user, self.pledge_a1 | self.pledge_a2)
                self.assertNoRead(user, self.pledge_b1)
                self.assertWrites(
                    user,
                    self.pledge_a2,
                    self._commit(self.pledge_a2, f"Sản phẩm {user.id}"),
                )
                self.assertNoWrite(
                    user, self.pledge_b1, self._commit(self.pledge_b1, "Viết hộ")
                )
                new = self.assertCreates(
                    user,
                    "union.pledge",
                    {"member_id": self.member_a2.id, "year": YEAR + 1},
                )
                self.assertNoCreate(
                    user,
                    "union.pledge",
                    {"member_id": self.member_b1.id, "year": YEAR + 1},
                    exception=UserError,
                )
                self.assertUnlinks(user, new)
                self.assertNoUnlink(user, self.pledge_b1)

    def test_pledge_province_manager_and_admin(self):
        fixture = self.pledge_a1 | self.pledge_a2 | self.pledge_b1
        self.assertReads(self.user_manager_province, fixture)
        self.assertWrites(
            self.user_manager_province,
            self.pledge_b1,
            self._commit(self.pledge_b1, "Sản phẩm B"),
        )
        user = self.user_admin
        self.assertReads(user, fixture)
        self.assertWrites(
            user, self.pledge_b1, self._commit(self.pledge_b1, "Sản phẩm quản trị")
        )
        new = self.assertCreates(
            user, "union.pledge", {"member_id": self.member_b1.id, "year": YEAR + 1}
        )
        self.assertUnlinks(user, new)
        self.assertUnlinks(user, self.pledge_b1)

    def _line_vals(self, pledge):
        return {
            "pledge_id": pledge.id,
            "commitment": "Cam kết thêm",
            "criterion_id": self.criterion.id,
        }

    def test_pledge_line_member(self):
        user = self.user_member_a1
        own, other = (
            self.pledge_a1.line_ids,
            self.pledge_a2.line_ids | self.pledge_b1.line_ids,
        )
        Line = self.env["union.pledge.line"].with_user(user)
        self.assertEqual(Line.search([("id", "in", (own | other).ids)]), own)
        self.assertReads(user, own)
        self.assertNoRead(user, other)
        self.assertWrites(user, own[0], {"commitment": "Sản phẩm của tôi"})
        self.assertNoWrite(user, self.pledge_a2.line_ids[0], {"commitment": "Viết hộ"})
        # She writes the concrete products of the commitments she was given;
        # an officer adds or removes commitments.
        self.assertNoCreate(user, "union.pledge.line", self._line_vals(self.pledge_a1))
        self.assertNoCreate(user, "union.pledge.line", self._line_vals(self.pledge_a2))
        self.assertNoUnlink(user, own[0])
        self.assertNoUnlink(user, self.pledge_b1.line_ids[0])

    def test_pledge_line_officer_and_manager(self):
        for user in self.officers_a:
            with self.subTest(user=user.login):
                lines_a = self.pledge_a1.line_ids | self.pledge_a2.line_ids
                self.assertReads(user, lines_a)
                self.assertNoRead(user, self.pledge_b1.line_ids)
                self.assertWrites(
                    user, lines_a[0], {"commitment": f"Sản phẩm {user.id}"}
                )
                self.assertNoWrite(
                    user, self.pledge_b1.line_ids[0], {"commitment": "Viết hộ"}
                )
                new = self.assertCreates(
                    user, "union.pledge.line", self._line_vals(self.pledge_a2)
                )
                self.assertNoCreate(
                    user, "union.pledge.line", self._line_vals(self.pledge_b1)
                )
                self.assertUnlinks(user, new)
                self.assertNoUnlink(user, self.pledge_b1.line_ids[0])

    def test_pledge_line_admin(self):
        user = self.user_admin
        self.assertReads(user, self.pledge_b1.line_ids)
        self.assertWrites(
            user, self.pledge_b1.line_ids[0], {"commitment": "Sản phẩm quản trị"}
        )
        new = self.assertCreates(
            user, "union.pledge.line", self._line_vals(self.pledge_b1)
        )
        self.assertUnlinks(user, new)

    # Menus ----------------------------------------------------------------------------

    def test_records_cannot_leave_the_officer_scope(self):
        """Record rules are checked where a record is; writing must not carry it
        into another district either."""
        officer = self.user_officer_a
        exemplar = (
            self.env["union.exemplar"]
            .with_user(officer)
            .create(
                {
                    "name": "Mô hình dân vận khéo",
                    "organization_id": self.grassroots_a.id,
                }
            )
        )
        commendation = (
            self.env["union.commendation"]
            .with_user(officer)
            .create(
                {
                    "name": "Đề nghị tặng Giấy khen",
                    "organization_id": self.grassroots_a.id,
                    "line_ids": [
                        Command.create(
                            {
                                "member_id": self.member_a1.id,
                                "achievement": "Hoàn thành xuất sắc",
                            }
                        )
                    ],
                }
            )
        )
        inspection = (
            self.env["union.inspection"]
            .with_user(officer)
            .create(
                {
                    "name": "Kiểm tra chuyên đề",
                    "organization_id": self.grassroots_a.id,
                    "inspector_organization_id": self.district_a.id,
                }
            )
        )
        self.assertNoWrite(officer, exemplar, {"organization_id": self.grassroots_b.id})
        self.assertNoWrite(
            officer, commendation, {"organization_id": self.grassroots_b.id}
        )
        self.assertNoWrite(
            officer, inspection, {"inspector_organization_id": self.province.id}
        )
        self.assertNoWrite(officer, self.topic_a, {"plan_id": self.plan_b.id})
        commendation_b = (
            self.env["union.commendation"]
            .with_user(self.user_officer_b)
            .create(
                {"name": "Đề nghị của huyện B", "organization_id": self.grassroots_b.id}
            )
        )
        self.assertNoWrite(
            officer, commendation.line_ids, {"commendation_id": commendation_b.id}
        )
        # Inside the scope, moving is fine.
        exemplar.with_user(officer).write({"organization_id": self.sub_unit_a.id})
        self.assertEqual(exemplar.organization_id, self.sub_unit_a)

    def test_menus_per_role(self):
        def ref(xmlid):
            return self.env.ref(f"trade_union_emulation.{xmlid}").id

        root, my_space, my_pledges = (
            ref("union_root_menu"),
            ref("union_my_menu"),
            ref("union_pledge_my_menu"),
        )
        members, organizations = (
            ref("union_member_menu"),
            ref("union_organization_menu"),
        )
        pledges, campaign = (
            ref("union_pledge_menu"),
            ref("union_pledge_campaign_wizard_menu"),
        )
        sessions = ref("union_study_session_menu")
        config, criteria = ref("union_config_menu"), ref("union_pledge_criterion_menu")

        def visible(user):
            """The menus the web client shows the user: those reachable from the
            app roots."""
            menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
            shown, todo = set(), list(menus["root"]["children"])
            while todo:
                menu_id = todo.pop()
                shown.add(menu_id)
                todo.extend(menus[menu_id]["children"])
            return shown

        seen = visible(self.user_member_a1)
        self.assertTrue({root, my_space, my_pledges} <= seen)
        self.assertFalse(
            {members, organizations, pledges, campaign, sessions, config, criteria}
            & seen
        )

        for user in (self.user_officer_a, self.user_manager_a):
            with self.subTest(user=user.login):
                seen = visible(user)
                self.assertTrue(
                    {
                        root,
                        my_space,
                        members,
                        organizations,
                        pledges,
                        campaign,
                        sessions,
                    }
                    <= seen
                )
                self.assertFalse({config, criteria} & seen)

        seen = visible(self.user_admin)
        self.assertTrue({root, members, pledges, config, criteria} <= seen)

        # A back-office user outside the union sees none of it.
        outsider = new_test_user(self.env, login="t_outsider", groups="base.group_user")
        self.assertFalse({root, my_space, members, config} & visible(outsider))


@tagged("post_install", "-at_install")
class TestScopeChanges(UnionCase):
    """The record rules test the ids of each user's scope and member records;
    the rule domains are cached, so every change of the tree, of a user's
    organisations or of a member's user must be seen at once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Pledge = cls.env["union.pledge"]
        cls.pledge_a2 = Pledge.create({"member_id": cls.member_a2.id, "year": YEAR})
        cls.pledge_b1 = Pledge.create({"member_id": cls.member_b1.id, "year": YEAR})

    def visible_pledges(self, user):
        return self.env["union.pledge"].with_user(user).search([])

    def test_new_organization_enters_the_scope(self):
        officer = self.user_officer_a
        self.assertEqual(self.visible_pledges(officer), self.pledge_a2)
        new_union = (
            self.env["union.organization"]
            .with_user(self.user_admin)
            .create(
                {
                    "name": "CĐCS Trường Tiểu học A",
                    "code": "T-GA2",
                    "level": "grassroots",
                    "parent_id": self.district_a.id,
                }
            )
        )
        member = (
            self.env["union.member"]
            .with_user(officer)
            .create(
                {
                    "name": "Hoàng Thị Dung",
                    "organization_id": new_union.id,
                    "category": "worker",
                }
            )
        )
        pledge = (
            self.env["union.pledge"]
            .with_user(officer)
            .create({"member_id": member.id, "year": YEAR})
        )
        self.assertEqual(self.visible_pledges(officer), self.pledge_a2 | pledge)
        self.assertEqual(self.visible_pledges(self.user_officer_b), self.pledge_b1)

    def test_moved_organization_changes_scope(self):
        officer_a, officer_b = self.user_officer_a, self.user_officer_b
        self.assertEqual(self.visible_pledges(officer_b), self.pledge_b1)
        self.grassroots_b.with_user(self.user_admin).parent_id = self.district_a
        self.assertEqual(
            self.visible_pledges(officer_a), self.pledge_a2 | self.pledge_b1
        )
        self.assertFalse(self.visible_pledges(officer_b))
        with self.assertRaises(AccessError):
            self.pledge_b1.with_user(officer_b).check_access("read")
        self.grassroots_b.with_user(self.user_admin).parent_id = self.district_b
        self.assertEqual(self.visible_pledges(officer_a), self.pledge_a2)
        self.assertEqual(self.visible_pledges(officer_b), self.pledge_b1)

    def test_user_organizations_change_scope(self):
        officer = self.user_officer_b
        self.assertEqual(self.visible_pledges(officer), self.pledge_b1)
        officer.union_organization_ids = self.district_a
        self.assertEqual(self.visible_pledges(officer), self.pledge_a2)
        officer.union_organization_ids = self.district_a | self.district_b
        self.assertEqual(self.visible_pledges(officer), self.pledge_a2 | self.pledge_b1)

    def test_member_user_link_changes_scope(self):
        newcomer = new_test_user(
            self.env,
            login="t_member_a2",
            groups="base.group_user," "trade_union_emulation.group_union_member",
        )
        self.assertFalse(self.visible_pledges(newcomer))
        self.member_a2.with_user(self.user_officer_a).user_id = newcomer
        self.assertEqual(self.visible_pledges(newcomer), self.pledge_a2)
        self.assertEqual(
            self.env["union.pledge.line"].with_user(newcomer).search([]),
            self.pledge_a2.line_ids,
        )
        self.member_a2.with_user(self.user_officer_a).user_id = False
        self.assertFalse(self.visible_pledges(newcomer))
        with self.assertRaises(AccessError):
            self.pledge_a2.with_user(newcomer).check_access("read")

    def test_officer_sees_own_pledge_outside_the_scope(self):
        """An officer is also a member: the two rules add up."""
        officer = self.user_officer_b
        self.member_a2.user_id = officer
        self.assertEqual(self.visible_pledges(officer), self.pledge_a2 | self.pledge_b1)

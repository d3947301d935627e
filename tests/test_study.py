from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import UnionCase

FULL_TERM = (
    "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
    "về ý chí tự lực, tự cường và khát vọng phát triển đất nước phồn vinh, hạnh phúc"
)


@tagged("post_install", "-at_install")
class TestStudy(UnionCase):
    """The plan, its topics and the study sessions, as officer A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = (
            cls.env["union.plan"]
            .with_user(cls.user_officer_a)
            .create(
                {
                    "name": "Kế hoạch thực hiện Chỉ thị 05-CT/TW",
                    "number": "140/KH-LĐLĐ",
                    "issue_date": "2021-09-15",
                    "organization_id": cls.district_a.id,
                    "year_start": 2021,
                    "year_end": 2026,
                    "topic_ids": [
                        Command.create({"name": FULL_TERM}),
                        Command.create({"name": "Chuyên đề năm 2024", "year": 2024}),
                    ],
                }
            )
        )
        cls.full_term_topic = cls.plan.topic_ids.filtered(lambda t: not t.year)
        cls.topic_2024 = cls.plan.topic_ids.filtered(lambda t: t.year == 2024)

    def _session(self, user=None, **vals):
        vals = {
            "name": "Sinh hoạt chuyên đề năm 2024",
            "organization_id": self.grassroots_a.id,
            "topic_id": self.topic_2024.id,
            "date": "2024-05-19",
            "mode": "conference",
            **vals,
        }
        return (
            self.env["union.study.session"]
            .with_user(user or self.user_officer_a)
            .create(vals)
        )

    def test_plan_and_topics(self):
        self.assertEqual(
            self.plan.display_name, "140/KH-LĐLĐ – Kế hoạch thực hiện Chỉ thị 05-CT/TW"
        )
        self.assertTrue(self.full_term_topic.is_full_term)
        self.assertFalse(self.topic_2024.is_full_term)
        self.assertEqual(self.topic_2024.organization_id, self.district_a)
        self.assertEqual(self.full_term_topic.display_name, f"[Full term] {FULL_TERM}")
        self.assertEqual(self.topic_2024.display_name, "[2024] Chuyên đề năm 2024")

    def test_topic_year_inside_plan_years(self):
        Topic = self.env["union.study.topic"].with_user(self.user_officer_a)
        for year in (2020, 2027):
            with self.subTest(year=year), self.assertRaises(ValidationError) as cm:
                Topic.create(
                    {
                        "name": f"Chuyên đề năm {year}",
                        "plan_id": self.plan.id,
                        "year": year,
                    }
                )
            self.assertIn("outside the plan's years 2021–2026", str(cm.exception))
        with self.assertRaises(ValidationError):
            self.topic_2024.with_user(self.user_officer_a).write({"year": 2030})
        self.env.invalidate_all()
        self.assertEqual(self.topic_2024.year, 2024)
        self.assertEqual(len(self.plan.topic_ids), 2)
        # Shrinking the plan around one of its yearly topics is refused as well.
        with self.assertRaises(ValidationError):
            self.plan.with_user(self.user_officer_a).write({"year_end": 2023})
        self.env.invalidate_all()
        self.assertEqual(self.plan.year_end, 2026)
        self.assertEqual(
            Topic.create(
                {"name": "Chuyên đề năm 2026", "plan_id": self.plan.id, "year": 2026}
            ).year,
            2026,
        )

    def test_plan_years(self):
        with self.assertRaises(ValidationError):
            self.env["union.plan"].with_user(self.user_officer_a).create(
                {
                    "name": "Ngược năm",
                    "organization_id": self.district_a.id,
                    "year_start": 2026,
                    "year_end": 2021,
                }
            )
        self.assertFalse(self.env["union.plan"].search([("name", "=", "Ngược năm")]))

    def test_plan_state_buttons(self):
        plan = self.plan.with_user(self.user_officer_a)
        plan.action_activate()
        self.assertEqual(plan.state, "active")
        plan.action_close()
        self.assertEqual(plan.state, "done")
        plan.action_reset_to_draft()
        self.assertEqual(plan.state, "draft")
        for user in (self.user_officer_b, self.user_member_a1):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.plan.with_user(user).action_activate()
        self.assertEqual(self.plan.state, "draft")

    def test_attendees_and_count(self):
        session = self._session(
            attendee_ids=[Command.set([self.member_a1.id, self.member_a2.id])]
        )
        self.assertEqual(session.attendee_count, 2)
        self.assertEqual(session.year, 2024)
        self.assertIn(session, self.member_a1.session_ids)
        self.assertIn(session, self.member_a2.session_ids)
        self.assertNotIn(session, self.member_b1.session_ids)

        session.write({"attendee_ids": [Command.unlink(self.member_a2.id)]})
        self.assertEqual(session.attendee_count, 1)
        self.assertNotIn(session, self.member_a2.session_ids)

        # A member user sees the sessions they attended, and only those.
        other = self._session(
            name="Chào cờ đầu tuần",
            mode="flag_ceremony",
            attendee_ids=[Command.set(self.member_a2.ids)],
        )
        seen = self.env["union.study.session"].with_user(self.user_member_a1).search([])
        self.assertEqual(seen, session)
        self.assertNotIn(other, seen)
        self.assertEqual(
            self.member_a1.with_user(self.user_member_a1).session_ids, session
        )

    def test_attendees_from_the_organisation_subtree_only(self):
        # A sub-unit's session: the member of the grassroots union above is
        # not in its subtree.
        with self.assertRaises(ValidationError) as cm:
            self._session(
                organization_id=self.sub_unit_a.id,
                attendee_ids=[Command.set([self.member_a1.id])],
            )
        self.assertIn(self.member_a1.name, str(cm.exception))
        self.assertFalse(
            self.env["union.study.session"].search(
                [("organization_id", "=", self.sub_unit_a.id)]
            )
        )

        # A district session welcomes the members of its whole subtree, not
        # those of district B.
        session = self._session(
            user=self.user_admin,
            organization_id=self.district_a.id,
            attendee_ids=[Command.set([self.member_a1.id, self.member_a2.id])],
        )
        with self.assertRaises(ValidationError):
            session.with_user(self.user_admin).write(
                {"attendee_ids": [Command.link(self.member_b1.id)]}
            )
        self.env.invalidate_all()
        self.assertEqual(session.attendee_ids, self.member_a1 | self.member_a2)

        # Moving the session to another organisation is checked too.
        with self.assertRaises(ValidationError):
            session.with_user(self.user_admin).write(
                {"organization_id": self.grassroots_b.id}
            )
        self.env.invalidate_all()
        self.assertEqual(session.organization_id, self.district_a)

    def test_session_state_buttons(self):
        session = self._session(attendee_ids=[Command.set(self.member_a1.ids)])
        self.assertEqual(session.state, "planned")
        session.action_done()
        self.assertEqual(session.state, "done")
        session.action_cancel()
        self.assertEqual(session.state, "cancelled")
        session.action_reset_to_planned()
        self.assertEqual(session.state, "planned")

        for user in (self.user_officer_b, self.user_manager_b, self.user_member_a1):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                session.with_user(user).action_done()
        self.env.invalidate_all()
        self.assertEqual(session.state, "planned")
        session.with_user(self.user_manager_province).action_done()
        self.assertEqual(session.state, "done")

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import UnionCase


@tagged("post_install", "-at_install")
class TestMember(UnionCase):
    """Member constraints and figures, as the officer who keeps the register."""

    def _create(self, **vals):
        vals = {
            "name": "Vi Thị Mai",
            "organization_id": self.grassroots_a.id,
            "category": "worker",
            **vals,
        }
        return self.env["union.member"].with_user(self.user_officer_a).create(vals)

    def test_member_only_in_grassroots_or_sub_unit(self):
        self.assertEqual(
            self._create(organization_id=self.grassroots_a.id).organization_id,
            self.grassroots_a,
        )
        self.assertEqual(
            self._create(
                name="Hà Văn Tổ", organization_id=self.sub_unit_a.id
            ).organization_id,
            self.sub_unit_a,
        )

        Member = self.env["union.member"].with_user(self.user_officer_a)
        with self.assertRaises(ValidationError) as cm:
            self._create(name="Lục Văn Huyện", organization_id=self.district_a.id)
        self.assertIn(
            "members belong to a grassroots union or one of its sub-units",
            str(cm.exception),
        )
        self.assertIn("LĐLĐ huyện A", str(cm.exception))
        self.assertFalse(Member.search([("name", "=", "Lục Văn Huyện")]))

        with self.assertRaises(ValidationError):
            self.member_a1.with_user(self.user_officer_a).write(
                {"organization_id": self.district_a.id}
            )
        self.env.invalidate_all()
        self.assertEqual(self.member_a1.organization_id, self.grassroots_a)

        # Not even the administrator puts a member in the provincial federation.
        with self.assertRaises(ValidationError):
            self.member_b1.with_user(self.user_admin).write(
                {"organization_id": self.province.id}
            )
        self.env.invalidate_all()
        self.assertEqual(self.member_b1.organization_id, self.grassroots_b)

    def test_union_card_number_unique_when_set(self):
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create(union_card_number="T-0001")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.member_a2.with_user(self.user_officer_a).write(
                {"union_card_number": "T-0001"}
            )
            self.member_a2.flush_recordset()
        self.env.invalidate_all()
        self.assertEqual(self.member_a2.union_card_number, "T-0002")
        # Spaces around a number do not make it another number.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create(union_card_number="  T-0002 ")

        # Members without a card are many; a blank number is no number.
        no_card = self._create(name="Không Thẻ Một") | self._create(
            name="Không Thẻ Hai", union_card_number=""
        )
        no_card |= self._create(name="Không Thẻ Ba", union_card_number="   ")
        self.assertEqual(no_card.mapped("union_card_number"), [False, False, False])
        self.member_a2.with_user(self.user_officer_a).write({"union_card_number": " "})
        self.assertFalse(self.member_a2.union_card_number)
        self.assertEqual(
            self._create(name="Có Thẻ", union_card_number=" T-0099 ").union_card_number,
            "T-0099",
        )

    def test_user_linked_to_one_member_only(self):
        # Officer A cannot even see member B1, yet learns that B1's user is taken.
        with self.assertRaises(ValidationError) as cm:
            self.member_a2.with_user(self.user_officer_a).write(
                {"user_id": self.user_member_b1.id}
            )
        self.assertIn("already linked to another member", str(cm.exception))
        # A new member is inserted at once: the database refuses the second link.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self._create(user_id=self.user_member_a1.id)
        self.env.invalidate_all()
        self.assertFalse(self.member_a2.user_id)
        # The database holds the rule as well.
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.env.cr.execute(
                "UPDATE union_member SET user_id = %s WHERE id = %s",
                (self.user_member_a1.id, self.member_a2.id),
            )
        self.assertEqual(
            self.env["union.member"]
            .with_user(self.user_admin)
            .search([("user_id", "=", self.user_member_a1.id)]),
            self.member_a1,
        )

    def test_counts(self):
        officer = self.user_officer_a
        member = self.member_a1.with_user(officer)
        self.assertEqual(
            (member.pledge_count, member.session_count, member.evaluation_count),
            (0, 0, 0),
        )

        Pledge = self.env["union.pledge"].with_user(officer)
        Pledge.create(
            [
                {"member_id": self.member_a1.id, "year": 2029},
                {"member_id": self.member_a1.id, "year": 2030},
            ]
        )
        plan = (
            self.env["union.plan"]
            .with_user(officer)
            .create(
                {
                    "name": "Kế hoạch thử",
                    "organization_id": self.district_a.id,
                    "year_start": 2029,
                    "year_end": 2030,
                    "topic_ids": [
                        Command.create({"name": "Chuyên đề 2030", "year": 2030})
                    ],
                }
            )
        )
        self.env["union.study.session"].with_user(officer).create(
            {
                "name": "Sinh hoạt chuyên đề",
                "organization_id": self.grassroots_a.id,
                "topic_id": plan.topic_ids.id,
                "date": "2030-05-19",
                "attendee_ids": [Command.set([self.member_a1.id, self.member_a2.id])],
            }
        )
        self.env.invalidate_all()
        self.assertEqual(member.pledge_count, 2)
        self.assertEqual(member.session_count, 1)
        self.assertEqual(self.member_a2.with_user(officer).pledge_count, 0)
        self.assertEqual(self.member_a2.with_user(officer).session_count, 1)
        # The member sees the same figures on their own record.
        own = self.member_a1.with_user(self.user_member_a1)
        self.assertEqual((own.pledge_count, own.session_count), (2, 1))

        action = member.action_open_pledges()
        self.assertEqual(
            self.env["union.pledge"].with_user(officer).search(action["domain"]),
            member.pledge_ids,
        )

    def test_archived_member_kept_out_of_searches(self):
        self.member_a2.with_user(self.user_officer_a).write({"active": False})
        Member = self.env["union.member"].with_user(self.user_officer_a)
        self.assertEqual(
            Member.search([("organization_id", "child_of", self.district_a.id)]),
            self.member_a1,
        )
        self.assertEqual(
            Member.with_context(active_test=False).search(
                [("organization_id", "child_of", self.district_a.id)]
            ),
            self.member_a1 | self.member_a2,
        )

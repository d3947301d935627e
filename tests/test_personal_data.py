"""Issue 10.5: party membership, ethnicity and birth date are personal data."""

from datetime import date

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .emulation_common import EmulationCase

PERSONAL = ("is_party_member", "ethnicity", "birth_date")


@tagged("post_install", "-at_install")
class TestPersonalData(EmulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Odoo lets only these users export at all.
        export = cls.env.ref("base.group_allow_export")
        for user in (
            cls.user_officer_a,
            cls.user_member_a1,
            cls.user_member_b1,
            cls.user_manager_province,
        ):
            user.groups_id = [Command.link(export.id)]

    def test_changes_are_tracked_on_the_member_only(self):
        member = self.member_a1
        # The member's documents, each with its own history.
        pledge = self.make_pledge(member, "submitted")
        evaluation = self.make_evaluation(member, 60, state="submitted")
        commendation = self.make_commendation(
            self.grassroots_a, member, state="submitted"
        )
        exemplar = self.make_exemplar(
            self.grassroots_a, "Gương sáng", recognized=False, members=member
        )
        session = self.make_session(self.grassroots_a, date(self.YEAR, 4, 4), member)

        # Earlier changes are tracked as their transaction commits.
        self.env.flush_all()
        self.env.cr.precommit.run()
        member.with_user(self.user_officer_a).write(
            {
                "is_party_member": True,
                "ethnicity": "Tày",
                "birth_date": date(1985, 2, 14),
            }
        )
        # The documents go on after the change.
        pledge.with_user(self.user_manager_a).action_approve()
        evaluation.with_user(self.user_manager_a).action_approve()
        commendation.with_user(self.user_manager_a).action_reject(reason="Chưa đủ")
        exemplar.with_user(self.user_manager_a).action_recognize()

        # Tracking values are written when the transaction commits.
        self.env.flush_all()
        self.env.cr.precommit.run()
        trackings = self.env["mail.tracking.value"].search(
            [("field_id.name", "in", PERSONAL), ("field_id.model", "like", "union.%")]
        )
        self.assertEqual(
            set(trackings.field_id.mapped("name")), set(PERSONAL), "who changed what"
        )
        self.assertEqual(
            set(trackings.mail_message_id.mapped("model")), {"union.member"}
        )
        self.assertEqual(trackings.mail_message_id.res_id, member.id)
        self.assertEqual(
            trackings.mail_message_id.author_id, self.user_officer_a.partner_id
        )
        # Nothing of it in the other documents' chatter.
        for document in (pledge, evaluation, commendation, exemplar, session):
            with self.subTest(document=document._name):
                # Read as the system: the test looks at every message there is.
                messages = document.sudo().message_ids
                self.assertFalse(
                    messages.tracking_value_ids.filtered(
                        lambda t: t.field_id.name in PERSONAL
                    )
                )
                text = " ".join(messages.mapped("body"))
                for value in ("Tày", "1985", "14/02"):
                    self.assertNotIn(value, text)
        # Nor any personal field tracked by another model of the addon.
        for model_name in self.env.registry:
            model = self.env[model_name]
            if (
                model._original_module != "trade_union_emulation"
                or model_name == "union.member"
            ):
                continue
            tracked = {
                name
                for name, field in model._fields.items()
                if getattr(field, "tracking", None)
            }
            self.assertFalse(tracked & set(PERSONAL), model_name)

    def test_export_only_in_the_member_scope(self):
        self.member_a1.write({"ethnicity": "Nùng", "birth_date": date(1990, 1, 2)})
        self.member_b1.write({"ethnicity": "Dao", "birth_date": date(1991, 3, 4)})
        Member = self.env["union.member"]
        fields = ["name", *PERSONAL]
        everyone = self.member_a1 | self.member_a2 | self.member_b1

        rows = (
            Member.with_user(self.user_officer_a)
            .search([("id", "in", everyone.ids)])
            .export_data(fields)["datas"]
        )
        self.assertEqual(
            sorted(row[0] for row in rows),
            sorted((self.member_a1 | self.member_a2).mapped("name")),
        )
        self.assertNotIn("Dao", [row[2] for row in rows])
        with self.assertRaises(AccessError):
            self.member_b1.with_user(self.user_officer_a).export_data(fields)
        # A member exports her own record, nobody else's.
        own = self.member_a1.with_user(self.user_member_a1).export_data(fields)["datas"]
        self.assertEqual(own[0][2], "Nùng")
        with self.assertRaises(AccessError):
            self.member_a2.with_user(self.user_member_a1).export_data(fields)
        # The province's leader works on both districts.
        rows = everyone.with_user(self.user_manager_province).export_data(fields)[
            "datas"
        ]
        self.assertEqual(len(rows), 3)

    def test_no_personal_data_through_public_documents(self):
        """A recognised exemplar is there for every member to read; its members'
        personal data is not."""
        self.member_a1.write({"ethnicity": "Mông", "birth_date": date(1980, 5, 6)})
        exemplar = self.make_exemplar(
            self.grassroots_a, "Gương sáng công khai", members=self.member_a1
        )
        as_other = exemplar.with_user(self.user_member_b1)
        self.assertEqual(as_other.name, "Gương sáng công khai")
        try:
            rows = as_other.export_data(["name", "member_ids/ethnicity"])["datas"]
        except AccessError:
            rows = []
        self.assertNotIn("Mông", str(rows))
        # The exemplar shows her no member she may not read, and the member
        # record itself stays closed to her.
        self.assertFalse(as_other.member_ids)
        with self.assertRaises(AccessError):
            self.member_a1.with_user(self.user_member_b1).read(["birth_date"])

from odoo import Command
from odoo.tests import TransactionCase, new_test_user

MEMBER = "trade_union_emulation.group_union_member"
OFFICER = "trade_union_emulation.group_union_officer"
MANAGER = "trade_union_emulation.group_union_manager"
ADMIN = "trade_union_emulation.group_union_admin"


class UnionCase(TransactionCase):
    """A province with two sibling district unions (A and B), each with a
    grassroots union; A's grassroots union has a sub-unit. Members in each,
    and one user per role and district."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Org = cls.env["union.organization"]
        cls.province = Org.create(
            {"name": "LĐLĐ tỉnh Thử nghiệm", "code": "T-PROV", "level": "provincial"}
        )
        cls.district_a = Org.create(
            {
                "name": "LĐLĐ huyện A",
                "code": "T-DA",
                "level": "upper_grassroots",
                "parent_id": cls.province.id,
            }
        )
        cls.district_b = Org.create(
            {
                "name": "LĐLĐ huyện B",
                "code": "T-DB",
                "level": "upper_grassroots",
                "parent_id": cls.province.id,
            }
        )
        cls.grassroots_a = Org.create(
            {
                "name": "CĐCS Trường THPT A",
                "code": "T-GA",
                "level": "grassroots",
                "parent_id": cls.district_a.id,
            }
        )
        cls.sub_unit_a = Org.create(
            {
                "name": "Tổ công đoàn Văn phòng A",
                "code": "T-SA",
                "level": "sub_unit",
                "parent_id": cls.grassroots_a.id,
            }
        )
        cls.grassroots_b = Org.create(
            {
                "name": "CĐCS Bệnh viện B",
                "code": "T-GB",
                "level": "grassroots",
                "parent_id": cls.district_b.id,
            }
        )

        # The province's plan: the years of the documents of the tests lie in it
        # (a document's year is one of a plan of its organisation or above, or
        # within a year of now).
        cls.term_plan = cls.env["union.plan"].create(
            {
                "name": "Kế hoạch nhiệm kỳ của LĐLĐ tỉnh",
                "organization_id": cls.province.id,
                "year_start": 2021,
                "year_end": 2031,
            }
        )

        Member = cls.env["union.member"]
        cls.member_a1 = Member.create(
            {
                "name": "Nguyễn Văn An",
                "organization_id": cls.grassroots_a.id,
                "category": "civil_servant",
                "union_card_number": "T-0001",
            }
        )
        cls.member_a2 = Member.create(
            {
                "name": "Trần Thị Bình",
                "organization_id": cls.sub_unit_a.id,
                "category": "worker",
                "union_card_number": "T-0002",
            }
        )
        cls.member_b1 = Member.create(
            {
                "name": "Lê Văn Cường",
                "organization_id": cls.grassroots_b.id,
                "category": "public_employee",
                "union_card_number": "T-0003",
            }
        )

        def user(login, group, orgs=()):
            return new_test_user(
                cls.env,
                login=login,
                groups=f"base.group_user,{group}",
                union_organization_ids=[Command.set([org.id for org in orgs])],
            )

        cls.user_admin = user("t_union_admin", ADMIN)
        cls.user_officer_a = user("t_officer_a", OFFICER, cls.district_a)
        cls.user_manager_a = user("t_manager_a", MANAGER, cls.district_a)
        cls.user_officer_b = user("t_officer_b", OFFICER, cls.district_b)
        cls.user_manager_b = user("t_manager_b", MANAGER, cls.district_b)
        cls.user_manager_province = user("t_manager_province", MANAGER, cls.province)
        cls.user_member_a1 = user("t_member_a1", MEMBER)
        cls.member_a1.user_id = cls.user_member_a1
        cls.user_member_b1 = user("t_member_b1", MEMBER)
        cls.member_b1.user_id = cls.user_member_b1

    def fill_pledge(self, pledge, text="Sản phẩm cụ thể"):
        """Write a concrete product on every commitment of a draft pledge."""
        for line in pledge.line_ids:
            line.commitment = text
        return pledge

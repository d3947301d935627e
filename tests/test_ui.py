from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestPledgeTour(HttpCase):
    """The main flow in the browser, as the leader of a grassroots union."""

    def test_pledge_campaign_tour(self):
        Org = self.env["union.organization"]
        district = Org.create(
            {"name": "LĐLĐ huyện Tour", "code": "TOUR-D", "level": "upper_grassroots"}
        )
        grassroots = Org.create(
            {
                "name": "CĐCS Công ty Tour",
                "code": "TOUR-G",
                "level": "grassroots",
                "parent_id": district.id,
            }
        )
        member = self.env["union.member"].create(
            {
                "name": "Hoàng Văn Tour",
                "organization_id": grassroots.id,
                "category": "worker",
            }
        )
        new_test_user(
            self.env,
            login="tour_leader",
            groups="base.group_user,trade_union_emulation.group_union_manager",
            union_organization_ids=[Command.set(grassroots.ids)],
        )
        criteria = self.env["union.pledge.criterion"].search(
            [("category", "=", "worker")]
        )
        self.assertEqual(
            len(criteria),
            3,
            "the tour writes one commitment per shipped worker criterion",
        )

        self.start_tour(
            "/odoo/action-trade_union_emulation.union_pledge_action",
            "union_pledge_tour",
            login="tour_leader",
        )

        pledge = self.env["union.pledge"].search([("member_id", "=", member.id)])
        self.assertEqual(pledge.state, "assessed")
        self.assertEqual(pledge.result, "achieved")
        self.assertEqual(pledge.organization_id, grassroots)
        self.assertEqual(
            sorted(pledge.line_ids.mapped("commitment")),
            [f"Sản phẩm cụ thể số {i}" for i in (1, 2, 3)],
        )
        self.assertEqual(pledge.approve_user_id.login, "tour_leader")


@tagged("post_install", "-at_install")
class TestRoleTours(HttpCase):
    """The yearly cycle in the browser, each role starting from the home it
    lands on: the member sends her pledge, the grassroots leader approves the
    waiting pledges in one action, the officer opens the campaign and sends
    the annual report, the provincial level accepts it from the status board
    and downloads its Excel document."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = fields.Date.today().year
        Org = cls.env["union.organization"]
        cls.province = Org.create(
            {"name": "LĐLĐ tỉnh Tour", "code": "TOUR-P", "level": "provincial"}
        )
        cls.district = Org.create(
            {
                "name": "LĐLĐ huyện Tour",
                "code": "TOUR-D",
                "level": "upper_grassroots",
                "parent_id": cls.province.id,
            }
        )
        cls.grassroots = Org.create(
            {
                "name": "CĐCS Trường Tour",
                "code": "TOUR-G",
                "level": "grassroots",
                "parent_id": cls.district.id,
            }
        )
        cls.members = cls.env["union.member"].create(
            [
                {
                    "name": f"Đoàn viên Tour {index}",
                    "organization_id": cls.grassroots.id,
                    "category": "worker",
                    "union_card_number": f"TOUR-{index}",
                }
                for index in range(1, 5)
            ]
        )

        def user(login, group, orgs=()):
            return new_test_user(
                cls.env,
                login=login,
                lang="vi_VN",
                groups=f"base.group_user,trade_union_emulation.{group}",
                union_organization_ids=[Command.set(orgs.ids if orgs else [])],
            )

        cls.officer = user("tour_officer", "group_union_officer", cls.district)
        cls.leader = user("tour_grassroots", "group_union_manager", cls.grassroots)
        cls.province_manager = user(
            "tour_province", "group_union_manager", cls.province
        )
        cls.member_user = user("tour_member", "group_union_member")
        cls.members[0].user_id = cls.member_user

    def make_pledges(self, members, submit=False):
        Pledge = self.env["union.pledge"].with_user(self.officer)
        pledges = Pledge.create(
            [{"member_id": member.id, "year": self.year} for member in members]
        )
        if submit:
            for line in pledges.line_ids:
                line.commitment = "Sản phẩm cụ thể"
            pledges.action_submit()
        return pledges

    def test_member_sends_her_pledge_from_home(self):
        pledge = self.make_pledges(self.members[0])
        self.assertEqual(len(pledge.line_ids), 3)
        self.start_tour("/odoo", "union_member_home_tour", login="tour_member")
        self.assertEqual(pledge.state, "submitted")
        self.assertEqual(pledge.submit_user_id, self.member_user)
        self.assertEqual(
            sorted(pledge.line_ids.mapped("commitment")),
            [f"Sản phẩm của đoàn viên số {index}" for index in (1, 2, 3)],
        )
        # The leader of her union is told at once.
        approval = self.env.ref("trade_union_emulation.mail_activity_type_approval")
        activity = pledge.activity_ids.filtered(
            lambda a: a.activity_type_id == approval
        )
        self.assertIn(self.leader, activity.user_id)

    def test_leader_approves_the_waiting_pledges_at_once(self):
        pledges = self.make_pledges(self.members[1:], submit=True)
        self.assertEqual(set(pledges.mapped("state")), {"submitted"})
        self.start_tour("/odoo", "union_leader_bulk_tour", login="tour_grassroots")
        self.assertEqual(set(pledges.mapped("state")), {"approved"})
        self.assertEqual(pledges.approve_user_id, self.leader)
        approval = self.env.ref("trade_union_emulation.mail_activity_type_approval")
        self.assertFalse(
            pledges.activity_ids.filtered(lambda a: a.activity_type_id == approval),
            "the approvals are done",
        )

    def test_officer_runs_the_campaign_and_sends_the_report(self):
        Pledge = self.env["union.pledge"]
        self.assertFalse(Pledge.search([("member_id", "in", self.members.ids)]))
        self.start_tour("/odoo", "union_officer_home_tour", login="tour_officer")
        pledges = Pledge.search([("member_id", "in", self.members.ids)])
        self.assertEqual(len(pledges), 4, "one draft pledge per member")
        self.assertEqual(set(pledges.mapped("year")), {self.year})
        report = self.env["union.annual.report"].search(
            [("organization_id", "=", self.district.id), ("year", "=", self.year)]
        )
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.submit_user_id, self.officer)
        self.assertEqual(report.member_count, 4)
        self.assertIn("làm theo Bác", report.results)

    def test_province_accepts_from_the_status_board(self):
        report = (
            self.env["union.annual.report"]
            .with_user(self.officer)
            .create(
                {
                    "organization_id": self.district.id,
                    "year": self.year,
                    "results": "<p>Kết quả của huyện Tour.</p>",
                }
            )
        )
        report.action_submit()
        self.start_tour("/odoo", "union_province_board_tour", login="tour_province")
        self.assertEqual(report.state, "accepted")
        self.assertEqual(report.accept_user_id, self.province_manager)

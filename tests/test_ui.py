from odoo import Command
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

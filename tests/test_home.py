from odoo.tests import new_test_user, tagged

from .common import MEMBER, OFFICER
from .emulation_common import EmulationCase


@tagged("post_install", "-at_install")
class TestHomeDashboard(EmulationCase):
    """Each role lands on its own work of the year, counted as the user."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.year = cls.env["union.home.card"]._year()
        cls.env["union.pledge"]._generate_draft_pledges(cls.year, cls.province)

    def home(self, user):
        Card = self.env["union.home.card"].with_user(user)
        action = Card.action_open_home()
        self.assertEqual(action["res_model"], "union.home.card")
        return Card.search(action["domain"])

    def card(self, user, code):
        self.env.invalidate_all()
        return self.home(user).filtered(lambda card: card.code == code)

    def test_each_role_has_its_cards(self):
        self.assertEqual(set(self.home(self.user_member_a1).mapped("role")), {"member"})
        self.assertEqual(
            set(self.home(self.user_officer_a).mapped("role")), {"officer"}
        )
        self.assertIn("officer", self.home(self.user_manager_a).mapped("role"))
        self.assertIn(
            "provincial", self.home(self.user_manager_province).mapped("role")
        )
        self.assertNotIn("provincial", self.home(self.user_manager_a).mapped("role"))

    def test_member_sees_what_her_pledge_misses(self):
        card = self.card(self.user_member_a1, "my_pledge")
        pledge = self.env["union.pledge"].search(
            [("member_id", "=", self.member_a1.id), ("year", "=", self.year)]
        )
        total = len(pledge.line_ids)
        self.assertIn(f"{total} of {total}", card.summary)
        self.assertEqual(card.action_open()["res_id"], pledge.id)
        self.fill_pledge(pledge.with_user(self.user_member_a1))
        card = self.card(self.user_member_a1, "my_pledge")
        self.assertIn("ready to submit", card.summary)

    def test_officer_counts_are_those_of_the_lists(self):
        Pledge = self.env["union.pledge"].with_user(self.user_officer_a)
        card = self.card(self.user_officer_a, "draft_pledges")
        action = card.action_open()
        self.assertEqual(card.count, Pledge.search_count(action["domain"]))
        self.assertEqual(
            card.count,
            Pledge.search_count([("state", "=", "draft"), ("year", "=", self.year)]),
        )
        self.assertEqual(card.count, 2, "A1 and A2 of district A, not B1")

        new = self.make_member("Phạm Văn Mới", self.grassroots_a, "T-0100")
        card = self.card(self.user_officer_a, "members_without_pledge")
        self.assertEqual(card.count, 1)
        members = self.env["union.member"].with_user(self.user_officer_a)
        self.assertEqual(members.search(card.action_open()["domain"]), new)
        self.assertEqual(
            card.action_open_secondary()["res_model"], "union.pledge.campaign.wizard"
        )
        # Nobody of district A is evaluated yet: the evaluations card says how
        # many members still have none, as the members list counts them.
        card = self.card(self.user_officer_a, "evaluations_to_prepare")
        unevaluated = members.search_count(
            [("evaluation_ids", "not any", [("year", "=", self.year)])]
        )
        self.assertEqual(unevaluated, members.search_count([]))
        self.assertIn(f" {unevaluated} ", card.summary)

    def test_annual_report_card_counts_days_left(self):
        card = self.card(self.user_officer_a, "annual_report")
        self.assertEqual(card.count, 1, "the district's report is still owed")
        report = (
            self.env["union.annual.report"]
            .with_user(self.user_officer_a)
            .create({"organization_id": self.district_a.id, "year": self.year})
        )
        action = self.card(self.user_officer_a, "annual_report").action_open()
        self.assertEqual(action["res_id"], report.id)

    def test_provincial_card_adds_up(self):
        card = self.card(self.user_manager_province, "report_status")
        rows = (
            self.env["union.report.status"]
            .with_user(self.user_manager_province)
            .search([("year", "=", self.year), ("level", "!=", "provincial")])
        )
        pending = rows.filtered(lambda row: row.status in ("missing", "draft"))
        self.assertEqual(card.count, len(pending))
        self.assertTrue(card.detail)
        action = card.action_open_secondary()
        self.assertEqual(action["views"][0][1], "graph")

    def test_new_users_land_on_their_work(self):
        home = self.env.ref("trade_union_emulation.union_home_action")
        user = new_test_user(
            self.env, login="t_new_officer", groups=f"base.group_user,{OFFICER}"
        )
        self.assertEqual(user.action_id.id, home.id)
        settings = self.env["res.config.settings"].with_user(self.user_system_admin)
        settings.create({"union_home_for_new_users": False}).execute()
        self.assertFalse(settings.default_get([]).get("union_home_for_new_users"))
        user = new_test_user(
            self.env, login="t_new_member", groups=f"base.group_user,{MEMBER}"
        )
        self.assertFalse(user.action_id)

    def test_manager_sees_what_waits_for_decision(self):
        pledge = self.env["union.pledge"].search(
            [("member_id", "=", self.member_a1.id), ("year", "=", self.year)]
        )
        pledge = self.fill_pledge(pledge.with_user(self.user_officer_a))
        pledge.action_submit()
        card = self.card(self.user_manager_a, "to_approve").filtered(
            lambda card: card.res_model == "union.pledge"
        )
        self.assertEqual(card.count, 1)
        Pledge = self.env["union.pledge"].with_user(self.user_manager_a)
        self.assertEqual(Pledge.search(card.action_open()["domain"]), pledge)
        # The province's leader is not the nearest one: nothing waits for him.
        card = self.card(self.user_manager_province, "to_approve").filtered(
            lambda card: card.res_model == "union.pledge"
        )
        self.assertEqual(card.count, 0)

        # Returned with a reason: it shows on the officer's home.
        action = pledge.with_user(self.user_manager_a).action_reset_to_draft()
        self.confirm_reason(action, self.user_manager_a, "Thiếu minh chứng cụ thể")
        card = self.card(self.user_manager_a, "to_approve").filtered(
            lambda card: card.res_model == "union.pledge"
        )
        self.assertEqual(card.count, 0, "decided: no longer waiting")
        returned = self.card(self.user_officer_a, "returned")
        self.assertEqual(returned.count, 1)
        self.assertIn("Thiếu minh chứng cụ thể", returned.detail)
        self.assertEqual(
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .search(returned.action_open()["domain"]),
            pledge,
        )

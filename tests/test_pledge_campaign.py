from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import freeze_time, tagged

from .common import UnionCase

YEAR = 2030


@tagged("post_install", "-at_install")
class TestPledgeCampaign(UnionCase):
    """The campaign wizard and its scheduled action on district A's subtree."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A member who left: archived members pledge nothing.
        cls.member_a3 = cls.env["union.member"].create(
            {
                "name": "Đặng Văn Nghỉ",
                "organization_id": cls.grassroots_a.id,
                "category": "civil_servant",
                "active": False,
            }
        )

    def _run_wizard(self, user, year=YEAR, organizations=None):
        vals = {"year": year}
        if organizations is not None:
            vals["organization_ids"] = [Command.set(organizations.ids)]
        wizard = self.env["union.pledge.campaign.wizard"].with_user(user).create(vals)
        return wizard, wizard.action_generate()

    def _pledges(self, year=YEAR):
        return (
            self.env["union.pledge"]
            .with_user(self.user_admin)
            .search([("year", "=", year)])
        )

    def _fixture_pledges(self, year=YEAR):
        fixture = self.member_a1 | self.member_a2 | self.member_a3 | self.member_b1
        return self._pledges(year).filtered(lambda p: p.member_id in fixture)

    def _active_criteria(self, category):
        return (
            self.env["union.pledge.criterion"]
            .with_user(self.user_admin)
            .search([("category", "=", category)])
        )

    def test_wizard_creates_draft_pledges_of_the_subtree(self):
        # An admin archives one criterion first: it is left out.
        archived = self._active_criteria("civil_servant")[0]
        archived.with_user(self.user_admin).write({"active": False})
        wizard, action = self._run_wizard(self.user_officer_a)
        self.assertEqual(
            wizard.organization_ids,
            self.district_a,
            "the officer's own organisations by default",
        )

        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(
            action["params"]["message"],
            "2 draft pledges created; 0 members already had one.",
        )

        pledges = self._fixture_pledges()
        self.assertEqual(pledges.member_id, self.member_a1 | self.member_a2)
        for pledge in pledges:
            member = pledge.member_id
            with self.subTest(member=member.name):
                self.assertEqual(pledge.state, "draft")
                self.assertEqual(pledge.organization_id, member.organization_id)
                self.assertEqual(pledge.category, member.category)
                criteria = self._active_criteria(member.category)
                self.assertEqual(pledge.line_ids.criterion_id, criteria)
                self.assertEqual(len(pledge.line_ids), len(criteria))
        pledge_a1 = pledges.filtered(lambda p: p.member_id == self.member_a1)
        self.assertNotIn(archived, pledge_a1.line_ids.criterion_id)
        self.assertEqual(
            len(pledge_a1.line_ids), len(self._active_criteria("civil_servant"))
        )

        # The officer finds them and takes them through the workflow as usual.
        visible = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .search([("year", "=", YEAR)])
        )
        self.assertEqual(visible, pledges)
        mine = (
            self.env["union.pledge"]
            .with_user(self.user_member_a1)
            .search([("year", "=", YEAR)])
        )
        self.assertEqual(mine, pledge_a1)
        self.fill_pledge(mine).action_submit()
        self.assertEqual(pledge_a1.state, "submitted")

    def test_wizard_never_duplicates(self):
        Pledge = self.env["union.pledge"].with_user(self.user_officer_a)
        existing = Pledge.create({"member_id": self.member_a2.id, "year": YEAR})
        _wizard, action = self._run_wizard(self.user_officer_a)
        self.assertEqual(
            action["params"]["message"],
            "1 draft pledges created; 1 members already had one.",
        )
        _wizard, action = self._run_wizard(self.user_officer_a)
        self.assertEqual(
            action["params"]["message"],
            "0 draft pledges created; 2 members already had one.",
        )
        pledges = self._pledges().filtered(
            lambda p: p.organization_id.parent_path.startswith(
                self.district_a.parent_path
            )
        )
        self.assertEqual(len(pledges), 2)
        self.assertIn(existing, pledges)
        # Another year is another campaign.
        _wizard, action = self._run_wizard(self.user_officer_a, year=YEAR + 1)
        self.assertEqual(
            action["params"]["message"],
            "2 draft pledges created; 0 members already had one.",
        )

    def test_wizard_on_a_sub_unit_and_outside_scope(self):
        _wizard, action = self._run_wizard(
            self.user_manager_a, organizations=self.sub_unit_a
        )
        self.assertEqual(
            action["params"]["message"],
            "1 draft pledges created; 0 members already had one.",
        )
        self.assertEqual(self._fixture_pledges().member_id, self.member_a2)

        # District B is not officer A's: the campaign is refused, nobody gets a pledge.
        with self.assertRaisesRegex(
            UserError, "not among the organisations you work on"
        ):
            self._run_wizard(self.user_officer_a, organizations=self.district_b)
        self.assertFalse(
            self._pledges().filtered(lambda p: p.member_id == self.member_b1)
        )

    def test_member_cannot_run_the_campaign(self):
        with self.assertRaises(UserError):
            self._run_wizard(self.user_member_a1, organizations=self.district_a)
        self.assertFalse(self._fixture_pledges())

    def test_history_kept_after_campaign(self):
        self._run_wizard(self.user_officer_a)
        pledge = self._pledges().filtered(lambda p: p.member_id == self.member_a2)
        self.member_a2.with_user(self.user_officer_a).write(
            {"organization_id": self.grassroots_a.id}
        )
        self.env.invalidate_all()
        self.assertEqual(pledge.organization_id, self.sub_unit_a)
        # Even after the sub-unit is merged away by an administrator.
        wizard = (
            self.env["union.organization.restructure.wizard"]
            .with_user(self.user_admin)
            .create(
                {
                    "organization_id": self.sub_unit_a.id,
                    "operation": "merge",
                    "target_id": self.grassroots_a.id,
                }
            )
        )
        wizard.action_apply()
        self.assertFalse(self.sub_unit_a.active)
        self.assertEqual(pledge.organization_id, self.sub_unit_a)
        self.assertEqual(pledge.category, "worker")

    # Scheduled action ----------------------------------------------------------------

    def _set_opening(self, month, day):
        # The opening date is a setting: the Odoo administrator saves it.
        settings = self.env["res.config.settings"].with_user(
            self.env.ref("base.user_admin")
        )
        settings.create(
            {"union_pledge_campaign_month": month, "union_pledge_campaign_day": day}
        ).execute()

    def _run_cron(self):
        cron = self.env.ref("trade_union_emulation.ir_cron_pledge_campaign")
        cron.method_direct_trigger()
        return self.env["ir.cron.progress"].search(
            [("cron_id", "=", cron.id)], order="id desc", limit=1
        )

    def test_cron_waits_for_the_opening_date(self):
        self._set_opening(4, 1)
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(
                "trade_union_emulation.pledge_campaign_month"
            ),
            "4",
        )
        with freeze_time(f"{YEAR}-03-31 08:00:00"):
            self._run_cron()
        self.assertFalse(self._fixture_pledges(), "nothing before the campaign opens")

        with freeze_time(f"{YEAR}-04-01 08:00:00"):
            progress = self._run_cron()
        pledges = self._fixture_pledges()
        self.assertEqual(
            pledges.member_id, self.member_a1 | self.member_a2 | self.member_b1
        )
        self.assertEqual(set(pledges.mapped("state")), {"draft"})
        for pledge in pledges:
            self.assertEqual(
                pledge.line_ids.criterion_id, self._active_criteria(pledge.category)
            )
        total = len(self._pledges())
        roots = self.env["union.organization"].search([("parent_id", "=", False)])
        self.assertEqual(
            progress.done,
            self.env["union.member"]
            .with_user(self.user_admin)
            .search_count([("organization_id", "child_of", roots.ids)]),
        )
        self.assertEqual(progress.remaining, 0)

        # Idempotent: the next days create only what is missing.
        with freeze_time(f"{YEAR}-04-02 08:00:00"):
            self._run_cron()
        self.assertEqual(len(self._pledges()), total)
        newcomer = (
            self.env["union.member"]
            .with_user(self.user_officer_b)
            .create(
                {
                    "name": "Mã Thị Mới",
                    "organization_id": self.grassroots_b.id,
                    "category": "public_employee",
                }
            )
        )
        with freeze_time(f"{YEAR}-04-03 08:00:00"):
            self._run_cron()
        self.assertEqual(len(self._pledges()), total + 1)
        self.assertEqual(
            self._pledges().filtered(lambda p: p.member_id == newcomer).organization_id,
            self.grassroots_b,
        )

    def test_cron_default_opening_is_new_year(self):
        with freeze_time(f"{YEAR}-01-01 02:00:00"):
            self._run_cron()
        self.assertEqual(
            self._fixture_pledges().member_id,
            self.member_a1 | self.member_a2 | self.member_b1,
        )
        self.assertFalse(self._fixture_pledges(YEAR - 1))

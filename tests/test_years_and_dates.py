"""Issue 10.3 and 9.4: values that mean something. The same year rule
everywhere (the years of a plan of the organisation or above it, or within a
year of now), narratives with text, dates in order."""

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .emulation_common import EmulationCase

NOW = "2026-06-15 08:00:00"


@tagged("post_install", "-at_install")
class TestYearsAndDates(EmulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A province without any plan: only the current year ±1 is open to it.
        Org = cls.env["union.organization"]
        cls.other_province = Org.create(
            {"name": "LĐLĐ tỉnh Không Kế hoạch", "code": "T-NP", "level": "provincial"}
        )
        cls.other_grassroots = Org.create(
            {
                "name": "CĐCS Không Kế hoạch",
                "code": "T-NPG",
                "level": "grassroots",
                "parent_id": cls.other_province.id,
            }
        )
        cls.other_member = cls.env["union.member"].create(
            {
                "name": "Đoàn viên tỉnh khác",
                "organization_id": cls.other_grassroots.id,
                "category": "worker",
            }
        )

    def pledge(self, member, year, user=None):
        return (
            self.env["union.pledge"]
            .with_user(user or self.user_admin)
            .create({"member_id": member.id, "year": year})
        )

    @freeze_time(NOW)
    def test_pledge_years(self):
        # The test province's plan runs 2021–2031 (tests/common.py).
        for year in (1800, 1990, 2020, 2032, 3000):
            with self.subTest(year=year), self.assertRaises(ValidationError) as caught:
                self.pledge(self.member_a1, year, self.user_officer_a)
            self.assertIn(str(year), str(caught.exception))
            self.assertIn("2025", str(caught.exception))
        self.assertFalse(
            self.env["union.pledge"].search([("member_id", "=", self.member_a1.id)])
        )
        for year in (2021, 2031):
            self.assertEqual(
                self.pledge(self.member_a1, year, self.user_officer_a).year, year
            )
        # Without a plan, the current year ±1 only.
        for year in (2025, 2026, 2027):
            self.assertTrue(self.pledge(self.other_member, year))
        for year in (2021, 2024, 2028):
            with self.subTest(year=year), self.assertRaises(ValidationError):
                self.pledge(self.other_member, year)

    @freeze_time(NOW)
    def test_same_rule_for_every_yearly_document(self):
        officer = self.user_officer_a
        cases = {
            "union.member.evaluation": {"member_id": self.member_a1.id, "score": 50},
            "union.organization.evaluation": {"organization_id": self.grassroots_a.id},
            "union.annual.report": {"organization_id": self.grassroots_a.id},
            "union.exemplar": {
                "name": "Mô hình",
                "organization_id": self.grassroots_a.id,
            },
            "union.commendation": {
                "name": "Đề nghị",
                "organization_id": self.grassroots_a.id,
            },
        }
        for model_name, vals in cases.items():
            for year in (1800, 3000):
                with self.subTest(model=model_name, year=year):
                    with self.assertRaises(ValidationError):
                        self.env[model_name].with_user(officer).create(
                            {**vals, "year": year}
                        )
            self.assertFalse(
                self.env[model_name].search([("year", "in", (1800, 3000))]), model_name
            )
        # Written later, by whoever may write it, the same rule holds.
        exemplar = self.make_exemplar(self.grassroots_a, "Mô hình", recognized=False)
        with self.assertRaises(ValidationError):
            exemplar.with_user(officer).write({"year": 1800})
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="draft"
        )
        with self.assertRaises(ValidationError):
            commendation.with_user(officer).write({"year": 3000})
        self.env.invalidate_all()
        self.assertEqual((exemplar.year, commendation.year), (self.YEAR, self.YEAR))

    @freeze_time(NOW)
    def test_session_date(self):
        Session = self.env["union.study.session"].with_user(self.user_officer_a)
        vals = {
            "name": "Sinh hoạt",
            "organization_id": self.grassroots_a.id,
            "topic_id": self.topic.id,
        }
        for day in (date(1999, 5, 5), date(2040, 5, 5)):
            with self.subTest(day=day), self.assertRaises(ValidationError):
                Session.create({**vals, "date": day})
        session = Session.create({**vals, "date": date(2025, 5, 5)})
        with self.assertRaises(ValidationError):
            session.write({"date": date(1999, 5, 5)})
        self.env.invalidate_all()
        self.assertEqual(session.year, 2025)

    @freeze_time(NOW)
    def test_campaign_wizards_years(self):
        for model, generated in (
            ("union.pledge.campaign.wizard", "union.pledge"),
            ("union.evaluation.campaign.wizard", "union.member.evaluation"),
        ):
            for year in (1800, 3000):
                with self.subTest(wizard=model, year=year):
                    wizard = (
                        self.env[model]
                        .with_user(self.user_officer_a)
                        .create(
                            {
                                "year": year,
                                "organization_ids": [Command.set(self.district_a.ids)],
                            }
                        )
                    )
                    with self.assertRaises(UserError) as caught:
                        wizard.action_generate()
                    self.assertIn(str(year), str(caught.exception))
                    self.assertFalse(self.env[generated].search([("year", "=", year)]))

    def test_plan_length(self):
        with self.assertRaises(ValidationError):
            self.env["union.plan"].with_user(self.user_officer_a).create(
                {
                    "name": "Kế hoạch trăm năm",
                    "organization_id": self.district_a.id,
                    "year_start": 2000,
                    "year_end": 2100,
                }
            )

    # Narratives and dates -------------------------------------------------------------

    def test_empty_html_narrative(self):
        report = (
            self.env["union.annual.report"]
            .with_user(self.user_officer_a)
            .create({"organization_id": self.grassroots_a.id, "year": self.YEAR})
        )
        for empty in ("<p><br></p>", "<p>&nbsp;</p>", "<div><p> </p><br/></div>", " "):
            with self.subTest(html=empty):
                report.write({"results": empty})
                with self.assertRaises(UserError) as caught:
                    report.action_submit()
                self.assertIn("Write the results achieved", str(caught.exception))
                self.assertEqual(report.state, "draft")
        report.write({"results": "<p><strong>100%</strong> đoàn viên học tập.</p>"})
        report.action_submit()
        self.assertEqual(report.state, "submitted")

        inspection = (
            self.env["union.inspection"]
            .with_user(self.user_officer_a)
            .create(
                {
                    "name": "Kiểm tra",
                    "organization_id": self.grassroots_a.id,
                    "inspector_organization_id": self.district_a.id,
                    "date": date(self.YEAR, 10, 1),
                    "deadline": date(self.YEAR, 12, 1),
                    "recommendations": "<p><br></p>",
                }
            )
        )
        inspection.action_start()
        with self.assertRaises(UserError):
            inspection.action_follow_up()
        self.assertEqual(inspection.state, "in_progress")

    def test_dates_in_order(self):
        Inspection = self.env["union.inspection"].with_user(self.user_officer_a)
        with self.assertRaises(ValidationError):
            Inspection.create(
                {
                    "name": "Kiểm tra",
                    "organization_id": self.grassroots_a.id,
                    "inspector_organization_id": self.district_a.id,
                    "date": date(self.YEAR, 10, 1),
                    "deadline": date(self.YEAR, 10, 1),
                }
            )
        commendation = self.make_commendation(
            self.grassroots_a, self.member_a1, state="submitted"
        )
        with self.assertRaises(ValidationError) as caught:
            commendation.with_user(self.user_manager_a).write(
                {
                    "decision_number": "1/QĐ",
                    "decision_date": date(self.YEAR - 1, 12, 31),
                }
            )
        self.assertIn(str(self.YEAR), str(caught.exception))
        commendation.with_user(self.user_manager_a).write(
            {"decision_number": "1/QĐ", "decision_date": date(self.YEAR + 1, 1, 15)}
        )
        commendation.with_user(self.user_manager_a).action_approve()
        self.assertEqual(commendation.state, "approved")


@tagged("post_install", "-at_install")
class TestYearColumns(EmulationCase):
    def test_years_are_not_summed_in_groups(self):
        """A list grouped by plan or organisation shows no sum of the years
        (12.141 for six topics) in its group rows."""
        year_fields = [
            field
            for model in self.env.registry.values()
            if model._name.startswith("union.") and not model._transient
            for field in model._fields.values()
            if field.type == "integer"
            and field.name in ("year", "year_start", "year_end")
        ]
        self.assertGreater(len(year_fields), 10)
        for field in year_fields:
            self.assertFalse(field.aggregator, f"{field.model_name}.{field.name}")
        groups = (
            self.env["union.study.topic"]
            .with_user(self.user_officer_a)
            .web_read_group([], ["year"], ["plan_id"])
        )
        self.assertTrue(groups["groups"])
        self.assertNotIn("year", groups["groups"][0])

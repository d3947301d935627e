"""The figures are facts of a subtree: the same whoever counts them, on the
annual reports, the organisation evaluations, the report-status board and
the term summaries."""

from datetime import date

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from . import test_annual_report as annual

FIGURES = annual.COUNT_FIELDS + annual.RATE_FIELDS


class FiguresCase(annual.AnnualReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The hand-counted year of the annual report tests.
        annual.TestAnnualReportStatistics.build_year.__func__(cls)

    def figures_of(self, record):
        return {name: record[name] for name in FIGURES}


@tagged("post_install", "-at_install")
class TestFiguresAreFacts(FiguresCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A member of district A whose only session is the province's own
        # conference: a session the district's officer cannot read.
        cls.member_a6 = cls.env["union.member"].search(
            [("union_card_number", "=", "T-0007")]
        )
        cls.province_session = cls.make_session_as(
            cls.user_manager_province, cls.province, cls.member_a6
        )

    @classmethod
    def make_session_as(cls, user, org, attendees):
        session = (
            cls.env["union.study.session"]
            .with_user(user)
            .create(
                {
                    "name": "Hội nghị học tập chuyên đề của tỉnh",
                    "organization_id": org.id,
                    "topic_id": cls.topic.id,
                    "date": date(cls.YEAR, 8, 19),
                    "mode": "conference",
                    "attendee_ids": [(6, 0, attendees.ids)],
                }
            )
        )
        session.action_done()
        return session

    def test_officer_cannot_read_the_provincial_session(self):
        Session = self.env["union.study.session"].with_user(self.user_officer_a)
        self.assertFalse(Session.search([("id", "=", self.province_session.id)]))

    def test_report_figures_do_not_depend_on_who_counts(self):
        expected = dict(self.expected[self.district_a])
        expected["studied_count"] += 1
        expected["study_rate"] = round(100.0 * expected["studied_count"] / 6, 1)
        seen = {}
        for user in (
            self.user_officer_a,
            self.user_manager_a,
            self.user_manager_province,
            self.user_admin,
        ):
            report = self.create_report(self.district_a, user)
            seen[user.login] = self.figures_of(report)
            lines = {line.organization_id: line for line in report.line_ids}
            self.assertEqual(lines[self.grassroots_a2].studied_count, 1, user.login)
            report.with_user(self.user_admin).unlink()
        for login, figures in seen.items():
            self.assertEqual(figures, expected, login)

    def test_submitted_figures_are_the_facts(self):
        report = self.create_report(
            self.district_a, self.user_officer_a, results="<p>Kết quả.</p>"
        )
        report.with_user(self.user_officer_a).action_submit()
        self.assertEqual(report.studied_count, 5)
        self.assertEqual(
            self.figures_of(report),
            self.figures_of(report.with_user(self.user_manager_province)),
        )

    def test_organization_evaluation_indicators(self):
        Evaluation = self.env["union.organization.evaluation"]
        figures = []
        for user in (self.user_officer_a, self.user_admin):
            evaluation = Evaluation.with_user(user).create(
                {"organization_id": self.grassroots_a2.id, "year": self.YEAR}
            )
            figures.append(self.figures_of(evaluation))
            evaluation.with_user(self.user_admin).unlink()
        self.assertEqual(figures[0], figures[1])
        self.assertEqual(figures[0]["studied_count"], 1)
        self.assertEqual(figures[0]["study_rate"], 100.0)


@tagged("post_install", "-at_install")
class TestReportStatus(FiguresCase):
    def rows(self, user, **domain):
        # A view: what the cache holds of its rows is not refreshed by changes
        # to the records it reads, as in a new request.
        self.env.invalidate_all()
        Status = self.env["union.report.status"].with_user(user)
        return Status.search(
            [("year", "=", self.YEAR)] + [(k, "=", v) for k, v in domain.items()]
        )

    def test_units_owing_a_report_appear_before_any_report(self):
        rows = self.rows(self.user_admin).filtered(
            lambda row: row.organization_id.code.startswith("T-")
        )
        self.assertEqual(
            rows.organization_id,
            self.province
            | self.district_a
            | self.district_b
            | self.grassroots_a
            | self.grassroots_a2
            | self.grassroots_b,
            "every reporting unit and the province, never a sub-unit",
        )
        self.assertEqual(set(rows.mapped("status")), {"missing"})
        self.assertFalse(rows.report_id)

        report = self.create_report(self.grassroots_a, self.user_officer_a)
        row = self.rows(self.user_officer_a, organization_id=self.grassroots_a.id)
        self.assertEqual((row.status, row.report_id), ("draft", report))

    def test_row_figures_are_the_subtree_facts(self):
        for org in (self.district_a, self.grassroots_a, self.district_b):
            row = self.rows(self.user_admin, organization_id=org.id)
            self.assertEqual(self.figures_of(row), self.expected[org], org.name)

    def test_groups_count_every_member_once(self):
        Status = self.env["union.report.status"].with_user(self.user_manager_province)
        domain = [
            ("year", "=", self.YEAR),
            ("organization_id", "child_of", self.province.id),
        ]
        groups = {
            upper: (members, studied, exemplars, study_rate)
            for upper, members, studied, exemplars, study_rate in Status._read_group(
                domain,
                ["upper_id"],
                [
                    "member_count:sum",
                    "studied_count:sum",
                    "exemplar_count:sum",
                    "study_rate:avg",
                ],
            )
        }
        # The district's row and its unions' rows: each member once.
        self.assertEqual(groups[self.district_a], (6, 4, 1, 66.7))
        # A district's own exemplar counts in its group.
        self.assertEqual(groups[self.district_b], (2, 1, 1, 50.0))
        [(members, studied, rate)] = Status._read_group(
            domain, [], ["member_count:sum", "studied_count:sum", "study_rate:avg"]
        )
        self.assertEqual((members, studied, rate), (8, 5, 62.5))
        # Not the average of the rows' percentages (66.7, 80, 0).
        rows = self.rows(self.user_manager_province, upper_id=self.district_a.id)
        self.assertEqual(len(rows), 3)
        self.assertNotEqual(sum(rows.mapped("study_rate")) / 3, 66.7)

    def test_rows_follow_the_scope(self):
        rows = self.rows(self.user_officer_a)
        self.assertEqual(
            rows.organization_id,
            self.district_a | self.grassroots_a | self.grassroots_a2,
        )
        [(members,)] = (
            self.env["union.report.status"]
            .with_user(self.user_officer_a)
            ._read_group([("year", "=", self.YEAR)], [], ["member_count:sum"])
        )
        self.assertEqual(members, 6)
        self.assertFalse(self.rows(self.user_officer_b) & rows)

    def test_member_has_no_board(self):
        with self.assertRaises(AccessError):
            self.rows(self.user_member_a1)

    def test_late_units(self):
        with freeze_time(date(self.YEAR, 9, 1)):
            self.assertFalse(self.rows(self.user_officer_a).filtered("is_late"))
        with freeze_time(date(self.YEAR, 9, 20)):
            self.create_report(
                self.grassroots_a, self.user_officer_a, results="<p>Kết quả.</p>"
            ).with_user(self.user_officer_a).action_submit()
            rows = self.rows(self.user_officer_a)
            late = rows.filtered("is_late").organization_id
            # Missing past the due date, or submitted after it.
            self.assertEqual(
                late, self.district_a | self.grassroots_a | self.grassroots_a2
            )
            row_a = rows.filtered(lambda r: r.organization_id == self.grassroots_a)
            self.assertEqual(row_a.status, "submitted")
            self.assertEqual(row_a.days_left, -10)

    def test_officer_creates_a_missing_report_from_the_board(self):
        row = self.rows(self.user_officer_a, organization_id=self.grassroots_a2.id)
        self.assertEqual(row.status, "missing")
        action = row.action_open_report()
        report = self.env["union.annual.report"].browse(action["res_id"])
        self.assertEqual(
            (report.organization_id, report.year, report.create_uid),
            (self.grassroots_a2, self.YEAR, self.user_officer_a),
        )
        outside = self.rows(self.user_admin, organization_id=self.grassroots_b.id)
        with self.assertRaises(AccessError):
            outside.with_user(self.user_officer_a).action_open_report()

    def test_drill_down_obeys_the_rules(self):
        row = self.rows(self.user_officer_a, organization_id=self.district_a.id)
        action = row.action_open_pledges()
        pledges = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .search(action["domain"])
        )
        self.assertEqual(len(pledges), 5)
        self.assertEqual(set(pledges.mapped("year")), {self.YEAR})


@tagged("post_install", "-at_install")
class TestTermReport(FiguresCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.term_plan = (
            cls.env["union.plan"]
            .with_user(cls.user_manager_province)
            .create(
                {
                    "name": "Kế hoạch giai đoạn thử nghiệm",
                    "number": "T-TERM/KH-LĐLĐ",
                    "organization_id": cls.province.id,
                    "year_start": cls.YEAR - 1,
                    "year_end": cls.YEAR,
                }
            )
        )

    def create_term(self, org, user):
        return (
            self.env["union.term.report"]
            .with_user(user)
            .create({"organization_id": org.id, "plan_id": self.term_plan.id})
        )

    def submit_annual(self, org, year):
        report = self.Report.with_user(self.user_officer_a).create(
            {"organization_id": org.id, "year": year, "results": "<p>Kết quả.</p>"}
        )
        report.with_user(self.user_officer_a).action_submit()
        return report

    def test_figures_are_the_sum_of_the_years_reports(self):
        reports = self.submit_annual(self.district_a, self.YEAR - 1)
        reports |= self.submit_annual(self.district_a, self.YEAR)
        term = self.create_term(self.district_a, self.user_officer_a)
        self.assertEqual(term.line_ids.mapped("year"), [self.YEAR - 1, self.YEAR])
        self.assertEqual(set(term.line_ids.mapped("source")), {"submitted"})
        for line, report in zip(term.line_ids, reports.sorted("year"), strict=True):
            self.assertEqual(self.figures_of(line), self.figures_of(report))
            self.assertEqual(line.annual_report_id, report)
        for name in annual.COUNT_FIELDS:
            if name == "member_count":
                self.assertEqual(term.member_count, reports[-1].member_count)
            else:
                self.assertEqual(term[name], sum(reports.mapped(name)), name)
        # Rates of the term are ratios of the summed counts.
        studied, members = (
            sum(reports.mapped("studied_count")),
            sum(reports.mapped("member_count")),
        )
        self.assertEqual(term.study_rate, round(100.0 * studied / members, 1))
        self.assertEqual(
            term.pledge_rate_trend, reports[-1].pledge_rate - reports[0].pledge_rate
        )

    def test_live_figures_until_the_year_is_submitted(self):
        frozen = self.submit_annual(self.district_a, self.YEAR)
        a8 = self.make_member("Lý Văn Minh", self.grassroots_a, "T-0010")
        self.make_pledge(a8, "submitted")
        self.make_pledge(a8, "submitted", year=self.YEAR - 1)
        term = self.create_term(self.district_a, self.user_officer_a)
        last_year, this_year = term.line_ids
        self.assertEqual(last_year.source, "live")
        self.assertEqual(
            last_year.pledged_count, 2, "a1's and a8's pledges of the year before"
        )
        self.assertEqual((this_year.source, this_year.pledged_count), ("submitted", 4))
        self.assertEqual(this_year.pledged_count, frozen.pledged_count)
        self.assertEqual(term.pledged_count, 6)

    def test_workflow_from_strictly_above(self):
        term = self.create_term(self.district_a, self.user_officer_a)
        with self.assertRaises(UserError):
            term.with_user(self.user_officer_a).action_submit()
        term.with_user(self.user_officer_a).results = "<p>Tổng kết giai đoạn.</p>"
        term.with_user(self.user_officer_a).action_submit()
        self.assertEqual(term.state, "submitted")
        with self.assertRaises(AccessError):
            term.with_user(self.user_manager_a).action_accept()
        term.with_user(self.user_manager_province).action_accept()
        self.assertEqual(term.state, "accepted")
        self.assertFalse(
            self.env["union.term.report"]
            .with_user(self.user_officer_b)
            .search([("id", "=", term.id)])
        )

from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MANAGER
from .emulation_common import EmulationCase

COUNT_FIELDS = (
    "member_count",
    "studied_count",
    "pledged_count",
    "pledge_approved_count",
    "pledge_achieved_count",
    "exemplar_count",
    "commendation_count",
    "evaluation_excellent_count",
    "evaluation_good_count",
    "evaluation_complete_count",
    "evaluation_incomplete_count",
)
RATE_FIELDS = ("study_rate", "pledge_rate", "pledge_achieved_rate")


def figures(counts, rates):
    return dict(
        zip(COUNT_FIELDS, counts, strict=False),
        **dict(zip(RATE_FIELDS, rates, strict=False)),
    )


class AnnualReportCase(EmulationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A second grassroots union in district A, so that the district's
        # figures are more than its one grassroots union's.
        cls.grassroots_a2 = cls.env["union.organization"].create(
            {
                "name": "CĐCS Công ty A2",
                "code": "T-GA2",
                "level": "grassroots",
                "parent_id": cls.district_a.id,
            }
        )
        cls.Report = cls.env["union.annual.report"]

    def read_figures(self, record):
        return {name: record[name] for name in COUNT_FIELDS + RATE_FIELDS}

    def line_snapshot(self, report):
        return {
            line.organization_id: (line.depth, self.read_figures(line))
            for line in report.line_ids
        }

    def create_report(self, org, user, **vals):
        return self.Report.with_user(user).create(
            {"organization_id": org.id, "year": self.YEAR, **vals}
        )


@tagged("post_install", "-at_install")
class TestAnnualReportStatistics(AnnualReportCase):
    """The year's figures of a subtree, against hand-counted data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.build_year()

    @classmethod
    def build_year(cls):
        # The helpers are instance methods: run them once for the whole class,
        # on an instance that shares the class's environment and records.
        self = cls("run")
        year, last_year = cls.YEAR, cls.YEAR - 1
        a1, a2, b1 = cls.member_a1, cls.member_a2, cls.member_b1
        a3 = self.make_member("Phạm Văn Dũng", cls.grassroots_a, "T-0004")
        a4 = self.make_member("Hoàng Thị Em", cls.grassroots_a, "T-0005")
        a5 = self.make_member("Vũ Văn Giang", cls.sub_unit_a, "T-0006")
        a6 = self.make_member("Đỗ Thị Hoa", cls.grassroots_a2, "T-0007")
        self.make_member("Bùi Văn Khánh", cls.grassroots_b, "T-0008")
        a7 = self.make_member("Ngô Thị Lan", cls.grassroots_a, "T-0009")

        # Sessions: who studied in the year (a session of last year and a
        # cancelled one do not count; neither does a member who left).
        self.make_session(cls.grassroots_a, date(year, 3, 10), a1 | a3 | a2 | a7)
        self.make_session(cls.sub_unit_a, date(year, 5, 5), a2 | a5)
        self.make_session(cls.grassroots_a, date(last_year, 12, 20), a4)
        self.make_session(cls.grassroots_a, date(year, 6, 1), a4, state="cancelled")
        self.make_session(cls.grassroots_b, date(year, 4, 1), b1)
        a7.with_user(cls.user_officer_a).active = False

        # Pledges in every state.
        self.make_pledge(a1, "assessed", result="achieved")
        self.make_pledge(a2, "approved", result="partially_achieved")
        self.make_pledge(a3, "submitted")
        self.make_pledge(a4, "draft")
        self.make_pledge(a5, "assessed", result="not_achieved")
        self.make_pledge(b1, "approved", result="achieved")
        self.make_pledge(a1, "assessed", result="achieved", year=last_year)

        # Exemplars: recognised ones count, proposed ones and last year's do not.
        self.make_exemplar(cls.grassroots_a, "Mô hình Văn phòng xanh")
        self.make_exemplar(
            cls.sub_unit_a, "Mô hình Tổ công đoàn tự quản", recognized=False
        )
        self.make_exemplar(cls.district_b, "Mô hình Dân vận khéo")
        self.make_exemplar(cls.grassroots_a, "Mô hình năm trước", year=last_year)

        # Commendations: the recipients of approved ones, by proposing organisation.
        self.make_commendation(cls.grassroots_a, a1 | a3)
        self.make_commendation(cls.sub_unit_a, cls.sub_unit_a)
        self.make_commendation(cls.grassroots_b, b1, state="draft")
        self.make_commendation(cls.grassroots_b, b1)
        self.make_commendation(cls.district_a, a6, state="rejected")
        self.make_commendation(cls.grassroots_a, a1, year=last_year)

        # Evaluations: approved ones, per rating.
        self.make_evaluation(a1, 95, state="approved")
        self.make_evaluation(a2, 60, state="approved")
        self.make_evaluation(a3, 40, state="approved")
        self.make_evaluation(a5, 55, state="submitted")
        self.make_evaluation(a4, 75)
        self.make_evaluation(b1, 80, state="approved")
        self.make_evaluation(a1, 80, state="approved", year=last_year)

        # Hand count of each organisation's subtree.
        # Counts: members, studied, pledged, pledges approved, pledges achieved,
        # exemplars, commended, rated excellent, good, complete, incomplete.
        # Rates (%): study, pledge, pledges achieved over pledged.
        cls.expected = {
            cls.sub_unit_a: figures(
                (2, 2, 2, 2, 0, 0, 1, 0, 0, 1, 0), (100.0, 100.0, 0.0)
            ),
            cls.grassroots_a: figures(
                (5, 4, 4, 3, 1, 1, 3, 1, 0, 1, 1), (80.0, 80.0, 25.0)
            ),
            cls.grassroots_a2: figures(
                (1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), (0.0, 0.0, 0.0)
            ),
            cls.district_a: figures(
                (6, 4, 4, 3, 1, 1, 3, 1, 0, 1, 1), (66.7, 66.7, 25.0)
            ),
            cls.grassroots_b: figures(
                (2, 1, 1, 1, 1, 0, 1, 0, 1, 0, 0), (50.0, 50.0, 100.0)
            ),
            cls.district_b: figures(
                (2, 1, 1, 1, 1, 1, 1, 0, 1, 0, 0), (50.0, 50.0, 100.0)
            ),
            cls.province: figures(
                (8, 5, 5, 4, 2, 2, 4, 1, 1, 1, 1), (62.5, 62.5, 40.0)
            ),
        }
        cls.depth = {
            cls.province: 0,
            cls.district_a: 1,
            cls.district_b: 1,
            cls.grassroots_a: 2,
            cls.grassroots_a2: 2,
            cls.grassroots_b: 2,
            cls.sub_unit_a: 3,
        }

    def assert_report(self, report, orgs):
        self.assertEqual(
            self.read_figures(report), self.expected[report.organization_id]
        )
        self.assertEqual(report.line_ids.organization_id, orgs)
        root_depth = self.depth[report.organization_id]
        lines = report.line_ids.sorted("sequence")
        self.assertEqual(lines[0].organization_id, report.organization_id)
        seen = self.env["union.organization"]
        for line in lines:
            org = line.organization_id
            self.assertEqual(line.depth, self.depth[org] - root_depth, org.name)
            self.assertEqual(self.read_figures(line), self.expected[org], org.name)
            if org != report.organization_id:
                self.assertIn(org.parent_id, seen, "a parent comes before its children")
            seen |= org

    def test_province_report(self):
        report = self.create_report(self.province, self.user_manager_province)
        self.assertTrue(report.statistics_date)
        self.assert_report(
            report,
            self.province
            | self.district_a
            | self.district_b
            | self.grassroots_a
            | self.grassroots_a2
            | self.grassroots_b
            | self.sub_unit_a,
        )

    def test_stat_buttons_count_what_they_open(self):
        """Each stat button of the report and of its status row shows the
        length of the list it opens, for the user who opens it."""
        buttons = {
            "pledge_record_count": "action_open_pledges",
            "evaluation_record_count": "action_open_evaluations",
            "session_record_count": "action_open_sessions",
        }
        # Hand counts: every pledge, evaluation and session of the year in the
        # subtree, whatever its state (a session of last year does not count).
        cases = [
            (self.district_a, self.user_officer_a, (5, 5, 3)),
            (self.province, self.user_manager_province, (6, 6, 4)),
        ]
        for org, user, expected in cases:
            report = self.create_report(org, user)
            status = (
                self.env["union.report.status"]
                .with_user(user)
                .search([("organization_id", "=", org.id), ("year", "=", self.YEAR)])
            )
            self.assertEqual(status.report_id, report)
            for record in (report, status):
                counts = tuple(record[name] for name in buttons)
                self.assertEqual(counts, expected, (org.name, record._name))
                for name, method in buttons.items():
                    action = getattr(record, method)()
                    opened = (
                        self.env[action["res_model"]]
                        .with_user(user)
                        .search_count(action["domain"])
                    )
                    self.assertEqual(record[name], opened, (org.name, name))

    def test_organization_commendation_button(self):
        org = self.sub_unit_a.with_user(self.user_manager_province)
        action = org.action_open_commendations()
        lines = self.env["union.commendation.line"].with_user(
            self.user_manager_province
        )
        self.assertEqual(org.commendation_count, 1)
        self.assertEqual(lines.search_count(action["domain"]), 1)
        self.assertEqual(self.district_a.commendation_count, 0)

    def test_district_report(self):
        report = self.create_report(self.district_a, self.user_officer_a)
        self.assert_report(
            report,
            self.district_a | self.grassroots_a | self.grassroots_a2 | self.sub_unit_a,
        )

    def test_grassroots_report(self):
        report = self.create_report(self.grassroots_a, self.user_officer_a)
        self.assert_report(report, self.grassroots_a | self.sub_unit_a)
        report_b = self.create_report(self.grassroots_b, self.user_officer_b)
        self.assert_report(report_b, self.grassroots_b)

    def test_figures_frozen_at_submission(self):
        district = self.create_report(
            self.district_a,
            self.user_officer_a,
            results="<p>Hoàn thành kế hoạch năm.</p>",
        )
        grassroots = self.create_report(self.grassroots_a, self.user_officer_a)
        district.with_user(self.user_officer_a).action_submit()
        self.assertEqual(district.state, "submitted")
        frozen, frozen_lines = self.read_figures(district), self.line_snapshot(district)
        self.assertEqual(frozen, self.expected[self.district_a])

        # The year goes on after the submission.
        a8 = self.make_member("Lý Văn Minh", self.grassroots_a, "T-0010")
        self.make_pledge(a8, "assessed", result="achieved")
        self.make_session(self.grassroots_a, date(self.YEAR, 9, 1), a8)
        self.make_evaluation(a8, 85, state="approved")
        self.make_exemplar(self.grassroots_a2, "Mô hình mới")
        self.make_commendation(self.grassroots_a, a8)

        district.invalidate_recordset()
        self.assertEqual(self.read_figures(district), frozen)
        self.assertEqual(self.line_snapshot(district), frozen_lines)
        with self.assertRaises(UserError):
            district.with_user(self.user_officer_a).action_refresh()

        # Accepted, it keeps the figures it was submitted with.
        district.with_user(self.user_manager_province).action_accept()
        self.assertEqual(district.state, "accepted")
        self.assertEqual(self.read_figures(district), frozen)
        self.assertEqual(self.line_snapshot(district), frozen_lines)

        # A draft report takes the new data in on refresh.
        self.assertEqual(grassroots.member_count, 5)
        grassroots.with_user(self.user_officer_a).action_refresh()
        self.assertEqual(
            self.read_figures(grassroots),
            figures((6, 5, 5, 4, 2, 1, 4, 1, 1, 1, 1), (83.3, 83.3, 40.0)),
        )
        self.assertEqual(
            grassroots.line_ids.filtered(
                lambda line: line.organization_id == self.grassroots_a
            ).member_count,
            6,
        )

    def test_figures_cannot_be_written(self):
        report = self.create_report(self.grassroots_a, self.user_officer_a)
        with self.assertRaises(UserError):
            report.with_user(self.user_officer_a).write({"member_count": 1000})
        with self.assertRaises(UserError):
            report.line_ids[0].with_user(self.user_officer_a).write(
                {"member_count": 1000}
            )
        with self.assertRaises(UserError):
            report.with_user(self.user_officer_a).write({"is_overdue": True})
        self.assertEqual(report.member_count, 5)


@tagged("post_install", "-at_install")
class TestAnnualReportWorkflow(AnnualReportCase):
    """Submission by the officer, acceptance or return by the level above."""

    def test_submit_requires_results(self):
        report = self.create_report(self.district_a, self.user_officer_a)
        with self.assertRaises(UserError) as caught:
            report.with_user(self.user_officer_a).action_submit()
        self.assertIn(self.district_a.name, str(caught.exception))
        self.assertEqual(report.state, "draft")
        report.with_user(self.user_officer_a).write(
            {
                "results": "<p>100% đoàn viên học tập chuyên đề.</p>",
                "limitations": "<p>Một số CĐCS chưa lưu hồ sơ.</p>",
                "lessons": "<p>Gắn học tập với thi đua.</p>",
                "directions": "<p>Nhân rộng mô hình.</p>",
            }
        )
        report.with_user(self.user_officer_a).action_submit()
        self.assertEqual(report.state, "submitted")
        self.assertEqual(report.submit_user_id, self.user_officer_a)
        with self.assertRaises(UserError):
            report.with_user(self.user_officer_a).write(
                {"results": "<p>Sửa sau khi gửi</p>"}
            )

    def test_member_cannot_submit(self):
        report = self.create_report(
            self.grassroots_a, self.user_officer_a, results="<p>Kết quả</p>"
        )
        with self.assertRaises(AccessError):
            report.with_user(self.user_member_a1).action_submit()
        with self.assertRaises(AccessError):
            self.create_report(self.grassroots_b, self.user_member_b1)
        self.assertEqual(report.state, "draft")

    def test_accept_only_from_strictly_above(self):
        report = self.create_report(
            self.district_a, self.user_officer_a, results="<p>Kết quả</p>"
        )
        report.with_user(self.user_officer_a).action_submit()
        with self.assertRaises(AccessError):
            report.with_user(self.user_manager_a).action_accept()
        with self.assertRaises(AccessError):
            report.with_user(self.user_officer_a).action_accept()
        with self.assertRaises(AccessError):
            report.with_user(self.user_manager_b).action_accept()
        self.assertEqual(report.state, "submitted")
        report.with_user(self.user_manager_province).action_accept()
        self.assertEqual(report.state, "accepted")
        self.assertEqual(report.accept_user_id, self.user_manager_province)

    def test_district_manager_accepts_grassroots_report(self):
        report = self.create_report(
            self.grassroots_a, self.user_officer_a, results="<p>Kết quả</p>"
        )
        report.with_user(self.user_officer_a).action_submit()
        report.with_user(self.user_manager_a).action_accept()
        self.assertEqual(report.state, "accepted")

    def test_return_with_reason(self):
        report = self.create_report(
            self.district_a, self.user_officer_a, results="<p>Kết quả</p>"
        )
        report.with_user(self.user_officer_a).action_submit()
        with self.assertRaises(AccessError):
            report.with_user(self.user_officer_a).action_reset_to_draft(
                reason="Tự rút lại"
            )
        with self.assertRaises(AccessError):
            report.with_user(self.user_manager_a).action_reset_to_draft(
                reason="Tự rút lại"
            )
        action = report.with_user(self.user_manager_province).action_reset_to_draft()
        self.assertEqual(
            report.state, "submitted", "nothing changes before the reason is given"
        )
        self.confirm_reason(
            action, self.user_manager_province, "Bổ sung phần hạn chế, nguyên nhân"
        )
        self.assertEqual(report.state, "draft")
        self.assertIn(
            "Bổ sung phần hạn chế, nguyên nhân",
            self.messages_text(report, self.user_officer_a),
        )
        # Back in draft the officer completes it and submits again.
        report.with_user(self.user_officer_a).write(
            {"limitations": "<p>Hồ sơ chưa đầy đủ.</p>"}
        )
        report.with_user(self.user_officer_a).action_submit()
        self.assertEqual(report.state, "submitted")

    def test_one_report_per_organization_and_year(self):
        self.create_report(self.grassroots_a, self.user_officer_a)
        with self.assertRaises(UserError) as caught:
            self.create_report(self.grassroots_a, self.user_officer_a)
        self.assertIn(self.grassroots_a.name, str(caught.exception))
        self.assertEqual(
            self.Report.search_count(
                [
                    ("organization_id", "=", self.grassroots_a.id),
                    ("year", "=", self.YEAR),
                ]
            ),
            1,
        )
        self.Report.with_user(self.user_officer_a).create(
            {"organization_id": self.grassroots_a.id, "year": self.YEAR + 1}
        )

    def test_report_only_in_scope(self):
        with self.assertRaises(AccessError):
            self.create_report(self.district_b, self.user_officer_a)
        with self.assertRaises(AccessError):
            self.create_report(self.province, self.user_manager_a)
        self.assertFalse(
            self.Report.search(
                [("organization_id", "in", (self.district_b | self.province).ids)]
            )
        )

    def test_other_district_cannot_read(self):
        report = self.create_report(self.grassroots_a, self.user_officer_a)
        with self.assertRaises(AccessError):
            report.with_user(self.user_officer_b).read(["member_count"])
        self.assertIn(
            report, self.Report.with_user(self.user_manager_province).search([])
        )

    def test_due_date_default_and_settings(self):
        report = self.create_report(self.grassroots_a, self.user_officer_a)
        self.assertEqual(report.date_due, date(self.YEAR, 9, 10))
        self.set_setting("report_due_day", 15)
        self.set_setting("report_due_month", 8)
        later = self.create_report(self.grassroots_b, self.user_officer_b)
        self.assertEqual(later.date_due, date(self.YEAR, 8, 15))
        self.assertEqual(
            report.date_due,
            date(self.YEAR, 9, 10),
            "existing reports keep their due date",
        )

    def test_only_the_level_above_moves_the_due_date(self):
        report = self.create_report(self.grassroots_a, self.user_officer_a)
        # The grassroots union's own leader cannot push its deadline back...
        grassroots_leader = new_test_user(
            self.env,
            login="t_manager_grassroots_a",
            groups=f"base.group_user,{MANAGER}",
            union_organization_ids=[Command.set(self.grassroots_a.ids)],
        )
        with self.assertRaises(AccessError):
            report.with_user(grassroots_leader).write(
                {"date_due": date(self.YEAR, 12, 31)}
            )
        self.assertEqual(report.date_due, date(self.YEAR, 9, 10))
        # ...the district above it can.
        report.with_user(self.user_manager_a).write(
            {"date_due": date(self.YEAR, 9, 30)}
        )
        self.assertEqual(report.date_due, date(self.YEAR, 9, 30))


@tagged("post_install", "-at_install")
class TestAnnualReportCron(AnnualReportCase):
    """The daily scheduled action: creation, reminders, overdue reports."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cron = cls.env.ref("trade_union_emulation.ir_cron_annual_report")
        cls.activity_type = cls.env.ref(
            "trade_union_emulation.mail_activity_type_annual_report"
        )
        cls.reporting = (
            cls.district_a
            | cls.district_b
            | cls.grassroots_a
            | cls.grassroots_a2
            | cls.grassroots_b
        )

    def run_cron(self, day):
        with freeze_time(f"{day} 10:00:00"):
            self.cron.method_direct_trigger()

    def reports(self):
        return self.Report.search(
            [
                ("organization_id", "child_of", self.province.id),
                ("year", "=", self.YEAR),
            ]
        )

    def reminders(self, report):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "union.annual.report"),
                ("res_id", "=", report.id),
                ("activity_type_id", "=", self.activity_type.id),
            ]
        )

    def report_of(self, org):
        return self.reports().filtered(lambda r: r.organization_id == org)

    def officers_of(self, org):
        if org.parent_path.startswith(self.district_a.parent_path):
            return self.user_officer_a | self.user_manager_a
        return self.user_officer_b | self.user_manager_b

    def test_creates_missing_reports_idempotently(self):
        existing = self.create_report(self.grassroots_a, self.user_officer_a)
        self.run_cron(f"{self.YEAR}-07-01")
        reports = self.reports()
        self.assertEqual(
            reports.organization_id,
            self.reporting,
            "upper-grassroots and grassroots unions only",
        )
        self.assertEqual(len(reports), 5)
        self.assertIn(existing, reports)
        self.assertEqual(set(reports.mapped("state")), {"draft"})
        self.assertEqual(set(reports.mapped("date_due")), {date(self.YEAR, 9, 10)})
        self.assertEqual(
            self.report_of(self.district_a).member_count, 2, "created with its figures"
        )
        # No reminder yet: the due date is more than 30 days away.
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "union.annual.report"),
                    ("res_id", "in", reports.ids),
                ]
            )
        )

        total = self.Report.search_count([])
        self.run_cron(f"{self.YEAR}-07-01")
        self.assertEqual(
            self.Report.search_count([]), total, "a second run creates nothing"
        )
        self.assertEqual(self.reports(), reports)

    def test_cron_figures_are_those_of_a_refresh(self):
        """The job computes the figures of every tree once for all its
        batches: each report and each of its lines must hold what the
        report's own refresh computes."""
        self.patch(type(self.Report), "_cron_batch_size", 2)
        self.run_cron(f"{self.YEAR}-07-01")
        reports = self.reports()
        self.assertEqual(len(reports), 5)

        def figures(report):
            lines = [
                (
                    line.organization_id,
                    line.depth,
                    line.sequence,
                    line.member_count,
                    line.pledged_count,
                    line.studied_count,
                )
                for line in report.line_ids
            ]
            return report.member_count, report.pledged_count, lines

        from_cron = {report: figures(report) for report in reports}
        reports._refresh_statistics()
        for report in reports:
            with self.subTest(report=report.display_name):
                self.assertEqual(figures(report), from_cron[report])
        self.assertEqual(from_cron[self.report_of(self.district_a)][0], 2, "A1 and A2")
        lines_a = from_cron[self.report_of(self.district_a)][2]
        self.assertEqual(
            {line[0] for line in lines_a},
            {self.district_a, self.grassroots_a, self.sub_unit_a, self.grassroots_a2},
            "the district and everything under it, nothing of district B",
        )

    def test_reminders_overdue(self):
        self.run_cron(f"{self.YEAR}-08-10")
        self.assertFalse(
            self.env["mail.activity"].search(
                [
                    ("res_model", "=", "union.annual.report"),
                    ("res_id", "in", self.reports().ids),
                ]
            )
        )

        # 30 days before the due date: one activity per officer of each organisation.
        for _run in range(2):
            self.run_cron(f"{self.YEAR}-08-11")
            for report in self.reports():
                activities = self.reminders(report)
                self.assertEqual(
                    activities.user_id,
                    self.officers_of(report.organization_id),
                    report.display_name,
                )
                self.assertEqual(
                    len(activities), 2, "no duplicate on a second run the same day"
                )
                self.assertEqual(
                    set(activities.mapped("date_deadline")), {date(self.YEAR, 9, 10)}
                )
                self.assertTrue(
                    all("30" in summary for summary in activities.mapped("summary"))
                )

        # Between the two reminders nothing new.
        self.run_cron(f"{self.YEAR}-08-20")
        self.assertEqual(len(self.reminders(self.report_of(self.district_b))), 2)

        # Grassroots union A submits: its reminders are done, no more come.
        submitted = self.report_of(self.grassroots_a)
        with freeze_time(f"{self.YEAR}-08-25 10:00:00"):
            submitted.with_user(self.user_officer_a).write(
                {"results": "<p>Hoàn thành kế hoạch.</p>"}
            )
            submitted.with_user(self.user_officer_a).action_submit()
        self.assertFalse(self.reminders(submitted))

        # 7 days before: the open reminder of each officer says so, still one
        # activity per officer and report (issue 9.2).
        first = {report: self.reminders(report) for report in self.reports()}
        for _run in range(2):
            self.run_cron(f"{self.YEAR}-09-03")
            for report in self.reports() - submitted:
                activities = self.reminders(report)
                self.assertEqual(activities, first[report], report.display_name)
                self.assertEqual(len(activities), 2, report.display_name)
                for activity in activities:
                    self.assertIn("7", activity.summary)
                    self.assertNotIn("30", activity.summary)
            self.assertFalse(self.reminders(submitted))

        # On the due date nothing is late yet; the day after, drafts are.
        self.run_cron(f"{self.YEAR}-09-10")
        self.assertFalse(any(self.reports().mapped("is_overdue")))
        self.run_cron(f"{self.YEAR}-09-11")
        for report in self.reports():
            self.assertEqual(
                report.is_overdue, report != submitted, report.display_name
            )
        self.run_cron(f"{self.YEAR}-09-12")
        self.assertEqual(len(self.reports().filtered("is_overdue")), 4)

    def test_late_report_gets_one_reminder(self):
        """A report first made five days before the due date: one reminder per
        officer, not one for each reminder date already passed."""
        self.run_cron(f"{self.YEAR}-09-05")
        for report in self.reports():
            activities = self.reminders(report)
            self.assertEqual(
                activities.user_id, self.officers_of(report.organization_id)
            )
            self.assertEqual(len(activities), 2, report.display_name)
        self.run_cron(f"{self.YEAR}-09-06")
        self.assertEqual(len(self.reminders(self.report_of(self.grassroots_b))), 2)

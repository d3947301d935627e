"""Issue 10.4: faults do not lose or double work.

A job runs in its own transaction and commits batch by batch. The tests run it
on a cursor of the registry's test mode, as Odoo's own cron tests do
(odoo/addons/base/tests/test_ir_cron.py): its commits are kept, an exception or
a killed worker rolls back to the last commit, and the whole test is rolled
back at the end. Two workers at once need two real connections: that test
works on committed data and removes what it committed."""

from collections import Counter
from contextlib import contextmanager
from unittest.mock import patch

from freezegun import freeze_time

from odoo import SUPERUSER_ID, Command, api
from odoo.tests import TransactionCase, tagged

from .common import UnionCase


class WorkerKilled(BaseException):
    """A worker stopped from outside: no except clause of the job runs."""


@contextmanager
def fail_on_call(model, method, number, exception=RuntimeError):
    """Make the ``number``-th call of ``model.method`` raise ``exception``."""
    cls = type(model)
    original = getattr(cls, method)
    calls = []

    def wrapper(self, *args, **kwargs):
        calls.append(args)
        if len(calls) == number:
            raise exception(f"{method}: fault injected in call {number}")
        return original(self, *args, **kwargs)

    with patch.object(cls, method, wrapper):
        yield calls


@tagged("post_install", "-at_install")
class TestJobFaults(UnionCase):
    YEAR = 2027
    TODAY = "2027-03-01 02:00:00"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for index in range(12):
            cls.env["union.member"].create(
                {
                    "name": f"Đoàn viên số {index}",
                    "organization_id": (cls.grassroots_a | cls.grassroots_b)[
                        index % 2
                    ].id,
                    "category": ("civil_servant", "public_employee", "worker")[
                        index % 3
                    ],
                }
            )

    @contextmanager
    def interrupted(self, exception):
        """Expect the job to stop on ``exception``. (Odoo's assertRaises would
        roll back the savepoint it opens, and the job's commits with it.)"""
        try:
            yield
        except exception:
            return
        self.fail(f"{exception.__name__} not raised")

    @contextmanager
    def worker(self, user_id=SUPERUSER_ID):
        """The cursor of a job worker: commits are kept; leaving it on an
        exception rolls back what was not committed."""
        self.env.flush_all()
        self.registry.enter_test_mode(self.cr)
        try:
            with self.registry.cursor() as cr:
                yield api.Environment(cr, user_id, {})
        finally:
            self.registry.leave_test_mode()
            self.env.invalidate_all()

    def active_member_ids(self):
        return set(self.env["union.member"].search([]).ids)

    def assert_once_each(self, model_name, key, expected_keys, year):
        groups = self.env[model_name]._read_group(
            [("year", "=", year)], [key], ["__count"]
        )
        counts = {record.id: count for record, count in groups}
        self.assertEqual(set(counts), set(expected_keys), "no gap")
        self.assertEqual(set(counts.values()), {1}, "no duplicate")

    # The pledge campaign --------------------------------------------------------------

    def test_pledge_cron_exception_in_third_batch(self):
        Pledge = self.env["union.pledge"]
        self.assertFalse(Pledge.search_count([("year", "=", self.YEAR)]))
        members = self.active_member_ids()
        with (
            freeze_time(self.TODAY),
            patch.object(type(Pledge), "_generation_batch_size", 10),
            fail_on_call(Pledge, "_insert_draft_pledges", 3) as calls,
            self.interrupted(RuntimeError),
            self.worker() as env,
        ):
            env["union.pledge"]._cron_generate_pledges()
        self.assertEqual(len(calls), 3)
        kept = Pledge.search([("year", "=", self.YEAR)])
        self.assertEqual(len(kept), 20, "the two committed batches are intact")
        self.assertTrue(all(kept.mapped("line_ids")), "each with its commitments")

        with freeze_time(self.TODAY), self.worker() as env:
            env["union.pledge"]._cron_generate_pledges()
        self.assert_once_each("union.pledge", "member_id", members, self.YEAR)
        pledges = Pledge.search([("year", "=", self.YEAR)])
        self.assertFalse(pledges.filtered(lambda p: not p.line_ids))
        self.assertTrue(set(kept.ids) <= set(pledges.ids), "the kept ones stay")

    def test_pledge_cron_worker_killed(self):
        Pledge = self.env["union.pledge"]
        members = self.active_member_ids()
        with (
            freeze_time(self.TODAY),
            patch.object(type(Pledge), "_generation_batch_size", 7),
            fail_on_call(Pledge, "_insert_draft_pledges", 4, WorkerKilled),
            self.interrupted(WorkerKilled),
            self.worker() as env,
        ):
            env["union.pledge"]._cron_generate_pledges()
        self.assertEqual(Pledge.search_count([("year", "=", self.YEAR)]), 21)
        with freeze_time(self.TODAY), self.worker() as env:
            env["union.pledge"]._cron_generate_pledges()
            # A second run the same day finds nothing to do.
            env["union.pledge"]._cron_generate_pledges()
        self.assert_once_each("union.pledge", "member_id", members, self.YEAR)

    # The evaluation campaign ----------------------------------------------------------

    def test_evaluation_campaign_interrupted(self):
        """The campaign wizard runs in the officer's request: a fault in its
        third batch leaves nothing half-made, and running it again makes every
        evaluation once."""
        Evaluation = self.env["union.member.evaluation"]
        scope_members = set(
            self.env["union.member"]
            .search([("organization_id", "child_of", self.district_a.id)])
            .ids
        )
        self.assertGreater(len(scope_members), 4)

        def run(env):
            wizard = env["union.evaluation.campaign.wizard"].create(
                {
                    "year": self.YEAR,
                    "organization_ids": [Command.set(self.district_a.ids)],
                }
            )
            return wizard.action_generate()

        with (
            freeze_time(self.TODAY),
            patch.object(type(Evaluation), "_generation_batch_size", 2),
            fail_on_call(Evaluation, "_insert_draft_evaluations", 3),
            self.interrupted(RuntimeError),
            self.worker(self.user_officer_a.id) as env,
        ):
            run(env)
        self.assertFalse(Evaluation.search_count([("year", "=", self.YEAR)]))

        with (
            freeze_time(self.TODAY),
            patch.object(type(Evaluation), "_generation_batch_size", 2),
            self.worker(self.user_officer_a.id) as env,
        ):
            action = run(env)
            again = run(env)
        self.assertIn(str(len(scope_members)), action["params"]["message"])
        self.assertIn("0 draft evaluations created", again["params"]["message"])
        self.assert_once_each(
            "union.member.evaluation", "member_id", scope_members, self.YEAR
        )
        evaluations = Evaluation.search([("year", "=", self.YEAR)])
        self.assertEqual(set(evaluations.mapped("state")), {"draft"})
        self.assertEqual(set(evaluations.mapped("rating")), {"incomplete"})
        for evaluation in evaluations:
            self.assertEqual(
                evaluation.organization_id, evaluation.member_id.organization_id
            )

    # The annual-report job ------------------------------------------------------------

    def reporting_orgs(self):
        return self.env["union.organization"].search(
            [("level", "in", ("upper_grassroots", "grassroots"))]
        )

    def reminders(self):
        reports = self.env["union.annual.report"].search([("year", "=", self.YEAR)])
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "union.annual.report"),
                ("res_id", "in", reports.ids),
                (
                    "activity_type_id",
                    "=",
                    self.env.ref(
                        "trade_union_emulation.mail_activity_type_annual_report"
                    ).id,
                ),
            ]
        )

    def assert_one_reminder_per_officer(self):
        reports = self.env["union.annual.report"].search([("year", "=", self.YEAR)])
        counts = Counter(
            (activity.res_id, activity.user_id.id) for activity in self.reminders()
        )
        self.assertEqual(set(counts.values()), {1}, "no reminder twice")
        expected = {
            (report.id, user.id)
            for report in reports
            for user in report.organization_id._get_officer_users()
        }
        self.assertEqual(set(counts), expected, "every officer reminded")

    def test_annual_report_cron_exception_in_third_batch(self):
        Report = self.env["union.annual.report"]
        orgs = self.reporting_orgs()
        self.assertGreater(len(orgs), 9)
        day = "2027-08-20 02:00:00"  # 21 days before 10/9: the 30-day reminder
        with (
            freeze_time(day),
            patch.object(type(Report), "_cron_batch_size", 3),
            fail_on_call(Report, "_refresh_statistics", 3),
            self.interrupted(RuntimeError),
            self.worker() as env,
        ):
            env["union.annual.report"]._cron_annual_reports()
        self.assertEqual(
            Report.search_count([("year", "=", self.YEAR)]), 6, "two batches kept"
        )
        self.assertFalse(self.reminders())

        with freeze_time(day), patch.object(type(Report), "_cron_batch_size", 3):
            with self.worker() as env:
                env["union.annual.report"]._cron_annual_reports()
            with self.worker() as env:
                env["union.annual.report"]._cron_annual_reports()
        self.assert_once_each(
            "union.annual.report", "organization_id", orgs.ids, self.YEAR
        )
        self.assert_one_reminder_per_officer()

    def test_annual_report_reminders_interrupted(self):
        Report = self.env["union.annual.report"]
        orgs = self.reporting_orgs()
        with freeze_time("2027-07-01 02:00:00"), self.worker() as env:
            env["union.annual.report"]._cron_annual_reports()
        self.assertFalse(self.reminders(), "too early for a reminder")

        day = "2027-08-20 02:00:00"
        original = type(Report)._workflow_write
        seen = []

        def failing(self, vals):
            if "reminded_days" in vals:
                seen.append(vals)
                if len(seen) == 3:
                    raise WorkerKilled("killed while reminding")
            return original(self, vals)

        with (
            freeze_time(day),
            patch.object(type(Report), "_cron_batch_size", 4),
            patch.object(type(Report), "_workflow_write", failing),
            self.interrupted(WorkerKilled),
            self.worker() as env,
        ):
            env["union.annual.report"]._cron_annual_reports()
        reminded = Report.search([("year", "=", self.YEAR), ("reminded_days", "=", 30)])
        self.assertEqual(len(reminded), 8, "two batches of reminders kept")
        self.assertEqual(
            set(self.reminders().mapped("res_id")) - set(reminded.ids), set()
        )

        with freeze_time(day), patch.object(type(Report), "_cron_batch_size", 4):
            with self.worker() as env:
                env["union.annual.report"]._cron_annual_reports()
        self.assert_once_each(
            "union.annual.report", "organization_id", orgs.ids, self.YEAR
        )
        self.assert_one_reminder_per_officer()
        # The 7-day reminder updates the same activities.
        before = self.reminders()
        with freeze_time("2027-09-04 02:00:00"), self.worker() as env:
            env["union.annual.report"]._cron_annual_reports()
        self.assertEqual(self.reminders(), before)
        self.assertTrue(all("6" in summary for summary in before.mapped("summary")))
        self.assert_one_reminder_per_officer()


@tagged("post_install", "-at_install")
class TestTwoWorkers(TransactionCase):
    """Two workers run the annual-report job at once, on two real connections
    to the database: each report and each reminder is made once. The job
    works on the committed demo data; the test removes what it commits."""

    YEAR = 2027
    DAY = "2027-09-05 02:00:00"  # 5 days before 10/9: the 7-day reminder

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            cr.execute("SELECT coalesce(max(id), 0) FROM union_annual_report")
            self.last_report_id = cr.fetchone()[0]
            # Late drafts the job will mark overdue: put back as they were.
            cr.execute(
                """SELECT id FROM union_annual_report
                    WHERE state = 'draft' AND date_due < %s AND NOT is_overdue""",
                [self.DAY[:10]],
            )
            self.not_overdue_ids = [row[0] for row in cr.fetchall()]
            cr.execute(
                "SELECT count(*) FROM union_annual_report WHERE year = %s", [self.YEAR]
            )
            self.assertFalse(cr.fetchone()[0], "no report of that year yet")
        self.addCleanup(self.remove_committed)

    def remove_committed(self):
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["union.annual.report"].search(
                [("id", ">", self.last_report_id)]
            ).unlink()
            if self.not_overdue_ids:
                cr.execute(
                    "UPDATE union_annual_report SET is_overdue = FALSE"
                    " WHERE id = ANY(%s)",
                    [self.not_overdue_ids],
                )

    @contextmanager
    def connection(self):
        with self.registry.cursor() as cr:
            yield api.Environment(cr, SUPERUSER_ID, {})

    def test_two_workers_at_once(self):
        Report = self.env["union.annual.report"]
        skipped = []
        original = type(Report)._send_reminders

        with freeze_time(self.DAY):
            with self.connection() as env_b, self.connection() as env_c:
                # Worker B starts its transaction before worker A commits anything.
                env_b["union.annual.report"].search_count([])

                def while_a_works(self, today, auto_commit):
                    # A holds the job: C, started meanwhile, leaves at once.
                    if not skipped:
                        skipped.append(
                            env_c["union.annual.report"]._cron_annual_reports(
                                auto_commit=True
                            )
                        )
                        env_c.cr.commit()
                    return original(self, today, auto_commit)

                with (
                    patch.object(type(Report), "_send_reminders", while_a_works),
                    self.connection() as env_a,
                ):
                    env_a["union.annual.report"]._cron_annual_reports(auto_commit=True)
                self.assertEqual(skipped, [None])
                # B runs once A is done, on its old transaction: it sees A's work.
                env_b["union.annual.report"]._cron_annual_reports(auto_commit=True)
                env_b.cr.commit()

            with self.connection() as env:
                reports = env["union.annual.report"].search([("year", "=", self.YEAR)])
                orgs = env["union.organization"].search(
                    [("level", "in", ("upper_grassroots", "grassroots"))]
                )
                self.assertEqual(
                    sorted(reports.organization_id.ids), sorted(orgs.ids), "once each"
                )
                self.assertEqual(len(reports), len(orgs))
                activities = env["mail.activity"].search(
                    [
                        ("res_model", "=", "union.annual.report"),
                        ("res_id", "in", reports.ids),
                    ]
                )
                counts = Counter((a.res_id, a.user_id.id) for a in activities)
                self.assertTrue(counts, "the officers are reminded")
                self.assertEqual(set(counts.values()), {1}, "each reminder once")
                expected = {
                    (report.id, user.id)
                    for report in reports
                    for user in report.organization_id._get_officer_users()
                }
                self.assertEqual(set(counts), expected)


@tagged("post_install", "-at_install")
class TestCampaignDuringApprovals(TransactionCase):
    """A campaign runs while a leader approves: on two real connections, the
    campaign's snapshot is taken, then a pledge (an evaluation) it would skip
    is changed and committed by the other connection. The campaign must skip
    it, not fail with a serialization error (REPEATABLE READ, ON CONFLICT on
    a row changed since the snapshot), and create nothing twice."""

    def check_campaign(self, model, insert):
        with self.registry.cursor() as cr:
            cr.execute(
                f"SELECT id, member_id, year, write_date FROM {model._table}"
                " ORDER BY id LIMIT 1"
            )
            record_id, member_id, year, write_date = cr.fetchone()
        self.addCleanup(self.restore, model._table, record_id, write_date)
        with self.registry.cursor() as campaign_cr:
            campaign_env = api.Environment(campaign_cr, SUPERUSER_ID, {})
            campaign_cr.execute(f"SELECT count(*) FROM {model._table}")  # snapshot
            with self.registry.cursor() as leader_cr:
                leader_cr.execute(
                    f"UPDATE {model._table} SET write_date = now() WHERE id = %s",
                    [record_id],
                )
                leader_cr.commit()
            created = insert(campaign_env, year, [member_id])
            self.assertEqual(created, 0, "the existing record is skipped")
            campaign_cr.execute(
                f"SELECT count(*) FROM {model._table} WHERE member_id = %s"
                " AND year = %s",
                [member_id, year],
            )
            self.assertEqual(campaign_cr.fetchone()[0], 1)
            campaign_cr.rollback()

    def restore(self, table, record_id, write_date):
        with self.registry.cursor() as cr:
            cr.execute(
                f"UPDATE {table} SET write_date = %s WHERE id = %s",
                [write_date, record_id],
            )

    def test_pledge_campaign_skips_what_a_leader_changed(self):
        self.check_campaign(
            self.env["union.pledge"],
            lambda env, year, ids: env["union.pledge"]._insert_draft_pledges(year, ids),
        )

    def test_evaluation_campaign_skips_what_a_leader_changed(self):
        self.check_campaign(
            self.env["union.member.evaluation"],
            lambda env, year, ids: env[
                "union.member.evaluation"
            ]._insert_draft_evaluations(year, ids, "complete"),
        )

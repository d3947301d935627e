import io
import json
import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

import openpyxl

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged


def load_bench():
    """scripts/bench.py, which is no package of the addon: loaded by its path."""
    path = Path(get_module_path("trade_union_emulation")) / "scripts" / "bench.py"
    import importlib.util

    spec = importlib.util.spec_from_file_location("trade_union_bench", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_module = load_bench()


@tagged("post_install", "-at_install")
class TestBench(TransactionCase):
    """Every code path of scripts/bench.py at a small size, inside the test's
    transaction (nothing is committed): what the data build and each workload
    make, checked against hand counts and against their lower bounds. Timings
    are the bench's business, not the tests'."""

    MEMBERS = 300
    GRASSROOTS = 6
    DISTRICTS = 2
    IMPORT_ROWS = 30

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sizes = bench_module.Sizes(
            cls.MEMBERS, cls.GRASSROOTS, cls.DISTRICTS, import_rows=cls.IMPORT_ROWS
        )
        cls.bench = bench_module.build_province(cls.env, cls.sizes, commit=False)
        cls.year = cls.sizes.year

    def province_count(self, model, domain=()):
        return self.env[model].search_count(
            [("organization_id", "child_of", self.bench.province.id), *domain]
        )

    def members(self):
        return (
            self.env["union.member"]
            .with_context(active_test=False)
            .search([("organization_id", "child_of", self.bench.province.id)])
        )

    def assert_once_each(self, model, key, expected):
        records = self.env[model].search(
            [
                ("year", "=", self.year),
                ("organization_id", "child_of", self.bench.province.id),
            ]
        )
        counts = Counter(records.mapped(key).ids)
        self.assertEqual(set(counts), set(expected.ids), "no gap")
        self.assertEqual(set(counts.values()), {1}, "no duplicate")

    # The data build ----------------------------------------------------------------

    def test_sizes_keep_the_ratio_of_districts(self):
        self.assertEqual(bench_module.Sizes(100_000, 1_000).districts, 12)
        self.assertEqual(bench_module.Sizes(1_000_000, 10_000).districts, 120)
        self.assertEqual(bench_module.Sizes(300, 6).districts, 1)

    def test_targets_scale_with_the_growth_allowed(self):
        w1 = bench_module.TARGETS["W1"]
        limit = bench_module.time_limit
        self.assertEqual(limit(w1, bench_module.Sizes(100_000, 1_000)), 5.0)
        self.assertEqual(limit(w1, bench_module.Sizes(300, 6)), 5.0)
        self.assertEqual(limit(w1, bench_module.Sizes(1_000_000, 10_000)), 60.0)
        self.assertIsNone(limit(bench_module.TARGETS["W3"], self.sizes))

    def test_build_makes_the_province(self):
        bench = self.bench
        Org = self.env["union.organization"]
        subtree = Org.search([("id", "child_of", bench.province.id)])
        self.assertEqual(len(subtree), 1 + self.DISTRICTS + self.GRASSROOTS)
        self.assertEqual(len(bench.grassroots), self.GRASSROOTS)
        self.assertEqual(
            Counter(org.parent_id.id for org in bench.grassroots),
            {d.id: self.GRASSROOTS // self.DISTRICTS for d in bench.districts},
        )
        self.assertEqual(len(set(subtree.mapped("code"))), len(subtree))
        members = self.members()
        self.assertEqual(len(members), self.MEMBERS)
        self.assertEqual(
            set(members.mapped("organization_id").ids), set(bench.grassroots.ids)
        )
        self.assertEqual(
            self.province_count("union.study.session", [("year", "=", self.year)]),
            self.GRASSROOTS,
        )
        attended = sum(
            self.env["union.study.session"]
            .search([("organization_id", "child_of", bench.province.id)])
            .mapped("attendee_count")
        )
        self.assertEqual(attended, len(members.filtered(lambda m: m.id % 5)))
        self.assertEqual(
            self.province_count("union.exemplar", [("state", "=", "recognized")]),
            self.GRASSROOTS,
        )
        self.assertFalse(self.province_count("union.pledge"), "W1 makes them")
        self.assertFalse(self.province_count("union.member.evaluation"), "W5 does")
        self.assertEqual(
            self.province_count("union.annual.report", [("year", "=", self.year - 1)]),
            self.DISTRICTS + self.GRASSROOTS,
        )

    def test_build_creates_officers_with_scopes(self):
        bench = self.bench
        self.assertEqual(bench.manager.union_organization_ids, bench.province)
        self.assertTrue(
            bench.manager.has_group("trade_union_emulation.group_union_manager")
        )
        scopes = bench.officers.mapped("union_organization_ids")
        self.assertEqual(scopes, bench.districts | bench.grassroots[:1])
        self.assertEqual(len(bench.officers), self.DISTRICTS + 1)
        for officer in bench.officers:
            self.assertTrue(
                officer.has_group("trade_union_emulation.group_union_officer")
            )

    def test_sql_grassroots_match_the_orm(self):
        self.assertEqual(
            bench_module.orm_twin_differences(self.env, self.bench.grassroots), []
        )
        for org in self.bench.grassroots:
            self.assertEqual(org.parent_path, f"{org.parent_id.parent_path}{org.id}/")
            self.assertEqual(
                org.complete_name, f"{org.parent_id.complete_name} / {org.name}"
            )
            self.assertEqual(org.grassroots_id, org)

    # The workloads -----------------------------------------------------------------

    def test_w1_pledge_campaign(self):
        line = bench_module.w1_pledge_campaign(self.bench)
        data = line["data"]
        members = self.members().filtered("active")
        self.assertEqual(data["created"], len(members))
        self.assertEqual(data["existing"], 0)
        self.assert_once_each("union.pledge", "member_id", members)
        lines = self.env["union.pledge.line"].search_count(
            [("pledge_id.organization_id", "child_of", self.bench.province.id)]
        )
        self.assertEqual(data["lines"], lines)
        self.assertGreater(lines, len(members), "several criteria per pledge")
        self.assertEqual(
            (data["bound_pledges"], data["bound_lines"]),
            (data["pledges"], data["lines"]),
            "the bound makes the same rows",
        )
        self.assertEqual(line["key"], "W1")
        self.assertFalse(
            self.env["union.pledge"].search_count([("year", "=", self.year + 1)]),
            "the bound's insert into the real tables is undone",
        )

    def test_w5_evaluation_campaign(self):
        line = bench_module.w5_evaluation_campaign(self.bench)
        data = line["data"]
        members = self.members().filtered("active")
        self.assertEqual(data["created"], len(members))
        self.assertEqual(data["bound_evaluations"], len(members))
        self.assert_once_each("union.member.evaluation", "member_id", members)
        Evaluation = self.env["union.member.evaluation"]
        approved = Evaluation.search(
            [
                ("organization_id", "child_of", self.bench.province.id),
                ("state", "=", "approved"),
            ]
        )
        self.assertEqual(
            len(approved), len(members.filtered(lambda m: m.id % 10)), "then rated"
        )

    def run_until_statistics(self):
        bench_module.w1_pledge_campaign(self.bench)
        bench_module.advance_pledges(self.bench)
        bench_module.w5_evaluation_campaign(self.bench)
        lines = bench_module.w2_province_statistics(self.bench)
        self.assertEqual([line["key"] for line in lines], ["W2", "W2b"])
        return lines[0]

    def test_w2_statistics_equal_hand_counts_and_bound(self):
        line = self.run_until_statistics()
        data = line["data"]
        totals = data["statistics"][self.bench.province.id]
        Pledge = self.env["union.pledge"]
        Evaluation = self.env["union.member.evaluation"]
        in_province = ("organization_id", "child_of", self.bench.province.id)
        pledges = Pledge.search([in_province, ("year", "=", self.year)])
        evaluations = Evaluation.search(
            [in_province, ("year", "=", self.year), ("state", "=", "approved")]
        )
        hand = {
            "member_count": len(self.members().filtered("active")),
            "pledged_count": len(pledges.filtered(lambda p: p.state != "draft")),
            "pledge_achieved_count": len(
                pledges.filtered(
                    lambda p: p.state in ("approved", "assessed")
                    and p.result == "achieved"
                )
            ),
            "exemplar_count": self.GRASSROOTS,
            "commendation_count": self.GRASSROOTS,
            "studied_count": len(self.members().filtered(lambda m: m.id % 5)),
        }
        for rating in ("excellent", "good", "complete", "incomplete"):
            hand[f"evaluation_{rating}_count"] = len(
                evaluations.filtered(lambda e, r=rating: e.rating == r)
            )
        self.assertEqual({name: totals[name] for name in hand}, hand)
        bound_totals = Counter()
        for figures in data["bound_rows"].values():
            bound_totals.update(figures)
        self.assertEqual(
            {name: bound_totals[name] for name in hand}, hand, "the bound agrees"
        )
        report = data["report"]
        self.assertEqual(report.member_count, hand["member_count"])
        self.assertEqual(
            len(report.line_ids), 1 + self.DISTRICTS + self.GRASSROOTS, "one per unit"
        )

    def test_w3_export_has_every_pledge(self):
        bench_module.w1_pledge_campaign(self.bench)
        bench_module.advance_pledges(self.bench)
        line = bench_module.w3_pledge_export(self.bench)
        data = line["data"]
        pledges = self.env["union.pledge"].browse(data["pledge_ids"])
        self.assertEqual(len(pledges), len(self.members().filtered("active")))
        self.assertEqual(data["bound_rows"], len(pledges), "the bound's rows")
        # One sheet per kind of list (draft, registered, results).
        workbook = openpyxl.load_workbook(io.BytesIO(data["content"]))
        self.assertEqual(len(workbook.worksheets), 3)
        cells = Counter(
            value
            for sheet in workbook.worksheets
            for cells in sheet.iter_rows(values_only=True)
            for value in cells
        )
        for name in pledges.member_id.mapped("name"):
            self.assertEqual(cells[name], 1, name)

    def test_w4_officer_first_page_under_rules(self):
        bench_module.w1_pledge_campaign(self.bench)
        line = bench_module.w4_officer_first_page(self.bench)
        page = line["data"]["page"]
        district = self.bench.districts[0]
        expected = self.env["union.pledge"].search(
            [("organization_id", "child_of", district.id), ("year", "=", self.year)]
        )
        self.assertEqual(page["length"], len(expected))
        self.assertEqual(len(page["records"]), min(len(expected), 80))
        self.assertLessEqual(
            {record["id"] for record in page["records"]}, set(expected.ids)
        )
        self.assertEqual(line["data"]["officer"].union_organization_ids, district)

    def test_w6_annual_report_cron(self):
        lines = bench_module.w6_annual_report_cron(self.bench)
        self.assertEqual([line["key"] for line in lines], ["W6", "W6b"])
        data = lines[0]["data"]
        reporting = self.bench.districts | self.bench.grassroots
        new = sorted(set(data["after"]["reports"]) - set(data["before"]["reports"]))
        self.assertEqual(new, sorted((org.id, self.year) for org in reporting))
        self.assertEqual(new, data["bound"]["reports"], "the bound's reports")
        # Each report reminds the officers of the nearest unit that has some:
        # the grassroots union's own officer, or else its district's.
        scope = {
            officer.union_organization_ids.id: officer
            for officer in self.bench.officers
        }
        hand = sorted(
            (org.id, (scope.get(org.id) or scope[org.parent_id.id]).id)
            for org in reporting
        )
        self.assertEqual(data["after"]["reminders"], hand)
        self.assertEqual(data["bound"]["reminders"], hand, "the bound's reminders")
        last_year_drafts = self.env["union.annual.report"].search(
            [
                ("organization_id", "in", reporting.ids),
                ("year", "=", self.year - 1),
                ("state", "=", "draft"),
            ]
        )
        self.assertTrue(last_year_drafts)
        self.assertEqual(
            data["after"]["overdue"],
            sorted((r.organization_id.id, r.year) for r in last_year_drafts),
        )
        self.assertEqual(data["bound"]["overdue"], len(last_year_drafts))
        self.assertFalse(data["before"]["overdue"])
        self.assertEqual(data["again"], data["after"], "nothing done twice")
        self.assertEqual(tuple(data["bound_again"]), (0, 0, 0))

    def test_w7_member_import(self):
        line = bench_module.w7_member_import(self.bench)
        data = line["data"]
        self.assertEqual(data["messages"], [])
        self.assertEqual(len(data["ids"]), self.IMPORT_ROWS)
        self.assertEqual(data["bound_members"], self.IMPORT_ROWS)
        imported = self.env["union.member"].browse(data["ids"])
        cards = [row["union_card_number"] for row in data["rows"]]
        self.assertEqual(sorted(imported.mapped("union_card_number")), sorted(cards))
        self.assertEqual(
            Counter(member.organization_id.code for member in imported),
            Counter(row["organization_code"] for row in data["rows"]),
        )
        self.assertEqual(len(self.members()), self.MEMBERS + self.IMPORT_ROWS)
        self.assertEqual(imported.create_uid, self.bench.manager, "as the leader")

    def test_w8_manager_home_and_board(self):
        bench_module.w6_annual_report_cron(self.bench)
        lines = bench_module.w8_manager_home(self.bench)
        self.assertEqual([line["key"] for line in lines], ["W8", "W8b"])
        home, board = lines[0]["data"]["home"], lines[0]["data"]["board"]
        Card = self.env["union.home.card"].with_user(self.bench.manager)
        cards = Card.search([("role", "in", list(Card._user_roles()))])
        self.assertIn("provincial", Card._user_roles())
        self.assertEqual(sorted(r["id"] for r in home["records"]), sorted(cards.ids))
        self.assertEqual(home["length"], len(cards))
        Status = self.env["union.report.status"].with_user(self.bench.manager)
        rows = Status.search([("year", "=", date.today().year)])
        self.assertEqual(
            rows.organization_id,
            self.bench.province | self.bench.districts | self.bench.grassroots,
            "the leader's board is the province",
        )
        self.assertEqual(
            sum(group["upper_id_count"] for group in board["groups"]), len(rows)
        )
        self.assertEqual(board["length"], len(rows.mapped("upper_id")))

    def test_w9_term_summary(self):
        self.run_until_statistics()
        line = bench_module.w9_term_summary(self.bench)
        summary = line["data"]["summary"]
        years = list(range(self.year - bench_module.TERM_YEARS + 1, self.year + 1))
        self.assertEqual(summary.line_ids.mapped("year"), years)
        self.assertEqual(sorted(line["data"]["bound_rows"]), years)
        for term_line in summary.line_ids:
            bound = Counter()
            for figures in line["data"]["bound_rows"][term_line.year].values():
                bound.update(figures)
            self.assertEqual(term_line.member_count, bound["member_count"])
            self.assertEqual(term_line.pledged_count, bound["pledged_count"])
            self.assertEqual(term_line.studied_count, bound["studied_count"])
        self.assertEqual(summary.member_count, self.MEMBERS)

    # The run, its table and the growth table ------------------------------------

    def test_run_report_json_and_growth(self):
        lines = bench_module.run_workloads(self.bench)
        self.assertEqual([line["key"] for line in lines], sorted(bench_module.TARGETS))
        printed = []
        ok = bench_module.report_results(lines, out=printed.append)
        self.assertEqual(ok, all(line["ok"] for line in lines))
        self.assertEqual(
            sum("PASS" in text or "FAIL" in text for text in printed), len(lines)
        )
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "run.json"
            bench_module.write_json(path, self.bench, lines)
            document = json.loads(path.read_text())
        self.assertEqual(document["sizes"]["members"], self.MEMBERS)
        self.assertEqual(len(document["lines"]), len(lines))
        self.assertNotIn("data", document["lines"][0])
        growth_lines = []
        self.assertTrue(
            bench_module.growth(document, document, out=growth_lines.append)
        )
        self.assertEqual(sum("PASS" in text for text in growth_lines), len(lines))
        slower = json.loads(json.dumps(document))
        for line in slower["lines"]:
            line["seconds"] = line["seconds"] * 13 + 1
        self.assertFalse(bench_module.growth(document, slower, out=growth_lines.append))

    def test_prepare_load(self):
        """The data set of scripts/load.sh: pledges and evaluations waiting for
        approval, a leader per district, every bench user able to log in."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "users.json"
            document = bench_module.prepare_load(self.bench, path)
            self.assertEqual(json.loads(path.read_text()), document)
        self.assertEqual(len(document["leaders"]), self.DISTRICTS)
        self.assertEqual(
            self.province_count(
                "union.pledge", [("year", "=", self.year), ("state", "=", "submitted")]
            ),
            len(self.members().filtered(lambda m: m.active)) // 5,
        )
        Users = self.env["res.users"]
        for login in [document["manager"], *document["leaders"], *document["officers"]]:
            user = Users.search([("login", "=", login)])
            user.with_user(user)._check_credentials(
                {"type": "password", "password": login}, {"interactive": False}
            )
        leaders = Users.search([("login", "in", document["leaders"])])
        self.assertTrue(
            all(
                u.has_group("trade_union_emulation.group_union_manager")
                for u in leaders
            )
        )
        self.assertEqual(leaders.union_organization_ids, self.bench.districts)

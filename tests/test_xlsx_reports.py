import io
import zipfile
from datetime import date, datetime

from freezegun import freeze_time
from openpyxl import load_workbook

from odoo import Command
from odoo.tests import tagged

from .common import UnionCase

YEAR = 2026
FONT = "Times New Roman"
FORMULA_NAMES = ("=SUM(A1:A2)", "+1", "-x", "@y")
PLEDGE_HEADER = [
    "STT",
    "Họ và tên",
    "Đơn vị",
    "Đối tượng",
    "Năm",
    "Nội dung cam kết / sản phẩm cụ thể",
    "Trạng thái",
    "Kết quả",
]
ANNUAL_FIGURES = [
    ("Số đoàn viên", "member_count"),
    ("Số ĐV học tập chuyên đề", "studied_count"),
    ("Tỷ lệ (%)", "study_rate"),
    ("Số ĐV đăng ký làm theo", "pledged_count"),
    ("Tỷ lệ (%)", "pledge_rate"),
    ("Số cam kết được duyệt", "pledge_approved_count"),
    ("Số cam kết hoàn thành", "pledge_achieved_count"),
    ("Tỷ lệ (%)", "pledge_achieved_rate"),
    ("Mô hình/điển hình được công nhận", "exemplar_count"),
    ("Số được khen thưởng", "commendation_count"),
    ("Xếp loại HTXSNV", "evaluation_excellent_count"),
    ("Xếp loại HTTNV", "evaluation_good_count"),
    ("Xếp loại HTNV", "evaluation_complete_count"),
    ("Xếp loại KHTNV", "evaluation_incomplete_count"),
]
RATES = {"study_rate", "pledge_rate", "pledge_achieved_rate"}


class Sheet:
    """An exported worksheet read back, located by its STT table."""

    def __init__(self, worksheet):
        self.ws = worksheet
        self.header_row = next(
            row
            for row in range(1, worksheet.max_row + 1)
            if worksheet.cell(row, 1).value == "STT"
        )
        self.width = worksheet.max_column
        self.totals_row = next(
            row
            for row in range(self.header_row + 1, worksheet.max_row + 1)
            if worksheet.cell(row, 1).value == "Tổng cộng"
        )

    def values(self, row):
        return [self.ws.cell(row, col).value for col in range(1, self.width + 1)]

    @property
    def header(self):
        return self.values(self.header_row)

    @property
    def data_rows(self):
        return range(self.header_row + 1, self.totals_row)

    def column(self, label):
        return self.header.index(label) + 1

    def row_of(self, label, value):
        col = self.column(label)
        return next(
            row for row in self.data_rows if self.ws.cell(row, col).value == value
        )

    def cell(self, row, label):
        return self.ws.cell(row, self.column(label))

    def find(self, text):
        """The first cell whose value is ``text``."""
        for row in self.ws.iter_rows():
            for cell in row:
                if cell.value == text:
                    return cell
        return None

    def texts(self):
        return [
            cell.value
            for row in self.ws.iter_rows()
            for cell in row
            if isinstance(cell.value, str)
        ]


@tagged("post_install", "-at_install")
class TestXlsxReports(UnionCase):
    """The five Excel exports: the administrative layout, typed cells, text kept
    as text, totals, and only what the exporting user may read."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province.write({"city": "Bắc Kạn", "leader_name": "Phạm Văn Tỉnh"})
        cls.district_a.write(
            {"leader_name": "Hoàng Thị Lan", "leader_title": "Chủ tịch"}
        )
        cls.grassroots_a.write(
            {"leader_name": "Đỗ Văn Cơ Sở", "leader_title": "Chủ tịch"}
        )
        Member = cls.env["union.member"]
        cls.formula_members = Member.create(
            [
                {
                    "name": name,
                    "organization_id": cls.grassroots_a.id,
                    "category": "worker",
                }
                for name in FORMULA_NAMES
            ]
        )
        cls.env["union.pledge"]._generate_draft_pledges(YEAR, cls.province)
        Pledge = cls.env["union.pledge"]

        # Member A1's pledge goes through the whole workflow, B1's is submitted.
        cls.pledge_a1 = Pledge.search(
            [("member_id", "=", cls.member_a1.id), ("year", "=", YEAR)]
        )
        for line in cls.pledge_a1.with_user(cls.user_officer_a).line_ids:
            line.commitment = "Soạn 02 giáo án điện tử"
        cls.pledge_a1.with_user(cls.user_officer_a).action_submit()
        cls.pledge_a1.with_user(cls.user_manager_a).action_approve()
        cls.pledge_a1.with_user(cls.user_manager_a).write({"result": "achieved"})
        cls.pledge_a1.with_user(cls.user_manager_a).action_assess()
        cls.pledge_b1 = Pledge.search(
            [("member_id", "=", cls.member_b1.id), ("year", "=", YEAR)]
        )
        for line in cls.pledge_b1.with_user(cls.user_officer_b).line_ids:
            line.commitment = "Bí mật của huyện B"
        cls.pledge_b1.with_user(cls.user_officer_b).action_submit()

        Evaluation = cls.env["union.member.evaluation"].with_user(cls.user_officer_a)
        cls.evaluation_a1 = Evaluation.create(
            {"member_id": cls.member_a1.id, "year": YEAR, "score": 95}
        )
        cls.evaluation_formula = Evaluation.create(
            {"member_id": cls.formula_members[0].id, "year": YEAR, "score": 60}
        )
        (cls.evaluation_a1 | cls.evaluation_formula).action_submit()
        cls.evaluation_formula.with_user(cls.user_manager_a).action_approve()

        cls.commendation = (
            cls.env["union.commendation"]
            .with_user(cls.user_officer_a)
            .create(
                {
                    "name": "Khen thưởng học tập và làm theo Bác",
                    "form": "certificate_of_merit",
                    "issuer_level": "provincial",
                    "organization_id": cls.grassroots_a.id,
                    "year": YEAR,
                    "line_ids": [
                        Command.create(
                            {
                                "member_id": cls.member_a1.id,
                                "achievement": "Điển hình tiêu biểu",
                            }
                        ),
                        Command.create(
                            {
                                "recipient_organization_id": cls.grassroots_a.id,
                                "achievement": "=1+1",
                            }
                        ),
                    ],
                }
            )
        )
        cls.commendation.action_submit()
        cls.commendation.write(
            {"decision_number": "15/QĐ-LĐLĐ", "decision_date": date(YEAR, 2, 5)}
        )
        cls.commendation.with_user(cls.user_manager_a).action_approve()

        Exemplar = cls.env["union.exemplar"]
        cls.exemplar_a = Exemplar.with_user(cls.user_officer_a).create(
            {
                "name": "Mô hình “Dân vận khéo”",
                "exemplar_type": "model",
                "organization_id": cls.grassroots_a.id,
                "year": YEAR,
                "member_ids": [Command.set((cls.member_a1 | cls.member_a2).ids)],
                "publication_ids": [
                    Command.create(
                        {
                            "channel": "newspaper",
                            "date": date(YEAR, 3, 8),
                            "title": "Báo Bắc Kạn đưa tin",
                        }
                    ),
                ],
            }
        )
        cls.exemplar_a.with_user(cls.user_manager_a).action_recognize()
        cls.exemplar_b = Exemplar.with_user(cls.user_officer_b).create(
            {
                "name": "Người tốt việc tốt huyện B",
                "exemplar_type": "good_deed",
                "organization_id": cls.grassroots_b.id,
                "year": YEAR,
                "member_ids": [Command.set(cls.member_b1.ids)],
            }
        )
        cls.exemplar_b.with_user(cls.user_manager_b).action_recognize()

        cls.annual_report = (
            cls.env["union.annual.report"]
            .with_user(cls.user_officer_a)
            .create(
                {
                    "organization_id": cls.district_a.id,
                    "year": YEAR,
                    "results": "<p>Đoàn viên tích cực <b>học tập</b>.</p><ul><li>=Một mô hình</li></ul>",
                    "directions": "<p>Tiếp tục nhân rộng.</p>",
                }
            )
        )

    # Helpers -------------------------------------------------------------------------

    def render(self, xmlid, user, records):
        # As in a request of its own: nothing read by the fixtures' users is
        # served from the cache without the exporting user's record rules.
        self.env.invalidate_all()
        data, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(f"trade_union_emulation.{xmlid}", records.ids, {})
        )
        self.assertEqual(kind, "xlsx")
        return data

    def load(self, data):
        return load_workbook(io.BytesIO(data))

    def labels(self, model, field_name):
        lang = self.env["res.lang"]._get_code("vi_VN") or "en_US"
        env = self.env(context=dict(self.env.context, lang=lang))
        return dict(env[model]._fields[field_name]._description_selection(env))

    def assertLayout(
        self, sheet, parent, issuer, number, place_date, title, signer_name
    ):
        ws = sheet.ws
        self.assertEqual(ws["A1"].value, parent)
        self.assertEqual(ws["A2"].value, issuer)
        self.assertTrue(ws["A2"].font.b, "the issuing organisation is in bold capitals")
        self.assertEqual(ws["A3"].value, number)
        nation, motto, dated = (
            sheet.find(text)
            for text in (
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                "Độc lập - Tự do - Hạnh phúc",
                place_date,
            )
        )
        self.assertEqual((nation.row, motto.row, dated.row), (1, 2, 3))
        self.assertGreater(nation.column, 1, "the motto block is on the right")
        self.assertTrue(nation.font.b)
        self.assertTrue(motto.font.b)
        self.assertEqual(motto.font.u, "single")
        self.assertTrue(dated.font.i)
        title_cell = sheet.find(title)
        self.assertIsNotNone(title_cell, f"title {title!r} not found")
        self.assertTrue(title_cell.font.b)
        self.assertLess(title_cell.row, sheet.header_row)
        # The table header stays on screen and is printed on every page.
        self.assertEqual(ws.freeze_panes, f"A{sheet.header_row + 1}")
        self.assertEqual(
            ws.print_title_rows, f"${sheet.header_row}:${sheet.header_row}"
        )
        self.assertEqual(ws.page_setup.paperSize, 9)
        self.assertIn(ws.page_setup.fitToWidth, (None, 1), "fit to one page wide")
        self.assertEqual(ws.page_setup.fitToHeight, 0)
        self.assertTrue(ws.sheet_properties.pageSetUpPr.fitToPage)
        for col in range(1, sheet.width + 1):
            self.assertTrue(ws.cell(sheet.header_row, col).font.b)
            self.assertEqual(ws.cell(sheet.header_row, col).border.top.style, "thin")
        self.assertEqual(ws.cell(sheet.header_row, 1).value, "STT")
        self.assertEqual(
            [ws.cell(row, 1).value for row in sheet.data_rows],
            list(range(1, len(sheet.data_rows) + 1)),
            "STT numbers the rows from 1",
        )
        for row in sheet.data_rows:
            self.assertEqual(ws.cell(row, 1).data_type, "n")
        issuer_org = (
            self.env["union.organization"]
            .search([])
            .filtered(lambda org: org.name.upper() == issuer)
        )
        body = (
            "BAN CHẤP HÀNH"
            if issuer_org.level in ("grassroots", "sub_unit")
            else "BAN THƯỜNG VỤ"
        )
        signature = sheet.find(f"TM. {body}")
        self.assertGreater(signature.row, sheet.totals_row)
        self.assertGreater(signature.column, 1)
        self.assertEqual(ws.cell(signature.row + 1, signature.column).value, "CHỦ TỊCH")
        self.assertEqual(sheet.find(signer_name).column, signature.column)
        self.assertEqual(sheet.find("Nơi nhận:").column, 1)
        self.assertEqual(sheet.find("Nơi nhận:").row, signature.row)
        fonts = {
            cell.font.name
            for row in ws.iter_rows()
            for cell in row
            if cell.value is not None
        }
        self.assertEqual(fonts, {FONT})

    # Tests ---------------------------------------------------------------------------

    @freeze_time("2026-11-22 09:00:00")
    def test_pledge_export(self):
        pledges = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .search([("year", "=", YEAR)])
        )
        data = self.render("report_pledge_xlsx", self.user_officer_a, pledges)
        # Streamed: rows written inline, no shared-strings table kept in memory.
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            self.assertNotIn("xl/sharedStrings.xml", archive.namelist())
            self.assertIn(b'"inlineStr"', archive.read("xl/worksheets/sheet1.xml"))
        workbook = self.load(data)
        sheet = Sheet(workbook.active)
        self.assertLayout(
            sheet,
            parent="LĐLĐ HUYỆN A",
            issuer="CĐCS TRƯỜNG THPT A",
            number="Số:        /BC-CĐCS",
            place_date="Bắc Kạn, ngày 22 tháng 11 năm 2026",
            title="DANH SÁCH ĐOÀN VIÊN ĐĂNG KÝ, CAM KẾT LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH NĂM 2026",
            signer_name="Đỗ Văn Cơ Sở",
        )
        self.assertEqual(sheet.header, PLEDGE_HEADER)
        self.assertEqual(sheet.ws.page_setup.orientation, "landscape")
        self.assertEqual(len(sheet.data_rows), 6)
        self.assertEqual(len(pledges), 6)

        names = {sheet.cell(row, "Họ và tên").value for row in sheet.data_rows}
        self.assertEqual(names, {"Nguyễn Văn An", "Trần Thị Bình", *FORMULA_NAMES})
        for name in FORMULA_NAMES:
            cell = sheet.cell(sheet.row_of("Họ và tên", name), "Họ và tên")
            self.assertEqual(
                cell.data_type, "s", f"{name!r} must stay text, not become a formula"
            )
            self.assertEqual(cell.value, name)

        states = self.labels("union.pledge", "state")
        results = self.labels("union.pledge", "result")
        row = sheet.row_of("Họ và tên", "Nguyễn Văn An")
        self.assertEqual(sheet.cell(row, "Đơn vị").value, "CĐCS Trường THPT A")
        self.assertEqual(
            sheet.cell(row, "Đối tượng").value,
            self.labels("union.pledge", "category")["civil_servant"],
        )
        self.assertEqual(sheet.cell(row, "Năm").value, YEAR)
        self.assertEqual(sheet.cell(row, "Năm").data_type, "n")
        self.assertEqual(
            sheet.cell(row, "Nội dung cam kết / sản phẩm cụ thể").value,
            "\n".join(["- Soạn 02 giáo án điện tử"] * len(self.pledge_a1.line_ids)),
        )
        self.assertEqual(sheet.cell(row, "Trạng thái").value, states["assessed"])
        self.assertEqual(sheet.cell(row, "Kết quả").value, results["achieved"])
        self.assertEqual(sheet.cell(row, "Kết quả").alignment.wrap_text, True)
        draft_row = sheet.row_of("Họ và tên", "Trần Thị Bình")
        self.assertEqual(sheet.cell(draft_row, "Trạng thái").value, states["draft"])
        self.assertIsNone(
            sheet.cell(draft_row, "Nội dung cam kết / sản phẩm cụ thể").value
        )

        # Totals: the pledges, then the count of each state and result.
        ws, totals = sheet.ws, sheet.totals_row
        state_col, result_col = sheet.column("Trạng thái"), sheet.column("Kết quả")
        self.assertEqual(
            (ws.cell(totals, state_col).value, ws.cell(totals, result_col).value),
            (6, 6),
        )
        self.assertTrue(ws.cell(totals, 1).font.b)
        breakdown = {
            ws.cell(row, 1).value: ws.cell(row, state_col).value
            for row in range(totals + 1, totals + 5)
        }
        self.assertEqual(
            breakdown,
            {
                f"Trạng thái: {states['draft']}": 5,
                f"Trạng thái: {states['submitted']}": 0,
                f"Trạng thái: {states['approved']}": 0,
                f"Trạng thái: {states['assessed']}": 1,
            },
        )
        achieved = sheet.find(f"Kết quả: {results['achieved']}")
        self.assertEqual(ws.cell(achieved.row, result_col).value, 1)
        self.assertEqual(ws.cell(achieved.row, result_col).data_type, "n")
        self.assertEqual(
            ws.cell(sheet.find("Kết quả: Chưa đánh giá").row, result_col).value, 5
        )

    def test_pledge_export_leaves_out_other_district(self):
        """Ids of both districts reach the report (as from a crafted request):
        district A's officer gets A's pledges only, never a trace of B."""
        everything = (
            self.env["union.pledge"]
            .with_user(self.user_admin)
            .search([("year", "=", YEAR)])
        )
        self.assertIn(self.pledge_b1, everything)
        workbook = self.load(
            self.render("report_pledge_xlsx", self.user_officer_a, everything)
        )
        sheet = Sheet(workbook.active)
        names = {sheet.cell(row, "Họ và tên").value for row in sheet.data_rows}
        self.assertEqual(len(sheet.data_rows), 6)
        self.assertNotIn("Lê Văn Cường", names)
        texts = " ".join(sheet.texts())
        for secret in (
            "Lê Văn Cường",
            "Bí mật của huyện B",
            "CĐCS Bệnh viện B",
            "LĐLĐ HUYỆN B",
        ):
            self.assertNotIn(secret, texts)
        self.assertEqual(
            sheet.ws.cell(sheet.totals_row, sheet.column("Trạng thái")).value, 6
        )

        # B's officer, given the same ids, gets B's pledge alone.
        sheet_b = Sheet(
            self.load(
                self.render("report_pledge_xlsx", self.user_officer_b, everything)
            ).active
        )
        self.assertEqual(
            [sheet_b.cell(row, "Họ và tên").value for row in sheet_b.data_rows],
            ["Lê Văn Cường"],
        )
        self.assertEqual(sheet_b.ws["A2"].value, "CĐCS BỆNH VIỆN B")
        # Across districts the province issues the document.
        sheet_all = Sheet(
            self.load(
                self.render(
                    "report_pledge_xlsx", self.user_manager_province, everything
                )
            ).active
        )
        self.assertEqual(len(sheet_all.data_rows), 7)
        self.assertEqual(sheet_all.ws["A1"].value, "TỔNG LĐLĐ VIỆT NAM")
        self.assertEqual(sheet_all.ws["A2"].value, "LĐLĐ TỈNH THỬ NGHIỆM")
        self.assertEqual(sheet_all.ws["A3"].value, "Số:        /BC-LĐLĐ")

    @freeze_time("2026-02-05 09:00:00")
    def test_member_evaluation_export(self):
        evaluations = (
            self.env["union.member.evaluation"]
            .with_user(self.user_officer_a)
            .search([("year", "=", YEAR)])
        )
        sheet = Sheet(
            self.load(
                self.render(
                    "report_member_evaluation_xlsx", self.user_officer_a, evaluations
                )
            ).active
        )
        self.assertLayout(
            sheet,
            parent="LĐLĐ HUYỆN A",
            issuer="CĐCS TRƯỜNG THPT A",
            number="Số:        /BC-CĐCS",
            # NĐ 30/2020: days below 10 and months below 3 take a leading zero.
            place_date="Bắc Kạn, ngày 05 tháng 02 năm 2026",
            title="KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐOÀN VIÊN CÔNG ĐOÀN NĂM 2026",
            signer_name="Đỗ Văn Cơ Sở",
        )
        self.assertEqual(
            sheet.header,
            [
                "STT",
                "Họ và tên",
                "Đơn vị",
                "Năm",
                "Điểm",
                "Xếp loại",
                "Kết quả cam kết",
                "Trạng thái",
            ],
        )
        ratings = self.labels("union.member.evaluation", "rating")
        results = self.labels("union.pledge", "result")
        states = self.labels("union.member.evaluation", "state")
        row = sheet.row_of("Họ và tên", "Nguyễn Văn An")
        self.assertEqual(sheet.cell(row, "Điểm").value, 95)
        self.assertEqual(sheet.cell(row, "Điểm").data_type, "n")
        self.assertEqual(sheet.cell(row, "Xếp loại").value, ratings["excellent"])
        self.assertEqual(sheet.cell(row, "Kết quả cam kết").value, results["achieved"])
        self.assertEqual(sheet.cell(row, "Trạng thái").value, states["submitted"])
        formula_row = sheet.row_of("Họ và tên", "=SUM(A1:A2)")
        self.assertEqual(sheet.cell(formula_row, "Họ và tên").data_type, "s")
        self.assertEqual(sheet.cell(formula_row, "Xếp loại").value, ratings["complete"])
        self.assertEqual(
            sheet.cell(formula_row, "Trạng thái").value, states["approved"]
        )

        ws, rating_col = sheet.ws, sheet.column("Xếp loại")
        self.assertEqual(ws.cell(sheet.totals_row, rating_col).value, 2)
        per_rating = {
            ws.cell(row, 1).value: ws.cell(row, rating_col).value
            for row in range(sheet.totals_row + 1, sheet.totals_row + 5)
        }
        self.assertEqual(
            per_rating,
            {
                f"Xếp loại: {ratings['excellent']}": 1,
                f"Xếp loại: {ratings['good']}": 0,
                f"Xếp loại: {ratings['complete']}": 1,
                f"Xếp loại: {ratings['incomplete']}": 0,
            },
        )

    def test_commendation_export(self):
        sheet = Sheet(
            self.load(
                self.render(
                    "report_commendation_xlsx", self.user_officer_a, self.commendation
                )
            ).active
        )
        self.assertEqual(
            sheet.header,
            [
                "STT",
                "Hình thức",
                "Cấp khen",
                "Người/tập thể được khen",
                "Thành tích",
                "Số quyết định",
                "Ngày quyết định",
            ],
        )
        self.assertIsNotNone(
            sheet.find("DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM 2026")
        )
        self.assertEqual(sheet.ws["A2"].value, "CĐCS TRƯỜNG THPT A")
        self.assertEqual(len(sheet.data_rows), 2, "one row per recipient")
        forms = self.labels("union.commendation", "form")
        levels = self.labels("union.commendation", "issuer_level")
        member_row = sheet.row_of("Người/tập thể được khen", "Nguyễn Văn An")
        self.assertEqual(
            sheet.cell(member_row, "Hình thức").value, forms["certificate_of_merit"]
        )
        self.assertEqual(sheet.cell(member_row, "Cấp khen").value, levels["provincial"])
        self.assertEqual(
            sheet.cell(member_row, "Thành tích").value, "Điển hình tiêu biểu"
        )
        self.assertEqual(sheet.cell(member_row, "Số quyết định").value, "15/QĐ-LĐLĐ")
        decided = sheet.cell(member_row, "Ngày quyết định")
        self.assertIsInstance(decided.value, datetime)
        self.assertEqual(decided.value.date(), date(YEAR, 2, 5))
        self.assertEqual(decided.number_format, "dd/mm/yyyy")
        org_row = sheet.row_of("Người/tập thể được khen", "CĐCS Trường THPT A")
        self.assertEqual(sheet.cell(org_row, "Thành tích").value, "=1+1")
        self.assertEqual(sheet.cell(org_row, "Thành tích").data_type, "s")
        ws, col = sheet.ws, sheet.column("Người/tập thể được khen")
        self.assertEqual(ws.cell(sheet.totals_row, col).value, 2)
        merit = sheet.find(f"Hình thức: {forms['certificate_of_merit']}")
        self.assertEqual(ws.cell(merit.row, col).value, 2)

    def test_exemplar_export(self):
        exemplars = self.exemplar_a | self.exemplar_b
        sheet = Sheet(
            self.load(
                self.render("report_exemplar_xlsx", self.user_officer_a, exemplars)
            ).active
        )
        self.assertEqual(
            sheet.header,
            [
                "STT",
                "Tên mô hình/điển hình",
                "Loại",
                "Đơn vị",
                "Năm",
                "Thành viên",
                "Tuyên truyền",
                "Trạng thái",
            ],
        )
        self.assertIsNotNone(
            sheet.find(
                "DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH TIÊU BIỂU TRONG HỌC TẬP VÀ LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, "
                "PHONG CÁCH HỒ CHÍ MINH NĂM 2026"
            )
        )
        types = self.labels("union.exemplar", "exemplar_type")
        states = self.labels("union.exemplar", "state")
        channels = self.labels("union.exemplar.publication", "channel")
        row = sheet.row_of("Tên mô hình/điển hình", "Mô hình “Dân vận khéo”")
        self.assertEqual(sheet.cell(row, "Loại").value, types["model"])
        self.assertEqual(sheet.cell(row, "Đơn vị").value, "CĐCS Trường THPT A")
        self.assertEqual(sheet.cell(row, "Năm").value, YEAR)
        self.assertEqual(
            sorted(sheet.cell(row, "Thành viên").value.split("\n")),
            ["Nguyễn Văn An", "Trần Thị Bình"],
        )
        self.assertEqual(
            sheet.cell(row, "Tuyên truyền").value,
            f"{channels['newspaper']}: Báo Bắc Kạn đưa tin (08/03/2026)",
        )
        self.assertEqual(sheet.cell(row, "Trạng thái").value, states["recognized"])
        # B's recognised exemplar is public, but A's officer may not read B's members.
        row_b = sheet.row_of("Tên mô hình/điển hình", "Người tốt việc tốt huyện B")
        self.assertIsNone(sheet.cell(row_b, "Thành viên").value)
        self.assertNotIn("Lê Văn Cường", " ".join(sheet.texts()))
        ws = sheet.ws
        self.assertEqual(ws.cell(sheet.totals_row, sheet.column("Loại")).value, 2)
        self.assertEqual(ws.cell(sheet.totals_row, sheet.column("Trạng thái")).value, 2)
        good_deed = sheet.find(f"Loại: {types['good_deed']}")
        self.assertEqual(ws.cell(good_deed.row, sheet.column("Loại")).value, 1)
        # Different districts: the province issues the list.
        self.assertEqual(ws["A2"].value, "LĐLĐ TỈNH THỬ NGHIỆM")

    @freeze_time("2026-11-22 09:00:00")
    def test_annual_report_export(self):
        report = self.annual_report
        sheet = Sheet(
            self.load(
                self.render("report_annual_report_xlsx", self.user_officer_a, report)
            ).active
        )
        self.assertLayout(
            sheet,
            parent="LĐLĐ TỈNH THỬ NGHIỆM",
            issuer="LĐLĐ HUYỆN A",
            number="Số:        /BC-LĐLĐ",
            place_date="Bắc Kạn, ngày 22 tháng 11 năm 2026",
            title="BÁO CÁO KẾT QUẢ HỌC TẬP VÀ LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH NĂM 2026",
            signer_name="Hoàng Thị Lan",
        )
        self.assertEqual(
            sheet.header,
            ["STT", "Tổ chức công đoàn", *(label for label, _name in ANNUAL_FIGURES)],
        )
        self.assertEqual(sheet.ws.page_setup.orientation, "landscape")

        # Every organisation of the subtree, indented by its level under the district.
        ws, org_col = sheet.ws, sheet.column("Tổ chức công đoàn")
        rows = {ws.cell(row, org_col).value: row for row in sheet.data_rows}
        self.assertEqual(
            list(rows),
            ["LĐLĐ huyện A", "CĐCS Trường THPT A", "Tổ công đoàn Văn phòng A"],
        )
        self.assertEqual(
            [ws.cell(row, org_col).alignment.indent for row in rows.values()], [0, 1, 2]
        )
        self.assertEqual(
            ws.cell(rows["CĐCS Trường THPT A"], 3).value,
            6,
            "its members and its sub-unit's",
        )
        self.assertEqual(ws.cell(rows["Tổ công đoàn Văn phòng A"], 3).value, 1)

        # Hand-counted figures of district A, then the totals row = the report's figures.
        self.assertEqual(
            (
                report.member_count,
                report.pledged_count,
                report.pledge_achieved_count,
                report.exemplar_count,
            ),
            (6, 1, 1, 1),
        )
        self.assertEqual(
            (report.commendation_count, report.evaluation_complete_count), (2, 1)
        )
        for col, (_label, name) in enumerate(ANNUAL_FIGURES, start=3):
            cell = ws.cell(sheet.totals_row, col)
            self.assertEqual(cell.data_type, "n", name)
            if name in RATES:
                self.assertAlmostEqual(
                    cell.value, report[name] / 100, places=6, msg=name
                )
                self.assertEqual(cell.number_format, "0.0%")
            else:
                self.assertEqual(cell.value, report[name], name)
                self.assertIsInstance(cell.value, int)
        self.assertAlmostEqual(ws.cell(sheet.totals_row, 7).value, 1 / 6, places=3)

        # The narrative below the table, before the signature block.
        heading = sheet.find("1. Kết quả đạt được")
        self.assertGreater(heading.row, sheet.totals_row)
        self.assertEqual(
            ws.cell(heading.row + 1, 1).value, "Đoàn viên tích cực học tập."
        )
        item = ws.cell(heading.row + 2, 1)
        self.assertEqual((item.value, item.data_type), ("- =Một mô hình", "s"))
        directions = sheet.find("4. Phương hướng, nhiệm vụ")
        self.assertEqual(ws.cell(directions.row + 1, 1).value, "Tiếp tục nhân rộng.")
        self.assertIsNone(
            sheet.find("2. Hạn chế, nguyên nhân"), "an empty section is left out"
        )
        self.assertLess(
            directions.row,
            sheet.find("TM. BAN THƯỜNG VỤ").row,
            "a district signs for its standing committee",
        )

    def test_annual_reports_one_sheet_each(self):
        province_report = (
            self.env["union.annual.report"]
            .with_user(self.user_manager_province)
            .create({"organization_id": self.province.id, "year": YEAR})
        )
        reports = province_report | self.annual_report
        workbook = self.load(
            self.render(
                "report_annual_report_xlsx", self.user_manager_province, reports
            )
        )
        self.assertEqual(len(workbook.worksheets), 2)
        issuers = {ws["A2"].value for ws in workbook.worksheets}
        self.assertEqual(issuers, {"LĐLĐ TỈNH THỬ NGHIỆM", "LĐLĐ HUYỆN A"})
        province_sheet = next(
            Sheet(ws)
            for ws in workbook.worksheets
            if ws["A2"].value == "LĐLĐ TỈNH THỬ NGHIỆM"
        )
        org_col = province_sheet.column("Tổ chức công đoàn")
        names = [
            province_sheet.ws.cell(row, org_col).value
            for row in province_sheet.data_rows
        ]
        self.assertEqual(len(names), 6, "the province, both districts and their unions")
        self.assertEqual(
            province_sheet.ws.cell(province_sheet.totals_row, 3).value,
            province_report.member_count,
        )
        self.assertEqual(province_report.member_count, 7)

        # District A's officer cannot read the province's report: it is left out.
        workbook_a = self.load(
            self.render("report_annual_report_xlsx", self.user_officer_a, reports)
        )
        self.assertEqual(
            [ws["A2"].value for ws in workbook_a.worksheets], ["LĐLĐ HUYỆN A"]
        )

    def test_reports_in_print_menu(self):
        for xmlid, model in (
            ("report_annual_report_xlsx", "union.annual.report"),
            ("report_pledge_xlsx", "union.pledge"),
            ("report_member_evaluation_xlsx", "union.member.evaluation"),
            ("report_commendation_xlsx", "union.commendation"),
            ("report_exemplar_xlsx", "union.exemplar"),
        ):
            report = self.env.ref(f"trade_union_emulation.{xmlid}")
            self.assertEqual(report.report_type, "xlsx")
            self.assertEqual(report.model, model)
            self.assertEqual(report.binding_model_id.model, model)
            self.assertEqual(report.report_name, f"trade_union_emulation.{xmlid}")
            bindings = (
                self.env["ir.actions.actions"]
                .with_user(self.user_officer_a)
                .get_bindings(model)
            )
            self.assertIn(
                report.id, [action["id"] for action in bindings.get("report", [])]
            )
            renderer = self.env[f"report.{report.report_name}"]
            self.assertTrue(renderer.get_workbook_options()["constant_memory"])

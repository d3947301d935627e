import io
import math
import zipfile
from datetime import date, datetime

from freezegun import freeze_time
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from ..reports import union_layout_xlsx
from .common import MEMBER, OFFICER, UnionCase

YEAR = 2026
FONT = "Times New Roman"
FORMULA_NAMES = ("=SUM(A1:A2)", "+1", "-x", "@y")
# Printing: the width of a column in points for its stored width (the
# characters of the default font, Times New Roman 12, 6 pt each), A4 in points.
POINTS_PER_WIDTH = 6.0
PAGE_WIDTH = {"portrait": 595.3, "landscape": 841.9}
# A lower bound of the advance of Times New Roman text, in ems per character:
# a row must be at least as tall as the lines its text needs at that width.
MIN_EM_PER_CHAR = 0.40
MIN_LINE_HEIGHT = 1.1  # of the font size
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PLEDGE_TITLE = "CAM KẾT LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH"


class Sheet:
    """An exported table read back, located by its STT header (one or two
    rows) and its "Tổng cộng" row; a sheet that a long table continues from
    has no totals row (``totals_row`` None): its data rows end with the last
    row numbered in the STT column."""

    def __init__(self, worksheet):
        self.ws = worksheet
        self.header_row = next(
            row
            for row in range(1, worksheet.max_row + 1)
            if worksheet.cell(row, 1).value == "STT"
        )
        two_rows = worksheet.freeze_panes == f"A{self.header_row + 2}"
        self.header_rows = 2 if two_rows else 1
        self.first_row = self.header_row + self.header_rows
        self.width = worksheet.max_column
        self.totals_row = next(
            (
                row
                for row in range(self.first_row, worksheet.max_row + 1)
                if worksheet.cell(row, 1).value == "Tổng cộng"
            ),
            None,
        )

    def values(self, row):
        return [self.ws.cell(row, col).value for col in range(1, self.width + 1)]

    @property
    def header(self):
        """The label of each column: under its group when it has one."""
        top = self.values(self.header_row)
        if self.header_rows == 1:
            return top
        below = self.values(self.header_row + 1)
        pairs = zip(top, below, strict=True)
        return [low if low is not None else high for high, low in pairs]

    @property
    def data_rows(self):
        end = self.totals_row
        if end is None:
            end = self.first_row
            while isinstance(self.ws.cell(end, 1).value, int):
                end += 1
        return range(self.first_row, end)

    def column(self, label):
        return self.header.index(label) + 1

    def column_values(self, label):
        col = self.column(label)
        return [self.ws.cell(row, col).value for row in self.data_rows]

    def row_of(self, label, value):
        col = self.column(label)
        return next(
            row for row in self.data_rows if self.ws.cell(row, col).value == value
        )

    def cell(self, row, label):
        return self.ws.cell(row, self.column(label))


def find(ws, text):
    """The first cell whose value is ``text``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    return None


def texts(ws):
    return [
        cell.value
        for row in ws.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    ]


def column_width_pt(ws, col):
    # Columns of one width are stored as one range (<col min= max=>).
    for dimension in ws.column_dimensions.values():
        if dimension.min <= col <= dimension.max:
            return POINTS_PER_WIDTH * dimension.width
    raise AssertionError(f"column {get_column_letter(col)} has no width")


@tagged("post_install", "-at_install")
class TestXlsxReports(UnionCase):
    """The five Excel exports as the receiving federation gets them: issued by
    the exporting officer's organisation, only records of its subtree, results
    apart from proposals, every row whole on A4, typed cells, text kept as
    text, and refusals said."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.province.write({"city": "Bắc Kạn", "leader_name": "Phạm Văn Tỉnh"})
        cls.district_a.write(
            {"leader_name": "Hoàng Thị Lan", "leader_title": "Chủ tịch"}
        )
        cls.district_b.write(
            {"leader_name": "Nông Văn Bảo", "leader_title": "Phó Chủ tịch"}
        )
        cls.grassroots_a.write(
            {"leader_name": "Đỗ Văn Cơ Sở", "leader_title": "Chủ tịch"}
        )
        # Personal fields that no document may show.
        cls.member_a1.write(
            {
                "union_position": "Chủ tịch CĐCS",
                "is_party_member": True,
                "ethnicity": "Tày",
                "birth_date": date(1979, 9, 19),
            }
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

        # A1's pledge goes through the whole workflow, B1's is submitted.
        cls.pledge_a1 = Pledge.search(
            [("member_id", "=", cls.member_a1.id), ("year", "=", YEAR)]
        )
        for line in cls.pledge_a1.with_user(cls.user_officer_a).line_ids:
            line.commitment = "Soạn 02 giáo án điện tử"
        cls.pledge_a1.with_user(cls.user_officer_a).action_submit()
        cls.pledge_a1.with_user(cls.user_manager_a).action_approve()
        cls.pledge_a1.with_user(cls.user_manager_a).write({"result": "achieved"})
        cls.pledge_a1.with_user(cls.user_manager_a).action_assess()
        cls.pledge_a2 = Pledge.search(
            [("member_id", "=", cls.member_a2.id), ("year", "=", YEAR)]
        )
        # A long commitment: its row must be tall enough for all its lines.
        cls.long_commitment = (
            "Tham gia đầy đủ các buổi sinh hoạt chuyên đề, viết bài thu hoạch, "
            "đăng ký và thực hiện ít nhất một sáng kiến cải tiến lề lối làm việc, "
            "giúp đỡ đồng nghiệp có hoàn cảnh khó khăn trong năm. " * 3
        )
        cls.pledge_a2.with_user(cls.user_officer_a).line_ids[
            :1
        ].commitment = cls.long_commitment
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

        Commendation = cls.env["union.commendation"].with_user(cls.user_officer_a)
        cls.commendation = Commendation.create(
            {
                "name": "Khen thưởng học tập và làm theo Bác",
                "form": "certificate_of_merit",
                "issuer_level": "provincial",
                "organization_id": cls.grassroots_a.id,
                "year": YEAR,
                "line_ids": [
                    Command.create(
                        {"member_id": cls.member_a1.id, "achievement": "Điển hình"}
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
        cls.commendation.action_submit()
        cls.commendation.write(
            {"decision_number": "15/QĐ-LĐLĐ", "decision_date": date(YEAR, 2, 5)}
        )
        cls.commendation.with_user(cls.user_manager_a).action_approve()
        cls.commendation_draft = Commendation.create(
            {
                "name": "Đề nghị biểu dương",
                "form": "praise",
                "issuer_level": "upper_grassroots",
                "organization_id": cls.sub_unit_a.id,
                "year": YEAR,
                "line_ids": [
                    Command.create(
                        {"member_id": cls.member_a2.id, "achievement": "Người tốt"}
                    )
                ],
            }
        )
        cls.commendation_rejected = Commendation.create(
            {
                "name": "Đề nghị không được duyệt",
                "form": "certificate",
                "issuer_level": "upper_grassroots",
                "organization_id": cls.grassroots_a.id,
                "year": YEAR,
                "line_ids": [
                    Command.create(
                        {"member_id": cls.member_a2.id, "achievement": "Bị trả lại"}
                    )
                ],
            }
        )
        cls.commendation_rejected.action_submit()
        cls.commendation_rejected.with_user(cls.user_manager_a).action_reject(
            reason="Chưa đủ điều kiện"
        )
        cls.commendation_last_year = Commendation.create(
            {
                "name": "Giấy khen năm trước",
                "form": "certificate",
                "issuer_level": "upper_grassroots",
                "organization_id": cls.grassroots_a.id,
                "year": YEAR - 1,
                "line_ids": [
                    Command.create(
                        {"member_id": cls.member_a1.id, "achievement": "Năm trước"}
                    )
                ],
            }
        )
        cls.commendation_last_year.action_submit()
        cls.commendation_last_year.write(
            {"decision_number": "9/QĐ-LĐLĐ", "decision_date": date(YEAR - 1, 12, 1)}
        )
        cls.commendation_last_year.with_user(cls.user_manager_a).action_approve()

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
        cls.exemplar_a_proposed = Exemplar.with_user(cls.user_officer_a).create(
            {
                "name": "Tổ công đoàn tự quản",
                "exemplar_type": "collective",
                "organization_id": cls.sub_unit_a.id,
                "year": YEAR,
            }
        )
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
                    "results": "<p>Đoàn viên tích cực\n<b>học tập</b>.<br>Dòng thứ hai."
                    "</p><ul><li>=Một mô hình</li></ul>",
                    "directions": "<p>Tiếp tục nhân rộng.</p>"
                    + "<p>"
                    + "Các công đoàn cơ sở tiếp tục tổ chức học tập chuyên đề, "
                    "gắn việc làm theo với nhiệm vụ chuyên môn của từng đơn vị. "
                    * 12
                    + "</p>",
                }
            )
        )

        # An officer working for both districts: two organisations fit.
        cls.user_officer_ab = new_test_user(
            cls.env,
            login="t_officer_ab",
            groups=f"base.group_user,{OFFICER}",
            union_organization_ids=[Command.set((cls.district_a | cls.district_b).ids)],
        )

    # Helpers -------------------------------------------------------------------------

    def render(self, xmlid, user, records, data=None):
        # As in a request of its own: nothing read by the fixtures' users is
        # served from the cache without the exporting user's record rules.
        self.env.invalidate_all()
        content, kind = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_xlsx(f"trade_union_emulation.{xmlid}", records.ids, data or {})
        )
        self.assertEqual(kind, "xlsx")
        return content

    def workbook(self, xmlid, user, records, data=None):
        workbook = load_workbook(io.BytesIO(self.render(xmlid, user, records, data)))
        for ws in workbook.worksheets:
            self.assertPrintable(ws)
        return workbook

    def labels(self, model, field_name):
        lang = self.env["res.lang"]._get_code("vi_VN") or "en_US"
        env = self.env(context=dict(self.env.context, lang=lang))
        return dict(env[model]._fields[field_name]._description_selection(env))

    def sheet_titled(self, workbook, title):
        """The sheet whose document bears ``title``; it is the only one."""
        found = [ws for ws in workbook.worksheets if find(ws, title)]
        self.assertEqual(
            len(found),
            1,
            f"one sheet titled {title!r} among {[ws.title for ws in workbook]}",
        )
        return Sheet(found[0])

    # What every sheet must be --------------------------------------------------------

    def assertPrintable(self, ws):
        """A4 at 100 % or at least 80 %, columns within the printable width,
        no text below 10 pt, the page number at the top from page 2, every
        row as tall as its text, no template placeholder, one font."""
        setup = ws.page_setup
        self.assertEqual(setup.paperSize, 9, "A4")
        scale = setup.scale or 100  # absent: 100 % (ECMA-376)
        self.assertGreaterEqual(scale, 80)
        fit = ws.sheet_properties.pageSetUpPr
        self.assertFalse(fit and fit.fitToPage, "printed at its scale, not fitted")
        page = PAGE_WIDTH[setup.orientation or "portrait"]
        printable = page - (ws.page_margins.left + ws.page_margins.right) * 72
        width = sum(column_width_pt(ws, col) for col in range(1, ws.max_column + 1))
        self.assertLessEqual(width * scale / 100, printable, ws.title)

        header_footer = ws.HeaderFooter
        self.assertTrue(header_footer.differentFirst, "page 1 has no page number")
        self.assertFalse(header_footer.firstHeader.center.text)
        self.assertEqual(header_footer.oddHeader.center.text, "&P", "top centre")
        self.assertFalse(header_footer.oddFooter.center.text)
        # Each sheet counts its pages from 1 (firstPageNumber absent: 1).
        self.assertTrue(setup.useFirstPageNumber, "each document counts from 1")
        self.assertEqual(setup.firstPageNumber or 1, 1)

        merged = {
            (rng.min_row, rng.min_col): (rng.max_row, rng.max_col)
            for rng in ws.merged_cells.ranges
        }
        fonts = set()
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is None:
                    continue
                fonts.add(cell.font.name)
                size = cell.font.sz
                self.assertGreaterEqual(size * scale / 100, 10, cell.coordinate)
                if not isinstance(cell.value, str):
                    continue
                self.assertNotIn("{", cell.value, "no template placeholder")
                self.assertNotIn("}", cell.value, "no template placeholder")
                self.assertTrue(cell.alignment.wrap_text, cell.coordinate)
                last_row, last_col = merged.get(
                    (cell.row, cell.column), (cell.row, cell.column)
                )
                cell_width = sum(
                    column_width_pt(ws, col) for col in range(cell.column, last_col + 1)
                )
                lines = sum(
                    max(1, math.ceil(len(part) * MIN_EM_PER_CHAR * size / cell_width))
                    for part in cell.value.split("\n")
                )
                heights = [
                    ws.row_dimensions[r].height for r in range(cell.row, last_row + 1)
                ]
                self.assertNotIn(None, heights, f"explicit height ({cell.coordinate})")
                self.assertGreaterEqual(
                    sum(heights),
                    lines * size * MIN_LINE_HEIGHT,
                    f"{cell.coordinate} holds its {lines} lines: {cell.value!r}",
                )
        self.assertEqual(fonts, {FONT})

    def assertTable(self, sheet):
        """The table: bold bordered header frozen on screen and repeated on
        print, STT numbering the rows."""
        ws = sheet.ws
        last_header = sheet.header_row + sheet.header_rows - 1
        self.assertEqual(ws.freeze_panes, f"A{sheet.first_row}")
        self.assertEqual(ws.print_title_rows, f"${sheet.header_row}:${last_header}")
        for col in range(1, sheet.width + 1):
            self.assertEqual(ws.cell(sheet.header_row, col).border.top.style, "thin")
            for row in range(sheet.header_row, sheet.first_row):
                cell = ws.cell(row, col)
                if cell.value is not None:
                    self.assertTrue(cell.font.b, cell.coordinate)
        self.assertEqual(
            [ws.cell(row, 1).value for row in sheet.data_rows],
            list(range(1, len(sheet.data_rows) + 1)),
            "STT numbers the rows from 1",
        )
        for row in sheet.data_rows:
            self.assertEqual(ws.cell(row, 1).data_type, "n")

    def assertLetterhead(self, ws, parent, issuer, number, place_date, title):
        """NĐ 30/2020: parent over the issuer top left, a short rule under the
        issuer, the number centred under it in the same size; the motto top
        right, the place and date under it; the title."""
        self.assertEqual(ws["A1"].value, parent)
        self.assertEqual(ws["A2"].value, issuer)
        self.assertTrue(ws["A2"].font.b, "the issuing organisation in bold capitals")
        number_cell = ws["A4"]
        self.assertEqual(number_cell.value, number)
        self.assertEqual(number_cell.alignment.horizontal, "center")
        self.assertIsNone(number_cell.border.bottom.style, "no border")
        self.assertIsNone(number_cell.border.left.style, "no border")
        self.assertEqual(number_cell.font.sz, ws["A2"].font.sz)
        self.assertFalse(number_cell.font.b)
        # The rule: a bottom border on columns under the issuer, narrower than it.
        issuer_cols = next(
            rng
            for rng in ws.merged_cells.ranges
            if rng.min_row == 2 and rng.min_col == 1
        )
        ruled = [
            col
            for col in range(1, issuer_cols.max_col + 1)
            if ws.cell(3, col).border.bottom.style == "thin"
        ]
        self.assertTrue(ruled, "a rule under the issuing organisation")
        block = sum(column_width_pt(ws, c) for c in range(1, issuer_cols.max_col + 1))
        rule = sum(column_width_pt(ws, c) for c in range(ruled[0], ruled[-1] + 1))
        self.assertLess(rule, 0.6 * block, "a short rule")
        self.assertEqual(ruled, list(range(ruled[0], ruled[-1] + 1)))

        nation, motto, dated = (find(ws, text) for text in (NATION, MOTTO, place_date))
        self.assertIsNotNone(dated, f"date line {place_date!r}")
        self.assertEqual((nation.row, motto.row, dated.row), (1, 2, 4))
        self.assertGreater(nation.column, issuer_cols.max_col, "the motto on the right")
        self.assertTrue(nation.font.b)
        self.assertTrue(motto.font.b)
        self.assertEqual(motto.font.u, "single", "the motto is underlined")
        self.assertTrue(dated.font.i)
        title_cell = find(ws, title)
        self.assertIsNotNone(title_cell, f"title {title!r}")
        self.assertTrue(title_cell.font.b)

    def assertSignature(self, ws, committee, title, signer, superior):
        """TM. the committee, the leader's title and name on the right; to
        whom it is sent on the left; after everything else."""
        signature = find(ws, f"TM. {committee}")
        self.assertIsNotNone(signature, f"TM. {committee}")
        self.assertGreater(signature.column, 1)
        self.assertEqual(ws.cell(signature.row + 1, signature.column).value, title)
        name = find(ws, signer)
        self.assertIsNotNone(name, f"signed by {signer}")
        self.assertEqual(name.column, signature.column)
        self.assertGreater(name.row, signature.row + 1, "room for the signature")
        recipients = find(ws, "Nơi nhận:")
        self.assertEqual((recipients.column, recipients.row), (1, signature.row))
        self.assertEqual(ws.cell(recipients.row + 1, 1).value, f"- {superior} (b/c);")
        self.assertEqual(ws.cell(recipients.row + 2, 1).value, "- Lưu: VT.")
        self.assertEqual(name.row, ws.max_row, "the signature ends the document")
        # The block is never cut by a page break.
        for brk in ws.row_breaks.brk:
            self.assertFalse(recipients.row <= brk.id < name.row)

    def assertDistrictA(
        self, ws, title, place_date="Bắc Kạn, ngày 22 tháng 11 năm 2026"
    ):
        self.assertLetterhead(
            ws,
            parent="LĐLĐ TỈNH THỬ NGHIỆM",
            issuer="LĐLĐ HUYỆN A",
            number="Số:        /BC-LĐLĐ",
            place_date=place_date,
            title=title,
        )
        self.assertSignature(
            ws, "BAN THƯỜNG VỤ", "CHỦ TỊCH", "Hoàng Thị Lan", "LĐLĐ tỉnh Thử nghiệm"
        )

    def assertNoPersonalData(self, workbook):
        everything = " ".join(text for ws in workbook for text in texts(ws))
        for personal in ("Tày", "19/09/1979", "1979", "Đảng viên"):
            self.assertNotIn(personal, everything)

    # Pledges -------------------------------------------------------------------------

    @freeze_time("2026-11-22 09:00:00")
    def test_pledge_export(self):
        pledges = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .search([("year", "=", YEAR)])
        )
        self.assertEqual(len(pledges), 6)
        content = self.render("report_pledge_xlsx", self.user_officer_a, pledges)
        # Streamed: rows written inline, no shared-strings table kept in memory.
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            self.assertNotIn("xl/sharedStrings.xml", archive.namelist())
            self.assertIn(b'"inlineStr"', archive.read("xl/worksheets/sheet1.xml"))
        workbook = self.workbook("report_pledge_xlsx", self.user_officer_a, pledges)
        self.assertNoPersonalData(workbook)
        # The assessed pledge is a result; the drafts go in a list marked so.
        results_title = f"KẾT QUẢ THỰC HIỆN {PLEDGE_TITLE} CỦA ĐOÀN VIÊN NĂM 2026"
        draft_title = f"DANH SÁCH ĐOÀN VIÊN ĐĂNG KÝ, {PLEDGE_TITLE} NĂM 2026 (DỰ THẢO)"
        self.assertEqual(len(workbook.worksheets), 2)
        results = self.sheet_titled(workbook, results_title)
        drafts = self.sheet_titled(workbook, draft_title)
        for sheet, title in ((results, results_title), (drafts, draft_title)):
            self.assertDistrictA(sheet.ws, title)
            self.assertTable(sheet)
            self.assertEqual(sheet.ws.page_setup.orientation, "landscape")

        states = self.labels("union.pledge", "state")
        pledge_results = self.labels("union.pledge", "result")
        categories = self.labels("union.pledge", "category")
        self.assertEqual(
            results.header,
            [
                "STT",
                "Họ và tên",
                "Chức vụ công đoàn",
                "Đơn vị",
                "Đối tượng",
                "Nội dung cam kết / sản phẩm cụ thể",
                "Kết quả",
            ],
        )
        self.assertEqual(results.column_values("Họ và tên"), ["Nguyễn Văn An"])
        row = results.first_row
        self.assertEqual(results.cell(row, "Chức vụ công đoàn").value, "Chủ tịch CĐCS")
        self.assertEqual(results.cell(row, "Đơn vị").value, "CĐCS Trường THPT A")
        self.assertEqual(
            results.cell(row, "Đối tượng").value, categories["civil_servant"]
        )
        self.assertEqual(
            results.cell(row, "Nội dung cam kết / sản phẩm cụ thể").value,
            "\n".join(["- Soạn 02 giáo án điện tử"] * len(self.pledge_a1.line_ids)),
        )
        self.assertEqual(results.cell(row, "Kết quả").value, pledge_results["achieved"])
        ws, totals = results.ws, results.totals_row
        result_col = results.column("Kết quả")
        self.assertEqual(ws.cell(totals, result_col).value, 1)
        self.assertTrue(ws.cell(totals, 1).font.b)
        achieved = find(ws, f"Kết quả: {pledge_results['achieved']}")
        self.assertEqual(ws.cell(achieved.row, result_col).value, 1)
        self.assertEqual(ws.cell(achieved.row, result_col).data_type, "n")

        self.assertEqual(drafts.header[-1], "Trạng thái")
        self.assertNotIn("Kết quả", drafts.header)
        self.assertEqual(
            sorted(drafts.column_values("Họ và tên")),
            sorted(["Trần Thị Bình", *FORMULA_NAMES]),
        )
        for name in FORMULA_NAMES:
            cell = drafts.cell(drafts.row_of("Họ và tên", name), "Họ và tên")
            self.assertEqual(
                cell.data_type, "s", f"{name!r} must stay text, not become a formula"
            )
            self.assertEqual(cell.value, name)
        row = drafts.row_of("Họ và tên", "Trần Thị Bình")
        self.assertEqual(
            drafts.cell(row, "Đơn vị").value,
            "CĐCS Trường THPT A\nTổ công đoàn Văn phòng A",
            "a sub-unit's member, with her grassroots union",
        )
        self.assertIsNone(drafts.cell(row, "Chức vụ công đoàn").value)
        self.assertEqual(drafts.cell(row, "Trạng thái").value, states["draft"])
        self.assertIn(
            self.long_commitment.strip(),
            drafts.cell(row, "Nội dung cam kết / sản phẩm cụ thể").value,
        )
        ws, state_col = drafts.ws, drafts.column("Trạng thái")
        self.assertEqual(ws.cell(drafts.totals_row, state_col).value, 5)
        breakdown = {
            ws.cell(row, 1).value: ws.cell(row, state_col).value
            for row in range(drafts.totals_row + 1, drafts.totals_row + 3)
        }
        self.assertEqual(
            breakdown,
            {
                f"Trạng thái: {states['draft']}": 5,
                f"Trạng thái: {states['submitted']}": 0,
            },
        )

    def test_pledge_export_of_another_district_refused(self):
        """Ids of both districts reach the report (as from a crafted request):
        the officer of A is refused, not given a silently shortened list."""
        everything = (
            self.env["union.pledge"]
            .with_user(self.user_admin)
            .search([("year", "=", YEAR)])
        )
        self.assertIn(self.pledge_b1, everything)
        with self.assertRaises(AccessError):
            self.render("report_pledge_xlsx", self.user_officer_a, everything)
        with self.assertRaises(AccessError):
            self.render("report_pledge_xlsx", self.user_officer_a, self.pledge_b1)

        # B's officer exports B's pledge, in the name of district B.
        workbook = self.workbook(
            "report_pledge_xlsx", self.user_officer_b, self.pledge_b1
        )
        ws = workbook.active
        self.assertEqual(ws["A2"].value, "LĐLĐ HUYỆN B")
        self.assertSignature(
            ws, "BAN THƯỜNG VỤ", "PHÓ CHỦ TỊCH", "Nông Văn Bảo", "LĐLĐ tỉnh Thử nghiệm"
        )
        self.assertEqual(Sheet(ws).column_values("Họ và tên"), ["Lê Văn Cường"])

    def test_pledge_export_by_the_province(self):
        everything = (
            self.env["union.pledge"]
            .with_user(self.user_manager_province)
            .search([("year", "=", YEAR)])
        )
        workbook = self.workbook(
            "report_pledge_xlsx", self.user_manager_province, everything
        )
        self.assertEqual(len(workbook.worksheets), 2)
        for ws in workbook.worksheets:
            self.assertEqual(ws["A1"].value, "TỔNG LIÊN ĐOÀN LAO ĐỘNG VIỆT NAM")
            self.assertEqual(ws["A2"].value, "LĐLĐ TỈNH THỬ NGHIỆM")
            self.assertEqual(ws["A4"].value, "Số:        /BC-LĐLĐ")
            self.assertSignature(
                ws,
                "BAN THƯỜNG VỤ",
                "CHỦ TỊCH",
                "Phạm Văn Tỉnh",
                "Tổng Liên đoàn Lao động Việt Nam",
            )
        names = {
            name for ws in workbook for name in Sheet(ws).column_values("Họ và tên")
        }
        self.assertEqual(len(names), 7, "both districts")

    def test_several_issuers_the_user_picks(self):
        """An officer of both districts: a direct Print cannot tell in whose
        name the list is issued and says so; the wizard asks."""
        Pledge = self.env["union.pledge"].with_user(self.user_officer_ab)
        pledges = Pledge.search([("year", "=", YEAR)])
        self.assertIn(self.pledge_b1, pledges)
        with self.assertRaises(UserError) as caught:
            self.render("report_pledge_xlsx", self.user_officer_ab, pledges)
        self.assertIn("LĐLĐ huyện A", str(caught.exception))
        self.assertIn("LĐLĐ huyện B", str(caught.exception))

        bindings = (
            self.env["ir.actions.actions"]
            .with_user(self.user_officer_ab)
            .get_bindings("union.pledge")
        )
        wizard_action = self.env.ref(
            "trade_union_emulation.union_document_export_wizard_action_pledge"
        )
        self.assertIn(wizard_action.id, [a["id"] for a in bindings["report"]])
        Wizard = (
            self.env["union.document.export.wizard"]
            .with_user(self.user_officer_ab)
            .with_context(active_model="union.pledge", active_ids=pledges.ids)
        )
        form = Form(Wizard)
        self.assertEqual(form.year, YEAR)
        self.assertFalse(form.issuer_id, "nothing chosen for the user")
        form.issuer_id = self.district_b
        wizard = form.save()
        self.assertEqual(wizard.issuer_candidate_ids, self.district_a | self.district_b)
        action = wizard.action_export()
        self.assertEqual(action["type"], "ir.actions.report")
        self.assertEqual(action["report_type"], "xlsx")
        self.assertEqual(
            action["data"], {"issuer_id": self.district_b.id, "year": YEAR}
        )
        self.assertEqual(action["context"]["active_ids"], pledges.ids)
        workbook = self.workbook(
            "report_pledge_xlsx", self.user_officer_ab, pledges, action["data"]
        )
        self.assertEqual(len(workbook.worksheets), 1)
        ws = workbook.active
        self.assertEqual(ws["A2"].value, "LĐLĐ HUYỆN B")
        self.assertEqual(Sheet(ws).column_values("Họ và tên"), ["Lê Văn Cường"])

        # A year without records is said in the wizard.
        wizard.year = YEAR - 1
        with self.assertRaises(UserError):
            wizard.action_export()
        # An organisation the user does not work on cannot issue, even asked for.
        with self.assertRaises(AccessError):
            self.render(
                "report_pledge_xlsx",
                self.user_officer_a,
                self.pledge_a1,
                {"issuer_id": self.province.id, "year": YEAR},
            )

    def test_refusals(self):
        Pledge = self.env["union.pledge"]
        # Nothing to list.
        with self.assertRaises(UserError):
            self.render("report_pledge_xlsx", self.user_officer_a, Pledge)
        with self.assertRaises(UserError):
            self.render(
                "report_commendation_xlsx",
                self.user_officer_a,
                self.commendation_rejected,
            )
        # A member is no officer: their own pledge is no document to issue.
        member_user = self.user_member_a1
        self.assertTrue(member_user.has_group(MEMBER))
        with self.assertRaises(AccessError):
            self.render("report_pledge_xlsx", member_user, self.pledge_a1)

    # Evaluations ---------------------------------------------------------------------

    @freeze_time("2026-02-05 09:00:00")
    def test_member_evaluation_export(self):
        evaluations = (
            self.env["union.member.evaluation"]
            .with_user(self.user_officer_a)
            .search([("year", "=", YEAR)])
        )
        workbook = self.workbook(
            "report_member_evaluation_xlsx", self.user_officer_a, evaluations
        )
        self.assertNoPersonalData(workbook)
        results_title = "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐOÀN VIÊN CÔNG ĐOÀN NĂM 2026"
        proposal_title = (
            "DANH SÁCH ĐỀ NGHỊ ĐÁNH GIÁ, XẾP LOẠI ĐOÀN VIÊN CÔNG ĐOÀN NĂM 2026"
        )
        results = self.sheet_titled(workbook, results_title)
        proposal = self.sheet_titled(workbook, proposal_title)
        for sheet, title in ((results, results_title), (proposal, proposal_title)):
            # NĐ 30/2020: days below 10 and months below 3 take a leading zero.
            self.assertDistrictA(sheet.ws, title, "Bắc Kạn, ngày 05 tháng 02 năm 2026")
            self.assertTable(sheet)
        ratings = self.labels("union.member.evaluation", "rating")
        states = self.labels("union.member.evaluation", "state")
        pledge_results = self.labels("union.pledge", "result")

        # Only the approved rating is a result, and it has no state column.
        self.assertEqual(
            results.header,
            [
                "STT",
                "Họ và tên",
                "Chức vụ công đoàn",
                "Đơn vị",
                "Điểm",
                "Xếp loại",
                "Kết quả thực hiện cam kết",
            ],
        )
        self.assertEqual(results.column_values("Họ và tên"), ["=SUM(A1:A2)"])
        row = results.first_row
        self.assertEqual(results.cell(row, "Họ và tên").data_type, "s")
        self.assertEqual(results.cell(row, "Xếp loại").value, ratings["complete"])
        ws, rating_col = results.ws, results.column("Xếp loại")
        self.assertEqual(ws.cell(results.totals_row, rating_col).value, 1)
        per_rating = {
            ws.cell(row, 1).value: ws.cell(row, rating_col).value
            for row in range(results.totals_row + 1, results.totals_row + 5)
        }
        self.assertEqual(
            per_rating,
            {
                f"Xếp loại: {ratings['excellent']}": 0,
                f"Xếp loại: {ratings['good']}": 0,
                f"Xếp loại: {ratings['complete']}": 1,
                f"Xếp loại: {ratings['incomplete']}": 0,
            },
        )

        self.assertEqual(proposal.column_values("Họ và tên"), ["Nguyễn Văn An"])
        row = proposal.first_row
        self.assertEqual(proposal.cell(row, "Chức vụ công đoàn").value, "Chủ tịch CĐCS")
        self.assertEqual(proposal.cell(row, "Điểm").value, 95)
        self.assertEqual(proposal.cell(row, "Điểm").data_type, "n")
        self.assertEqual(
            proposal.cell(row, "Xếp loại đề nghị").value, ratings["excellent"]
        )
        self.assertEqual(
            proposal.cell(row, "Kết quả thực hiện cam kết").value,
            pledge_results["achieved"],
        )
        self.assertEqual(proposal.cell(row, "Trạng thái").value, states["submitted"])

    # Commendations -------------------------------------------------------------------

    @freeze_time("2026-11-22 09:00:00")
    def test_commendation_export(self):
        commendations = (
            self.env["union.commendation"].with_user(self.user_officer_a).search([])
        )
        self.assertIn(self.commendation_rejected, commendations)
        workbook = self.workbook(
            "report_commendation_xlsx", self.user_officer_a, commendations
        )
        # One document per year and kind; the rejected proposal is in none.
        results_title = "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM {}"
        proposal_title = "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG NĂM 2026"
        self.assertEqual(len(workbook.worksheets), 3)
        results = self.sheet_titled(workbook, results_title.format(YEAR))
        last_year = self.sheet_titled(workbook, results_title.format(YEAR - 1))
        proposal = self.sheet_titled(workbook, proposal_title)
        for sheet, title in (
            (results, results_title.format(YEAR)),
            (last_year, results_title.format(YEAR - 1)),
            (proposal, proposal_title),
        ):
            self.assertDistrictA(sheet.ws, title)
            self.assertTable(sheet)
        self.assertNotIn(
            "Bị trả lại", " ".join(t for ws in workbook for t in texts(ws))
        )

        self.assertEqual(
            results.header,
            [
                "STT",
                "Hình thức",
                "Cấp khen",
                "Tập thể, cá nhân được khen thưởng",
                "Chức vụ, đơn vị",
                "Thành tích",
                "Số quyết định",
                "Ngày quyết định",
            ],
        )
        self.assertEqual(len(results.data_rows), 2, "one row per recipient")
        forms = self.labels("union.commendation", "form")
        levels = self.labels("union.commendation", "issuer_level")
        recipient = "Tập thể, cá nhân được khen thưởng"
        member_row = results.row_of(recipient, "Nguyễn Văn An")
        self.assertEqual(
            results.cell(member_row, "Hình thức").value, forms["certificate_of_merit"]
        )
        self.assertEqual(
            results.cell(member_row, "Cấp khen").value, levels["provincial"]
        )
        self.assertEqual(
            results.cell(member_row, "Chức vụ, đơn vị").value,
            "Chủ tịch CĐCS\nCĐCS Trường THPT A",
        )
        self.assertEqual(results.cell(member_row, "Thành tích").value, "Điển hình")
        self.assertEqual(results.cell(member_row, "Số quyết định").value, "15/QĐ-LĐLĐ")
        decided = results.cell(member_row, "Ngày quyết định")
        self.assertIsInstance(decided.value, datetime)
        self.assertEqual(decided.value.date(), date(YEAR, 2, 5))
        self.assertEqual(decided.number_format, "dd/mm/yyyy")
        org_row = results.row_of(recipient, "CĐCS Trường THPT A")
        self.assertEqual(results.cell(org_row, "Chức vụ, đơn vị").value, "LĐLĐ huyện A")
        self.assertEqual(results.cell(org_row, "Thành tích").value, "=1+1")
        self.assertEqual(results.cell(org_row, "Thành tích").data_type, "s")
        ws, col = results.ws, results.column(recipient)
        self.assertEqual(ws.cell(results.totals_row, col).value, 2)
        merit = find(ws, f"Hình thức: {forms['certificate_of_merit']}")
        self.assertEqual(ws.cell(merit.row, col).value, 2)

        self.assertEqual(last_year.column_values(recipient), ["Nguyễn Văn An"])
        states = self.labels("union.commendation", "state")
        self.assertNotIn("Số quyết định", proposal.header)
        proposed = "Tập thể, cá nhân đề nghị khen thưởng"
        self.assertEqual(proposal.column_values(proposed), ["Trần Thị Bình"])
        self.assertEqual(
            proposal.cell(proposal.first_row, "Trạng thái").value, states["draft"]
        )

    # Exemplars -----------------------------------------------------------------------

    @freeze_time("2026-11-22 09:00:00")
    def test_exemplar_export(self):
        """B's recognised exemplar is public, but it is not district A's: it is
        left out of A's document."""
        exemplars = self.env["union.exemplar"].with_user(self.user_officer_a).search([])
        self.assertIn(self.exemplar_b, exemplars)
        workbook = self.workbook("report_exemplar_xlsx", self.user_officer_a, exemplars)
        subject = "TRONG HỌC TẬP VÀ LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH"
        results_title = f"DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH TIÊU BIỂU {subject} NĂM 2026"
        proposal_title = (
            "DANH SÁCH ĐỀ NGHỊ CÔNG NHẬN MÔ HÌNH, ĐIỂN HÌNH TIÊU BIỂU "
            f"{subject} NĂM 2026"
        )
        results = self.sheet_titled(workbook, results_title)
        proposal = self.sheet_titled(workbook, proposal_title)
        for sheet, title in ((results, results_title), (proposal, proposal_title)):
            self.assertDistrictA(sheet.ws, title)
            self.assertTable(sheet)
        everything = " ".join(t for ws in workbook for t in texts(ws))
        for secret in ("Người tốt việc tốt huyện B", "Lê Văn Cường", "Bệnh viện B"):
            self.assertNotIn(secret, everything)

        self.assertEqual(
            results.header,
            [
                "STT",
                "Tên mô hình, điển hình",
                "Loại",
                "Đơn vị",
                "Thành viên",
                "Tuyên truyền",
            ],
        )
        types = self.labels("union.exemplar", "exemplar_type")
        channels = self.labels("union.exemplar.publication", "channel")
        self.assertEqual(
            results.column_values("Tên mô hình, điển hình"), ["Mô hình “Dân vận khéo”"]
        )
        row = results.first_row
        self.assertEqual(results.cell(row, "Loại").value, types["model"])
        self.assertEqual(results.cell(row, "Đơn vị").value, "CĐCS Trường THPT A")
        self.assertEqual(
            sorted(results.cell(row, "Thành viên").value.split("\n")),
            ["Nguyễn Văn An (Chủ tịch CĐCS)", "Trần Thị Bình"],
        )
        self.assertEqual(
            results.cell(row, "Tuyên truyền").value,
            f"{channels['newspaper']}: Báo Bắc Kạn đưa tin (08/03/2026)",
        )
        ws = results.ws
        self.assertEqual(ws.cell(results.totals_row, results.column("Loại")).value, 1)
        model = find(ws, f"Loại: {types['model']}")
        self.assertEqual(ws.cell(model.row, results.column("Loại")).value, 1)

        states = self.labels("union.exemplar", "state")
        self.assertEqual(
            proposal.column_values("Tên mô hình, điển hình"), ["Tổ công đoàn tự quản"]
        )
        row = proposal.first_row
        self.assertEqual(
            proposal.cell(row, "Đơn vị").value,
            "CĐCS Trường THPT A\nTổ công đoàn Văn phòng A",
        )
        self.assertEqual(proposal.cell(row, "Trạng thái").value, states["proposed"])

    def test_grassroots_issues_for_its_sub_unit(self):
        """A sub-unit has no seal: its grassroots union issues and signs."""
        self.user_officer_a.union_organization_ids = self.sub_unit_a
        exemplars = self.env["union.exemplar"].with_user(self.user_officer_a).search([])
        ws = self.workbook(
            "report_exemplar_xlsx", self.user_officer_a, exemplars
        ).active
        self.assertEqual(ws["A1"].value, "LĐLĐ HUYỆN A")
        self.assertEqual(ws["A2"].value, "CĐCS TRƯỜNG THPT A")
        self.assertEqual(ws["A4"].value, "Số:        /BC-CĐCS")
        self.assertSignature(
            ws, "BAN CHẤP HÀNH", "CHỦ TỊCH", "Đỗ Văn Cơ Sở", "LĐLĐ huyện A"
        )
        self.assertEqual(
            Sheet(ws).column_values("Tên mô hình, điển hình"), ["Tổ công đoàn tự quản"]
        )

    # Annual reports ------------------------------------------------------------------

    def test_annual_report_export(self):
        report = self.annual_report.with_user(self.user_officer_a)
        with freeze_time("2026-09-05 03:00:00"):
            report.action_submit()
        with freeze_time("2026-11-22 09:00:00"):
            workbook = self.workbook(
                "report_annual_report_xlsx", self.user_officer_a, report
            )
        self.assertEqual(len(workbook.worksheets), 3, "the report and two appendices")
        letter, coverage, results = workbook.worksheets
        self.assertDistrictA(
            letter,
            "BÁO CÁO\nKết quả học tập và làm theo tư tưởng, đạo đức, phong cách "
            "Hồ Chí Minh năm 2026",
        )
        self.assertEqual(letter.page_setup.orientation, "portrait")
        # The figures frozen when the report was submitted, and their date.
        as_of = "(Số liệu tính đến ngày 05/09/2026)"
        for ws in workbook.worksheets:
            self.assertIsNotNone(find(ws, as_of), ws.title)

        # The narrative: one row per paragraph, a <br> a line inside it; the
        # report's figures in words first.
        heading = find(letter, "1. Kết quả đạt được")
        lines = [
            letter.cell(row, 1).value
            for row in range(heading.row + 1, heading.row + 10)
        ]
        self.assertIn(f"- Tổng số đoàn viên: {report.member_count}.", lines)
        self.assertIn("Đoàn viên tích cực học tập.\nDòng thứ hai.", lines)
        item = find(letter, "- =Một mô hình")
        self.assertEqual(item.data_type, "s")
        directions = find(letter, "4. Phương hướng, nhiệm vụ")
        self.assertEqual(
            letter.cell(directions.row + 1, 1).value, "Tiếp tục nhân rộng."
        )
        # The long paragraph: cut at its sentences into rows of a page or less.
        pieces = [
            letter.cell(row, 1).value
            for row in range(directions.row + 2, letter.max_row)
            if (letter.cell(row, 1).value or "").startswith("Các công đoàn")
        ]
        self.assertGreater(len(pieces), 1)
        for piece in pieces:
            self.assertTrue(piece.endswith("đơn vị."), piece[-30:])
            row = find(letter, piece).row
            self.assertLessEqual(letter.row_dimensions[row].height, 409)
        self.assertIsNone(find(letter, "2. Hạn chế, nguyên nhân"), "empty: left out")

        # The appendices: every organisation of the subtree, indented by level,
        # the totals = the report's figures; rates as numbers of percent.
        self.assertEqual(coverage["A1"].value, "Phụ lục 1")
        self.assertIsNotNone(
            find(
                coverage,
                "(Kèm theo Báo cáo số        /BC-LĐLĐ ngày      tháng      năm 2026 "
                "của Ban Thường vụ LĐLĐ huyện A)",
            )
        )
        self.assertIsNone(find(coverage, "Nơi nhận:"), "an appendix is not signed")
        sheet = Sheet(coverage)
        self.assertTable(sheet)
        self.assertEqual(coverage.page_setup.orientation, "landscape")
        self.assertEqual(
            sheet.header,
            [
                "STT",
                "Tổ chức công đoàn",
                "Số đoàn viên",
                "Số đoàn viên",
                "Tỷ lệ (%)",
                "Số đoàn viên đăng ký",
                "Tỷ lệ (%)",
                "Số bản được duyệt",
                "Số bản hoàn thành",
                "Tỷ lệ (%)",
            ],
        )
        self.assertEqual(coverage.cell(sheet.header_row, 4).value, "Học tập chuyên đề")
        org_col = sheet.column("Tổ chức công đoàn")
        rows = {coverage.cell(row, org_col).value: row for row in sheet.data_rows}
        self.assertEqual(
            list(rows),
            ["LĐLĐ huyện A", "CĐCS Trường THPT A", "Tổ công đoàn Văn phòng A"],
        )
        self.assertEqual(
            [coverage.cell(row, org_col).alignment.indent for row in rows.values()],
            [0, 1, 2],
        )
        self.assertEqual(coverage.cell(rows["CĐCS Trường THPT A"], 3).value, 6)
        figures = (
            "member_count",
            "studied_count",
            "study_rate",
            "pledged_count",
            "pledge_rate",
            "pledge_approved_count",
            "pledge_achieved_count",
            "pledge_achieved_rate",
        )
        self.assertEqual((report.member_count, report.pledge_achieved_count), (6, 1))
        for col, name in enumerate(figures, start=3):
            cell = coverage.cell(sheet.totals_row, col)
            self.assertEqual(cell.data_type, "n", name)
            self.assertEqual(cell.value, report[name], name)
            if name.endswith("_rate"):
                self.assertEqual(cell.number_format, "0.0")
        self.assertEqual(coverage.cell(sheet.totals_row, 7).value, 16.7)

        self.assertEqual(results["A1"].value, "Phụ lục 2")
        sheet = Sheet(results)
        self.assertTable(sheet)
        self.assertEqual(
            sheet.header[2:],
            [
                "Số đoàn viên",
                "Hoàn thành xuất sắc nhiệm vụ",
                "Hoàn thành tốt nhiệm vụ",
                "Hoàn thành nhiệm vụ",
                "Không hoàn thành nhiệm vụ",
                "Mô hình, điển hình được công nhận",
                "Lượt tập thể, cá nhân được khen thưởng",
            ],
        )
        self.assertEqual(
            [results.cell(sheet.totals_row, col).value for col in range(3, 10)],
            [
                report.member_count,
                report.evaluation_excellent_count,
                report.evaluation_good_count,
                report.evaluation_complete_count,
                report.evaluation_incomplete_count,
                report.exemplar_count,
                report.commendation_count,
            ],
        )
        self.assertEqual((report.exemplar_count, report.commendation_count), (1, 2))

    @freeze_time("2026-11-22 09:00:00")
    def test_annual_report_draft(self):
        """A draft is marked so, with the figures of the day."""
        workbook = self.workbook(
            "report_annual_report_xlsx", self.user_officer_a, self.annual_report
        )
        letter = workbook.worksheets[0]
        self.assertIsNotNone(
            find(
                letter,
                "BÁO CÁO\nKết quả học tập và làm theo tư tưởng, đạo đức, phong cách "
                "Hồ Chí Minh năm 2026 (DỰ THẢO)",
            )
        )
        self.assertEqual(workbook.worksheets[1]["A1"].value, "Phụ lục 1 (dự thảo)")
        for ws in workbook.worksheets:
            self.assertIsNotNone(find(ws, "(Số liệu tính đến ngày 22/11/2026)"))

    def test_annual_reports_one_document_each(self):
        province_report = (
            self.env["union.annual.report"]
            .with_user(self.user_manager_province)
            .create({"organization_id": self.province.id, "year": YEAR})
        )
        reports = province_report | self.annual_report
        workbook = self.workbook(
            "report_annual_report_xlsx", self.user_manager_province, reports
        )
        self.assertEqual(len(workbook.worksheets), 6)
        letters = [ws for ws in workbook.worksheets if find(ws, "Nơi nhận:")]
        self.assertEqual(
            {ws["A2"].value for ws in letters},
            {"LĐLĐ TỈNH THỬ NGHIỆM", "LĐLĐ HUYỆN A"},
            "each report in the name of its organisation",
        )
        province_sheet = next(
            Sheet(ws)
            for ws in workbook.worksheets
            if ws["A1"].value == "Phụ lục 1 (dự thảo)"
            and find(
                ws,
                "(Kèm theo Báo cáo số        /BC-LĐLĐ ngày      tháng      "
                "năm 2026 của Ban Thường vụ LĐLĐ tỉnh Thử nghiệm)",
            )
        )
        self.assertEqual(
            len(province_sheet.data_rows),
            6,
            "the province, both districts, their unions",
        )
        self.assertEqual(
            province_sheet.ws.cell(province_sheet.totals_row, 3).value,
            province_report.member_count,
        )
        self.assertEqual(province_report.member_count, 7)

        # District A's officer cannot read the province's report: refused.
        with self.assertRaises(AccessError):
            self.render("report_annual_report_xlsx", self.user_officer_a, reports)

    def test_term_report_export(self):
        """The term summary: signed by its organisation, each year's figures
        side by side with the term's total and change, in two appendices."""
        plan = self.env["union.plan"].create(
            {
                "name": "Kế hoạch giai đoạn",
                "number": "T-140/KH-LĐLĐ",
                "organization_id": self.province.id,
                "year_start": YEAR - 1,
                "year_end": YEAR,
            }
        )
        term = (
            self.env["union.term.report"]
            .with_user(self.user_officer_a)
            .create(
                {
                    "organization_id": self.district_a.id,
                    "plan_id": plan.id,
                    "results": "<p>Hoàn thành kế hoạch giai đoạn.</p>",
                }
            )
        )
        with freeze_time("2026-11-25 03:00:00"):
            term.with_user(self.user_officer_a).action_submit()
        with freeze_time("2026-11-26 09:00:00"):
            workbook = self.workbook(
                "report_term_report_xlsx", self.user_officer_a, term
            )
        self.assertEqual(len(workbook.worksheets), 3, "the report and two appendices")
        letter, counts, rates = workbook.worksheets
        self.assertDistrictA(
            letter,
            "BÁO CÁO\nTổng kết thực hiện Kế hoạch số T-140/KH-LĐLĐ về học tập và làm "
            "theo tư tưởng, đạo đức, phong cách Hồ Chí Minh giai đoạn 2025 - 2026",
            place_date="Bắc Kạn, ngày 26 tháng 11 năm 2026",
        )
        for ws in workbook.worksheets:
            self.assertIsNotNone(find(ws, "(Số liệu tính đến ngày 25/11/2026)"))
        self.assertIsNotNone(find(letter, "Hoàn thành kế hoạch giai đoạn."))

        def table(ws):
            header = next(
                r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "STT"
            )
            first = header + 2  # the years sit under their group
            labels = [
                ws.cell(header + 1, c).value or ws.cell(header, c).value
                for c in range(1, ws.max_column + 1)
            ]
            rows = {
                ws.cell(r, 2).value: [
                    ws.cell(r, c).value for c in range(3, ws.max_column + 1)
                ]
                for r in range(first, ws.max_row + 1)
                if isinstance(ws.cell(r, 1).value, int)
            }
            return labels, rows

        labels, rows = table(counts)
        self.assertEqual(
            labels,
            ["STT", "Chỉ tiêu", "2025", "2026", "Cả giai đoạn", "Tăng, giảm 2025-2026"],
        )
        last, this = term.line_ids.sorted("year")
        self.assertEqual(
            rows["Số đoàn viên học tập chuyên đề"],
            [
                last.studied_count,
                this.studied_count,
                term.studied_count,
                this.studied_count - last.studied_count,
            ],
        )
        self.assertEqual(
            rows["Số đoàn viên đăng ký, cam kết làm theo"][2],
            last.pledged_count + this.pledged_count,
        )
        self.assertEqual(rows["Số đoàn viên"][2], this.member_count, "end of the term")
        _labels, rate_rows = table(rates)
        self.assertEqual(
            rate_rows["Tỷ lệ đoàn viên đăng ký, cam kết làm theo"][:3],
            [last.pledge_rate, this.pledge_rate, term.pledge_rate],
        )
        self.assertEqual(counts.page_setup.orientation, "landscape")
        self.assertIsNone(find(counts, "Nơi nhận:"), "an appendix is not signed")
        # Another district's officer cannot export it.
        with self.assertRaises(AccessError):
            self.render("report_term_report_xlsx", self.user_officer_b, term)

    # Tables longer than a sheet --------------------------------------------------

    def sheet_rows(self, xmlid, rows):
        """``xmlid``'s table rows per sheet lowered to ``rows`` (a
        configuration of the report: Excel's own 1,048,576 would need a
        million records)."""
        report = type(self.env[f"report.trade_union_emulation.{xmlid}"])
        self.patch(report, "_sheet_data_rows", rows)

    def totals_block(self, sheet):
        """The values of the totals rows: the grand total and its breakdown."""
        rows, row = [], sheet.totals_row
        while sheet.ws.cell(row, 1).value is not None:
            rows.append(sheet.values(row))
            row += 1
        return rows

    def continued_table(self, workbook, sheet_names):
        """The table spread over ``sheet_names`` read back: the values of the
        data rows of each sheet. Every sheet bears the title block and header
        of the first one; each but the last ends with a note naming the next
        sheet and has no totals, the last one has them."""
        first = Sheet(workbook[sheet_names[0]])
        title_merges = sorted(
            rng.coord for rng in first.ws.merged_cells.ranges if rng.min_row < 10
        )
        per_sheet = []
        for index, name in enumerate(sheet_names):
            sheet = Sheet(workbook[name])
            ws = sheet.ws
            self.assertEqual(
                (sheet.header_row, sheet.header_rows),
                (first.header_row, first.header_rows),
                name,
            )
            for row in range(1, sheet.first_row):
                self.assertEqual(
                    sheet.values(row), first.values(row), f"{name}: row {row}"
                )
                self.assertEqual(
                    ws.row_dimensions[row].height,
                    first.ws.row_dimensions[row].height,
                    f"{name}: row {row}",
                )
            self.assertEqual(
                sorted(rng.coord for rng in ws.merged_cells.ranges if rng.min_row < 10),
                title_merges,
                name,
            )
            self.assertEqual(ws.freeze_panes, f"A{sheet.first_row}", name)
            self.assertEqual(
                ws.print_title_rows,
                f"${sheet.header_row}:${sheet.first_row - 1}",
                f"{name}: the header printed on every page",
            )
            self.assertEqual(
                ws.page_setup.orientation, first.ws.page_setup.orientation, name
            )
            self.assertTrue(sheet.data_rows, f"{name}: no sheet without rows")
            per_sheet.append([sheet.values(row) for row in sheet.data_rows])
            after = sheet.data_rows.stop
            if index == len(sheet_names) - 1:
                self.assertEqual(sheet.totals_row, after, f"{name}: the totals")
                continue
            self.assertIsNone(sheet.totals_row, f"{name}: totals on the last sheet")
            self.assertIsNone(find(ws, "Nơi nhận:"), f"{name}: signed once")
            note = ws.cell(after, 1)
            self.assertEqual(
                note.value,
                f"(Danh sách còn tiếp ở trang tính “{sheet_names[index + 1]}”)",
            )
            self.assertTrue(note.font.i, "the note in italics")
            self.assertEqual(
                [
                    (rng.min_col, rng.max_col)
                    for rng in ws.merged_cells.ranges
                    if rng.min_row == after
                ],
                [(1, sheet.width)],
                f"{name}: the note over the whole width",
            )
            self.assertEqual(after, ws.max_row, f"{name}: the note ends the sheet")
        return per_sheet

    @freeze_time("2026-11-22 09:00:00")
    def test_pledge_export_continues_on_new_sheets(self):
        """Two rows a sheet: the draft pledges fill three sheets, each with the
        letterhead and header, STT going on, the totals and signature on the
        last; the rows are those of the one-sheet list, none lost or doubled."""
        pledges = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .search([("year", "=", YEAR)])
        )
        draft = "Cam kết 2026 (dự thảo)"
        whole = Sheet(
            self.workbook("report_pledge_xlsx", self.user_officer_a, pledges)[draft]
        )
        expected = [whole.values(row) for row in whole.data_rows]
        self.assertEqual(len(expected), 5, "the five drafts of district A")

        self.sheet_rows("report_pledge_xlsx", 2)
        workbook = self.workbook("report_pledge_xlsx", self.user_officer_a, pledges)
        drafts = [draft, f"{draft} (2)", f"{draft} (3)"]
        self.assertEqual(workbook.sheetnames, ["Kết quả cam kết 2026", *drafts])
        draft_title = f"DANH SÁCH ĐOÀN VIÊN ĐĂNG KÝ, {PLEDGE_TITLE} NĂM 2026 (DỰ THẢO)"
        for name in drafts:
            self.assertLetterhead(
                workbook[name],
                parent="LĐLĐ TỈNH THỬ NGHIỆM",
                issuer="LĐLĐ HUYỆN A",
                number="Số:        /BC-LĐLĐ",
                place_date="Bắc Kạn, ngày 22 tháng 11 năm 2026",
                title=draft_title,
            )
        per_sheet = self.continued_table(workbook, drafts)
        self.assertEqual([len(rows) for rows in per_sheet], [2, 2, 1])
        rows = [row for rows in per_sheet for row in rows]
        self.assertEqual([row[0] for row in rows], [1, 2, 3, 4, 5], "STT goes on")
        self.assertEqual(rows, expected, "the rows of the one-sheet list")
        last = Sheet(workbook[drafts[-1]])
        self.assertEqual(self.totals_block(last), self.totals_block(whole))
        self.assertEqual(
            last.ws.cell(last.totals_row, last.column("Trạng thái")).value, 5
        )
        self.assertSignature(
            last.ws,
            "BAN THƯỜNG VỤ",
            "CHỦ TỊCH",
            "Hoàng Thị Lan",
            "LĐLĐ tỉnh Thử nghiệm",
        )
        # Exactly a sheet's rows: no empty sheet after it.
        self.sheet_rows("report_pledge_xlsx", 5)
        workbook = self.workbook("report_pledge_xlsx", self.user_officer_a, pledges)
        self.assertEqual(workbook.sheetnames, ["Kết quả cam kết 2026", draft])

    @freeze_time("2026-11-22 09:00:00")
    def test_commendation_lines_continue_on_new_sheets(self):
        """The commendation list counts recipients: at one a sheet, the
        approved commendations of 2026 in district A take a sheet per
        recipient, in the order of the one-sheet list, totals over all."""
        commendations = (
            self.env["union.commendation"]
            .with_user(self.user_officer_a)
            .search([("year", "=", YEAR), ("state", "=", "approved")])
        )
        # The officer may read approved commendations beyond district A; the
        # document holds the recipients of those of its subtree.
        recipients = commendations.filtered_domain(
            [("organization_id", "child_of", self.district_a.id)]
        ).line_ids
        self.assertGreaterEqual(len(recipients), 2)
        report = "report_commendation_xlsx"
        one_sheet = self.workbook(report, self.user_officer_a, commendations)
        (name,) = one_sheet.sheetnames
        whole = Sheet(one_sheet[name])
        expected = [whole.values(row) for row in whole.data_rows]
        self.assertEqual(len(expected), len(recipients), "a row per recipient")

        self.sheet_rows(report, 1)
        workbook = self.workbook(report, self.user_officer_a, commendations)
        names = [name, *(f"{name} ({n})" for n in range(2, len(recipients) + 1))]
        self.assertEqual(workbook.sheetnames, names)
        per_sheet = self.continued_table(workbook, names)
        self.assertEqual([len(rows) for rows in per_sheet], [1] * len(recipients))
        rows = [row for rows in per_sheet for row in rows]
        self.assertEqual(rows, expected, "the rows of the one-sheet list")
        self.assertEqual([row[0] for row in rows], list(range(1, len(recipients) + 1)))
        last = Sheet(workbook[names[-1]])
        self.assertEqual(self.totals_block(last), self.totals_block(whole))
        recipient_col = last.column("Tập thể, cá nhân được khen thưởng")
        self.assertEqual(
            last.ws.cell(last.totals_row, recipient_col).value, len(recipients)
        )

    @freeze_time("2026-11-22 09:00:00")
    def test_continuation_note_kept_with_the_last_row(self):
        """A page with no room left for the note under the last row of a
        sheet: the row goes to the next page with the note, which never
        starts a page alone."""
        pledges = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .search([("year", "=", YEAR)])
        )
        draft = "Cam kết 2026 (dự thảo)"
        self.sheet_rows("report_pledge_xlsx", 2)
        workbook = self.workbook("report_pledge_xlsx", self.user_officer_a, pledges)
        sheet = Sheet(workbook[draft])
        last_row = sheet.data_rows[-1]
        self.assertFalse(sheet.ws.row_breaks.brk, "all on one page")
        heights = sheet.ws.row_dimensions
        used = sum(heights[row].height for row in range(1, last_row + 1))
        # A page that holds everything down to the last row, not the note.
        self.patch(union_layout_xlsx, "printable_height_pt", lambda _o: used + 5.0)
        workbook = self.workbook("report_pledge_xlsx", self.user_officer_a, pledges)
        ws = workbook[draft]
        self.assertEqual(ws.cell(last_row + 1, 1).value[:9], "(Danh sác")
        self.assertEqual([brk.id for brk in ws.row_breaks.brk], [last_row - 1])

    def test_line_count_at_the_edge(self):
        """A text as wide as its cell takes one line, a hair wider two: the
        shortcut for texts that plainly fit never decides at the edge."""
        words = ["Nguyễn", "Thị", "Ưng", "…", "W"]
        for bold in (False, True):
            width = sum(union_layout_xlsx.word_width(w, bold) for w in words)
            width += union_layout_xlsx.word_width(" ", bold) * (len(words) - 1)
            text = " ".join(words)
            lines = union_layout_xlsx._wrapped_lines
            self.assertEqual(lines(text, width, bold), 1)
            self.assertEqual(lines(text, width - 1e-9, bold), 2)
            self.assertEqual(lines(f"{text}\n{text}", width + 0.0005, bold), 2)
            self.assertEqual(lines(text.replace(" ", "\xa0 "), width, bold), 1)

    def test_streamed_rows_as_xlsxwriter_writes_them(self):
        """The rows that DocumentWorksheet writes itself (plain cells) and
        stores at once (write_cells) make the XML that xlsxwriter makes of
        the same cells written one by one, byte for byte: strings to escape
        or keep spaces of, formulas-to-be, control characters, numbers,
        blanks and dates alike."""
        strings = [
            "Nguyễn Văn An",
            "- một\n- hai",
            "A & B <c>",
            " leading",
            "trailing ",
            "_x0041_",
            "\x01\r",
            "<r>rich</r>",
            "\ufffe",
            "{=1+1}",
            "=SUM(A1:A2)",
            '"quoted"',
            "x" * 40000,
        ]
        rows = [
            [1, "Nguyễn Văn An", None, "- một\n- hai", 2.5],
            [2, None, None, 0, -0.0],
            [10**20, 1 / 3, "", None, "ok"],
            *([index + 3, text, None, 7] for index, text in enumerate(strings)),
        ]

        def sheet_xml(worksheet_class, store):
            output = io.BytesIO()
            workbook = Workbook(
                output, {"constant_memory": True, "strings_to_formulas": False}
            )
            sheet = workbook.add_worksheet(worksheet_class=worksheet_class)
            text = workbook.add_format({"text_wrap": True, "border": 1})
            figure = workbook.add_format({"num_format": "0.0"})
            for row, values in enumerate(rows):
                cells = [
                    (col, value, figure if col in (0, 4) else text)
                    for col, value in enumerate(values)
                ]
                if store:
                    sheet.write_cells(row, cells)
                else:
                    for col, value, cell_format in cells:
                        if value is None:
                            sheet.write_blank(row, col, None, cell_format)
                        elif isinstance(value, str):
                            sheet.write_string(row, col, value, cell_format)
                        else:
                            sheet.write_number(row, col, value, cell_format)
                sheet.write_datetime(row, 5, datetime(2026, 1, row + 1), figure)
                sheet.set_row(row, 18.0 + row)
            # What the sheet still holds of its rows' heights before closing.
            kept.append(len(sheet.set_rows) + len(sheet.row_sizes))
            workbook.close()
            with zipfile.ZipFile(output) as archive:
                return archive.read("xl/worksheets/sheet1.xml")

        kept = []
        expected = sheet_xml(Worksheet, store=False)
        self.assertIn(b"&amp;", expected)
        DocumentWorksheet = union_layout_xlsx.DocumentWorksheet
        self.assertEqual(sheet_xml(DocumentWorksheet, store=False), expected)
        self.assertEqual(sheet_xml(DocumentWorksheet, store=True), expected)
        # xlsxwriter keeps every row's height to the end; DocumentWorksheet
        # only the row not written yet, so a million rows take no more memory.
        self.assertEqual(kept, [2 * len(rows), 2, 2])

    def test_sheet_full_refused(self):
        """A document that cannot continue on another sheet (its rows would
        pass the sheet's last row) is refused, never cut silently."""
        pledges = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .search([("year", "=", YEAR)])
        )
        self.patch(union_layout_xlsx, "SHEET_ROWS", 15)
        # The officer works in Vietnamese: the message is the translated one.
        with self.assertRaisesRegex(
            UserError, "Trang tính “Kết quả cam kết 2026” sẽ vượt quá 15 dòng"
        ):
            self.render("report_pledge_xlsx", self.user_officer_a, pledges)

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

from odoo import fields, models

from ..models.union_organization import STAT_COUNTS
from .union_layout_xlsx import (
    INTEGER,
    RATE,
    Column,
    Document,
    Indented,
    Table,
    html_paragraphs,
    vietnamese_number,
)

COVERAGE = "Học tập chuyên đề"
PLEDGES = "Đăng ký, cam kết làm theo"
RATINGS = "Số đoàn viên được đánh giá, xếp loại"
# The figures of each organisation, in two tables: the coverage of the study
# and of the pledges; the ratings, exemplars and commendations.
# (column, figure) after STT and the organisation.
COVERAGE_FIGURES = [
    (Column("Số đoàn viên", 10, INTEGER), "member_count"),
    (Column("Số đoàn viên", 10, INTEGER, COVERAGE), "studied_count"),
    (Column("Tỷ lệ (%)", 8, RATE, COVERAGE), "study_rate"),
    (Column("Số đoàn viên đăng ký", 10, INTEGER, PLEDGES), "pledged_count"),
    (Column("Tỷ lệ (%)", 8, RATE, PLEDGES), "pledge_rate"),
    (Column("Số bản được duyệt", 10, INTEGER, PLEDGES), "pledge_approved_count"),
    (Column("Số bản hoàn thành", 10, INTEGER, PLEDGES), "pledge_achieved_count"),
    (Column("Tỷ lệ (%)", 8, RATE, PLEDGES), "pledge_achieved_rate"),
]
RESULT_FIGURES = [
    (Column("Số đoàn viên", 10, INTEGER), "member_count"),
    (
        Column("Hoàn thành xuất sắc nhiệm vụ", 11, INTEGER, RATINGS),
        "evaluation_excellent_count",
    ),
    (Column("Hoàn thành tốt nhiệm vụ", 11, INTEGER, RATINGS), "evaluation_good_count"),
    (Column("Hoàn thành nhiệm vụ", 11, INTEGER, RATINGS), "evaluation_complete_count"),
    (
        Column("Không hoàn thành nhiệm vụ", 11, INTEGER, RATINGS),
        "evaluation_incomplete_count",
    ),
    (Column("Mô hình, điển hình được công nhận", 11, INTEGER), "exemplar_count"),
    (
        Column("Lượt tập thể, cá nhân được khen thưởng", 11, INTEGER),
        "commendation_count",
    ),
]
ANNEXES = [
    (
        "KẾT QUẢ HỌC TẬP CHUYÊN ĐỀ VÀ ĐĂNG KÝ, THỰC HIỆN CAM KẾT LÀM THEO "
        "TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH NĂM {year}",
        31,
        COVERAGE_FIGURES,
    ),
    (
        "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐOÀN VIÊN; MÔ HÌNH, ĐIỂN HÌNH "
        "VÀ KHEN THƯỞNG NĂM {year}",
        30,
        RESULT_FIGURES,
    ),
]
# The narrative the guidance asks for (seeds II.5).
SECTIONS = [
    ("1. Kết quả đạt được", "results"),
    ("2. Hạn chế, nguyên nhân", "limitations"),
    ("3. Bài học kinh nghiệm", "lessons"),
    ("4. Phương hướng, nhiệm vụ", "directions"),
]
# The report itself is text: a grid of narrow columns lets its blocks sit
# where NĐ 30/2020 puts them on a portrait page.
LETTER_GRID = [5.5] * 12
TITLE = (
    "Kết quả học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh năm {year}"
)
NOTE = "Ghi chú: số liệu của mỗi tổ chức công đoàn gồm cả các tổ chức trực thuộc."


class ReportAnnualReportXlsx(models.AbstractModel):
    """Each annual report as a document (the report, its figures in words and
    its narrative, signed), with the figures of every organisation of its
    subtree, indented by level, in two appendices."""

    _name = "report.trade_union_emulation.report_annual_report_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Annual Report (Excel)"

    def _documents(self, reports, data):
        for report in reports:
            issuer = self._issuing_body(report.organization_id)
            lines, totals, as_of = self._figures(report)
            draft = report.state == "draft"
            name = report.organization_id.name
            subtitle = f"(Số liệu tính đến ngày {as_of.strftime('%d/%m/%Y')})"
            yield Document(
                sheet_name=f"Báo cáo {report.year} {name}",
                issuer=issuer,
                title="BÁO CÁO\n"
                + TITLE.format(year=report.year)
                + (" (DỰ THẢO)" if draft else ""),
                subtitle=subtitle,
                grid=LETTER_GRID,
                sections=self._sections(report, totals),
            )
            reference = (
                f"(Kèm theo Báo cáo số        /{self._document_type}-"
                f"{self._issuer_abbreviation(issuer)} ngày      tháng      năm "
                f"{report.year} của {self._committee(issuer)} {issuer.name})"
            )
            for index, (title, org_width, figures) in enumerate(ANNEXES, start=1):
                yield Document(
                    sheet_name=f"PL{index} {report.year} {name}",
                    issuer=issuer,
                    annex=f"Phụ lục {index}" + (" (dự thảo)" if draft else ""),
                    title=title.format(year=report.year),
                    reference=reference,
                    subtitle=subtitle,
                    table=Table(
                        columns=[
                            Column("STT", 5),
                            Column("Tổ chức công đoàn", org_width),
                            *(column for column, _name in figures),
                        ],
                        rows=self._rows(lines, figures),
                        # The report's own figures: its organisation's whole subtree.
                        totals=lambda totals=totals, figures=figures: [
                            (
                                "Tổng cộng",
                                {
                                    col: totals[name]
                                    for col, (_column, name) in enumerate(
                                        figures, start=2
                                    )
                                },
                            )
                        ],
                        note=NOTE,
                    ),
                )

    def _figures(self, report):
        """``[(organisation name, depth, {figure: value})]`` in the order of
        the tree, the figures of the report's organisation (its whole subtree)
        and the moment they were counted: frozen when the report was
        submitted, live for a draft."""
        names = [name for _column, name in COVERAGE_FIGURES + RESULT_FIGURES]
        if report.state != "draft":
            stamp = report.statistics_date or report.submit_date
            as_of = (
                fields.Datetime.context_timestamp(self, stamp).date()
                if stamp
                else fields.Date.context_today(self)
            )
            lines = [
                (line.organization_id.name, line.depth, {n: line[n] for n in names})
                for line in report.line_ids.sorted(
                    lambda line: (line.sequence, line.id)
                )
            ]
            return lines, {n: report[n] for n in names}, as_of
        stats = report.organization_id._union_statistics(report.year)
        organizations = (
            self.env["union.organization"]
            .with_context(active_test=False)
            .browse(list(stats))
            .sorted("complete_name")
        )
        root_depth = report.organization_id.parent_path.count("/")
        lines = [
            (
                org.name,
                org.parent_path.count("/") - root_depth,
                {n: stats[org.id][n] for n in names},
            )
            for org in organizations
            if org.active or any(stats[org.id][key] for key in STAT_COUNTS)
        ]
        totals = {n: stats[report.organization_id.id][n] for n in names}
        return lines, totals, fields.Date.context_today(self)

    def _rows(self, lines, figures):
        for name, depth, values in lines:
            yield [Indented(name, depth), *(values[n] for _column, n in figures)]

    def _sections(self, report, totals):
        sections = []
        for heading, field_name in SECTIONS:
            paragraphs = html_paragraphs(report[field_name])
            if field_name == "results":
                paragraphs = self._figures_in_words(totals) + paragraphs
            if paragraphs:
                sections.append((heading, paragraphs))
        return sections

    def _figures_in_words(self, totals):
        """The report's own figures as the report's text states them."""

        def count(name):
            return vietnamese_number(totals[name])

        def rate(name):
            return vietnamese_number(totals[name], 1) + "%"

        return [
            "Số liệu chung (chi tiết của từng tổ chức công đoàn tại Phụ lục 1 "
            "và Phụ lục 2 kèm theo):",
            f"- Tổng số đoàn viên: {count('member_count')}.",
            f"- Số đoàn viên học tập chuyên đề: {count('studied_count')}, "
            f"đạt {rate('study_rate')}.",
            f"- Số đoàn viên đăng ký, cam kết làm theo: {count('pledged_count')}, "
            f"đạt {rate('pledge_rate')}; số bản cam kết được duyệt: "
            f"{count('pledge_approved_count')}; số bản hoàn thành: "
            f"{count('pledge_achieved_count')}, đạt {rate('pledge_achieved_rate')} "
            "số đoàn viên đăng ký.",
            "- Đánh giá, xếp loại đoàn viên: hoàn thành xuất sắc nhiệm vụ "
            f"{count('evaluation_excellent_count')}; hoàn thành tốt nhiệm vụ "
            f"{count('evaluation_good_count')}; hoàn thành nhiệm vụ "
            f"{count('evaluation_complete_count')}; không hoàn thành nhiệm vụ "
            f"{count('evaluation_incomplete_count')}.",
            f"- Mô hình, điển hình được công nhận: {count('exemplar_count')}; "
            f"lượt tập thể, cá nhân được khen thưởng: {count('commendation_count')}.",
        ]

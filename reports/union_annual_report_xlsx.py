from odoo import fields, models

from .union_layout_xlsx import (
    INTEGER,
    RATE,
    Column,
    Document,
    Indented,
    html_paragraphs,
)

# (column header, figure) of the table, after STT and the organisation.
FIGURES = [
    ("Số đoàn viên", "member_count", INTEGER),
    ("Số ĐV học tập chuyên đề", "studied_count", INTEGER),
    ("Tỷ lệ (%)", "study_rate", RATE),
    ("Số ĐV đăng ký làm theo", "pledged_count", INTEGER),
    ("Tỷ lệ (%)", "pledge_rate", RATE),
    ("Số cam kết được duyệt", "pledge_approved_count", INTEGER),
    ("Số cam kết hoàn thành", "pledge_achieved_count", INTEGER),
    ("Tỷ lệ (%)", "pledge_achieved_rate", RATE),
    ("Mô hình/điển hình được công nhận", "exemplar_count", INTEGER),
    ("Số được khen thưởng", "commendation_count", INTEGER),
    ("Xếp loại HTXSNV", "evaluation_excellent_count", INTEGER),
    ("Xếp loại HTTNV", "evaluation_good_count", INTEGER),
    ("Xếp loại HTNV", "evaluation_complete_count", INTEGER),
    ("Xếp loại KHTNV", "evaluation_incomplete_count", INTEGER),
]
COLUMNS = [
    Column("STT", 5),
    Column("Tổ chức công đoàn", 34),
    *(
        Column(label, 12 if kind == RATE else 13, kind)
        for label, _name, kind in FIGURES
    ),
]
# The narrative the guidance asks for, below the figures.
SECTIONS = [
    ("1. Kết quả đạt được", "results"),
    ("2. Hạn chế, nguyên nhân", "limitations"),
    ("3. Bài học kinh nghiệm", "lessons"),
    ("4. Phương hướng, nhiệm vụ", "directions"),
]


class ReportAnnualReportXlsx(models.AbstractModel):
    """One sheet per annual report: the figures of every organisation of the
    subtree, indented by level, the totals, then the narrative."""

    _name = "report.trade_union_emulation.report_annual_report_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Annual Report (Excel)"

    def _documents(self, reports):
        figure_names = [name for _label, name, _kind in FIGURES]
        for report in reports:
            organization = report.organization_id
            yield Document(
                sheet_name=f"{organization.name[:26]} {report.year}",
                issuer=organization,
                title="BÁO CÁO KẾT QUẢ HỌC TẬP VÀ LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH "
                + self._year_label([report.year]),
                subtitle=self._figures_date(report),
                columns=COLUMNS,
                rows=self._rows(report, figure_names),
                # The report's own figures: those of the root organisation's whole subtree.
                totals=lambda report=report: [
                    (
                        "Tổng cộng",
                        {
                            col: report[name]
                            for col, name in enumerate(figure_names, start=2)
                        },
                    )
                ],
                sections=[
                    (heading, paragraphs)
                    for heading, name in SECTIONS
                    if (paragraphs := html_paragraphs(report[name]))
                ],
            )

    def _rows(self, report, figure_names):
        for line in report.line_ids:
            yield [
                Indented(line.organization_id.name, line.depth),
                *(line[name] for name in figure_names),
            ]

    def _figures_date(self, report):
        if not report.statistics_date:
            return ""
        day = fields.Datetime.context_timestamp(self, report.statistics_date).date()
        return f"(Số liệu tính đến ngày {day.strftime('%d/%m/%Y')})"

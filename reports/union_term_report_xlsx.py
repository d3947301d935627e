from odoo import fields, models

from .union_layout_xlsx import (
    INTEGER,
    RATE,
    TEXT,
    Column,
    Document,
    Table,
    html_paragraphs,
    printable_width_pt,
    vietnamese_number,
)

# The figures of the term, one row each: (label, figure).
COUNT_ROWS = [
    ("Số đoàn viên", "member_count"),
    ("Số đoàn viên học tập chuyên đề", "studied_count"),
    ("Số đoàn viên đăng ký, cam kết làm theo", "pledged_count"),
    ("Số bản cam kết được duyệt", "pledge_approved_count"),
    ("Số bản cam kết hoàn thành", "pledge_achieved_count"),
    ("Đoàn viên hoàn thành xuất sắc nhiệm vụ", "evaluation_excellent_count"),
    ("Đoàn viên hoàn thành tốt nhiệm vụ", "evaluation_good_count"),
    ("Đoàn viên hoàn thành nhiệm vụ", "evaluation_complete_count"),
    ("Đoàn viên không hoàn thành nhiệm vụ", "evaluation_incomplete_count"),
    ("Mô hình, điển hình được công nhận", "exemplar_count"),
    ("Lượt tập thể, cá nhân được khen thưởng", "commendation_count"),
]
RATE_ROWS = [
    ("Tỷ lệ đoàn viên học tập chuyên đề", "study_rate"),
    ("Tỷ lệ đoàn viên đăng ký, cam kết làm theo", "pledge_rate"),
    ("Tỷ lệ bản cam kết hoàn thành trên số đăng ký", "pledge_achieved_rate"),
]
SECTIONS = [
    ("1. Kết quả đạt được", "results"),
    ("2. Hạn chế, nguyên nhân", "limitations"),
    ("3. Bài học kinh nghiệm", "lessons"),
    ("4. Phương hướng, nhiệm vụ, giải pháp", "directions"),
]
LETTER_GRID = [5.5] * 12
YEARS = "Các năm của giai đoạn"
NOTES = {
    INTEGER: "Ghi chú: số liệu của mỗi năm lấy từ báo cáo năm đã gửi (số liệu "
    "chưa gửi tính đến ngày lập); cột “Cả giai đoạn” cộng các năm, riêng số đoàn "
    "viên là số của năm cuối.",
    RATE: "Ghi chú: tỷ lệ của cả giai đoạn tính trên tổng số của các năm; cột "
    "“Tăng, giảm” tính bằng điểm phần trăm.",
}


class ReportTermReportXlsx(models.AbstractModel):
    """The summary of a plan's term: the report, signed, with its figures in
    words and its narrative; the figures of each year side by side with the
    term's totals and trend in two appendices (counts, rates)."""

    _name = "report.trade_union_emulation.report_term_report_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Term Summary (Excel)"

    def _documents(self, reports, data):
        for report in reports:
            issuer = self._issuing_body(report.organization_id)
            years, totals, as_of = self._figures(report)
            draft = report.state == "draft"
            term = f"{report.year_start} - {report.year_end}"
            subtitle = f"(Số liệu tính đến ngày {as_of.strftime('%d/%m/%Y')})"
            name = report.organization_id.name
            yield Document(
                sheet_name=f"Tổng kết {term} {name}",
                issuer=issuer,
                title="BÁO CÁO\nTổng kết thực hiện "
                + (
                    report.plan_id.number
                    and f"Kế hoạch số {report.plan_id.number} "
                    or ""
                )
                + f"về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh "
                f"giai đoạn {term}" + (" (DỰ THẢO)" if draft else ""),
                subtitle=subtitle,
                grid=LETTER_GRID,
                sections=self._sections(report, years, totals),
            )
            reference = (
                f"(Kèm theo Báo cáo số        /{self._document_type}-"
                f"{self._issuer_abbreviation(issuer)} của {self._committee(issuer)} "
                f"{issuer.name})"
            )
            for index, (rows, kind, title) in enumerate(
                [
                    (COUNT_ROWS, INTEGER, "SỐ LIỆU QUA CÁC NĂM"),
                    (RATE_ROWS, RATE, "TỶ LỆ (%) QUA CÁC NĂM"),
                ],
                start=1,
            ):
                yield Document(
                    sheet_name=f"PL{index} {term} {name}",
                    issuer=issuer,
                    annex=f"Phụ lục {index}" + (" (dự thảo)" if draft else ""),
                    title=f"{title} GIAI ĐOẠN {term}",
                    reference=reference,
                    subtitle=subtitle,
                    table=Table(
                        columns=self._columns(years, kind),
                        rows=self._rows(rows, years, totals, kind),
                        note=NOTES[kind],
                    ),
                )

    def _figures(self, report):
        """``[(year, {figure: value})]``, the term's totals and the moment they
        were counted: as frozen at submission, live for a draft."""
        if report.state != "draft":
            stamp = report.statistics_date or report.submit_date
            as_of = fields.Datetime.context_timestamp(self, stamp).date()
            years = [
                (
                    line.year,
                    {name: line[name] for _label, name in COUNT_ROWS + RATE_ROWS},
                )
                for line in report.line_ids.sorted("year")
            ]
            totals = {name: report[name] for _label, name in COUNT_ROWS + RATE_ROWS}
            return years, totals, as_of
        year_figures = report._year_figures()[report.id]
        years = [(year, figures) for year, _source, _report, figures in year_figures]
        return years, report._term_totals(year_figures), fields.Date.context_today(self)

    def _columns(self, years, kind):
        fixed = [Column("STT", 5), None, Column("Cả giai đoạn", 10, kind)]
        change = (
            Column(f"Tăng, giảm {years[0][0]}-{years[-1][0]}", 10, kind)
            if years
            else None
        )
        # The year columns share what the page leaves them (landscape A4).
        label_width = 34
        available = (
            printable_width_pt("landscape")
            - 4.2 * (len(years) + 5)
            - 6 * (5 + label_width + 20)
        )
        year_width = max(6, min(9, int(available / 6 / max(len(years), 1))))
        return [
            fixed[0],
            Column("Chỉ tiêu", label_width, TEXT),
            *(Column(str(year), year_width, kind, YEARS) for year, _f in years),
            fixed[2],
            *([change] if change else []),
        ]

    def _rows(self, rows, years, totals, kind):
        for label, name in rows:
            values = [figures[name] for _year, figures in years]
            change = []
            if years:
                delta = values[-1] - values[0]
                change = [round(delta, 1) if kind == RATE else delta]
            yield [label, *values, totals[name], *change]

    def _sections(self, report, years, totals):
        sections = []
        for heading, field_name in SECTIONS:
            paragraphs = html_paragraphs(report[field_name])
            if field_name == "results":
                paragraphs = self._figures_in_words(report, years, totals) + paragraphs
            if paragraphs:
                sections.append((heading, paragraphs))
        return sections

    def _figures_in_words(self, report, years, totals):
        def count(name):
            return vietnamese_number(totals[name])

        def rate(value):
            return vietnamese_number(value, 1) + "%"

        text = [
            "Số liệu chung của giai đoạn (chi tiết từng năm tại Phụ lục 1 và "
            "Phụ lục 2 kèm theo):",
            f"- Số đoàn viên cuối giai đoạn: {count('member_count')}.",
            f"- Lượt đoàn viên học tập chuyên đề: {count('studied_count')}, "
            f"đạt {rate(totals['study_rate'])}; lượt đoàn viên đăng ký, cam kết làm "
            f"theo: {count('pledged_count')}, đạt {rate(totals['pledge_rate'])}; "
            f"số bản cam kết hoàn thành: {count('pledge_achieved_count')}.",
            f"- Mô hình, điển hình được công nhận: {count('exemplar_count')}; lượt "
            f"tập thể, cá nhân được khen thưởng: {count('commendation_count')}.",
        ]
        if len(years) > 1:
            (first, start), (last, end) = years[0], years[-1]
            text.append(
                f"- Tỷ lệ đoàn viên đăng ký làm theo: năm {first} đạt "
                f"{rate(start['pledge_rate'])}, năm {last} đạt "
                f"{rate(end['pledge_rate'])}; tỷ lệ đoàn viên học tập chuyên đề: năm "
                f"{first} đạt {rate(start['study_rate'])}, năm {last} đạt "
                f"{rate(end['study_rate'])}."
            )
        return text

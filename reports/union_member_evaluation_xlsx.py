from collections import Counter

from odoo import models

from .union_layout_xlsx import NUMBER, YEAR, Column, Document

COLUMNS = [
    Column("STT", 5),
    Column("Họ và tên", 24),
    Column("Đơn vị", 28),
    Column("Năm", 7, YEAR),
    Column("Điểm", 8, NUMBER),
    Column("Xếp loại", 28),
    Column("Kết quả cam kết", 18),
    Column("Trạng thái", 14),
]
RATING_COL = 5
FIELDS = [
    "member_id",
    "organization_id",
    "year",
    "score",
    "rating",
    "pledge_result",
    "state",
]


class ReportMemberEvaluationXlsx(models.AbstractModel):
    """One row per evaluated member, with the count of each rating."""

    _name = "report.trade_union_emulation.report_member_evaluation_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Member Evaluations (Excel)"

    def _documents(self, evaluations):
        groups = self._groups(evaluations, ["organization_id", "year"])
        organizations = self.env["union.organization"].browse(
            {org.id for org, _year in groups}
        )
        ratings = Counter()
        yield Document(
            sheet_name="Đánh giá xếp loại",
            issuer=self._issuing_organization(organizations),
            title="KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐOÀN VIÊN CÔNG ĐOÀN "
            + self._year_label(year for _org, year in groups),
            columns=COLUMNS,
            rows=self._rows(evaluations, ratings),
            totals=lambda: self._totals(ratings),
        )

    def _rows(self, evaluations, ratings):
        Evaluation = self.env["union.member.evaluation"]
        labels = {
            name: self._selection_labels(Evaluation._name, name)
            for name in ("rating", "pledge_result", "state")
        }
        for batch in self._batches(evaluations):
            for evaluation in self._read_named(batch, FIELDS):
                ratings[evaluation["rating"]] += 1
                yield [
                    evaluation["member_id"],
                    evaluation["organization_id"],
                    evaluation["year"],
                    evaluation["score"],
                    labels["rating"].get(evaluation["rating"], ""),
                    labels["pledge_result"].get(evaluation["pledge_result"], ""),
                    labels["state"].get(evaluation["state"], ""),
                ]

    def _totals(self, ratings):
        labels = self._selection_labels("union.member.evaluation", "rating")
        return [
            ("Tổng cộng", {RATING_COL: sum(ratings.values())}),
            *(
                (f"Xếp loại: {label}", {RATING_COL: ratings[value]})
                for value, label in labels.items()
            ),
        ]

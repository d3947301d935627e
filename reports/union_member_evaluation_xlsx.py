from collections import Counter

from odoo import models

from .union_layout_xlsx import NUMBER, Column, Document, Table

# Approved ratings are the result; anything before is a proposal.
KINDS = [("results", ("approved",)), ("proposal", ("draft", "submitted"))]
COLUMNS = {
    "results": [
        Column("STT", 5),
        Column("Họ và tên", 20),
        Column("Chức vụ công đoàn", 15),
        Column("Đơn vị", 25),
        Column("Điểm", 8, NUMBER),
        Column("Xếp loại", 23),
        Column("Kết quả thực hiện cam kết", 16),
    ],
    "proposal": [
        Column("STT", 5),
        Column("Họ và tên", 18),
        Column("Chức vụ công đoàn", 13),
        Column("Đơn vị", 22),
        Column("Điểm", 7, NUMBER),
        Column("Xếp loại đề nghị", 20),
        Column("Kết quả thực hiện cam kết", 15),
        Column("Trạng thái", 11),
    ],
}
TITLES = {
    "results": "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI ĐOÀN VIÊN CÔNG ĐOÀN NĂM {year}",
    "proposal": "DANH SÁCH ĐỀ NGHỊ ĐÁNH GIÁ, XẾP LOẠI ĐOÀN VIÊN CÔNG ĐOÀN NĂM {year}",
}
SHEETS = {"results": "Xếp loại {year}", "proposal": "Đề nghị xếp loại {year}"}
RATING_COL = 5
FIELDS = ["member_id", "organization_id", "score", "rating", "pledge_result", "state"]


class ReportMemberEvaluationXlsx(models.AbstractModel):
    """One row per evaluated member, with the count of each rating."""

    _name = "report.trade_union_emulation.report_member_evaluation_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Member Evaluations (Excel)"

    def _documents(self, evaluations, data):
        for issuer, year, kind, records in self._list_documents(
            evaluations, data, KINDS
        ):
            ratings = Counter()
            yield Document(
                sheet_name=SHEETS[kind].format(year=year),
                issuer=issuer,
                title=TITLES[kind].format(year=year),
                table=Table(
                    columns=COLUMNS[kind],
                    rows=self._rows(records, kind, ratings),
                    totals=lambda ratings=ratings: self._totals(ratings),
                ),
            )

    def _rows(self, evaluations, kind, ratings):
        Evaluation = self.env["union.member.evaluation"]
        labels = {
            name: self._selection_labels(Evaluation._name, name)
            for name in ("rating", "pledge_result", "state")
        }
        units = {}
        for batch in self._batches(evaluations):
            rows = batch.read(FIELDS, load=None)
            members = self._names(
                "union.member",
                {row["member_id"] for row in rows},
                ("name", "union_position"),
            )
            self._units({row["organization_id"] for row in rows}, units)
            for evaluation in rows:
                ratings[evaluation["rating"]] += 1
                member = members.get(evaluation["member_id"], {})
                values = [
                    member.get("name", ""),
                    member.get("union_position") or "",
                    units.get(evaluation["organization_id"], ""),
                    evaluation["score"],
                    labels["rating"].get(evaluation["rating"], ""),
                    labels["pledge_result"].get(evaluation["pledge_result"], ""),
                ]
                if kind == "proposal":
                    values.append(labels["state"].get(evaluation["state"], ""))
                yield values

    def _totals(self, ratings):
        labels = self._selection_labels("union.member.evaluation", "rating")
        return [
            ("Tổng cộng", {RATING_COL: sum(ratings.values())}),
            *(
                (f"Xếp loại: {label}", {RATING_COL: ratings[value]})
                for value, label in labels.items()
            ),
        ]

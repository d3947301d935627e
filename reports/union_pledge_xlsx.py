from collections import Counter
from operator import itemgetter

from odoo import models

from .union_layout_xlsx import YEAR, Column, Document

COLUMNS = [
    Column("STT", 5),
    Column("Họ và tên", 24),
    Column("Đơn vị", 28),
    Column("Đối tượng", 16),
    Column("Năm", 7, YEAR),
    Column("Nội dung cam kết / sản phẩm cụ thể", 52),
    Column("Trạng thái", 14),
    Column("Kết quả", 16),
]
STATE_COL, RESULT_COL = 6, 7
FIELDS = ["member_id", "organization_id", "category", "year", "state", "result"]


class ReportPledgeXlsx(models.AbstractModel):
    """One row per pledge, its concrete products one per line."""

    _name = "report.trade_union_emulation.report_pledge_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Pledges (Excel)"

    def _documents(self, pledges):
        groups = self._groups(pledges, ["organization_id", "year"])
        organizations = self.env["union.organization"].browse(
            {org.id for org, _year in groups}
        )
        counts = {"state": Counter(), "result": Counter()}
        yield Document(
            sheet_name="Cam kết làm theo",
            issuer=self._issuing_organization(organizations),
            title="DANH SÁCH ĐOÀN VIÊN ĐĂNG KÝ, CAM KẾT LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH "
            + self._year_label(year for _org, year in groups),
            columns=COLUMNS,
            rows=self._rows(pledges, counts),
            totals=lambda: self._totals(counts),
        )

    def _rows(self, pledges, counts):
        labels = {
            name: self._selection_labels("union.pledge", name)
            for name in ("category", "state", "result")
        }
        for batch in self._batches(pledges):
            commitments = self._commitments(batch)
            for pledge in self._read_named(batch, FIELDS):
                counts["state"][pledge["state"]] += 1
                counts["result"][pledge["result"]] += 1
                yield [
                    pledge["member_id"],
                    pledge["organization_id"],
                    labels["category"].get(pledge["category"], ""),
                    pledge["year"],
                    "\n".join(
                        f"- {commitment}"
                        for commitment in commitments.get(pledge["id"], ())
                    ),
                    labels["state"].get(pledge["state"], ""),
                    labels["result"].get(pledge["result"], ""),
                ]

    def _commitments(self, pledges):
        """{pledge id: [concrete product, ...]} in the order of the pledge's lines,
        in one grouped query."""
        groups = self.env["union.pledge.line"]._read_group(
            [("pledge_id", "in", pledges.ids), ("commitment", "!=", False)],
            ["pledge_id"],
            ["sequence:array_agg", "commitment:array_agg"],
        )
        return {
            pledge.id: [
                commitment.strip()
                for _sequence, commitment in sorted(
                    zip(sequences, commitments, strict=True), key=itemgetter(0)
                )
                if commitment.strip()
            ]
            for pledge, sequences, commitments in groups
        }

    def _totals(self, counts):
        states = self._selection_labels("union.pledge", "state")
        results = self._selection_labels("union.pledge", "result")
        total = sum(counts["state"].values())
        return [
            ("Tổng cộng", {STATE_COL: total, RESULT_COL: total}),
            *(
                (f"Trạng thái: {label}", {STATE_COL: counts["state"][value]})
                for value, label in states.items()
            ),
            *(
                (f"Kết quả: {label}", {RESULT_COL: counts["result"][value]})
                for value, label in results.items()
            ),
            ("Kết quả: Chưa đánh giá", {RESULT_COL: counts["result"][False]}),
        ]

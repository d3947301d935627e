from collections import Counter, defaultdict

from odoo import models

from .union_layout_xlsx import Column, Document, Table

NAME = Column("Họ và tên", 19)
POST = Column("Chức vụ công đoàn", 13)
UNIT = Column("Đơn vị", 22)
CATEGORY = Column("Đối tượng", 11)
COMMITMENTS = "Nội dung cam kết / sản phẩm cụ thể"
# A record goes into the document of its state: results once assessed, the
# registration list once approved, and before that only a list marked draft.
KINDS = [
    ("results", ("assessed",)),
    ("registered", ("approved",)),
    ("draft", ("draft", "submitted")),
]
COLUMNS = {
    "results": [
        Column("STT", 5),
        NAME,
        POST,
        UNIT,
        CATEGORY,
        Column(COMMITMENTS, 31),
        Column("Kết quả", 11),
    ],
    "registered": [
        Column("STT", 5),
        NAME,
        POST,
        UNIT,
        CATEGORY,
        Column(COMMITMENTS, 42),
    ],
    "draft": [
        Column("STT", 5),
        NAME,
        POST,
        UNIT,
        CATEGORY,
        Column(COMMITMENTS, 31),
        Column("Trạng thái", 11),
    ],
}
SUBJECT = "CAM KẾT LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH"
TITLES = {
    "results": f"KẾT QUẢ THỰC HIỆN {SUBJECT} CỦA ĐOÀN VIÊN NĂM {{year}}",
    "registered": f"DANH SÁCH ĐOÀN VIÊN ĐĂNG KÝ, {SUBJECT} NĂM {{year}}",
    "draft": f"DANH SÁCH ĐOÀN VIÊN ĐĂNG KÝ, {SUBJECT} NĂM {{year}} (DỰ THẢO)",
}
SHEETS = {
    "results": "Kết quả cam kết {year}",
    "registered": "Đăng ký cam kết {year}",
    "draft": "Cam kết {year} (dự thảo)",
}
# The column of the counts in the totals rows, and what they break down.
TOTALS = {
    "results": (6, "result"),
    "registered": (4, "category"),
    "draft": (6, "state"),
}
FIELDS = ["member_id", "organization_id", "category", "state", "result"]


class ReportPledgeXlsx(models.AbstractModel):
    """One row per pledge, its concrete products one per line."""

    _name = "report.trade_union_emulation.report_pledge_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Pledges (Excel)"

    def _documents(self, pledges, data):
        for issuer, year, kind, records in self._list_documents(pledges, data, KINDS):
            counts = Counter()
            yield Document(
                sheet_name=SHEETS[kind].format(year=year),
                issuer=issuer,
                title=TITLES[kind].format(year=year),
                table=Table(
                    columns=COLUMNS[kind],
                    rows=self._rows(records, kind, counts),
                    totals=lambda kind=kind, counts=counts: self._totals(kind, counts),
                ),
            )

    def _rows(self, pledges, kind, counts):
        labels = {
            name: self._selection_labels("union.pledge", name)
            for name in ("category", "state", "result")
        }
        counted = TOTALS[kind][1]
        units = {}
        for batch in self._batches(pledges):
            commitments = self._commitments(batch)
            rows = self._read_rows(batch, FIELDS)
            rows = [rows[id_] for id_ in batch.ids if id_ in rows]
            members = self._names(
                "union.member",
                {row["member_id"] for row in rows},
                ("name", "union_position"),
            )
            self._units({row["organization_id"] for row in rows}, units)
            for pledge in rows:
                counts[pledge[counted]] += 1
                member = members.get(pledge["member_id"], {})
                values = [
                    member.get("name", ""),
                    member.get("union_position") or "",
                    units.get(pledge["organization_id"], ""),
                    labels["category"].get(pledge["category"], ""),
                    "\n".join(
                        f"- {commitment}"
                        for commitment in commitments.get(pledge["id"], ())
                    ),
                ]
                if kind == "results":
                    values.append(labels["result"].get(pledge["result"], ""))
                elif kind == "draft":
                    values.append(labels["state"].get(pledge["state"], ""))
                yield values

    def _commitments(self, pledges):
        """{pledge id: [concrete product, ...]} in the order of the pledge's
        lines, in one query."""
        Line = self.env["union.pledge.line"]
        query = Line._search(
            [("pledge_id", "in", pledges.ids), ("commitment", "!=", False)],
            order="sequence, id",
        )
        columns = [
            Line._field_to_sql(Line._table, name, query)
            for name in ("pledge_id", "commitment")
        ]
        commitments = defaultdict(list)
        for pledge_id, commitment in self.env.execute_query(query.select(*columns)):
            if commitment.strip():
                commitments[pledge_id].append(commitment.strip())
        return commitments

    def _totals(self, kind, counts):
        col, counted = TOTALS[kind]
        labels = self._selection_labels("union.pledge", counted)
        if kind == "draft":
            labels = {state: labels[state] for state in dict(KINDS)["draft"]}
        total = sum(counts.values())
        rows = [("Tổng cộng", {col: total})]
        heading = {"result": "Kết quả", "category": "Đối tượng", "state": "Trạng thái"}
        rows += [
            (f"{heading[counted]}: {label}", {col: counts[value]})
            for value, label in labels.items()
        ]
        return rows

from collections import Counter, defaultdict

from odoo import models

from .union_layout_xlsx import DATE, Column, Document, Table

# Decided commendations are the result; drafts and submissions a proposal. A
# rejected proposal is in neither.
KINDS = [("results", ("approved",)), ("proposal", ("draft", "submitted"))]
COLUMNS = {
    "results": [
        Column("STT", 5),
        Column("Hình thức", 12),
        Column("Cấp khen", 12),
        Column("Tập thể, cá nhân được khen thưởng", 20),
        Column("Chức vụ, đơn vị", 19),
        Column("Thành tích", 21),
        Column("Số quyết định", 11),
        Column("Ngày quyết định", 11, DATE),
    ],
    "proposal": [
        Column("STT", 5),
        Column("Hình thức", 13),
        Column("Cấp khen", 13),
        Column("Tập thể, cá nhân đề nghị khen thưởng", 20),
        Column("Chức vụ, đơn vị", 22),
        Column("Thành tích", 27),
        Column("Trạng thái", 11),
    ],
}
TITLES = {
    "results": "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG NĂM {year}",
    "proposal": "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG NĂM {year}",
}
SHEETS = {"results": "Khen thưởng {year}", "proposal": "Đề nghị khen thưởng {year}"}
RECIPIENT_COL = 3
FIELDS = ["form", "issuer_level", "decision_number", "decision_date", "state"]
LINE_FIELDS = [
    "commendation_id",
    "member_id",
    "recipient_organization_id",
    "achievement",
]


class ReportCommendationXlsx(models.AbstractModel):
    """One row per recipient of the commendations."""

    _name = "report.trade_union_emulation.report_commendation_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Commendations (Excel)"

    def _documents(self, commendations, data):
        for issuer, year, kind, records in self._list_documents(
            commendations, data, KINDS
        ):
            forms = Counter()
            yield Document(
                sheet_name=SHEETS[kind].format(year=year),
                issuer=issuer,
                title=TITLES[kind].format(year=year),
                table=Table(
                    columns=COLUMNS[kind],
                    rows=self._rows(records, kind, forms),
                    totals=lambda forms=forms: self._totals(forms),
                ),
            )

    def _rows(self, commendations, kind, forms):
        labels = {
            name: self._selection_labels("union.commendation", name)
            for name in ("form", "issuer_level", "state")
        }
        units = {}
        for batch in self._batches(commendations):
            recipients = defaultdict(list)
            lines = self.env["union.commendation.line"].search(
                [("commendation_id", "in", batch.ids)], order="sequence, id"
            )
            line_rows = lines.read(LINE_FIELDS, load=None)
            members = self._names(
                "union.member",
                {row["member_id"] for row in line_rows},
                ("name", "union_position", "organization_id"),
            )
            collectives = self._names(
                "union.organization",
                {row["recipient_organization_id"] for row in line_rows},
                ("name", "parent_id"),
            )
            self._units(
                {member["organization_id"] for member in members.values()}
                | {org["parent_id"] for org in collectives.values()},
                units,
            )
            for line in line_rows:
                recipients[line["commendation_id"]].append(line)
            for commendation in batch.read(FIELDS):
                for line in recipients[commendation["id"]]:
                    forms[commendation["form"]] += 1
                    if line["member_id"]:
                        member = members.get(line["member_id"], {})
                        name = member.get("name", "")
                        where = "\n".join(
                            filter(
                                None,
                                [
                                    member.get("union_position"),
                                    units.get(member.get("organization_id"), ""),
                                ],
                            )
                        )
                    else:
                        collective = collectives.get(
                            line["recipient_organization_id"], {}
                        )
                        name = collective.get("name", "")
                        where = units.get(collective.get("parent_id"), "")
                    values = [
                        labels["form"].get(commendation["form"], ""),
                        labels["issuer_level"].get(commendation["issuer_level"], ""),
                        name,
                        where,
                        line["achievement"] or "",
                    ]
                    if kind == "results":
                        values += [
                            commendation["decision_number"] or "",
                            commendation["decision_date"],
                        ]
                    else:
                        values.append(labels["state"].get(commendation["state"], ""))
                    yield values

    def _totals(self, forms):
        labels = self._selection_labels("union.commendation", "form")
        return [
            ("Tổng cộng", {RECIPIENT_COL: sum(forms.values())}),
            *(
                (f"Hình thức: {label}", {RECIPIENT_COL: forms[value]})
                for value, label in labels.items()
            ),
        ]

from collections import Counter, defaultdict

from odoo import models

from .union_layout_xlsx import DATE, Column, Document

COLUMNS = [
    Column("STT", 5),
    Column("Hình thức", 18),
    Column("Cấp khen", 22),
    Column("Người/tập thể được khen", 30),
    Column("Thành tích", 45),
    Column("Số quyết định", 16),
    Column("Ngày quyết định", 14, DATE),
]
RECIPIENT_COL = 3
FIELDS = ["form", "issuer_level", "decision_number", "decision_date"]
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

    def _documents(self, commendations):
        groups = self._groups(commendations, ["organization_id", "year", "state"])
        organizations = self.env["union.organization"].browse(
            {org.id for org, _year, _state in groups}
        )
        # Until every commendation is decided, the list is a proposal.
        decided = all(state == "approved" for _org, _year, state in groups)
        forms = Counter()
        yield Document(
            sheet_name="Khen thưởng",
            issuer=self._issuing_organization(organizations),
            title=(
                "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐƯỢC KHEN THƯỞNG "
                if decided
                else "DANH SÁCH TẬP THỂ, CÁ NHÂN ĐỀ NGHỊ KHEN THƯỞNG "
            )
            + self._year_label(year for _org, year, _state in groups),
            columns=COLUMNS,
            rows=self._rows(commendations, forms),
            totals=lambda: self._totals(forms),
        )

    def _rows(self, commendations, forms):
        labels = {
            name: self._selection_labels("union.commendation", name)
            for name in ("form", "issuer_level")
        }
        for batch in self._batches(commendations):
            recipients = defaultdict(list)
            lines = self.env["union.commendation.line"].search(
                [("commendation_id", "in", batch.ids)], order="sequence, id"
            )
            for line in self._read_named(
                lines, LINE_FIELDS, named=("member_id", "recipient_organization_id")
            ):
                recipients[line["commendation_id"]].append(line)
            for commendation in batch.read(FIELDS):
                for line in recipients[commendation["id"]]:
                    forms[commendation["form"]] += 1
                    yield [
                        labels["form"].get(commendation["form"], ""),
                        labels["issuer_level"].get(commendation["issuer_level"], ""),
                        line["member_id"] or line["recipient_organization_id"],
                        line["achievement"] or "",
                        commendation["decision_number"] or "",
                        commendation["decision_date"],
                    ]

    def _totals(self, forms):
        labels = self._selection_labels("union.commendation", "form")
        return [
            ("Tổng cộng", {RECIPIENT_COL: sum(forms.values())}),
            *(
                (f"Hình thức: {label}", {RECIPIENT_COL: forms[value]})
                for value, label in labels.items()
            ),
        ]

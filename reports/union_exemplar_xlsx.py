from collections import Counter

from odoo import models

from .union_layout_xlsx import YEAR, Column, Document

COLUMNS = [
    Column("STT", 5),
    Column("Tên mô hình/điển hình", 32),
    Column("Loại", 20),
    Column("Đơn vị", 26),
    Column("Năm", 7, YEAR),
    Column("Thành viên", 24),
    Column("Tuyên truyền", 40),
    Column("Trạng thái", 14),
]
TYPE_COL, STATE_COL = 2, 7
FIELDS = [
    "name",
    "exemplar_type",
    "organization_id",
    "year",
    "member_ids",
    "publication_ids",
    "state",
]


class ReportExemplarXlsx(models.AbstractModel):
    """One row per exemplar, with its members and where it was publicised."""

    _name = "report.trade_union_emulation.report_exemplar_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Exemplars (Excel)"

    def _documents(self, exemplars):
        groups = self._groups(exemplars, ["organization_id", "year"])
        organizations = self.env["union.organization"].browse(
            {org.id for org, _year in groups}
        )
        counts = {"exemplar_type": Counter(), "state": Counter()}
        yield Document(
            sheet_name="Mô hình, điển hình",
            issuer=self._issuing_organization(organizations),
            title="DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH TIÊU BIỂU TRONG HỌC TẬP VÀ LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, "
            "PHONG CÁCH HỒ CHÍ MINH " + self._year_label(year for _org, year in groups),
            columns=COLUMNS,
            rows=self._rows(exemplars, counts),
            totals=lambda: self._totals(counts),
        )

    def _rows(self, exemplars, counts):
        labels = {
            name: self._selection_labels("union.exemplar", name)
            for name in ("exemplar_type", "state")
        }
        channels = self._selection_labels("union.exemplar.publication", "channel")
        for batch in self._batches(exemplars):
            # The members and publications read are those the user may read.
            exemplar_values = self._read_named(batch, FIELDS)
            members = self.env["union.member"].browse(
                {mid for values in exemplar_values for mid in values["member_ids"]}
            )
            member_names = {member.id: member.name for member in members}
            publications = self.env["union.exemplar.publication"].browse(
                {pid for values in exemplar_values for pid in values["publication_ids"]}
            )
            publication_texts = {
                publication.id: self._publication_text(publication, channels)
                for publication in publications
            }
            for values in exemplar_values:
                counts["exemplar_type"][values["exemplar_type"]] += 1
                counts["state"][values["state"]] += 1
                yield [
                    values["name"],
                    labels["exemplar_type"].get(values["exemplar_type"], ""),
                    values["organization_id"],
                    values["year"],
                    "\n".join(member_names[mid] for mid in values["member_ids"]),
                    "\n".join(
                        publication_texts[pid] for pid in values["publication_ids"]
                    ),
                    labels["state"].get(values["state"], ""),
                ]

    def _publication_text(self, publication, channels):
        text = f"{channels.get(publication.channel, '')}: {publication.title}"
        if publication.date:
            text += f" ({publication.date.strftime('%d/%m/%Y')})"
        return text

    def _totals(self, counts):
        types = self._selection_labels("union.exemplar", "exemplar_type")
        states = self._selection_labels("union.exemplar", "state")
        total = sum(counts["state"].values())
        return [
            ("Tổng cộng", {TYPE_COL: total, STATE_COL: total}),
            *(
                (f"Loại: {label}", {TYPE_COL: counts["exemplar_type"][value]})
                for value, label in types.items()
            ),
            *(
                (f"Trạng thái: {label}", {STATE_COL: counts["state"][value]})
                for value, label in states.items()
            ),
        ]

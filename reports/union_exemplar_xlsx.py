from collections import Counter

from odoo import models

from .union_layout_xlsx import Column, Document, Table

# Recognised exemplars are the result; proposed ones a proposal.
KINDS = [("results", ("recognized",)), ("proposal", ("proposed",))]
COLUMNS = {
    "results": [
        Column("STT", 5),
        Column("Tên mô hình, điển hình", 26),
        Column("Loại", 14),
        Column("Đơn vị", 22),
        Column("Thành viên", 20),
        Column("Tuyên truyền", 25),
    ],
    "proposal": [
        Column("STT", 5),
        Column("Tên mô hình, điển hình", 24),
        Column("Loại", 13),
        Column("Đơn vị", 20),
        Column("Thành viên", 18),
        Column("Tuyên truyền", 21),
        Column("Trạng thái", 11),
    ],
}
SUBJECT = "TRONG HỌC TẬP VÀ LÀM THEO TƯ TƯỞNG, ĐẠO ĐỨC, PHONG CÁCH HỒ CHÍ MINH"
TITLES = {
    "results": f"DANH SÁCH MÔ HÌNH, ĐIỂN HÌNH TIÊU BIỂU {SUBJECT} NĂM {{year}}",
    "proposal": "DANH SÁCH ĐỀ NGHỊ CÔNG NHẬN MÔ HÌNH, ĐIỂN HÌNH TIÊU BIỂU "
    f"{SUBJECT} NĂM {{year}}",
}
SHEETS = {
    "results": "Mô hình, điển hình {year}",
    "proposal": "Đề nghị công nhận {year}",
}
TYPE_COL = 2
FIELDS = [
    "name",
    "exemplar_type",
    "organization_id",
    "member_ids",
    "publication_ids",
    "state",
]


class ReportExemplarXlsx(models.AbstractModel):
    """One row per exemplar, with its members and where it was publicised."""

    _name = "report.trade_union_emulation.report_exemplar_xlsx"
    _inherit = "report.trade_union_emulation.layout_xlsx"
    _description = "Exemplars (Excel)"

    def _documents(self, exemplars, data):
        for issuer, year, kind, records in self._list_documents(exemplars, data, KINDS):
            types = Counter()
            yield Document(
                sheet_name=SHEETS[kind].format(year=year),
                issuer=issuer,
                title=TITLES[kind].format(year=year),
                table=Table(
                    columns=COLUMNS[kind],
                    rows=self._rows(records, kind, types),
                    totals=lambda types=types: self._totals(types),
                ),
            )

    def _rows(self, exemplars, kind, types):
        labels = {
            name: self._selection_labels("union.exemplar", name)
            for name in ("exemplar_type", "state")
        }
        channels = self._selection_labels("union.exemplar.publication", "channel")
        units = {}
        for batch in self._batches(exemplars):
            # The members and publications read are those the user may read.
            rows = batch.read(FIELDS, load=None)
            members = self._names(
                "union.member",
                {mid for row in rows for mid in row["member_ids"]},
                ("name", "union_position"),
            )
            publications = self.env["union.exemplar.publication"].browse(
                {pid for row in rows for pid in row["publication_ids"]}
            )
            publication_texts = {
                publication["id"]: self._publication_text(publication, channels)
                for publication in publications.read(["channel", "title", "date"])
            }
            self._units({row["organization_id"] for row in rows}, units)
            for exemplar in rows:
                types[exemplar["exemplar_type"]] += 1
                values = [
                    exemplar["name"],
                    labels["exemplar_type"].get(exemplar["exemplar_type"], ""),
                    units.get(exemplar["organization_id"], ""),
                    "\n".join(
                        self._member_text(members[mid])
                        for mid in exemplar["member_ids"]
                        if mid in members
                    ),
                    "\n".join(
                        publication_texts[pid]
                        for pid in exemplar["publication_ids"]
                        if pid in publication_texts
                    ),
                ]
                if kind == "proposal":
                    values.append(labels["state"].get(exemplar["state"], ""))
                yield values

    def _member_text(self, member):
        """ "Nguyễn Văn An (Chủ tịch CĐCS)": the name, and the union post if any."""
        if member.get("union_position"):
            return f"{member['name']} ({member['union_position']})"
        return member["name"]

    def _publication_text(self, publication, channels):
        text = f"{channels.get(publication['channel'], '')}: {publication['title']}"
        if publication["date"]:
            text += f" ({publication['date'].strftime('%d/%m/%Y')})"
        return text

    def _totals(self, types):
        labels = self._selection_labels("union.exemplar", "exemplar_type")
        return [
            ("Tổng cộng", {TYPE_COL: sum(types.values())}),
            *(
                (f"Loại: {label}", {TYPE_COL: types[value]})
                for value, label in labels.items()
            ),
        ]

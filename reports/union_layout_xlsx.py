"""The Vietnamese administrative layout shared by the union's Excel documents.

Union documents follow QĐ 933/QĐ-TLĐ (2024), itself after NĐ 30/2020/NĐ-CP:
the issuing organisation top left under its parent, the national motto top
right, number, place and date, the title, the table, and the signature block.
The fixed texts of that layout are part of the official Vietnamese document,
so they are written in Vietnamese, not translated.

Workbooks stream (``constant_memory``): every row is written once, from top to
bottom, and flushed to disk as soon as the next row starts.
"""

import math
import re
from collections import namedtuple
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from lxml import html as lxml_html

from odoo import fields, models
from odoo.tools import is_html_empty, split_every

FONT = "Times New Roman"
A4 = 9
# Tables wider than this (in Excel character units) are printed landscape.
PORTRAIT_MAX_WIDTH = 100
MAX_ROW_HEIGHT = 409  # points, Excel's limit
READ_BATCH = 5000
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

# Column kinds: how a value is written and formatted.
TEXT, INTEGER, NUMBER, RATE, DATE, YEAR = (
    "text",
    "integer",
    "number",
    "rate",
    "date",
    "year",
)

Column = namedtuple("Column", "label width kind", defaults=(TEXT,))
# A text cell indented by ``level`` steps (the organisation tree).
Indented = namedtuple("Indented", "text level")

_BASE = {"font_name": FONT, "font_size": 12, "text_wrap": True, "valign": "vcenter"}
_CELL = {**_BASE, "border": 1, "valign": "top"}
STYLES = {
    # document header, title and signature block
    "parent": {**_BASE, "align": "center"},
    "issuer": {**_BASE, "align": "center", "bold": True},
    "number": {**_BASE, "align": "center", "font_size": 13},
    "nation": {**_BASE, "align": "center", "bold": True},
    "motto": {
        **_BASE,
        "align": "center",
        "bold": True,
        "underline": 1,
        "font_size": 13,
    },
    "place_date": {**_BASE, "align": "center", "italic": True, "font_size": 13},
    "title": {**_BASE, "align": "center", "bold": True, "font_size": 14},
    "subtitle": {**_BASE, "align": "center", "italic": True, "font_size": 13},
    "heading": {**_BASE, "bold": True, "font_size": 13},
    "paragraph": {**_BASE, "align": "justify", "valign": "top", "font_size": 13},
    "recipients_title": {**_BASE, "bold": True, "italic": True, "valign": "top"},
    "recipients": {**_BASE, "font_size": 11, "valign": "top"},
    "signer": {**_BASE, "align": "center", "bold": True, "font_size": 13},
    # the table
    "header": {**_CELL, "bold": True, "align": "center", "valign": "vcenter"},
    "stt": {**_CELL, "align": "center", "num_format": "0"},
    TEXT: {**_CELL, "align": "left"},
    INTEGER: {**_CELL, "align": "right", "num_format": "#,##0"},
    NUMBER: {**_CELL, "align": "right", "num_format": "0.0"},
    RATE: {**_CELL, "align": "right", "num_format": "0.0%"},
    DATE: {**_CELL, "align": "center", "num_format": "dd/mm/yyyy"},
    YEAR: {**_CELL, "align": "center", "num_format": "0"},
    "total_label": {**_CELL, "align": "center", "bold": True},
    "breakdown_label": {**_CELL, "align": "right", "italic": True},
}


@dataclass
class Document:
    """One sheet of a union document.

    ``rows`` yields the values of the columns after STT (numbered here), a
    text value may be ``Indented``; it is consumed once, as it is written.
    ``totals`` is called when all rows are written (so it may use counts
    gathered while streaming) and returns ``[(label, {column: value})]``:
    the grand total first, then its breakdown.
    """

    sheet_name: str
    issuer: models.Model
    title: str
    columns: list
    rows: Iterable
    totals: Callable[[], list]
    subtitle: str = ""
    sections: list = field(default_factory=list)  # [(heading, [paragraph, ...])]


def text_lines(text, width, props):
    """Estimated number of lines ``text`` takes in ``width`` character units:
    Excel does not fit the height of merged cells by itself."""
    factor = props.get("font_size", 12) / 11.0
    if props.get("bold"):
        factor *= 1.08
    lines = 0
    for part in (text or "").split("\n"):
        part_factor = factor * 1.3 if part.isupper() else factor
        lines += max(1, math.ceil(len(part) * part_factor / max(width - 1, 1)))
    return max(lines, 1)


def html_paragraphs(html):
    """The paragraphs of an HTML field as plain text, list items as "- ..."."""
    if is_html_empty(html):
        return []
    root = lxml_html.fragment_fromstring(str(html), create_parent="div")
    for element in root.iter("br"):
        element.tail = "\n" + (element.tail or "")
    for element in root.iter(
        "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"
    ):
        if element.tag == "li":
            element.text = "- " + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in root.text_content().split("\n"))
    return [line for line in lines if line]


def sheet_name(name):
    return SHEET_NAME_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"


class DocumentStyles:
    """The cell formats of one workbook, made once each."""

    def __init__(self, workbook):
        self.workbook = workbook
        self._formats = {}

    def get(self, name, bold=False, indent=0):
        key = (name, bold, indent)
        if key not in self._formats:
            props = dict(STYLES[name])
            if bold:
                props["bold"] = True
            if indent:
                props["indent"] = indent
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]


class DocumentSheet:
    """A worksheet written strictly from top to bottom (``constant_memory``)."""

    def __init__(self, worksheet, styles, columns):
        self.worksheet = worksheet
        self.styles = styles
        self.columns = columns
        self.last_col = len(columns) - 1
        self.row = 0
        self.count = 0
        self.split = self._split_column()
        self._cell_formats = [styles.get(column.kind) for column in columns]
        total_width = sum(column.width for column in columns)
        for col, column in enumerate(columns):
            worksheet.set_column(col, col, column.width)
        worksheet.set_paper(A4)
        if total_width > PORTRAIT_MAX_WIDTH:
            worksheet.set_landscape()
        worksheet.fit_to_pages(1, 0)
        # NĐ 30/2020: margins of 20-25 mm top and bottom, 30-35 mm left, 15-20 mm right.
        worksheet.set_margins(left=1.18, right=0.7, top=0.79, bottom=0.79)
        worksheet.center_horizontally()
        worksheet.set_footer(f'&C&"{FONT},Regular"&11&P/&N')

    def _split_column(self):
        """First column of the right-hand blocks (motto, signature): the left
        blocks take about 40 % of the width."""
        widths = [column.width for column in self.columns]
        total, running = sum(widths), 0
        for col, width in enumerate(widths):
            running += width
            if running >= 0.4 * total:
                return min(col + 1, self.last_col)
        return self.last_col

    def _width(self, first_col, last_col):
        return sum(column.width for column in self.columns[first_col : last_col + 1])

    def _fit_height(self, cells):
        """Set the height of the current row for merged ``(text, width, style)`` cells."""
        lines_height = max(
            text_lines(text, width, STYLES[style])
            * STYLES[style].get("font_size", 12)
            * 1.35
            for text, width, style in cells
        )
        self.worksheet.set_row(self.row, min(max(lines_height, 15.75), MAX_ROW_HEIGHT))

    def _text(self, first_col, last_col, text, cell_format):
        # Text is always written as a string: a name like "=SUM(A1:A2)" stays text.
        if last_col > first_col:
            self.worksheet.merge_range(
                self.row, first_col, self.row, last_col, None, cell_format
            )
        if text:
            self.worksheet.write_string(self.row, first_col, text, cell_format)

    def _value(self, col, kind, value, cell_format):
        worksheet, row = self.worksheet, self.row
        if value is None or value is False or value == "":
            worksheet.write_blank(row, col, None, cell_format)
        elif kind == TEXT:
            worksheet.write_string(row, col, value, cell_format)
        elif kind == DATE:
            worksheet.write_datetime(row, col, value, cell_format)
        elif kind == RATE:
            # Stored as percentages (66.7); Excel's percent format wants the ratio.
            worksheet.write_number(row, col, value / 100.0, cell_format)
        else:
            worksheet.write_number(row, col, value, cell_format)

    # Blocks -------------------------------------------------------------------------

    def blank(self, count=1):
        self.row += count

    def line(self, text, style):
        """A text over the whole width of the table."""
        self._fit_height([(text, self._width(0, self.last_col), style)])
        self._text(0, self.last_col, text, self.styles.get(style))
        self.row += 1

    def two_blocks(self, left, right):
        """Rows with a block on the left and one on the right, each a list of
        ``(text, style)``: the document header and the signature block."""
        spans = ((0, self.split - 1), (self.split, self.last_col))
        for index in range(max(len(left), len(right))):
            cells = [
                (first, last, *block[index])
                for block, (first, last) in zip((left, right), spans, strict=True)
                if index < len(block) and block[index][0]
            ]
            if cells:
                self._fit_height(
                    [
                        (text, self._width(first, last), style)
                        for first, last, text, style in cells
                    ]
                )
            for first, last, text, style in cells:
                self._text(first, last, text, self.styles.get(style))
            self.row += 1

    def table_header(self):
        header = self.styles.get("header")
        self._fit_height(
            [(column.label, column.width, "header") for column in self.columns]
        )
        for col, column in enumerate(self.columns):
            self.worksheet.write_string(self.row, col, column.label, header)
        # The header stays on screen and is printed on every page.
        self.worksheet.freeze_panes(self.row + 1, 0)
        self.worksheet.repeat_rows(self.row)
        self.row += 1

    def data_row(self, values):
        self.count += 1
        self.worksheet.write_number(self.row, 0, self.count, self.styles.get("stt"))
        for col, value in enumerate(values, start=1):
            kind, cell_format = self.columns[col].kind, self._cell_formats[col]
            if isinstance(value, Indented):
                value, cell_format = (
                    value.text,
                    self.styles.get(kind, indent=value.level),
                )
            self._value(col, kind, value, cell_format)
        self.row += 1

    def totals(self, rows):
        """The grand total, then its breakdown: a label spanning the columns
        before the first figure, and the figures under their columns."""
        for index, (label, values) in enumerate(rows):
            grand = index == 0
            first_value = min(values) if values else len(self.columns)
            self._text(
                0,
                first_value - 1,
                label,
                self.styles.get("total_label" if grand else "breakdown_label"),
            )
            for col in range(first_value, len(self.columns)):
                if col in values:
                    # A count under a text column (e.g. per type) is still a number.
                    kind = (
                        self.columns[col].kind
                        if self.columns[col].kind in (INTEGER, NUMBER, RATE)
                        else INTEGER
                    )
                    self._value(
                        col, kind, values[col], self.styles.get(kind, bold=grand)
                    )
                else:
                    self.worksheet.write_blank(
                        self.row, col, None, self.styles.get(TEXT, bold=grand)
                    )
            self.row += 1


class ReportUnionLayoutXlsx(models.AbstractModel):
    _name = "report.trade_union_emulation.layout_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Union Document Layout (Excel)"

    # Kind of document in its number "Số: …/BC-LĐLĐ" (NĐ 30/2020, appendix III).
    _document_type = "BC"

    def get_workbook_options(self):
        return {
            "constant_memory": True,
            "default_format_properties": {"font_name": FONT, "font_size": 12},
            # Belt and braces: every text is written with write_string anyway.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        }

    def create_xlsx_report(self, docids, data):
        # The document is an official Vietnamese one: selection labels and
        # names come in Vietnamese whenever that language is installed.
        lang = self.env["res.lang"]._get_code("vi_VN") or self.env.lang
        return super(
            ReportUnionLayoutXlsx, self.with_context(lang=lang)
        ).create_xlsx_report(docids, data)

    def _get_objs_for_report(self, docids, data):
        """The records to export, among those the user may read.

        report_xlsx browses the ids it is given as the user; ids of records the
        user cannot read (another organisation's, through a crafted request)
        are left out here rather than failing halfway, so that the document is
        exactly what the user's own list shows. Ordered as the model orders.
        """
        records = super()._get_objs_for_report(docids, data)
        if not records:
            return records
        return records.search([("id", "in", records.ids)])

    def generate_xlsx_report(self, workbook, data, objs):
        styles = DocumentStyles(workbook)
        for document in self._documents(objs):
            self._write_document(workbook, styles, document)

    def _documents(self, objs):
        """The sheets to write: an iterable of ``Document``."""
        raise NotImplementedError()

    def _write_document(self, workbook, styles, document):
        sheet = DocumentSheet(
            workbook.add_worksheet(sheet_name(document.sheet_name)),
            styles,
            document.columns,
        )
        self._write_header(sheet, document.issuer)
        sheet.blank()
        sheet.line(document.title, "title")
        if document.subtitle:
            sheet.line(document.subtitle, "subtitle")
        sheet.blank()
        sheet.table_header()
        for values in document.rows:
            sheet.data_row(values)
        sheet.totals(document.totals())
        for heading, paragraphs in document.sections:
            sheet.blank()
            sheet.line(heading, "heading")
            for paragraph in paragraphs:
                sheet.line(paragraph, "paragraph")
        sheet.blank()
        self._write_signature(sheet, document.issuer)

    def _write_header(self, sheet, issuer):
        left = [
            (self._parent_name(issuer).upper(), "parent"),
            ((issuer.name or "").upper(), "issuer"),
            (
                f"Số:        /{self._document_type}-{self._issuer_abbreviation(issuer)}",
                "number",
            ),
        ]
        right = [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "nation"),
            ("Độc lập - Tự do - Hạnh phúc", "motto"),
            (self._place_date(issuer), "place_date"),
        ]
        sheet.two_blocks(left, right)

    def _parent_name(self, issuer):
        """The line above the issuer: its parent, and for a provincial
        federation at the top of the tree, the national confederation."""
        if issuer.parent_id:
            return issuer.parent_id.name
        return "Tổng LĐLĐ Việt Nam" if issuer.level == "provincial" else ""

    def _write_signature(self, sheet, issuer):
        recipients = [("Nơi nhận:", "recipients_title")]
        if issuer.parent_id:
            recipients.append((f"- {issuer.parent_id.name} (b/c);", "recipients"))
        recipients.append(("- Lưu: VT.", "recipients"))
        # Grassroots unions have an executive committee but no standing committee.
        body = (
            "BAN CHẤP HÀNH"
            if issuer.level in ("grassroots", "sub_unit")
            else "BAN THƯỜNG VỤ"
        )
        signer = [
            (f"TM. {body}", "signer"),
            ((issuer.leader_title or "").upper(), "signer"),
            # room for the signature and the seal
            ("", "signer"),
            ("", "signer"),
            ("", "signer"),
            (issuer.leader_name or "", "signer"),
        ]
        sheet.two_blocks(recipients, signer)

    # Helpers -------------------------------------------------------------------------

    def _issuing_organization(self, organizations):
        """The organisation in whose name a document is issued: the records'
        own organisation, the nearest ancestor common to all of them, or else
        the first organisation the user works on."""
        paths = [org.parent_path.split("/")[:-1] for org in organizations]
        common = None
        # Paths differ in length: the common prefix ends with the shortest.
        for ids in zip(*paths, strict=False):
            if len(set(ids)) > 1:
                break
            common = ids[0]
        if common:
            return (
                self.env["union.organization"]
                .with_context(active_test=False)
                .browse(int(common))
            )
        return self.env.user.union_organization_ids[:1]

    def _issuer_abbreviation(self, issuer):
        """The issuing organisation's abbreviation in the document number: the
        acronym its name starts with (LĐLĐ, CĐCS…), else the usual one of its level."""
        first_word = (issuer.name or "").split(" ", 1)[0]
        if len(first_word) > 1 and first_word.isalpha() and first_word.isupper():
            return first_word
        name = (issuer.name or "").lower()
        for prefix, abbreviation in (
            ("tổng liên đoàn lao động", "TLĐ"),
            ("liên đoàn lao động", "LĐLĐ"),
            ("công đoàn ngành", "CĐN"),
            ("công đoàn cơ sở", "CĐCS"),
            ("công đoàn các khu công nghiệp", "CĐKCN"),
            ("công đoàn khu công nghiệp", "CĐKCN"),
            ("công đoàn bộ phận", "CĐBP"),
        ):
            if name.startswith(prefix):
                return abbreviation
        return {
            "central": "TLĐ",
            "provincial": "LĐLĐ",
            "upper_grassroots": "CĐ",
            "grassroots": "CĐCS",
            "sub_unit": "CĐBP",
        }.get(issuer.level, "CĐ")

    def _place_date(self, issuer):
        """ "Bắc Kạn, ngày 05 tháng 02 năm 2026": the place is the city of the
        organisation or of its nearest ancestor that has one; days below 10 and
        months below 3 take a leading zero (NĐ 30/2020)."""
        place = "……"
        if issuer:
            ids = [int(x) for x in issuer.parent_path.split("/")[:-1]]
            ancestors = (
                self.env["union.organization"]
                .with_context(active_test=False)
                .browse(ids[::-1])
            )
            place = next((org.city for org in ancestors if org.city), place)
        today = fields.Date.context_today(self)
        month = f"{today.month:02d}" if today.month < 3 else str(today.month)
        return f"{place}, ngày {today.day:02d} tháng {month} năm {today.year}"

    def _selection_labels(self, model_name, field_name):
        """{value: label} of a selection field, in the document's language."""
        return dict(
            self.env[model_name]._fields[field_name]._description_selection(self.env)
        )

    def _year_label(self, years):
        """ "NĂM 2026" for the title; the current year when there is none."""
        years = sorted(set(filter(None, years))) or [
            fields.Date.context_today(self).year
        ]
        return "NĂM " + ", ".join(str(year) for year in years)

    def _batches(self, records):
        """``records`` in batches, each dropped from the cache once written:
        a 100,000-row export reads a few queries per batch and keeps a flat
        memory, never one lazy load per record."""
        for batch in split_every(READ_BATCH, records.ids, records.browse):
            yield batch
            self.env.invalidate_all()

    def _read_named(self, records, field_names, named=None):
        """``records.read(field_names)``, the many2one fields of ``named`` (all
        by default) given as their target's name.

        Like read(), which names many2one values as superuser (the name comes
        with the record the user may read, e.g. a member who has since moved to
        another organisation), but with one query per target model rather than
        one sudo() per value: exports read 100,000 rows."""
        rows = records.read(field_names, load=None)
        for name in field_names if named is None else named:
            field = records._fields[name]
            if field.type != "many2one":
                continue
            targets = (
                self.env[field.comodel_name]
                .sudo()
                .browse({row[name] for row in rows} - {False})
            )
            names = dict(
                zip(targets.ids, targets.mapped(targets._rec_name), strict=True)
            )
            for row in rows:
                row[name] = names.get(row[name], "")
        return rows

    def _groups(self, records, groupby):
        """The distinct values of ``groupby`` fields among ``records``, in one
        grouped query whatever their number."""
        if not records:
            return []
        return records._read_group([("id", "in", records.ids)], groupby)

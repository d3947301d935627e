"""The Vietnamese administrative layout shared by the union's Excel documents.

Union documents follow QĐ 933/QĐ-TLĐ (2024), itself after NĐ 30/2020/NĐ-CP:
the issuing organisation top left under its parent, the national motto top
right, number, place and date, the title, the table, and the signature block.
The fixed texts of that layout are part of the official Vietnamese document,
so they are written in Vietnamese, not translated.

Workbooks stream (``constant_memory``): every row is written once, from top to
bottom, and flushed to disk as soon as the next row starts.

They are made to be printed as they are, on A4 at 100 %, by Excel or
LibreOffice: neither fits the height of a row to its wrapped text on opening,
so every row gets the height its text needs (estimated from Times New Roman's
widths), the columns are chosen to fit the printable width of the page, and
the page breaks are known in advance, which keeps the signature block whole.
"""

import functools
import math
import re
import tempfile
import unicodedata
from array import array
from collections import defaultdict, namedtuple
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import groupby

import xlsxwriter
from lxml import html as lxml_html
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import (
    Worksheet,
    cell_blank_tuple,
    cell_datetime_tuple,
    cell_number_tuple,
    cell_string_tuple,
)

from odoo import fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, formatLang, is_html_empty, split_every

from ..models.union_workflow_mixin import GROUP_OFFICER

FONT = "Times New Roman"
A4 = 9
PRINT_SCALE = 100
# NĐ 30/2020: margins of 20-25 mm top and bottom, 30-35 mm left, 15-20 mm right.
MARGINS = {"left": 1.18, "right": 0.7, "top": 0.79, "bottom": 0.79}  # inches
HEADER_MARGIN = 0.35  # inches: the page number, inside the top margin
PAGE_PT = {"portrait": (595.3, 841.9), "landscape": (841.9, 595.3)}
# A column of width w (in characters of the workbook's default font, Times New
# Roman 12, whose digits are 6 pt wide) is 6 w + 4.2 pt wide, in Excel as in
# LibreOffice (measured on LibreOffice's PDF).
UNIT_PT = 6.0
COLUMN_PADDING_PT = 4.2
CELL_MARGIN_PT = 6.0  # left and right text insets together
INDENT_PT = 9.0  # one indent level
# Advance widths of Times New Roman (the metrics Liberation Serif shares), in
# thousandths of an em, of its letters, digits and signs. A Vietnamese letter
# is as wide as its base letter, but for the horned ơ and ư.
REGULAR_WIDTHS = {
    180: "'",
    200: "|",
    250: " .,",
    278: "ijlt;:/",
    333: "frI-()![]",
    389: "sJ",
    408: '"',
    444: "acez“”?",
    500: "bdghknopquvxy0123456789–*#_đ",
    529: "ơ",
    542: "ư",
    556: "FPS",
    564: "+=<>",
    611: "ELTZ",
    667: "BCR",
    722: "wADGHKNOQUVXYĐ",
    776: "Ư",
    778: "m&",
    833: "%",
    889: "M",
    921: "@",
    944: "W",
    1000: "…",
}
BOLD_WIDTHS = {
    220: "|",
    250: " .,",
    278: "il/'",
    333: "fjt;:-()![]",
    389: "sI",
    444: "cerz",
    500: "agovxyJ0123456789“”–?*#_",
    554: "ơ",
    555: '"',
    556: "bdhknpquSđ",
    570: "+=<>",
    600: "ư",
    611: "FP",
    667: "BELTZ",
    722: "wACDNRUVXYĐ",
    778: "GHKOQ",
    796: "Ư",
    833: "m&",
    930: "@",
    944: "M",
    1000: "W%…",
}
UNKNOWN_WIDTH = 722  # a character out of the tables
# Line breaks fall a little earlier than the font's widths say (hinting,
# rounding): a row one line too tall is better than one line of text hidden.
WIDTH_MARGIN = 1.04
LINE_SPACING = 1.2  # line height over font size
ROW_PADDING_PT = 3.0
MAX_ROW_HEIGHT = 409  # points, Excel's limit
# A narrative paragraph longer than this is cut into rows at its sentences, so
# that no page ends with a wide white gap left by a tall row.
MAX_PARAGRAPH_ROW = 180
READ_BATCH = 5000


def id_array(ids):
    """``ids`` as one SQL array: psycopg2 adapts a tuple of a million ids
    element by element, about 130 MB on the way; this text is made by
    chunks."""
    text = ",".join(",".join(map(str, chunk)) for chunk in split_every(READ_BATCH, ids))
    return SQL("%s::int4[]", f"{{{text}}}")


# The rows of a worksheet (Excel's limit, xlsxwriter's): a write below them is
# silently dropped, so a table continues on a new sheet before it gets there.
SHEET_ROWS = 1_048_576
# Rows a sheet keeps for what surrounds its table: letterhead, title, header,
# totals, note, signature (a few dozen at most).
SHEET_MARGIN_ROWS = 1_000
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SENTENCE_END = re.compile(r"(?<=[.!?;…])\s+")
# What makes xlsxwriter change a string on writing it to the sheet's XML: a
# character to escape (&, <, >, a control character, U+FFFE, U+FFFF), an
# "_xHHHH_" sequence, a space at either end to preserve (a "<r>…</r>" rich
# string starts with "<").
NOT_PLAIN_STRING = re.compile(
    r"_x[0-9a-fA-F]{4}_|[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|^\s|\s$"
)

# Column kinds: how a value is written and formatted.
TEXT, INTEGER, NUMBER, RATE, DATE = ("text", "integer", "number", "rate", "date")
FIGURE_KINDS = (INTEGER, NUMBER, RATE)

# ``group``: the label of a header spanning consecutive columns (two header rows).
Column = namedtuple("Column", "label width kind group", defaults=(TEXT, None))
# A text cell indented by ``level`` steps (the organisation tree).
Indented = namedtuple("Indented", "text level")

_BASE = {"font_name": FONT, "font_size": 12, "text_wrap": True, "valign": "vcenter"}
_CENTER = {**_BASE, "align": "center"}
# The blocks around the table: document header, title, narrative, signature.
BLOCK_STYLES = {
    "parent": {**_CENTER, "font_size": 13},
    "issuer": {**_CENTER, "font_size": 13, "bold": True},
    "number": {**_CENTER, "font_size": 13},
    "nation": {**_CENTER, "font_size": 12, "bold": True},
    "motto": {**_CENTER, "font_size": 13, "bold": True, "underline": 1},
    "place_date": {**_CENTER, "font_size": 13, "italic": True},
    "rule": {**_BASE, "bottom": 1},
    "blank": _BASE,
    "title": {**_CENTER, "font_size": 14, "bold": True},
    "subtitle": {**_CENTER, "font_size": 13, "italic": True},
    "annex": {**_CENTER, "font_size": 13, "bold": True},
    "reference": {**_CENTER, "font_size": 13, "italic": True},
    "note": {**_BASE, "font_size": 12, "italic": True, "valign": "top"},
    "heading": {**_BASE, "font_size": 13, "bold": True},
    "paragraph": {**_BASE, "font_size": 13, "align": "justify", "valign": "top"},
    "recipients_title": {**_BASE, "bold": True, "italic": True, "valign": "top"},
    "recipients": {**_BASE, "font_size": 11, "valign": "top"},
    "signer": {**_CENTER, "font_size": 13, "bold": True},
}
_CELL = {**_BASE, "border": 1, "valign": "top"}
# The cells of the table: its header, STT, each kind of column, the totals.
CELL_STYLES = {
    "header": {**_CELL, "bold": True, "align": "center", "valign": "vcenter"},
    "stt": {**_CELL, "align": "center", "num_format": "0"},
    TEXT: {**_CELL, "align": "left"},
    INTEGER: {**_CELL, "align": "right", "num_format": "#,##0"},
    NUMBER: {**_CELL, "align": "right", "num_format": "0.0"},
    # Percentages stored as such (74.0), under a "Tỷ lệ (%)" header.
    RATE: {**_CELL, "align": "right", "num_format": "0.0"},
    DATE: {**_CELL, "align": "center", "num_format": "dd/mm/yyyy"},
    "total_label": {**_CELL, "align": "center", "bold": True},
    "breakdown_label": {**_CELL, "align": "right", "italic": True},
}


@dataclass
class Table:
    """The bordered table of a document.

    ``rows`` yields the values of the columns after STT (numbered here), a
    text value may be ``Indented``; it is consumed once, as it is written.
    ``totals`` is called when all rows are written (so it may use counts
    gathered while streaming) and returns ``[(label, {column: value})]``:
    the grand total first, then its breakdown.
    """

    columns: list
    rows: Iterable
    totals: Callable[[], list] = list
    note: str = ""  # under the table


@dataclass
class Document:
    """One sheet: a union document, or an appendix (``annex``) of one.

    A document has the header block, the title, its table and narrative
    ``sections`` ([(heading, [paragraph, ...])]) and the signature block; an
    appendix has its label, title and reference to the document instead, and
    no signature. ``grid`` gives the column widths of a sheet without table.
    """

    sheet_name: str
    issuer: models.Model
    title: str
    subtitle: str = ""
    table: Table | None = None
    sections: list = field(default_factory=list)
    grid: list = field(default_factory=list)
    annex: str = ""
    reference: str = ""


# Text measurement -----------------------------------------------------------------


def column_width_pt(width):
    return UNIT_PT * width + COLUMN_PADDING_PT


def printable_width_pt(orientation):
    return PAGE_PT[orientation][0] - (MARGINS["left"] + MARGINS["right"]) * 72


def printable_height_pt(orientation):
    return PAGE_PT[orientation][1] - (MARGINS["top"] + MARGINS["bottom"]) * 72


class Advances(dict):
    """{character: advance in thousandths of an em} of one weight, a
    character out of the tables (a Vietnamese letter: its base letter's)
    added the first time it is met."""

    def __init__(self, table):
        super().__init__(
            (char, width) for width, chars in table.items() for char in chars
        )

    def __missing__(self, char):
        base = unicodedata.normalize("NFD", char)[0]
        width = self[char] = self.get(base, UNKNOWN_WIDTH)
        return width


_ADVANCES = {False: Advances(REGULAR_WIDTHS), True: Advances(BOLD_WIDTHS)}


@functools.lru_cache(maxsize=65536)
def word_width(word, bold=False):
    """The advance of ``word`` in ems. Vietnamese has a few thousand
    syllables: the cache answers nearly every word of a large export."""
    return sum(map(_ADVANCES[bold].__getitem__, word)) / 1000


def usable_ems(width_pt, props, indent=0):
    """The width that text has in a cell of ``width_pt``, in ems of the font
    of ``props``."""
    size = props.get("font_size", 12)
    usable = max(width_pt - CELL_MARGIN_PT - indent * INDENT_PT, size)
    return usable / (size * WIDTH_MARGIN)


def text_lines(text, width_pt, props, indent=0):
    """The number of lines ``text`` takes, wrapped at its words as Excel and
    LibreOffice wrap it, in a cell of ``width_pt`` with the font of ``props``."""
    usable = usable_ems(width_pt, props, indent)
    return _wrapped_lines(text or "", usable, bool(props.get("bold")))


@functools.lru_cache(maxsize=4096)  # units, categories, states… repeat
def _wrapped_lines(text, usable, bold):
    space = word_width(" ", bold)
    advance = _ADVANCES[bold].__getitem__
    lines = 0
    for part in text.split("\n"):
        # Most parts fit on a line, seen from the advance of all their
        # characters: every space counted (none narrower than the one the
        # words are counted with), with a margin that no rounding crosses.
        if sum(map(advance, part)) < usable * 1000 - 1:
            lines += 1
            continue
        count, used = 1, 0.0
        for word in part.split():
            width = word_width(word, bold)
            if used and used + space + width > usable:
                count += 1
                used = 0.0
            if width > usable:  # a word longer than the line is broken
                extra = math.ceil(width / usable) - 1
                count += extra
                width -= extra * usable
            used += (space if used else 0.0) + width
        lines += count
    return lines


def row_height(lines, props):
    return lines * props.get("font_size", 12) * LINE_SPACING + ROW_PADDING_PT


def html_paragraphs(html):
    """The paragraphs of an HTML field as plain text, one per block element:
    a ``<br>`` is a line break inside its paragraph, list items start with
    "- " (or their number in an ordered list)."""
    if is_html_empty(html):
        return []
    root = lxml_html.fragment_fromstring(str(html), create_parent="div")
    # Private-use characters, never in the text: a paragraph and a line break.
    separator, line_break = "\ue000", "\ue001"
    for element in root.iter("br"):
        element.tail = line_break + (element.tail or "")
    blocks = ("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6")
    for element in root.iter(*blocks, "blockquote", "ul", "ol", "table"):
        prefix = ""
        if element.tag == "li":
            parent = element.getparent()
            if parent is not None and parent.tag == "ol":
                prefix = f"{parent.index(element) + 1}. "
            else:
                prefix = "- "
        element.text = separator + prefix + (element.text or "")
        element.tail = separator + (element.tail or "")
    paragraphs = []
    for block in root.text_content().split(separator):
        # Line ends of the HTML source are spaces; only <br> breaks a line.
        lines = (" ".join(line.split()) for line in block.split(line_break))
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
    return paragraphs


def split_paragraph(text, width_pt, props, max_height=MAX_PARAGRAPH_ROW):
    """``text`` cut at its sentences (at its words for a sentence too long)
    into pieces that each fit a row of at most ``max_height``."""

    def fits(piece):
        return row_height(text_lines(piece, width_pt, props), props) <= max_height

    if fits(text):
        return [text]
    pieces, current = [], ""
    for sentence in SENTENCE_END.split(text):
        for unit in [sentence] if fits(sentence) else sentence.split(" "):
            candidate = f"{current} {unit}" if current else unit
            if current and not fits(candidate):
                pieces.append(current)
                current = unit
            else:
                current = candidate
    if current:
        pieces.append(current)
    return pieces


def sheet_name(name):
    return SHEET_NAME_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"


def vietnamese_number(value, digits=0):
    """1234.5 -> "1.234,5": the Vietnamese way of writing numbers in text."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


# Writing --------------------------------------------------------------------------


class SheetFullError(Exception):
    """A sheet has no row left for what is still to be written."""


def continuation_name(name, number):
    """ "Cam kết 2026 (dự thảo) (2)": the ``number``-th sheet of a table, the
    name cut so that the number fits Excel's 31 characters."""
    suffix = f" ({number})"
    return sheet_name(name)[: 31 - len(suffix)].rstrip() + suffix


_PLAIN_CELLS = (
    cell_string_tuple,
    cell_number_tuple,
    cell_datetime_tuple,
    cell_blank_tuple,
)
_column_name = functools.cache(xl_col_to_name)


class DocumentWorksheet(Worksheet):
    """A worksheet whose page header (the page number) is left out of the first
    page, as NĐ 30/2020 numbers pages from the second one. xlsxwriter writes
    no ``differentFirst`` flag: it is added here; Excel and LibreOffice print
    no header on page 1 when the flag is set and no first-page header given."""

    def _write_header_footer(self):
        if not self.header_footer_changed:
            return super()._write_header_footer()
        attributes = [("differentFirst", 1)]
        if not self.header_footer_scales:
            attributes.append(("scaleWithDoc", 0))
        if not self.header_footer_aligns:
            attributes.append(("alignWithMargins", 0))
        self._xml_start_tag("headerFooter", attributes)
        if self.header:
            self._xml_data_element("oddHeader", self.header)
        if self.footer:
            self._xml_data_element("oddFooter", self.footer)
        self._xml_end_tag("headerFooter")

    def declare_merge(self, first_row, first_col, last_row, last_col):
        """Merge a range whose cells the caller then writes row by row:
        ``merge_range`` writes every cell of the range at once, which a
        streamed worksheet cannot do over several rows."""
        self.merge.append([first_row, first_col, last_row, last_col])

    def write_cells(self, row, cells):
        """Write the cells of one row, ``[(col, value, cell_format)]`` in
        increasing columns, each with its format: a str as write_string()
        writes it, None as write_blank(), any other value as write_number().
        A streamed row is written at once: its bounds are checked and the
        row before it flushed once for all its cells, not once a cell."""
        if not cells:
            return 0
        if self._check_dimensions(row, cells[0][0]) or self._check_dimensions(
            row, cells[-1][0]
        ):
            return -1  # every cell of the row would be refused alike
        if self.constant_memory and row > self.previous_row:
            self._write_single_row(row)
        table = self.table[row]
        for col, value, cell_format in cells:
            if isinstance(value, str):
                if len(value) > self.xls_strmax:
                    value = value[: self.xls_strmax]
                table[col] = cell_string_tuple(value, cell_format)
            elif value is None:
                if cell_format is not None:
                    table[col] = cell_blank_tuple(cell_format)
            elif value.__class__ in (int, float) and math.isfinite(value):
                table[col] = cell_number_tuple(value, cell_format)
            else:  # NaN, Decimal…: as xlsxwriter writes them
                self.write_number(row, col, value, cell_format)
        return 0

    def _write_single_row(self, current_row_num=0):
        """Write the finished row of the streamed sheet (``constant_memory``)
        to its XML. A row of plain cells, each with its format (numbers,
        dates, blanks, strings that need no escaping: the rows of a long
        table), is written here in one go, exactly as xlsxwriter writes it
        cell by cell; any other row is left to xlsxwriter."""
        row = self.previous_row
        cells = self.table.get(row)
        if not cells or row in self.comments:
            return self._forget_row(row, super()._write_single_row(current_row_num))
        number = str(row + 1)
        parts = []
        for col in sorted(cells):
            cell = cells[col]
            kind = type(cell)
            if (
                kind not in _PLAIN_CELLS
                or not cell.format
                or (kind is cell_string_tuple and NOT_PLAIN_STRING.search(cell.string))
            ):
                return self._forget_row(row, super()._write_single_row(current_row_num))
            ref = f'r="{_column_name(col)}{number}" s="{cell.format._get_xf_index()}"'
            if kind is cell_string_tuple:
                parts.append(
                    f'<c {ref} t="inlineStr"><is><t>{cell.string}</t></is></c>'
                )
            elif kind is cell_blank_tuple:
                parts.append(f"<c {ref}/>")
            else:
                # As xlsxwriter's "%.16G" formats it (a Decimal too).
                parts.append(f"<c {ref}><v>{float(cell.number):.16G}</v></c>")
        self.previous_row = current_row_num
        self._write_row(row, None, self.set_rows.get(row))
        parts.append("</row>")
        self.fh.write("".join(parts))
        self.table.clear()
        return self._forget_row(row)

    def _forget_row(self, row, result=None):
        """Drop what xlsxwriter keeps of a row once it is written: its height
        and format (``set_row``), which it would hold for every row of the
        sheet until the end (some 350 MB for a million rows). A streamed
        sheet never goes back to a written row, and these sheets position no
        image or comment by row heights."""
        self.set_rows.pop(row, None)
        self.row_sizes.pop(row, None)
        return result


class DocumentStyles:
    """The cell formats of one workbook, made once each."""

    def __init__(self, workbook):
        self.workbook = workbook
        self._formats = {}

    def _get(self, key, props):
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]

    def block(self, name):
        return self._get(("block", name), BLOCK_STYLES[name])

    def cell(self, kind, bold=False, indent=0):
        key = ("cell", kind, bold, indent)
        if key in self._formats:  # once a row: no props built for nothing
            return self._formats[key]
        props = dict(CELL_STYLES[kind])
        if bold:
            props["bold"] = True
        if indent:
            props["indent"] = indent
        return self._get(key, props)


class DocumentSheet:
    """A worksheet written strictly from top to bottom (``constant_memory``),
    with an explicit height on every row and its page breaks known."""

    def __init__(self, worksheet, styles, widths):
        self.worksheet = worksheet
        self.styles = styles
        self.widths = widths
        self.last_col = len(widths) - 1
        self.row = 0
        self.count = 0  # STT of the last data row, continued across sheets
        self.data_rows = 0  # of this sheet
        self.split = self._split_column()
        total = sum(column_width_pt(width) for width in widths)
        self.orientation = (
            "portrait" if total <= printable_width_pt("portrait") else "landscape"
        )
        for col, width in enumerate(widths):
            worksheet.set_column(col, col, width)
        worksheet.set_paper(A4)
        if self.orientation == "landscape":
            worksheet.set_landscape()
        else:
            worksheet.set_portrait()
        # Columns fit the printable width at 100 %: text prints at its size.
        worksheet.set_print_scale(PRINT_SCALE)
        worksheet.set_margins(**MARGINS)
        worksheet.center_horizontally()
        worksheet.set_header(f'&C&"{FONT},Regular"&12&P', {"margin": HEADER_MARGIN})
        # Each sheet is a document of its own: its pages count from 1.
        worksheet.set_start_page(1)
        # Pages: the rows of the current page (row, height), the manual breaks.
        self.page_height = printable_height_pt(self.orientation)
        self.page_rows = []
        self.used = 0.0
        self.repeat_height = 0.0
        self.breaks = []
        self._cell_formats = []
        self.columns = []
        self.last_data_row = self.totals_row = None

    def _split_column(self):
        """First column of the right-hand blocks (motto, signature): the left
        blocks take about 40 % of the width."""
        total, running = sum(self.widths), 0
        for col, width in enumerate(self.widths):
            running += width
            if running >= 0.4 * total:
                return min(col + 1, self.last_col)
        return self.last_col

    def width_pt(self, first_col, last_col):
        return sum(column_width_pt(w) for w in self.widths[first_col : last_col + 1])

    # Rows and pages ---------------------------------------------------------------

    def _height(self, cells, minimum=0.0):
        """The height of a row of ``(text, width_pt, props, indent)`` cells."""
        height = minimum
        for text, width, props, indent in cells:
            height = max(
                height, row_height(text_lines(text, width, props, indent), props)
            )
        return min(height, MAX_ROW_HEIGHT)

    def _next_row(self, height):
        """Give the current row its height, count it on its page, move on."""
        if self.row >= SHEET_ROWS:
            # xlsxwriter would drop the row without a word: say so instead.
            raise SheetFullError(self.worksheet.name)
        self.worksheet.set_row(self.row, height)
        if self.used + height > self.page_height and self.page_rows:
            self.page_rows = []
            self.used = self.repeat_height
        self.page_rows.append((self.row, height))
        self.used += height
        self.row += 1

    def keep_together(self, height, carry_from=()):
        """Start a new page now if ``height`` of rows to come does not fit in
        what is left of this one, carrying along the rows from the first of
        ``carry_from`` that lets it all fit on the new page (so that a
        signature block is whole and not alone on its page)."""
        if self.used + height <= self.page_height:
            return True
        if not self.page_rows:
            return False
        page_first = self.page_rows[0][0]
        for first in (*carry_from, self.row):
            if first <= page_first:
                continue
            moved = sum(h for row, h in self.page_rows if row >= first)
            if self.repeat_height + moved + height <= self.page_height:
                break
        else:
            return False  # too tall for any page: the rows flow as they come
        self.breaks.append(first)
        self.worksheet.set_h_pagebreaks(self.breaks)
        self.page_rows = [(row, h) for row, h in self.page_rows if row >= first]
        self.used = self.repeat_height + moved
        return True

    # Blocks -------------------------------------------------------------------------

    def _text(self, first_col, last_col, text, cell_format):
        # Text is always written as a string: a name like "=SUM(A1:A2)" stays text.
        if last_col > first_col:
            self.worksheet.merge_range(
                self.row, first_col, self.row, last_col, None, cell_format
            )
        if text:
            self.worksheet.write_string(self.row, first_col, text, cell_format)

    def blank(self, height=12.0):
        self._blank_cell()
        self._next_row(height)

    def _blank_cell(self):
        # A streamed row with no cell is never written, and its height lost.
        self.worksheet.write_blank(self.row, 0, None, self.styles.block("blank"))

    def line_height(self, text, style):
        props = BLOCK_STYLES[style]
        return self._height([(text, self.width_pt(0, self.last_col), props, 0)], 15.0)

    def line(self, text, style):
        """A text over the whole width of the sheet."""
        height = self.line_height(text, style)
        self._text(0, self.last_col, text, self.styles.block(style))
        self._next_row(height)

    def paragraph(self, text):
        """A paragraph of narrative, in rows that fit a page."""
        width = self.width_pt(0, self.last_col)
        for piece in split_paragraph(text, width, BLOCK_STYLES["paragraph"]):
            self.line(piece, "paragraph")

    def two_blocks(self, left, right, min_height=18.0):
        """Rows with a block on the left and one on the right, each a list of
        ``(text, style)``: the document header and the signature block."""
        spans = ((0, self.split - 1), (self.split, self.last_col))
        for index in range(max(len(left), len(right))):
            cells = [
                (first, last, *block[index])
                for block, (first, last) in zip((left, right), spans, strict=True)
                if index < len(block) and block[index][0]
            ]
            height = self._height(
                [
                    (text, self.width_pt(first, last), BLOCK_STYLES[style], 0)
                    for first, last, text, style in cells
                ],
                min_height,
            )
            for first, last, text, style in cells:
                self._text(first, last, text, self.styles.block(style))
            if not cells:
                self._blank_cell()
            self._next_row(height)

    def blocks_height(self, left, right):
        spans = ((0, self.split - 1), (self.split, self.last_col))
        total = 0.0
        for index in range(max(len(left), len(right))):
            cells = [
                (
                    block[index][0],
                    self.width_pt(*span),
                    BLOCK_STYLES[block[index][1]],
                    0,
                )
                for block, span in zip((left, right), spans, strict=True)
                if index < len(block) and block[index][0]
            ]
            total += self._height(cells, 18.0)
        return total

    def rule(self, text, style):
        """A short rule centred under ``text`` of the left block, a third to a
        half of its length (NĐ 30/2020): the bottom border, on the columns
        nearest to that, of a thin row under it."""
        block_last = self.split - 1
        block_width = self.width_pt(0, block_last)
        props = BLOCK_STYLES[style]
        bold = bool(props.get("bold"))
        text_width = min(block_width, word_width(text, bold) * props["font_size"])
        target, centre = 0.4 * text_width, block_width / 2
        starts = [
            self.width_pt(0, col - 1) if col else 0.0 for col in range(self.split)
        ]
        best = None
        for first in range(self.split):
            for last in range(first, self.split):
                width = self.width_pt(first, last)
                if width > 0.6 * block_width:
                    break
                middle = starts[first] + width / 2
                score = abs(middle - centre) + 0.5 * abs(width - target)
                if best is None or score < best[0]:
                    best = (score, first, last)
        self._blank_cell()
        if best and best[1] == best[2]:
            self.worksheet.write_blank(
                self.row, best[1], None, self.styles.block("rule")
            )
        elif best:
            self._text(best[1], best[2], "", self.styles.block("rule"))
        self._next_row(3.0)

    def table_header(self, columns):
        self.columns = columns
        self._cell_formats = [self.styles.cell(column.kind) for column in columns]
        header = self.styles.cell("header")
        props = CELL_STYLES["header"]
        two_rows = any(column.group for column in columns)
        top = self.row
        if not two_rows:
            height = self._height(
                [
                    (column.label, column_width_pt(column.width), props, 0)
                    for column in columns
                ],
                18.0,
            )
            for col, column in enumerate(columns):
                self.worksheet.write_string(self.row, col, column.label, header)
            self._next_row(height)
        else:
            groups = []  # (group label, first col, last col)
            for label, cols in groupby(
                range(len(columns)), key=lambda col: columns[col].group
            ):
                cols = list(cols)
                if label:
                    groups.append((label, cols[0], cols[-1]))
            group_height = self._height(
                [
                    (label, self.width_pt(first, last), props, 0)
                    for label, first, last in groups
                ],
                18.0,
            )
            sub_height = self._height(
                [
                    (column.label, column_width_pt(column.width), props, 0)
                    for column in columns
                    if column.group
                ],
                18.0,
            )
            whole_height = self._height(
                [
                    (column.label, column_width_pt(column.width), props, 0)
                    for column in columns
                    if not column.group
                ],
                18.0,
            )
            sub_height = max(sub_height, whole_height - group_height)
            for col, column in enumerate(columns):
                if not column.group:
                    self.worksheet.declare_merge(top, col, top + 1, col)
                    self.worksheet.write_string(top, col, column.label, header)
            for label, first, last in groups:
                self._text(first, last, label, header)
            self._next_row(group_height)
            for col, column in enumerate(columns):
                if column.group:
                    self.worksheet.write_string(self.row, col, column.label, header)
                else:
                    self.worksheet.write_blank(self.row, col, None, header)
            self._next_row(sub_height)
        # The header stays on screen and is printed on every page.
        self.worksheet.freeze_panes(self.row, 0)
        self.worksheet.repeat_rows(top, self.row - 1)
        self.repeat_height = sum(h for row, h in self.page_rows if row >= top)
        # What data_row needs of each column after STT, worked out once: a
        # list may have a million rows. The usable width of a text column
        # (in ems) is for its text without indent.
        self._stt_format = self.styles.cell("stt")
        self._data_columns = [
            (
                col,
                column.kind,
                self._cell_formats[col],
                column_width_pt(column.width),
                usable_ems(column_width_pt(column.width), _CELL),
            )
            for col, column in enumerate(columns)
        ][1:]

    def data_row(self, values):
        self.last_data_row = row = self.row
        self.count += 1
        self.data_rows += 1
        cells = [(0, self.count, self._stt_format)]
        lines = 1
        for (col, kind, cell_format, width, ems), value in zip(
            self._data_columns, values, strict=False
        ):
            indent = 0
            if isinstance(value, Indented):
                value, indent = value.text, value.level
                cell_format = self.styles.cell(kind, indent=indent)
            if value is None or value is False or value == "":
                cells.append((col, None, cell_format))
            elif kind == TEXT:
                cells.append((col, value, cell_format))
                if indent:
                    lines = max(lines, text_lines(value, width, _CELL, indent))
                else:
                    lines = max(lines, _wrapped_lines(value, ems, False))
            elif kind == DATE:
                self.worksheet.write_datetime(row, col, value, cell_format)
            else:
                cells.append((col, value, cell_format))
        self.worksheet.write_cells(row, cells)
        height = row_height(lines, _CELL) if lines > 1 else 18.0
        self._next_row(min(height, MAX_ROW_HEIGHT))

    def totals(self, rows, then=0.0):
        """The grand total, then its breakdown: a label spanning the columns
        before the first figure, and the figures under their columns. They
        stay on the page of the last row of the table, with the ``then``
        points of rows that follow them if they can."""
        self.totals_row = self.row
        heights = []
        for index, (label, values) in enumerate(rows):
            first_value = min(values) if values else len(self.columns)
            style = "total_label" if index == 0 else "breakdown_label"
            heights.append(
                self._height(
                    [(label, self.width_pt(0, first_value - 1), CELL_STYLES[style], 0)],
                    18.0,
                )
            )
        carry = [self.last_data_row] if self.last_data_row is not None else []
        if not (then and self.keep_together(sum(heights) + then, carry)):
            self.keep_together(sum(heights), carry)
        for index, (label, values) in enumerate(rows):
            grand = index == 0
            first_value = min(values) if values else len(self.columns)
            style = "total_label" if grand else "breakdown_label"
            height = heights[index]
            self._text(0, first_value - 1, label, self.styles.cell(style))
            for col in range(first_value, len(self.columns)):
                if col in values:
                    # A count under a text column (e.g. per type) is still a number.
                    kind = self.columns[col].kind
                    kind = kind if kind in FIGURE_KINDS else INTEGER
                    self.worksheet.write_number(
                        self.row, col, values[col], self.styles.cell(kind, bold=grand)
                    )
                else:
                    self.worksheet.write_blank(
                        self.row, col, None, self.styles.cell(TEXT, bold=grand)
                    )
            self._next_row(height)


# The report base ------------------------------------------------------------------


class ReportUnionLayoutXlsx(models.AbstractModel):
    _name = "report.trade_union_emulation.layout_xlsx"
    _inherit = "report.report_xlsx.abstract"
    _description = "Union Document Layout (Excel)"

    # Kind of document in its number "Số: …/BC-LĐLĐ" (NĐ 30/2020, appendix III).
    _document_type = "BC"
    # The data rows of a table on one sheet; a longer table continues on the
    # next sheet, "… (2)", under the same title block and header.
    _sheet_data_rows = SHEET_ROWS - SHEET_MARGIN_ROWS

    def get_workbook_options(self):
        return {
            "constant_memory": True,
            # The default font sets the unit of column widths (see UNIT_PT).
            "default_format_properties": {"font_name": FONT, "font_size": 12},
            # Belt and braces: every text is written with write_string anyway.
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        }

    def create_xlsx_report(self, docids, data):
        if not self.env.user.has_group(GROUP_OFFICER):
            raise AccessError(
                self.env._("Only union officers can issue the union's documents.")
            )
        # The document is an official Vietnamese one: selection labels and
        # names come in Vietnamese whenever that language is installed.
        lang = self.env["res.lang"]._get_code("vi_VN") or self.env.lang
        report = self.with_context(lang=lang)
        objs = report._get_objs_for_report(docids, data)
        # report_xlsx builds the file in memory and returns a copy of it: two
        # 43 MB at a million rows. Built in a temporary file, it is in memory
        # once, when read back.
        with tempfile.TemporaryFile() as file_data:
            workbook = xlsxwriter.Workbook(file_data, report.get_workbook_options())
            report.generate_xlsx_report(workbook, data, objs)
            workbook.close()
            file_data.seek(0)
            return file_data.read(), "xlsx"

    def _get_objs_for_report(self, docids, data):
        """The records to export; asking for one the user may not read is
        refused, as the form of that record would be."""
        records = super()._get_objs_for_report(docids, data)
        # Counted, not read: a million records read back would be a million
        # rows of Python objects. The documents sort their records themselves.
        query = self._records_query(records)
        [(readable,)] = self.env.execute_query(query.select(SQL("count(*)")))
        if readable < len(records):
            # Records deleted meanwhile (or given twice) are left out; looked
            # for only now, as each query sends the whole list of ids.
            existing = records.exists().union()
            if readable < len(existing):
                raise AccessError(
                    self.env._(
                        "You cannot export %(count)s of the selected records: "
                        "they belong to organisations outside the ones you work on.",
                        count=len(existing) - readable,
                    )
                )
            records = existing
        return records

    def _records_query(self, records, domain=(), order=None):
        """The query of those of ``records`` that the user may read (archived
        ones too) and that match ``domain``."""
        Model = records.browse().with_context(active_test=False)
        query = Model._search(list(domain), order=order)
        query.add_where(
            SQL(
                "%s = ANY(%s)",
                SQL.identifier(query.table, "id"),
                id_array(records._ids),
            )
        )
        return query

    def generate_xlsx_report(self, workbook, data, objs):
        styles = DocumentStyles(workbook)
        written = 0
        for document in self._documents(objs, data or {}):
            document.sheet_name = sheet_name(document.sheet_name)
            try:
                self._write_document(workbook, styles, document)
            except SheetFullError as full:
                raise UserError(
                    self.env._(
                        "The sheet “%(sheet)s” would pass the %(rows)s rows an "
                        "Excel sheet holds: export fewer records at a time.",
                        sheet=str(full),
                        # 1.048.576 in Vietnamese, 1,048,576 in English
                        rows=formatLang(self.env, SHEET_ROWS, digits=0),
                    )
                ) from full
            written += 1
        if not written:
            raise UserError(
                self.env._("There is nothing to export: no record to list.")
            )

    def _documents(self, objs, data):
        """The sheets to write: an iterable of ``Document``."""
        raise NotImplementedError()

    def _write_document(self, workbook, styles, document):
        sheet = self._open_sheet(workbook, styles, document, document.sheet_name)
        if document.table:
            sheet = self._write_table(workbook, styles, document, sheet)
        for heading, paragraphs in document.sections:
            self._write_section(sheet, heading, paragraphs)
        if not document.annex:
            self._write_signature(sheet, document.issuer)

    def _open_sheet(self, workbook, styles, document, name):
        """A new sheet of ``document`` with its title block written: the
        first one, or one its table continues on."""
        widths = (
            [column.width for column in document.table.columns]
            if document.table
            else document.grid
        )
        sheet = DocumentSheet(
            workbook.add_worksheet(name, worksheet_class=DocumentWorksheet),
            styles,
            widths,
        )
        if document.annex:
            sheet.line(document.annex, "annex")
            sheet.line(document.title, "title")
            if document.reference:
                sheet.line(document.reference, "reference")
        else:
            self._write_header(sheet, document.issuer)
            sheet.blank()
            sheet.line(document.title, "title")
        if document.subtitle:
            sheet.line(document.subtitle, "subtitle")
        sheet.blank()
        return sheet

    def _write_table(self, workbook, styles, document, sheet):
        """The table of ``document``, continued on new sheets of the same
        title block and header when it is longer than ``_sheet_data_rows``
        (STT going on), its totals at its end. Returns the last sheet."""
        table = document.table
        sheet.table_header(table.columns)
        number = 1
        for values in table.rows:
            if sheet.data_rows >= self._sheet_data_rows:
                number += 1
                name = continuation_name(document.sheet_name, number)
                note = f"(Danh sách còn tiếp ở trang tính “{name}”)"
                # Never alone at the top of a page: with the last row.
                sheet.keep_together(
                    sheet.line_height(note, "note"), carry_from=[sheet.last_data_row]
                )
                sheet.line(note, "note")
                count = sheet.count
                sheet = self._open_sheet(workbook, styles, document, name)
                sheet.count = count
                sheet.table_header(table.columns)
            sheet.data_row(values)
        # The totals go with the signature when the list ends the document.
        then = 0.0
        if not document.annex and not document.sections:
            then = 12.0 + sheet.blocks_height(*self._signature(document.issuer))
        sheet.totals(table.totals(), then)
        if table.note:
            sheet.line(table.note, "note")
        return sheet

    def _write_section(self, sheet, heading, paragraphs):
        sheet.blank(8.0)
        first = (
            split_paragraph(
                paragraphs[0],
                sheet.width_pt(0, sheet.last_col),
                BLOCK_STYLES["paragraph"],
            )[0]
            if paragraphs
            else ""
        )
        # A heading is not left alone at the bottom of a page.
        sheet.keep_together(
            sheet.line_height(heading, "heading")
            + (sheet.line_height(first, "paragraph") if first else 0.0)
        )
        sheet.line(heading, "heading")
        for paragraph in paragraphs:
            sheet.paragraph(paragraph)

    # The header and signature blocks ----------------------------------------------

    def _write_header(self, sheet, issuer):
        issuer_name = (issuer.name or "").upper()
        left = [
            (self._parent_name(issuer).upper(), "parent"),
            (issuer_name, "issuer"),
        ]
        right = [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "nation"),
            ("Độc lập - Tự do - Hạnh phúc", "motto"),
        ]
        sheet.two_blocks(left, right)
        sheet.rule(issuer_name, "issuer")
        sheet.two_blocks(
            [(self._number(issuer), "number")],
            [(self._place_date(issuer), "place_date")],
            min_height=28.0,
        )

    def _number(self, issuer):
        """ "Số:      /BC-LĐLĐ": the number is given by the registry on signing."""
        return f"Số:        /{self._document_type}-{self._issuer_abbreviation(issuer)}"

    def _parent_name(self, issuer):
        """The line above the issuer: its parent, and for a provincial
        federation at the top of the tree, the national confederation."""
        if issuer.parent_id:
            return issuer.parent_id.name
        if issuer.level == "provincial":
            return "Tổng Liên đoàn Lao động Việt Nam"
        return ""

    def _committee(self, issuer):
        """Who signs for the organisation: its standing committee above the
        grassroots; a grassroots union has an executive committee only."""
        if issuer.level in ("grassroots", "sub_unit"):
            return "Ban Chấp hành"
        return "Ban Thường vụ"

    def _signature(self, issuer):
        """The blocks of the signature: to whom it is sent, who signs."""
        recipients = [("Nơi nhận:", "recipients_title")]
        superior = self._parent_name(issuer)
        if superior:
            recipients.append((f"- {superior} (b/c);", "recipients"))
        recipients.append(("- Lưu: VT.", "recipients"))
        signer = [
            (f"TM. {self._committee(issuer).upper()}", "signer"),
            ((issuer.leader_title or "").upper(), "signer"),
            # room for the signature and the seal
            ("", "signer"),
            ("", "signer"),
            ("", "signer"),
            (issuer.leader_name or "", "signer"),
        ]
        return recipients, signer

    def _write_signature(self, sheet, issuer):
        recipients, signer = self._signature(issuer)
        # The signature block stays whole, with the end of the text above it:
        # the last row of the table and its totals, or the last paragraph.
        last_text = sheet.row - 1
        sheet.blank()
        sheet.keep_together(
            sheet.blocks_height(recipients, signer),
            carry_from=[
                row
                for row in (sheet.last_data_row, sheet.totals_row, last_text)
                if row is not None
            ],
        )
        sheet.two_blocks(recipients, signer)

    # The issuing organisation -----------------------------------------------------

    def _issuing_body(self, organization):
        """A sub-unit has no seal of its own: its grassroots union issues."""
        if organization.level == "sub_unit":
            return organization.grassroots_id or organization.parent_id
        return organization

    def _common_ancestor(self, organizations):
        """The nearest organisation whose subtree holds all of ``organizations``."""
        paths = [org.parent_path.split("/")[:-1] for org in organizations]
        common = None
        # Paths differ in length: the common prefix ends with the shortest.
        for ids in zip(*paths, strict=False):
            if len(set(ids)) > 1:
                break
            common = ids[0]
        Organization = self.env["union.organization"].with_context(active_test=False)
        return Organization.browse(int(common)) if common else Organization

    def _issuer_candidates(self, organizations):
        """The organisations that may issue a document of records of
        ``organizations``: those the user works on whose subtree holds some of
        them, or for a user without organisations (an administrator) their
        nearest common ancestor."""
        scope = self.env.user.union_organization_ids
        if not scope:
            return self._common_ancestor(organizations)
        return scope.filtered(
            lambda issuer: any(
                org.parent_path.startswith(issuer.parent_path) for org in organizations
            )
        )

    def _issuer(self, organizations, data):
        """The organisation in whose name the document is issued: the one asked
        for (the export wizard), or the only one that fits."""
        candidates = self._issuer_candidates(organizations)
        Organization = self.env["union.organization"].with_context(active_test=False)
        if data.get("issuer_id"):
            issuer = Organization.browse(int(data["issuer_id"])).exists()
            if not self.env.user.union_organization_ids and issuer:
                # Without organisations of their own, any holder of the records.
                fits = any(
                    org.parent_path.startswith(issuer.parent_path)
                    for org in organizations
                )
            else:
                fits = issuer in candidates
            if not fits:
                raise AccessError(
                    self.env._(
                        "You cannot issue this document in the name of "
                        "“%(organization)s”: choose one of your own organisations "
                        "that holds the records.",
                        organization=issuer.name or "",
                    )
                )
            return issuer
        if len(candidates) > 1:
            raise UserError(
                self.env._(
                    "The selected records belong to several of your organisations "
                    "(%(organizations)s): the document cannot tell in whose name it is "
                    "issued. Use “Export Excel Document” in the Print menu to choose "
                    "the issuing organisation and the year.",
                    organizations=", ".join(candidates.mapped("name")),
                )
            )
        if not candidates:
            raise UserError(
                self.env._(
                    "None of the selected records belongs to the organisations you "
                    "work on: there is nothing you can issue a document for."
                )
            )
        return candidates

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

    def _place(self, issuer):
        """The city of the organisation or of its nearest ancestor that has one."""
        ids = [int(x) for x in issuer.parent_path.split("/")[:-1]]
        ancestors = (
            self.env["union.organization"]
            .with_context(active_test=False)
            .browse(ids[::-1])
        )
        return next((org.city for org in ancestors if org.city), "……")

    def _place_date(self, issuer):
        """ "Bắc Kạn, ngày 05 tháng 02 năm 2026": days below 10 and months
        below 3 take a leading zero (NĐ 30/2020)."""
        today = fields.Date.context_today(self)
        month = f"{today.month:02d}" if today.month < 3 else str(today.month)
        day = f"{today.day:02d}"
        return f"{self._place(issuer)}, ngày {day} tháng {month} năm {today.year}"

    # Reading ------------------------------------------------------------------------

    def _selection_labels(self, model_name, field_name):
        """{value: label} of a selection field, in the document's language."""
        return dict(
            self.env[model_name]._fields[field_name]._description_selection(self.env)
        )

    def _batches(self, records):
        """``records`` in batches, each dropped from the cache once written:
        a 100,000-row export reads a few queries per batch and keeps a flat
        memory, never one lazy load per record."""
        for batch in split_every(READ_BATCH, records.ids, records.browse):
            yield batch
            self.env.invalidate_all()

    def _names(self, model_name, ids, field_names=("name",)):
        """{id: {field: value}} of records the exported ones name, in one query.

        Like read(), which names many2one values as superuser (the name comes
        with the record the user may read, e.g. a member who has since moved to
        another organisation): names and union posts only, never a personal
        field."""
        records = self.env[model_name].sudo()
        return self._read_rows(records.browse(set(ids) - {False, None}), field_names)

    def _read_rows(self, records, field_names):
        """{id: {field: value}} of ``records`` as ``read(field_names,
        load=None)`` gives them (False for no value), in one query straight
        from the table: the ORM's cache and its conversion of every value
        would take as long as writing the rows. Access rights and record
        rules apply as in read()."""
        Model = records.browse().with_context(active_test=False)
        query = Model._search([("id", "in", records.ids)])
        names = ("id", *field_names)
        columns = [Model._field_to_sql(Model._table, name, query) for name in names]
        rows = self.env.execute_query(query.select(*columns))
        return {
            row[0]: {
                name: False if value is None else value
                for name, value in zip(names, row, strict=True)
            }
            for row in rows
        }

    def _units(self, organization_ids, cache):
        """{organisation id: "grassroots union\\nsub-unit"}: where a member or a
        record belongs, its sub-unit under its grassroots union."""
        missing = set(organization_ids) - set(cache) - {False, None}
        if missing:
            rows = self._names(
                "union.organization", missing, ("name", "level", "grassroots_id")
            )
            grassroots = self._names(
                "union.organization",
                {row["grassroots_id"] for row in rows.values()} - set(rows),
            )
            names = {id_: row["name"] for id_, row in {**grassroots, **rows}.items()}
            for id_, row in rows.items():
                top = row["grassroots_id"]
                if row["level"] == "sub_unit" and top and top != id_:
                    cache[id_] = f"{names.get(top, '')}\n{row['name']}"
                else:
                    cache[id_] = row["name"]
        return cache

    # Lists ---------------------------------------------------------------------------

    def _list_scope(self, records, data):
        """The issuer and the records of the document: those of the issuer's
        subtree, of the year asked for if one is."""
        query = self._records_query(records)
        column = records._field_to_sql(query.table, "organization_id", query)
        organizations = (
            self.env["union.organization"]
            .browse(
                org_id
                for (org_id,) in self.env.execute_query(
                    query.select(SQL("DISTINCT %s", column))
                )
                if org_id
            )
            .with_context(active_test=False)
        )
        issuer = self._issuer(organizations, data)
        domain = [("organization_id", "child_of", issuer.id)]
        if data.get("year"):
            domain.append(("year", "=", int(data["year"])))
        return self._issuing_body(issuer), issuer, domain

    def _list_documents(self, records, data, kinds):
        """One ``(issuer, year, kind, records)`` per year and kind of document,
        the most recent year first. ``kinds`` lists ``(kind, states)``: a
        record goes into the document of its state, never into another."""
        if not records:
            return
        body, issuer, domain = self._list_scope(records, data)
        Model = records.browse()
        # One ordered query shared out among the documents, not a search per
        # document: each would send the whole list of ids again.
        query = self._records_query(records, domain, order=Model._order)
        columns = [
            Model._field_to_sql(Model._table, name, query)
            for name in ("id", "year", "state")
        ]
        kind_of = {state: kind for kind, states in kinds for state in states}
        # {(year, kind): ids}, as machine integers read by chunks: a million
        # records would otherwise be a million tuples of Python objects.
        documents = defaultdict(lambda: array("q"))
        cr = self.env.cr
        sql = query.select(*columns)
        self.env.flush_query(sql)
        # Read through a cursor of the server: a plain query's rows would all
        # be held by the client library at once (75 MB at a million).
        # (An error in between aborts the transaction, which drops the cursor.)
        cr.execute(SQL("DECLARE union_document_ids NO SCROLL CURSOR FOR %s", sql))
        while True:
            cr.execute(SQL("FETCH FORWARD %s FROM union_document_ids", READ_BATCH))
            chunk = cr.fetchall()
            if not chunk:
                break
            for id_, year, state in chunk:
                if state in kind_of:
                    documents[year, kind_of[state]].append(id_)
        cr.execute(SQL("CLOSE union_document_ids"))
        for year in sorted({year for year, _kind in documents}, reverse=True):
            for kind, _states in kinds:
                if (year, kind) in documents:
                    yield body, year, kind, Model.browse(documents[year, kind])

import io
from datetime import date

import xlsxwriter

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .union_organization import MEMBER_LEVELS
from .union_workflow_mixin import GROUP_ADMIN

CATEGORIES = [
    ("civil_servant", "Civil servant"),
    ("public_employee", "Public employee"),
    ("worker", "Worker"),
]

# The member register as federations keep it, column by column: the
# Vietnamese heading of the import template, and the field it fills. Odoo's
# import maps each heading by the field's Vietnamese label, so the labels
# (i18n/vi.po) must read exactly so; categories and genders by their labels,
# organisations by their code, "Có"/"Không" for yes/no.
MEMBER_IMPORT_COLUMNS = [
    ("Họ và tên", "name"),
    ("Ngày sinh", "birth_date"),
    ("Giới tính", "gender"),
    ("Dân tộc", "ethnicity"),
    ("Số thẻ đoàn viên", "union_card_number"),
    ("Mã đơn vị", "organization_code"),
    ("Đối tượng", "category"),
    ("Chức vụ công đoàn", "union_position"),
    ("Đảng viên", "is_party_member"),
    ("Ngày vào công đoàn", "join_date"),
]


class _RetryRowByRow(Exception):
    """Raised to make Odoo's load() import a batch again row by row."""


MEMBER_IMPORT_TEMPLATE = (
    "/trade_union_emulation/static/xls/union_member_import_template.xlsx"
)


# What Odoo's import screen sends with a member register (base_import's
# defaults, with the header row): for whoever drives the import as the screen
# does (tests, scripts/bench.py); "limit" and "skip" page through the file.
MEMBER_IMPORT_OPTIONS = {
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {},
    "encoding": "",
    "separator": "",
    "quoting": '"',
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": True,
    "has_headers": True,
    "keep_matches": False,
    "limit": 2000,
    "skip": 0,
}


def member_import_file(rows):
    """The bytes of an .xlsx member register in the layout of the import
    template: one row per dict of ``rows`` ({field: value} as a person types
    it: labels for categories and genders, dates as dates, booleans as
    "Có"/"Không"). Texts are written as texts, so that a card number keeps
    its leading zeros and nothing is ever read as a formula."""
    output = io.BytesIO()
    workbook = xlsxwriter.Workbook(output, {"constant_memory": True})
    sheet = workbook.add_worksheet("Đoàn viên")
    heading = workbook.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7"})
    day = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for col, (title, _field) in enumerate(MEMBER_IMPORT_COLUMNS):
        sheet.write_string(0, col, title, heading)
        sheet.set_column(col, col, 22 if col else 28)
    for row, values in enumerate(rows, 1):
        for col, (_title, field) in enumerate(MEMBER_IMPORT_COLUMNS):
            value = values.get(field)
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_string(row, col, "Có" if value else "Không")
            elif isinstance(value, date):
                sheet.write_datetime(row, col, value, day)
            else:
                sheet.write_string(row, col, str(value))
    workbook.close()
    return output.getvalue()


class UnionMember(models.Model):
    _name = "union.member"
    _description = "Union Member"
    _inherit = ["mail.thread", "mail.activity.mixin", "union.scoped.mixin"]
    _order = "name, id"
    _rec_names_search = ["name", "union_card_number"]

    name = fields.Char(string="Full Name", required=True, tracking=True)
    organization_id = fields.Many2one(
        "union.organization",
        required=True,
        index=True,
        tracking=True,
        ondelete="restrict",
        domain=[("level", "in", MEMBER_LEVELS)],
    )
    # The member register names the organisation by its code: the import
    # template's column "Mã đơn vị".
    organization_code = fields.Char(
        compute="_compute_organization_code",
        inverse="_inverse_organization_code",
        help="The code of the member's organisation; setting it moves the member "
        "to the organisation of that code.",
    )
    grassroots_id = fields.Many2one(
        related="organization_id.grassroots_id", store=True, index=True
    )
    category = fields.Selection(CATEGORIES, required=True, tracking=True, index=True)
    is_union_officer = fields.Boolean(string="Union Officer", tracking=True)
    union_position = fields.Char(
        string="Union Post",
        tracking=True,
        help="The post the member holds in the union, "
        "e.g. Chủ tịch CĐCS, Tổ trưởng tổ công đoàn.",
    )
    is_party_member = fields.Boolean(string="Party Member", tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="User",
        index="btree_not_null",
        ondelete="set null",
        tracking=True,
    )
    gender = fields.Selection(
        [("male", "Male"), ("female", "Female"), ("other", "Other")]
    )
    # Personal data (party membership, birth date, ethnicity): tracked, so that
    # the member's history says who changed them, and shown in no other
    # document's chatter or export.
    birth_date = fields.Date(tracking=True)
    ethnicity = fields.Char(default="Kinh", tracking=True)
    union_card_number = fields.Char(index="btree_not_null", tracking=True)
    join_date = fields.Date(string="Union Join Date")
    job_title = fields.Char()
    phone = fields.Char()
    email = fields.Char()
    active = fields.Boolean(default=True, tracking=True)
    session_ids = fields.Many2many(
        "union.study.session",
        "union_study_session_member_rel",
        "member_id",
        "session_id",
        string="Study Sessions Attended",
        readonly=True,
        copy=False,
        help="Attendance is recorded on the study session.",
    )
    session_count = fields.Integer(compute="_compute_session_count")
    pledge_ids = fields.One2many("union.pledge", "member_id", string="Pledges")
    pledge_count = fields.Integer(compute="_compute_pledge_count")
    evaluation_ids = fields.One2many(
        "union.member.evaluation", "member_id", string="Evaluations"
    )
    evaluation_count = fields.Integer(compute="_compute_evaluation_count")
    commendation_line_ids = fields.One2many(
        "union.commendation.line", "member_id", string="Commendations"
    )
    commendation_count = fields.Integer(compute="_compute_commendation_count")

    _sql_constraints = [
        (
            "union_card_number_unique",
            "unique(union_card_number)",
            "Another member already holds this union card number.",
        ),
        (
            "user_unique",
            "unique(user_id)",
            "This user is already linked to another member.",
        ),
    ]

    @api.depends("organization_id.code")
    def _compute_organization_code(self):
        for member in self:
            member.organization_code = member.organization_id.code

    def _inverse_organization_code(self):
        # create() and write() turn a code into its organisation already; this
        # serves assignments made in memory (e.g. a form).
        for member in self.filtered("organization_code"):
            member.organization_id = self._organizations_by_code(
                [member.organization_code]
            )[member.organization_code.strip()]

    def _compute_session_count(self):
        counts = dict(
            self.env["union.study.session"]._read_group(
                [("attendee_ids", "in", self.ids)], ["attendee_ids"], ["__count"]
            )
        )
        for member in self:
            member.session_count = counts.get(member, 0)

    def _compute_pledge_count(self):
        counts = dict(
            self.env["union.pledge"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.pledge_count = counts.get(member, 0)

    def _compute_evaluation_count(self):
        counts = dict(
            self.env["union.member.evaluation"]._read_group(
                [("member_id", "in", self.ids)], ["member_id"], ["__count"]
            )
        )
        for member in self:
            member.evaluation_count = counts.get(member, 0)

    def _compute_commendation_count(self):
        counts = dict(
            self.env["union.commendation.line"]._read_group(
                [
                    ("member_id", "in", self.ids),
                    ("commendation_id.state", "=", "approved"),
                ],
                ["member_id"],
                ["__count"],
            )
        )
        for member in self:
            member.commendation_count = counts.get(member, 0)

    @api.constrains("organization_id")
    def _check_organization_level(self):
        for member in self:
            if member.organization_id.level not in MEMBER_LEVELS:
                raise ValidationError(
                    self.env._(
                        "“%(member)s” cannot belong to “%(org)s”: members belong to "
                        "a grassroots union or one of its sub-units.",
                        member=member.name,
                        org=member.organization_id.name,
                    )
                )

    @api.constrains("user_id")
    def _check_user_unique(self):
        # Checked before the flush reaches the SQL constraint: linking a user
        # notifies them by mail first, and that would fail on the SQL error.
        # Plain SQL because an ORM search would flush the pending link first;
        # it also sees the members the current user may not read.
        linked = self.filtered("user_id")
        if not linked:
            return
        self.env.cr.execute(
            "SELECT 1 FROM union_member"
            " WHERE user_id = ANY(%s) AND NOT id = ANY(%s) LIMIT 1",
            (linked.user_id.ids, linked.ids),
        )
        if self.env.cr.fetchone():
            raise ValidationError(
                self.env._("This user is already linked to another member.")
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._normalize(vals_list)
        members = super().create(vals_list)
        if any(vals.get("user_id") for vals in vals_list):
            # The record rules list each user's member records.
            self.env["res.users"]._union_scope_changed()
        return members

    def write(self, vals):
        self._normalize([vals])
        res = super().write(vals)
        if "user_id" in vals:
            self.env["res.users"]._union_scope_changed()
        return res

    def _normalize(self, vals_list):
        codes = set()
        for vals in vals_list:
            # An empty card number is no number: keep it NULL so that
            # uniqueness holds.
            if "union_card_number" in vals:
                vals["union_card_number"] = (
                    vals["union_card_number"] or ""
                ).strip() or False
            if (vals.get("organization_code") or "").strip():
                codes.add(vals["organization_code"].strip())
        organizations = self._organizations_by_code(codes) if codes else {}
        for vals in vals_list:
            code = (vals.pop("organization_code", None) or "").strip()
            if code:
                vals["organization_id"] = organizations[code].id

    @api.model
    def _organizations_by_code(self, codes):
        """{code: organisation} for the given codes; a clear error for a code
        that names no active organisation of the user's scope."""
        found, errors = self._check_organization_codes(codes)
        if errors:
            raise ValidationError(errors[min(errors)])
        return found

    @api.model
    def _check_organization_codes(self, codes):
        """({code: organisation}, {code: error}) for the given codes: a code
        must name an active organisation in the user's scope."""
        codes = {code.strip() for code in codes}
        Organization = self.env["union.organization"]
        found = {
            org.code: org for org in Organization.search([("code", "in", list(codes))])
        }
        errors = {
            code: self.env._(
                "No active union organization has the code “%(code)s”.", code=code
            )
            for code in codes - set(found)
        }
        if found and not (self.env.su or self.env.user.has_group(GROUP_ADMIN)):
            scope = Organization.search(
                [
                    ("id", "in", [org.id for org in found.values()]),
                    ("id", "child_of", self.env.user.union_organization_ids.ids),
                ]
            )
            for code, org in found.items():
                if org not in scope:
                    errors[code] = self.env._(
                        "“%(org)s” (code %(code)s) is not among the organizations "
                        "you work on.",
                        org=org.name,
                        code=code,
                    )
        return found, errors

    # Import (Odoo's base_import) ---------------------------------------------

    @api.model
    def get_import_templates(self):
        return [
            {
                "label": self.env._("Import Template for Union Members"),
                "template": MEMBER_IMPORT_TEMPLATE,
            }
        ]

    @api.model
    def load(self, fields, data):
        """Odoo's import: all rows or none. Besides Odoo's own checks, a card
        number given on two rows of the file is an error on the second."""
        duplicates = self._import_duplicate_cards(fields, data)
        if not duplicates:
            return super().load(fields, data)
        with self.env.cr.savepoint() as savepoint:
            result = super().load(fields, data)
            savepoint.close(rollback=True)
        messages = duplicates + [
            message
            for message in result["messages"]
            if message.get("rows", {}).get("from")
            not in {duplicate["rows"]["from"] for duplicate in duplicates}
        ]
        messages.sort(key=lambda message: message.get("rows", {}).get("from", -1))
        return dict(result, ids=False, messages=messages)

    @api.model
    def _import_duplicate_cards(self, fields, data):
        if "union_card_number" not in fields:
            return []
        index = fields.index("union_card_number")
        first_row = {}
        messages = []
        for row, values in enumerate(data):
            card = (values[index] or "").strip() if index < len(values) else ""
            if not card:
                continue
            if card in first_row:
                messages.append(
                    {
                        "type": "error",
                        "field": "union_card_number",
                        "record": row,
                        "rows": {"from": row, "to": row},
                        "message": self.env._(
                            "Union card number %(card)s is also on row %(row)s of "
                            "the file: each member appears once.",
                            card=card,
                            row=first_row[card] + 2,
                        ),
                    }
                )
            else:
                first_row[card] = row
        return messages

    def _load_records(self, data_list, update=False, ignore_duplicates=False):
        # Re-importing the register updates the members it names by their card
        # number instead of creating them again (record rules apply: a card of
        # a member outside the user's scope fails on its uniqueness instead).
        cards = {
            data["values"]["union_card_number"].strip(): data
            for data in data_list
            if not data.get("xml_id")
            and not data["values"].get("id")
            and (data["values"].get("union_card_number") or "").strip()
        }
        if cards:
            existing = self.with_context(active_test=False).search_fetch(
                [("union_card_number", "in", list(cards))], ["union_card_number"]
            )
            for member in existing:
                cards[member.union_card_number]["values"]["id"] = member.id
        if len(data_list) > 1 and self._import_has_bad_organization(data_list):
            # load() answers a UserError of a batch with its message on the
            # batch's FIRST row; any other error makes it retry row by row, so
            # that each faulty row gets its own message.
            raise _RetryRowByRow()
        return super()._load_records(data_list, update, ignore_duplicates)

    def _import_has_bad_organization(self, data_list):
        codes = {
            data["values"]["organization_code"].strip()
            for data in data_list
            if (data["values"].get("organization_code") or "").strip()
        }
        if not codes:
            return False
        found, errors = self._check_organization_codes(codes)
        return bool(errors) or any(
            org.level not in MEMBER_LEVELS for org in found.values()
        )

    def _load_records_create(self, vals_list):
        # A register of thousands of members: no "created" note nor follower
        # per member (create_uid and create_date say who imported them).
        return super(
            UnionMember,
            self.with_context(mail_create_nolog=True, mail_create_nosubscribe=True),
        )._load_records_create(vals_list)

    def _action_open_related(self, xmlid, extra_context=None):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"default_member_id": self.id, **(extra_context or {})}
        return action

    def action_open_pledges(self):
        return self._action_open_related("trade_union_emulation.union_pledge_action")

    def action_open_evaluations(self):
        return self._action_open_related(
            "trade_union_emulation.union_member_evaluation_action"
        )

    def action_open_commendations(self):
        return self._action_open_related(
            "trade_union_emulation.union_commendation_line_action"
        )

    def action_open_sessions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "trade_union_emulation.union_study_session_action"
        )
        action["domain"] = [("attendee_ids", "in", self.id)]
        action["context"] = {}
        return action

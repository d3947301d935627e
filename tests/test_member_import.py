import openpyxl

from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.misc import file_open

from ..models.union_member import (
    MEMBER_IMPORT_COLUMNS,
    MEMBER_IMPORT_OPTIONS,
    MEMBER_IMPORT_TEMPLATE,
    member_import_file,
)
from .common import UnionCase
from .member_import_rows import member_rows

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@tagged("post_install", "-at_install")
class TestMemberImport(UnionCase):
    """The province's members arrive as the union's member register: Odoo's
    import of the template, in Vietnamese, as an officer in their scope."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["trade_union_emulation"], ["vi_VN"], overwrite=True
        )
        cls.user_officer_a.lang = "vi_VN"

    def importer(self, content, user=None):
        return (
            self.env["base_import.import"]
            .with_user(user or self.user_officer_a)
            .with_context(lang="vi_VN")
            .create({"res_model": "union.member", "file": content, "file_type": XLSX})
        )

    def run_import(self, rows, dryrun=False, user=None):
        """Map the columns as Odoo's import screen proposes, then import (or
        test, with ``dryrun``) like its buttons do."""
        wizard = self.importer(member_import_file(rows), user)
        preview = wizard.parse_preview({"has_headers": True})
        self.assertFalse(preview.get("error"), preview.get("error"))
        fields = ["/".join(path) for path in preview["matches"].values()]
        return wizard.execute_import(
            fields,
            [header.lower() for header in preview["headers"]],
            MEMBER_IMPORT_OPTIONS,
            dryrun=dryrun,
        )

    def members(self, cards):
        return (
            self.env["union.member"]
            .with_context(active_test=False)
            .search([("union_card_number", "in", cards)])
        )

    # The template --------------------------------------------------------------

    def test_template_is_offered_with_the_register_headings(self):
        templates = (
            self.env["union.member"]
            .with_user(self.user_officer_a)
            .with_context(lang="vi_VN")
            .get_import_templates()
        )
        self.assertEqual([t["template"] for t in templates], [MEMBER_IMPORT_TEMPLATE])
        self.assertEqual(templates[0]["label"], "Mẫu nhập danh sách đoàn viên")
        with file_open(MEMBER_IMPORT_TEMPLATE.lstrip("/"), "rb") as template:
            sheet = openpyxl.load_workbook(template).active
            headings = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
        self.assertEqual(
            headings,
            [
                "Họ và tên",
                "Ngày sinh",
                "Giới tính",
                "Dân tộc",
                "Số thẻ đoàn viên",
                "Mã đơn vị",
                "Đối tượng",
                "Chức vụ công đoàn",
                "Đảng viên",
                "Ngày vào công đoàn",
            ],
        )

    def test_vietnamese_headings_map_to_the_member_fields(self):
        wizard = self.importer(member_import_file(member_rows(2, ["T-GA"])))
        preview = wizard.parse_preview({"has_headers": True})
        self.assertEqual(
            {
                preview["headers"][index]: path
                for index, path in preview["matches"].items()
            },
            {title: [field] for title, field in MEMBER_IMPORT_COLUMNS},
        )

    def test_the_template_file_imports(self):
        """The example rows of the template itself import in the demo
        province (the organisations of their codes exist there)."""
        with file_open(MEMBER_IMPORT_TEMPLATE.lstrip("/"), "rb") as template:
            content = template.read()
            sheet = openpyxl.load_workbook(template).active
            codes = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
        self.assertEqual(
            len(self.env["union.organization"].search([("code", "in", list(codes))])),
            len(codes),
            "the template names organisations of the demo province",
        )
        wizard = (
            self.env["base_import.import"]
            .with_user(self.user_admin)
            .with_context(lang="vi_VN")
            .create({"res_model": "union.member", "file": content, "file_type": XLSX})
        )
        preview = wizard.parse_preview({"has_headers": True})
        result = wizard.execute_import(
            ["/".join(path) for path in preview["matches"].values()],
            [header.lower() for header in preview["headers"]],
            {"has_headers": True, "quoting": '"', "separator": ""},
            dryrun=True,
        )
        self.assertFalse(result["messages"])
        self.assertEqual(len(result["ids"]), 2)

    # Importing -----------------------------------------------------------------

    def test_officer_imports_members_of_their_scope(self):
        rows = member_rows(6, ["T-GA", "T-SA"], card_prefix="GA")
        rows[0].update(
            name="Nông Thị Hạnh",
            gender="Nữ",
            category="Viên chức",
            is_party_member=True,
            union_position="Chủ tịch CĐCS",
        )
        result = self.run_import(rows)
        self.assertFalse(result["messages"])
        self.assertEqual(len(result["ids"]), 6)

        members = self.members([row["union_card_number"] for row in rows])
        self.assertEqual(len(members), 6)
        self.assertEqual(members.organization_id, self.grassroots_a | self.sub_unit_a)
        first = members.filtered(
            lambda m: m.union_card_number == rows[0]["union_card_number"]
        )
        self.assertRecordValues(
            first,
            [
                {
                    "name": "Nông Thị Hạnh",
                    "gender": "female",
                    "category": "public_employee",
                    "is_party_member": True,
                    "union_position": "Chủ tịch CĐCS",
                    "birth_date": rows[0]["birth_date"],
                    "join_date": rows[0]["join_date"],
                    "ethnicity": rows[0]["ethnicity"],
                    "organization_code": rows[0]["organization_code"],
                }
            ],
        )
        self.assertEqual(first.create_uid, self.user_officer_a)

    def test_reimport_updates_on_the_card_number(self):
        rows = member_rows(4, ["T-GA"], card_prefix="RE")
        first = self.run_import(rows)
        self.assertFalse(first["messages"])

        rows[1]["union_position"] = "Tổ trưởng tổ công đoàn"
        rows[2]["organization_code"] = "T-SA"
        again = self.run_import(rows)
        self.assertFalse(again["messages"])
        self.assertEqual(sorted(again["ids"]), sorted(first["ids"]), "the same members")

        members = self.members([row["union_card_number"] for row in rows])
        self.assertEqual(len(members), 4, "no duplicate")
        by_card = {member.union_card_number: member for member in members}
        self.assertEqual(
            by_card[rows[1]["union_card_number"]].union_position,
            "Tổ trưởng tổ công đoàn",
        )
        self.assertEqual(
            by_card[rows[2]["union_card_number"]].organization_id, self.sub_unit_a
        )

    # A missing category and a card number held elsewhere fail in PostgreSQL,
    # which Odoo logs as "bad query" before it turns them into row messages.
    @mute_logger("odoo.sql_db")
    def test_file_with_errors_imports_nothing_and_says_why_per_row(self):
        rows = member_rows(6, ["T-GA"], card_prefix="ER")
        rows[1]["organization_code"] = "KHONG-CO"  # no such organisation
        rows[2]["category"] = "Hưu trí"  # not a category
        rows[3]["organization_code"] = "T-GB"  # district B: outside the scope
        rows[4]["union_card_number"] = rows[0]["union_card_number"]  # twice in the file
        cards = [row["union_card_number"] for row in rows]

        for dryrun in (True, False):
            with self.subTest(dryrun=dryrun):
                result = self.run_import(rows, dryrun=dryrun)
                self.assertFalse(result["ids"])
                self.assertFalse(self.members(cards), "nothing was imported")
                errors = {}
                for message in result["messages"]:
                    self.assertEqual(message["type"], "error")
                    errors.setdefault(message["rows"]["from"], []).append(
                        message["message"]
                    )
                self.assertEqual(sorted(errors), [1, 2, 3, 4], errors)
                self.assertEqual(
                    errors[1],
                    [
                        "Không có tổ chức công đoàn nào đang hoạt động "
                        "mang mã “KHONG-CO”."
                    ],
                )
                self.assertIn("Hưu trí", errors[2][0])
                self.assertEqual(
                    errors[3],
                    [
                        "“CĐCS Bệnh viện B” (mã T-GB) không thuộc các tổ chức "
                        "bạn phụ trách."
                    ],
                )
                self.assertEqual(
                    errors[4],
                    [
                        f"Số thẻ đoàn viên {rows[0]['union_card_number']} cũng có ở "
                        "dòng 2 của tệp: mỗi đoàn viên chỉ ghi một lần."
                    ],
                )

    @mute_logger("odoo.sql_db")
    def test_officer_cannot_update_a_member_outside_their_scope(self):
        """A card number held in another district is not found in the
        officer's scope: the row fails on the card's uniqueness."""
        row = member_rows(1, ["T-GA"])[0]
        row["union_card_number"] = self.member_b1.union_card_number
        result = self.run_import([row])
        self.assertFalse(result["ids"])
        self.assertEqual(len(result["messages"]), 1)
        self.assertEqual(self.member_b1.organization_id, self.grassroots_b)
        self.assertEqual(self.member_b1.name, "Lê Văn Cường")

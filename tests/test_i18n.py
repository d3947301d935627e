import polib

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools.misc import file_path

from .common import UnionCase


@tagged("post_install", "-at_install")
class TestVietnamese(UnionCase):
    """The users work in Vietnamese: every term has its translation, and
    menus, labels and error messages reach them in Vietnamese."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("vi_VN")
        cls.env["ir.module.module"]._load_module_terms(
            ["trade_union_emulation"], ["vi_VN"], overwrite=True
        )
        cls.po = polib.pofile(file_path("trade_union_emulation/i18n/vi.po"))
        cls.pot = polib.pofile(
            file_path("trade_union_emulation/i18n/trade_union_emulation.pot")
        )

    def translation(self, msgid):
        entry = self.po.find(msgid)
        self.assertTrue(entry and entry.msgstr, f"no Vietnamese for {msgid!r}")
        return entry.msgstr

    def test_every_term_is_translated(self):
        self.assertFalse(self.po.untranslated_entries())
        self.assertFalse(self.po.fuzzy_entries())
        missing = {entry.msgid for entry in self.pot} - {
            entry.msgid for entry in self.po
        }
        self.assertFalse(missing, "terms of the template missing from vi.po")

    def test_menu_and_labels(self):
        menu = self.env.ref("trade_union_emulation.union_root_menu").with_context(
            lang="vi_VN"
        )
        self.assertEqual(menu.name, "Công đoàn")
        Evaluation = self.env["union.member.evaluation"].with_context(lang="vi_VN")
        labels = dict(
            Evaluation._fields["rating"]._description_selection(Evaluation.env)
        )
        self.assertEqual(labels["excellent"], "Hoàn thành xuất sắc nhiệm vụ")
        self.assertEqual(labels["incomplete"], "Không hoàn thành nhiệm vụ")

    def test_error_message_in_vietnamese(self):
        self.user_officer_a.lang = "vi_VN"
        Pledge = (
            self.env["union.pledge"]
            .with_user(self.user_officer_a)
            .with_context(lang="vi_VN")
        )
        Pledge.create({"member_id": self.member_a1.id, "year": 2026})
        with self.assertRaises(UserError) as caught:
            Pledge.create({"member_id": self.member_a1.id, "year": 2026})
        template = self.translation(
            "%(member)s already has a pledge for %(year)s. "
            "Open that pledge instead of creating another."
        )
        self.assertEqual(
            str(caught.exception),
            template % {"member": self.member_a1.name, "year": 2026},
        )
        self.assertEqual(
            Pledge.search_count([("member_id", "=", self.member_a1.id)]),
            1,
            "nothing else was created",
        )

import os
import re

import polib

from odoo.exceptions import UserError
from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

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

    def test_references_are_paths_and_records_of_the_addon(self):
        """Every reference of the template and of vi.po names a file of the
        addon by its real path (``addons/trade_union_emulation/...``), or one
        of its records by its external id."""
        root = get_module_path("trade_union_emulation")
        code_ref = re.compile(r"^code:addons/trade_union_emulation/(?P<path>[^:]+)$")
        record_ref = re.compile(
            r"^(model|model_terms):[a-z_.]+,[a-z_]+:trade_union_emulation\.(?P<xmlid>\w+)$"
        )
        for name, po in (("trade_union_emulation.pot", self.pot), ("vi.po", self.po)):
            bad = set()
            for entry in po:
                for reference, _line in entry.occurrences:
                    if match := code_ref.match(reference):
                        path = match["path"]
                        if any(part.startswith(".") for part in path.split("/")) or (
                            not os.path.isfile(os.path.join(root, path))
                        ):
                            bad.add(reference)
                    elif match := record_ref.match(reference):
                        xmlid = f"trade_union_emulation.{match['xmlid']}"
                        if not self.env.ref(xmlid, raise_if_not_found=False):
                            bad.add(reference)
                    else:
                        bad.add(reference)
            with self.subTest(file=name):
                self.assertFalse(sorted(bad)[:20], f"{len(bad)} bad references")

    def test_template_holds_every_term_of_the_code(self):
        """The template is what Odoo's own exporter reads from the code today
        (regenerate it when a term changes: see the README)."""
        exported = {
            source
            for _module, _type, _name, _res_id, source, _value, _comments in (
                TranslationModuleReader(self.env.cr, modules=["trade_union_emulation"])
            )
        }
        in_template = {entry.msgid for entry in self.pot}
        self.assertFalse(
            sorted(exported - in_template), "terms of the code missing from the .pot"
        )
        self.assertFalse(
            sorted(in_template - exported), "terms of the .pot no longer in the code"
        )

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

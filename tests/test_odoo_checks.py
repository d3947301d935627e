from odoo.tests import tagged

from odoo.addons.base.tests import test_views


@tagged("post_install", "-at_install")
class TestOdooInvisibleField(test_views.TestInvisibleField):
    """Odoo's own check that every always-invisible field of a view says why
    (a comment right after it), run again once this addon's views exist: base
    runs it at its own install, before them. It logs an ERROR naming the
    views that fail it, which scripts/test.sh counts as a failure."""

    # Odoo's loader collects only the test methods a class defines itself.
    allow_inherited_tests_method = True

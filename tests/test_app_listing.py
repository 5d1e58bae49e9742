"""What an administrator sees in Apps and in the menu, checked in the tested
database through Odoo's own ORM (pytest-odoo opens it)."""

import base64

from odoo.tests import TransactionCase
from odoo.tools.misc import file_open


class TestAppListing(TransactionCase):
    # Odoo tags only the tests inside its addons; these live beside them.
    test_tags = {"standard", "at_install"}
    test_module = "willsoft_privacy"
    test_class = "TestAppListing"
    test_sequence = 0

    def test_listed_as_an_application(self):
        module = self.env["ir.module.module"].search(
            [("name", "=", "willsoft_privacy")]
        )
        self.assertEqual(module.state, "installed")
        self.assertTrue(module.application)
        self.assertEqual(module.author, "Willsoft Oy")
        self.assertEqual(module.license, "LGPL-3")
        self.assertEqual(module.installed_version, "18.0.2.2.0")
        self.assertEqual(module.latest_version, module.installed_version)
        self.assertEqual(module.icon, "/willsoft_privacy/static/description/icon.png")
        self.assertIn(
            "Your privacy notice, kept by Odoo itself", module.description_html
        )
        self.assertEqual(
            sorted(module.dependencies_id.mapped("name")),
            ["account", "mail", "phone_validation", "portal"],
        )

    def test_top_level_menu_with_icon(self):
        menu = self.env.ref("willsoft_privacy.willsoft_privacy_menu_root")
        self.assertFalse(menu.parent_id)
        self.assertEqual(menu.name, "Privacy")
        with file_open("willsoft_privacy/static/description/icon.png", "rb") as icon:
            self.assertEqual(base64.b64decode(menu.web_icon_data), icon.read())
        names = menu.child_id.mapped("name")
        self.assertIn("Register", names)
        self.assertIn("Due for anonymisation", names)

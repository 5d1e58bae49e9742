# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestUi(HttpCase):
    def test_end_relationship_tour(self):
        """A privacy user finds a customer in the register and ends it."""
        new_test_user(
            self.env,
            login="tour_privacy_user",
            password="tour_privacy_user",
            groups="base.group_user,base.group_partner_manager,"
            "willsoft_privacy.group_privacy_user",
        )
        customer = self.env["res.partner"].create(
            {
                "name": "Tour Customer Oy",
                "is_company": True,
                "privacy_category": "customer",
            }
        )
        self.start_tour(
            "/odoo/action-willsoft_privacy.res_partner_action_privacy_register",
            "willsoft_privacy_end_relationship",
            login="tour_privacy_user",
        )
        self.assertEqual(customer.privacy_state, "ended")
        self.assertEqual(customer.privacy_end_reason, "Contract terminated")

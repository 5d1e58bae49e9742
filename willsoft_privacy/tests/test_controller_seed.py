# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged
from odoo.tools.safe_eval import safe_eval

CONTROLLER_FIELDS = [
    "privacy_controller_name",
    "privacy_controller_business_id",
    "privacy_controller_street",
    "privacy_controller_zip",
    "privacy_controller_city",
    "privacy_controller_country_id",
    "privacy_helpdesk_email",
    "privacy_contact_name",
    "privacy_contact_email",
]


@tagged("post_install", "-at_install")
class TestControllerSeed(TransactionCase):
    """The notice's controller is the main company's, seeded once on install;
    another company is another controller and starts empty."""

    def test_main_company_is_willsoft(self):
        main = self.env.ref("base.main_company")
        self.assertEqual(main.privacy_controller_name, "Willsoft Oy")
        self.assertEqual(main.privacy_controller_business_id, "0856972-8")
        self.assertEqual(main.privacy_controller_city, "Lapua")
        self.assertEqual(main.privacy_controller_country_id, self.env.ref("base.fi"))

    def test_new_company_gets_no_controller(self):
        company = self.env["res.company"].create({"name": "Other Oy"})
        for fname in CONTROLLER_FIELDS:
            with self.subTest(field=fname):
                self.assertFalse(company[fname])

    def test_seeding_keeps_what_the_main_company_has(self):
        main = self.env.ref("base.main_company")
        main.privacy_controller_name = "Willsoft Group Oy"
        self.assertFalse(self.env["res.company"]._privacy_seed_controller())
        self.assertEqual(main.privacy_controller_name, "Willsoft Group Oy")


@tagged("post_install", "-at_install")
class TestRegisterSubjects(TransactionCase):
    """Odoo's template users, employees and companies are no data subjects."""

    def test_register_lists_people_not_odoo_itself(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "willsoft_privacy.res_partner_action_privacy_register"
        )
        customer = self.env["res.partner"].create({"name": "Real Customer Oy"})
        listed = (
            self.env["res.partner"]
            .with_context(active_test=False)
            .search(safe_eval(action["domain"]))
        )
        self.assertIn(customer, listed)
        for xmlid in (
            "base.default_user",
            "base.template_portal_user_id",
            "base.user_admin",
            "base.user_root",
        ):
            with self.subTest(user=xmlid):
                self.assertNotIn(self.env.ref(xmlid).partner_id, listed)
        self.assertNotIn(self.env.company.partner_id, listed)
        protected = self.env["willsoft.privacy.retention"]._protected_partner_ids()
        self.assertIn(
            self.env.ref("base.template_portal_user_id").partner_id.id, protected
        )

# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import Form, tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestViews(PrivacyCommon):
    def _form_arch(self, model, user, view=None):
        views = self.env[model].with_user(user).get_views([(view, "form")])
        return etree.fromstring(views["views"]["form"]["arch"])

    def test_partner_form_privacy_tab_by_group(self):
        officer_arch = self._form_arch("res.partner", self.officer)
        self.assertTrue(officer_arch.xpath("//page[@name='privacy']"))
        hold = officer_arch.xpath("//field[@name='privacy_hold_until']")
        self.assertEqual([f.get("readonly") for f in hold], ["parent_id"])

        user_arch = self._form_arch("res.partner", self.privacy_user)
        hold = user_arch.xpath("//field[@name='privacy_hold_until']")
        self.assertEqual([f.get("readonly") for f in hold], ["1"])

        plain_arch = self._form_arch("res.partner", self.plain_user)
        self.assertFalse(plain_arch.xpath("//page[@name='privacy']"))

    def test_partner_form_renders_and_saves(self):
        with Form(self.env["res.partner"].with_user(self.officer)) as form:
            form.name = "Tietosuoja Testi Oy"
            form.company_type = "company"
            form.privacy_category = "customer"
            form.privacy_source = "employer"
            form.privacy_relationship_start = "2024-01-01"
        partner = form.record
        self.assertEqual(partner.privacy_state_info, "Active")

    def test_contact_person_language_is_required(self):
        arch = self._form_arch("res.partner", self.officer)
        lang = arch.xpath("//page[@name='privacy']//field[@name='lang']")
        self.assertEqual(lang[0].get("required"), "not is_company")

    def test_settings_page_shows_the_notice_defaults(self):
        arch = self.env["res.config.settings"].get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn('name="willsoft_privacy"', arch)
        self.assertIn('name="privacy_grace_months"', arch)
        self.assertIn('name="privacy_contact_email"', arch)
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.privacy_grace_months, 3)
        self.assertEqual(settings.privacy_voucher_years, 6)
        self.assertEqual(settings.privacy_controller_name, "Willsoft Oy")
        self.assertEqual(settings.privacy_controller_business_id, "0856972-8")
        self.assertEqual(settings.privacy_contact_email, "tietosuoja@willsoft.fi")
        self.env["res.config.settings"].create({"privacy_grace_months": 2}).execute()
        self.assertEqual(self.company.privacy_grace_months, 2)

    def test_register_views_load(self):
        for xmlid in (
            "willsoft_privacy.res_partner_action_privacy_register",
            "willsoft_privacy.res_partner_action_privacy_due",
        ):
            action = self.env.ref(xmlid)
            views = (
                self.env["res.partner"]
                .with_user(self.privacy_user)
                .get_views(
                    [(v.view_id.id, v.view_mode) for v in action.view_ids]
                    + [(False, "search")]
                )
            )
            self.assertIn("privacy_anonymise_date", views["views"]["list"]["arch"])
            self.assertIn("privacy_due_this_month", views["views"]["search"]["arch"])

# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestAccess(PrivacyCommon):
    def test_plain_user_cannot_change_retention_settings(self):
        for user in (self.plain_user, self.privacy_user):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.company.with_user(user).privacy_grace_months = 1
                with self.assertRaises(AccessError):
                    self.env["res.config.settings"].with_user(user).create(
                        {"privacy_voucher_years": 1}
                    )
        self.company.invalidate_recordset()
        self.assertEqual(self.company.privacy_grace_months, 3)

    def test_only_officers_set_legal_holds(self):
        customer, contact = self.make_customer()
        hold = {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2099-12-31"}
        for user in (self.plain_user, self.privacy_user):
            for partner in (customer, contact):
                with (
                    self.subTest(user=user.login, partner=partner.name),
                    self.assertRaisesRegex(AccessError, "privacy officer"),
                ):
                    partner.with_user(user).write(hold)
        customer.invalidate_recordset()
        self.assertFalse(customer.privacy_hold_until)
        customer.with_user(self.officer).write(hold)
        self.assertEqual(contact.privacy_state, "hold")
        # Lifting it is the officer's too.
        with self.assertRaises(AccessError):
            customer.with_user(self.plain_user).privacy_hold_until = False
        # The administrator is a privacy officer.
        self.assertTrue(
            self.env.ref("base.user_admin").has_group(
                "willsoft_privacy.group_privacy_officer"
            )
        )

    def test_plain_user_edits_a_held_customer_and_adds_contacts(self):
        customer, _contact = self.make_customer()
        customer.with_user(self.officer).write(
            {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2099-12-31"}
        )
        # Other edits sync the commercial fields, hold included, to contacts:
        # that is no change of the hold.
        customer.with_user(self.plain_user).write(
            {"privacy_category": "customer", "privacy_relationship_start": "2020-01-01"}
        )
        new_contact = (
            self.env["res.partner"]
            .with_user(self.plain_user)
            .create({"name": "Uusi Henkilö", "parent_id": customer.id})
        )
        self.assertEqual(new_contact.privacy_state, "hold")

    def test_retention_stage_is_not_for_users(self):
        customer, _contact = self.make_customer()
        with self.assertRaises(AccessError):
            customer.with_user(self.privacy_user).privacy_stage = "anonymised"
        self.assertEqual(customer.privacy_stage, "none")

    def test_wizard_is_for_privacy_users(self):
        customer, _contact = self.make_customer()
        with self.assertRaises(AccessError):
            self.env["willsoft.privacy.end.relationship"].with_user(
                self.plain_user
            ).create({"partner_id": customer.id, "reason": "x"})

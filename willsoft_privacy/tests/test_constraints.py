# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
class TestConstraints(PrivacyCommon):
    def test_end_before_start_is_refused_and_changes_nothing(self):
        customer, contact = self.make_customer(privacy_relationship_start="2024-05-01")
        with self.assertRaisesRegex(ValidationError, "cannot end .* before it started"):
            customer.privacy_relationship_end = "2024-04-30"
        customer.invalidate_recordset()
        contact.invalidate_recordset()
        self.assertFalse(customer.privacy_relationship_end)
        self.assertFalse(contact.privacy_relationship_end)
        self.assertEqual(customer.privacy_state, "active")

    @freeze_time("2026-03-10")
    def test_end_in_the_future_is_refused(self):
        customer, _contact = self.make_customer()
        with self.assertRaisesRegex(ValidationError, "a date in the future"):
            customer.privacy_relationship_end = "2026-03-11"
        customer.privacy_relationship_end = "2026-03-10"  # today is fine
        self.assertEqual(customer.privacy_anonymise_date, date(2026, 6, 10))

    def test_retention_periods_must_be_positive(self):
        settings = self.env["res.config.settings"].create({})
        for fname in (
            "privacy_grace_months",
            "privacy_voucher_years",
            "privacy_prospect_months",
        ):
            for bad in (0, -3):
                with (
                    self.subTest(field=fname, value=bad),
                    self.assertRaisesRegex(ValidationError, "at least 1"),
                ):
                    settings[fname] = bad
                    settings.execute()
        self.company.invalidate_recordset()
        self.assertEqual(self.company.privacy_grace_months, 3)
        self.assertEqual(self.company.privacy_voucher_years, 6)
        self.assertEqual(self.company.privacy_prospect_months, 24)

    @freeze_time("2026-03-10")
    def test_legal_hold_needs_reason_and_future_end(self):
        customer, _contact = self.make_customer()
        officer_view = customer.with_user(self.officer)
        with self.assertRaisesRegex(ValidationError, "needs a reason"):
            officer_view.privacy_hold_until = "2026-12-31"
        with self.assertRaisesRegex(ValidationError, "must end today or later"):
            officer_view.write(
                {"privacy_hold_reason": "Dispute", "privacy_hold_until": "2026-03-09"}
            )
        customer.invalidate_recordset()
        self.assertFalse(customer.privacy_hold_until)
        self.assertEqual(customer.privacy_state, "active")

    @freeze_time("2026-03-10")
    def test_end_relationship_wizard(self):
        customer, contact = self.make_customer(privacy_relationship_start="2020-01-01")
        action = contact.with_user(self.privacy_user).action_privacy_end_relationship()
        self.assertEqual(action["context"]["default_partner_id"], customer.id)
        wizard_model = self.env[action["res_model"]].with_user(self.privacy_user)
        wizard_form = Form(wizard_model.with_context(**action["context"]))
        self.assertEqual(wizard_form.end_date, date(2026, 3, 10))
        wizard_form.end_date = date(2026, 2, 28)
        self.assertEqual(wizard_form.anonymise_date, date(2026, 5, 28))
        wizard_form.reason = "Contract terminated by the customer"
        wizard_form.save().action_confirm()
        self.assertEqual(customer.privacy_relationship_end, date(2026, 2, 28))
        self.assertEqual(contact.privacy_relationship_end, date(2026, 2, 28))
        self.assertEqual(
            contact.privacy_end_reason, "Contract terminated by the customer"
        )
        self.assertEqual(customer.privacy_state, "ended")
        self.assertIn(
            "Contract terminated by the customer", customer.message_ids[0].body
        )
        self.assertIn("05/28/2026", customer.message_ids[0].body)
        # A second end is refused, and says what to do.
        with self.assertRaisesRegex(UserError, "has already ended"):
            customer._privacy_end_relationship(date(2026, 3, 1), "Again")
        self.assertEqual(customer.privacy_relationship_end, date(2026, 2, 28))

    def test_end_relationship_needs_a_reason(self):
        customer, _contact = self.make_customer()
        with self.assertRaisesRegex(UserError, "Give the reason"):
            customer._privacy_end_relationship(date(2025, 1, 1), "  ")
        self.assertFalse(customer.privacy_relationship_end)

# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PrivacyCommon


@tagged("post_install", "-at_install")
@freeze_time("2026-06-01")
class TestConsentScope(PrivacyCommon):
    """A consent keeps the consenting person, not their organisation, from
    the retention clock, and the ledger never says "given" for data that is
    gone."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Consent = cls.env["willsoft.privacy.consent"]
        cls.Retention = cls.env["willsoft.privacy.retention"]
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.company_partner = cls.env["res.partner"].create(
            {
                "name": "Mahdollinen Oy",
                "is_company": True,
                "privacy_category": "prospect",
                "email": "info@mahdollinen.example.com",
            }
        )
        cls.consenting, cls.colleague = cls.env["res.partner"].create(
            [
                {
                    "name": "Suostuja",
                    "parent_id": cls.company_partner.id,
                    "email": "suostuja@mahdollinen.example.com",
                },
                {
                    "name": "Kollega",
                    "parent_id": cls.company_partner.id,
                    "email": "kollega@mahdollinen.example.com",
                },
            ]
        )
        cls.company_partner.privacy_last_contact_date = "2020-01-01"
        cls.Consent._record_event(
            cls.consenting, cls.marketing, "email", "given", "email_link"
        )

    def test_a_contacts_consent_keeps_that_contact_only(self):
        due = self.Retention._privacy_due_partners("stage1")
        self.assertIn(self.company_partner, due)
        self.Retention._privacy_process(self.company_partner, "stage1")
        self.assertEqual(self.company_partner.privacy_stage, "anonymised")
        self.assertEqual(self.colleague.privacy_stage, "anonymised")
        self.assertFalse(self.colleague.email)
        # The consenting person's data follows the consent.
        self.assertEqual(self.consenting.privacy_stage, "none")
        self.assertEqual(self.consenting.email, "suostuja@mahdollinen.example.com")
        self.assertEqual(
            self.Consent._state(self.consenting, self.marketing, "email"), "given"
        )

    def test_an_erasure_ends_the_consent_in_the_ledger(self):
        request = (
            self.env["willsoft.privacy.request"]
            .with_user(self.officer)
            .create({"partner_id": self.consenting.id, "kind": "erasure"})
        )
        request.action_start()
        request.action_run_erasure()
        self.assertFalse(self.consenting.email)
        self.assertEqual(
            self.Consent._state(self.consenting, self.marketing, "email"),
            "withdrawn",
        )
        last = self.env["willsoft.privacy.consent.event"].search(
            [("partner_id", "=", self.consenting.id)], order="id desc", limit=1
        )
        self.assertEqual((last.action, last.source), ("withdrawn", "request"))

    def test_stage1_of_a_customer_ends_its_own_consent_in_the_ledger(self):
        customer = self.env["res.partner"].create(
            {
                "name": "Asiakas Oy",
                "is_company": True,
                "privacy_category": "customer",
                "email": "asiakas@asiakas.example.com",
            }
        )
        self.Consent._record_event(
            customer, self.marketing, "email", "given", "email_link"
        )
        customer._privacy_end_relationship(date(2026, 1, 31), "Contract ended")
        self.assertIn(customer, self.Retention._privacy_due_partners("stage1"))
        self.Retention._privacy_process(customer, "stage1")
        # The customer's basic data went on time, and with it the address the
        # consent was given on: the ledger says the consent has ended.
        self.assertEqual(customer.privacy_stage, "anonymised")
        self.assertFalse(customer.email)
        self.assertEqual(
            self.Consent._state(customer, self.marketing, "email"), "withdrawn"
        )
        last = self.env["willsoft.privacy.consent.event"].search(
            [("partner_id", "=", customer.id)], order="id desc", limit=1
        )
        self.assertEqual((last.action, last.source), ("withdrawn", "retention"))
        self.assertIn("retention run", last.note)
        # A contact person's consent elsewhere keeps its "given".
        self.assertEqual(
            self.Consent._state(self.consenting, self.marketing, "email"), "given"
        )

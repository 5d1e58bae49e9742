# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo.tests import tagged

from .common import PrivacyCommon, load_languages


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
        due = self.Retention._due_partners("stage1")
        self.assertIn(self.company_partner, due)
        self.Retention._process(self.company_partner, "stage1")
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

    def last_check(self):
        return self.env["willsoft.privacy.audit.log"].search(
            [("event", "=", "check")], order="id desc", limit=1
        )

    def test_stage1_of_a_customer_keeps_what_its_own_consent_needs(self):
        """Notice, section 10: basic data goes three months after the end;
        what a consent needs stays until the consent is withdrawn."""
        Partner = self.env["res.partner"]
        buyer, other = Partner.create(
            [
                {
                    "name": "Aino Asiakas",
                    "email": "aino.asiakas@asiakas.example.com",
                    "phone": "+358 40 918 2736",
                    "function": "Hobbyist",
                    "street": "Kauppakatu 9",
                    "zip": "62100",
                    "city": "Lapua",
                    "lang": "en_US",
                    "privacy_category": "customer",
                },
                {
                    "name": "Eero Esimerkki",
                    "email": "eero.esimerkki@asiakas.example.com",
                    "phone": "+358 40 918 2737",
                    "street": "Kauppakatu 11",
                    "lang": "en_US",
                    "privacy_category": "customer",
                },
            ]
        )
        self.post_invoice(buyer, "2025-11-15")
        for customer in buyer | other:
            self.Consent._record_event(
                customer,
                self.marketing,
                "email",
                "given",
                "email_link",
                ip_address="203.0.113.7",
            )
            customer._privacy_end_relationship(date(2026, 1, 31), "Contract ended")
        Mail = self.env["mail.mail"]
        offer = Mail.create(
            {
                "subject": "Offers",
                "body_html": "<p>Offers</p>",
                "recipient_ids": [(4, buyer.id)],
                "willsoft_privacy_processing_id": self.marketing.id,
            }
        )
        reminder = Mail.create(
            {
                "subject": "Your order",
                "body_html": "<p>Your order</p>",
                "recipient_ids": [(4, buyer.id)],
            }
        )
        due = self.Retention._due_partners("stage1")
        self.assertIn(buyer, due)
        self.assertIn(other, due)

        self.Retention._process(buyer | other, "stage1")

        # The invoice's buyer is restricted, the other anonymised, both but
        # for the name, the address and the language the consent was given
        # with.
        self.assertEqual(buyer.privacy_stage, "restricted")
        self.assertEqual(other.privacy_stage, "anonymised")
        for customer, name in ((buyer, "Aino Asiakas"), (other, "Eero Esimerkki")):
            self.assertEqual(customer.name, name)
            self.assertTrue(customer.email)
            self.assertEqual(customer.lang, "en_US")
            self.assertTrue(customer.active, "what it consented to reaches it")
            self.assertFalse(customer.phone)
            self.assertEqual(
                customer.privacy_email_proven,
                customer.email,
                "the address kept keeps its proof",
            )
            self.assertFalse(customer.privacy_phone_proven)
            self.assertFalse(customer.function)
            self.assertEqual(
                self.Consent._state(customer, self.marketing, "email"), "given"
            )
            events = customer.privacy_consent_event_ids
            self.assertFalse(events.filtered(lambda e: e.source == "retention"))
            self.assertEqual(events.mapped("ip_address"), ["203.0.113.7"])
        self.assertEqual(buyer.street, "Kauppakatu 9", "the invoice shows it")
        self.assertFalse(other.street)
        self.assertTrue(offer.exists(), "the consent's mail stays")
        self.assertFalse(reminder.exists())
        check = self.last_check()
        self.assertEqual(check.result, "ok", check.counts)
        self.assertFalse((buyer | other).filtered("privacy_leftover_date"))
        # The dry run's and the export's words for it.
        reason = self.env["willsoft.privacy.data.map"]._consent_reason(
            other.privacy_consent_state_ids
        )
        self.assertIn("until you withdraw it", reason)
        # The partner form says so beside the stage.
        self.env.invalidate_all()
        kept = other.read(["privacy_consent_kept"])[0]["privacy_consent_kept"]
        self.assertEqual(
            kept,
            f"Kept on the consent to {self.marketing.name} until it is "
            "withdrawn: Name, Language, Email",
        )
        # In Finnish too, where core's own labels of these fields are empty.
        load_languages(self.env, "fi_FI")
        purpose_fi = self.marketing.with_context(lang="fi_FI").name
        self.assertEqual(
            other.with_context(lang="fi_FI").privacy_consent_kept,
            f"Säilytetään suostumuksella tarkoitukseen {purpose_fi}, kunnes se "
            "perutaan: Nimi, Kieli, Sähköposti",
        )

        # Withdrawn, the consent keeps nothing: the partner ends as its
        # stage says.
        for customer in buyer | other:
            self.Consent._record_event(
                customer, self.marketing, "email", "withdrawn", "portal"
            )
            check = self.last_check()
            self.assertEqual(check.partner_ref, customer.id)
            self.assertEqual(check.result, "ok", check.counts)
        self.assertFalse(offer.exists())
        self.env.invalidate_all()
        self.assertEqual(
            (buyer | other).read(["privacy_consent_kept"]),
            [
                {"id": buyer.id, "privacy_consent_kept": False},
                {"id": other.id, "privacy_consent_kept": False},
            ],
        )
        self.assertEqual(buyer.privacy_stage, "restricted")
        self.assertEqual(buyer.name, "Aino Asiakas", "the retained invoice shows it")
        self.assertFalse(buyer.active)
        self.assertEqual(other.privacy_stage, "anonymised")
        self.assertNotIn("Eero", other.name)
        for customer in buyer | other:
            self.assertFalse(customer.email)
            self.assertFalse(
                customer.privacy_email_proven or customer.privacy_email_proof
            )
            self.assertFalse(customer.privacy_leftover_date)
            self.assertFalse(
                any(customer.privacy_consent_event_ids.mapped("ip_address"))
            )
        self.assertEqual(
            self.env["willsoft.privacy.suppression"]._is_suppressed(
                ["aino.asiakas@asiakas.example.com"]
            ),
            {"aino.asiakas@asiakas.example.com"},
        )

    def test_the_dry_run_says_what_a_customers_consent_keeps(self):
        Partner = self.env["res.partner"]
        consenting, plain = Partner.create(
            [
                {
                    "name": "Kaisa Kuluttaja",
                    "email": "kaisa.kuluttaja@asiakas.example.com",
                    "privacy_category": "customer",
                },
                {
                    "name": "Pekka Pois",
                    "email": "pekka.pois@asiakas.example.com",
                    "privacy_category": "customer",
                },
            ]
        )
        self.Consent._record_event(
            consenting, self.marketing, "email", "given", "email_link"
        )
        for customer in consenting | plain:
            customer._privacy_end_relationship(date(2026, 1, 31), "Contract ended")
        actions = {
            row["partner_id"]: row["action"] for row in self.Retention._preview()
        }
        self.assertIn("Its own consent keeps", actions[consenting.id])
        self.assertNotIn("consent", actions[plain.id])

    def test_stage1_of_a_customer_company_keeps_what_its_consent_needs(self):
        """A company's own consent follows the rule of a person's: its basic
        data goes on time, what the consent needs stays until withdrawn."""
        customer = self.env["res.partner"].create(
            {
                "name": "Asiakas Oy",
                "is_company": True,
                "privacy_category": "customer",
                "email": "asiakas@asiakas.example.com",
                "phone": "+358 6 918 2738",
            }
        )
        self.Consent._record_event(
            customer, self.marketing, "email", "given", "email_link"
        )
        customer._privacy_end_relationship(date(2026, 1, 31), "Contract ended")
        self.assertIn(customer, self.Retention._due_partners("stage1"))
        self.Retention._process(customer, "stage1")
        self.assertEqual(customer.privacy_stage, "anonymised")
        self.assertEqual(
            (customer.name, customer.email),
            ("Asiakas Oy", "asiakas@asiakas.example.com"),
        )
        self.assertFalse(customer.phone)
        self.assertEqual(
            self.Consent._state(customer, self.marketing, "email"), "given"
        )
        # Not taken again by a later run while the consent lasts.
        self.assertNotIn(customer, self.Retention._due_partners("stage1"))
        self.assertNotIn(customer, self.Retention._due_partners("stage2"))
        # A contact person's consent elsewhere keeps its "given".
        self.assertEqual(
            self.Consent._state(self.consenting, self.marketing, "email"), "given"
        )
        self.Consent._record_event(
            customer, self.marketing, "email", "withdrawn", "email_link"
        )
        self.assertEqual(customer.privacy_stage, "anonymised")
        self.assertFalse(customer.email)
        self.assertEqual(customer.name, "Anonymised")

    def test_stage2_keeps_what_the_consent_needs_and_takes_the_partner_once(self):
        """When the voucher period ends, the buyer data goes; what a consent
        still given needs stays (an SMS consent: the phone numbers), and the
        partner is not taken again."""
        buyer = self.env["res.partner"].create(
            {
                "name": "Aino Asiakas",
                "email": "aino.asiakas@asiakas.example.com",
                "mobile": "+358 40 918 2739",
                "street": "Kauppakatu 9",
                "lang": "en_US",
                "privacy_category": "customer",
            }
        )
        self.post_invoice(buyer, "2025-11-15")
        self.Consent._record_event(
            buyer, self.marketing, "sms", "given", "phone", note="Called."
        )
        buyer._privacy_end_relationship(date(2026, 1, 31), "Contract ended")
        self.Retention._process(buyer, "stage1")
        self.assertEqual(buyer.privacy_stage, "restricted")
        self.assertEqual(
            (buyer.mobile, buyer.street), ("+358 40 918 2739", "Kauppakatu 9")
        )
        self.assertFalse(buyer.email, "an SMS consent needs no email address")
        with freeze_time("2032-01-02"):
            self.assertIn(buyer, self.Retention._due_partners("stage2"))
            self.Retention._process(buyer, "stage2")
            self.assertEqual(buyer.privacy_stage, "anonymised")
            self.assertEqual(
                (buyer.name, buyer.mobile), ("Aino Asiakas", "+358 40 918 2739")
            )
            self.assertFalse(buyer.street, "the voucher period has ended")
            self.assertEqual(self.Consent._state(buyer, self.marketing, "sms"), "given")
            self.assertEqual(self.last_check().result, "ok", self.last_check().counts)
            self.assertNotIn(buyer, self.Retention._due_partners("stage2"))
            self.assertNotIn(buyer, self.Retention._due_partners("stage1"))
            self.Consent._record_event(
                buyer, self.marketing, "sms", "withdrawn", "phone", note="Called."
            )
            self.assertEqual(buyer.name, "Anonymised")
            self.assertFalse(buyer.mobile)
            self.assertEqual(self.last_check().result, "ok", self.last_check().counts)

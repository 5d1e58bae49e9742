# Copyright 2026 Willsoft Oy
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

EMAIL = "tilaaja@example.com"


@tagged("post_install", "-at_install")
class TestMailingUnsubscribeLedger(TransactionCase):
    """Odoo's own unsubscribe page writes to the consent ledger: leaving a
    consent-based list withdraws the consent, joining again asks for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Consent = cls.env["willsoft.privacy.consent"]
        cls.marketing = cls.env.ref("willsoft_privacy.processing_marketing")
        cls.partner = cls.env["res.partner"].create(
            {"name": "Tiina Tilaaja", "email": EMAIL, "lang": "en_US"}
        )
        cls.newsletter = cls.env["mailing.list"].create({"name": "Newsletter"})
        cls.env["mailing.contact"].create(
            {"name": "Tiina", "email": EMAIL, "list_ids": [cls.newsletter.id]}
        )
        cls.Consent._record_event(
            cls.partner, cls.marketing, "email", "given", "email_link"
        )

    def test_unsubscribing_withdraws_the_consent_in_the_ledger(self):
        self.newsletter._update_subscription_from_email(EMAIL, opt_out=True)
        self.assertEqual(
            self.Consent._state(self.partner, self.marketing, "email"), "withdrawn"
        )
        event = self.env["willsoft.privacy.consent.event"].search(
            [("partner_id", "=", self.partner.id)], order="id desc", limit=1
        )
        self.assertEqual((event.action, event.source), ("withdrawn", "email_link"))
        # Once: unsubscribing again writes nothing more.
        count = self.env["willsoft.privacy.consent.event"].search_count([])
        self.newsletter._update_subscription_from_email(EMAIL, opt_out=True)
        self.assertEqual(
            self.env["willsoft.privacy.consent.event"].search_count([]), count
        )

    def test_joining_again_asks_for_consent_by_double_opt_in(self):
        self.newsletter._update_subscription_from_email(EMAIL, opt_out=True)
        self.newsletter._update_subscription_from_email(EMAIL, opt_out=False)
        event = self.env["willsoft.privacy.consent.event"].search(
            [("partner_id", "=", self.partner.id)], order="id desc", limit=1
        )
        self.assertEqual(event.action, "requested")
        # Not given until the person confirms: still withdrawn.
        self.assertEqual(
            self.Consent._state(self.partner, self.marketing, "email"), "withdrawn"
        )
        self.assertTrue(
            self.env["mail.mail"].search(
                [
                    ("recipient_ids", "in", self.partner.ids),
                    ("willsoft_privacy_processing_id", "=", self.marketing.id),
                ]
            )
        )
